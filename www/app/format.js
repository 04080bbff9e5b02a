// Number and date formatting in the page's language. Pure (Intl only): tests/js/page_format.test.mjs.

/** The page's number formats for `loc` (a BCP 47 locale). */
export function formatters(loc) {
  return {
    nf: new Intl.NumberFormat(loc),
    nf1: new Intl.NumberFormat(loc, { maximumFractionDigits: 1 }),
    nf2: new Intl.NumberFormat(loc, { maximumFractionDigits: 2, minimumFractionDigits: 2 }),
    pct: new Intl.NumberFormat(loc, { style: 'percent', maximumFractionDigits: 1 }),
  };
}

/** An ISO day (`YYYY-MM-DD`) as a medium date in `loc`, or "–" for none. */
export function fmtDate(iso, loc) {
  if (!iso) return '–';
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? String(iso) : new Intl.DateTimeFormat(loc, { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

/** The class for a lift cell: over- (≥ 1.2) or under-represented (≤ 0.8). */
export const liftClass = (lift) => (lift >= 1.2 ? 'num hi' : lift <= 0.8 ? 'num lo' : 'num');
