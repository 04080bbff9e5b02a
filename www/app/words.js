// Engine values worded for people in the page's language: labels by prefix, warnings and rejection
// reasons by code (with the engine's English message as the fallback). Pure (i18n only):
// tests/js/page_words.test.mjs.
import { t, locale } from '../i18n.js';

/** A translated label for an engine value (method, format, date order, role), or the value itself. */
export const label = (prefix, v) => (t(`${prefix}${v}`) !== `${prefix}${v}` ? t(`${prefix}${v}`) : v);

export const methodLabel = (m) => (m === 'edges' ? t('methodEdges') : m === 'rankFirst' ? t('methodRankFirst') : label('method_', m));

/** A cluster feature (`recency_days`, or a column of the file) as a label. */
export const featureLabel = (name) => label('feature_', name);

/**
 * A warning of report.warnings in the page's language: `{ code, params, message }` is worded from
 * `warn_<code>` with its parameters; without a template (or a plain string, from an older engine) the
 * engine's message is shown.
 */
export function warningText(w) {
  if (typeof w === 'string') return w;
  if (!w || typeof w !== 'object') return String(w ?? '');
  const key = `warn_${w.code}`;
  return w.code && t(key) !== key ? t(key, paramWords(w.params ?? {})) : (w.message ?? String(w.code ?? ''));
}

// Params that are names from the file (a column, a sheet, an example value): shown as written even
// when they are all digits (a column named "2024" is not 2,024).
const NAME_PARAMS = new Set(['column', 'rival', 'names', 'lead', 'example', 'tier', 'fallback', 'ruleSet', 'encoding', 'model']);

/**
 * The one place engine params become words: engine vocabulary (a role key, a date order, …) through
 * its label, counted roles and preamble rows with their noun in the right number ("1 role",
 * "rows 1–2"), a delimiter as a word, an empty list as "(none)", and whole numbers (sent as plain
 * digits) grouped for the page's language ("20,228"); names and other values as sent.
 */
export function paramWords(params) {
  const out = {};
  const nf = new Intl.NumberFormat(locale());
  for (const [k, v] of Object.entries(params)) {
    if (k === 'role') out[k] = label('role_', v).toLocaleLowerCase();
    // Counted nouns: "1 role" / "3 roles", "row 2" / "rows 1–2" (ZH: no plural).
    else if (k === 'roles') out[k] = t(v === '1' ? 'roleCount_one' : 'roleCount', { n: nf.format(Number(v)) });
    else if (k === 'above') out[k] = t(v.includes('–') ? 'aboveRows' : 'aboveRow', { rows: v });
    else if (k === 'delimiter') out[k] = v === '\t' ? t('tab') : v === ' ' ? t('space') : `“${v}”`;
    else if (NAME_PARAMS.has(k)) out[k] = v;
    else if (v === '') out[k] = t('none');
    else if (/^-?\d{1,15}$/.test(v)) out[k] = nf.format(Number(v));
    else out[k] = label(`param_${k}_`, v);
  }
  return out;
}

/** A decision's evidence in the page's language from its code and params; the engine's English
 * sentence when the evidence has no code or no template. */
export function evidenceText(d) {
  const key = `evidence_${d?.evidenceCode}`;
  if (!d?.evidenceCode || t(key) === key) return d?.evidence ?? '';
  const p = paramWords(d.evidenceParams ?? {});
  // A one-time stream decides from its first rows only; the engine sends how many.
  return `${p.firstRows ? t('evidenceFirstRows', { rows: p.firstRows }) : ''}${t(key, p)}`;
}

/** Why rows were set aside (a key of report.rowsRejected) in words, else the engine's message. */
export function rejectText(reason, rejection) {
  const key = `reject_${reason}`;
  if (t(key) !== key) return t(key, rejection?.params ?? {});
  return rejection?.message ?? reason;
}

/** How dates were read: the order taken, or that no date depended on it (the engine's
 * input.dates.orderMatters / yearFirst). */
export function datesLine(dates) {
  if (dates && dates.orderMatters === false) return t(dates.yearFirst ? 'datesYearFirst' : 'datesOrderFree');
  const order = dates?.order === 'mdy' ? t('dateMdy') : dates?.order === 'dmy' ? t('dateDmy') : '?';
  return t('datesRead', { order, ambiguous: dates?.orderAmbiguous ? t('ambiguous') : '' });
}

/** One line on how the bytes were read, worded per format (a workbook has no encoding or delimiter). */
export function readSummary(d) {
  const bom = d.bom ? t('withBom') : '';
  if (d.format === 'xlsx' || d.format === 'xls') {
    return t('readAsWorkbook', { format: label('format_', d.format), sheet: d.sheet ? t('sheetNamed', { sheet: d.sheet }) : '' });
  }
  if (d.format === 'json') return t('readAsJson', { encoding: d.encoding, bom });
  const delim = d.delimiter === '\t' ? t('tab') : d.delimiter === ' ' ? t('space') : d.delimiter ? `“${d.delimiter}”` : '?';
  return t('readAs', { format: label('format_', d.format), encoding: d.encoding, bom, delim });
}
