// Customers over time (report.clv): the fitted BG/NBD (or MBG/NBD) and Gamma-Gamma parameters, the
// engine's P(alive) histogram (pAliveBins), its per-segment and per-tier sums (bySegment / byTier), and
// the holdout check (actual vs predicted cumulative repeat purchases, holdout.tracking). Every figure is
// the engine's; nothing here sums or fits. The card is hidden when the recipe has no clv result and no
// clv warning; a clv warning (e.g. not identifiable) is shown here as the quality panel shows warnings.
import { t, groupLabel } from '../../i18n.js';
import { $, el, fmt, PALETTE } from '../dom.js';
import { warningText } from '../words.js';

const SVG = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs, ...children) => {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  node.append(...children);
  return node;
};

/** A fitted parameter to four decimals (the precision the literature reports). */
const p4 = (v) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(4) : '–');

const isClvWarning = (w) => typeof w === 'object' && typeof w?.code === 'string' && w.code.startsWith('clv_');

export function renderClv(result) {
  const c = result.report.clv;
  const warnings = (result.report.warnings ?? []).filter(isClvWarning);
  $('clv-card').hidden = !c && !warnings.length;
  $('clv-warnings').replaceChildren(...warnings.map((w) => el('p', { class: 'warning', 'data-code': w.code }, `⚠ ${warningText(w)}`)));
  $('clv-body').hidden = !c;
  if (!c) return;
  $('clv-summary').textContent = t('clvSummary', {
    model: t(c.model === 'mbgnbd' ? 'clvModelMbgnbd' : 'clvModelBgnbd'), end: c.calibrationEnd,
    customers: fmt.nf.format(c.customers), repeaters: fmt.nf.format(c.repeaters),
    horizon: fmt.nf.format(c.horizon), unit: t(`clvUnit_${c.timeUnit}`),
  });
  $('clv-params').replaceChildren(params(c));
  $('clv-palive').replaceChildren(bars(c.pAliveBins));
  $('clv-segments').replaceChildren(groups(c.bySegment, 'segment'));
  $('clv-tiers').replaceChildren(groups(c.byTier, 'tier'));
  $('clv-holdout-box').hidden = !c.holdout;
  if (c.holdout) {
    $('clv-holdout-summary').textContent = t('clvHoldoutSummary', {
      end: c.holdout.end, length: fmt.nf1.format(c.holdout.length), unit: t(`clvUnit_${c.timeUnit}`),
      actual: fmt.nf.format(c.holdout.actual), predicted: fmt.nf1.format(c.holdout.predicted),
    });
    $('clv-holdout').replaceChildren(tracking(c.holdout.tracking, c.timeUnit));
  }
}

/** The parameters as a two-row table: BG/NBD r, α, a, b, LL; Gamma-Gamma p, q, v, LL. */
function params(c) {
  const cell = (name, v) => el('td', { class: 'num mono', 'data-param': name }, name === 'LL' || name === 'spendLL' ? fmt.nf2.format(v) : p4(v));
  const rows = [el('tr', {}, el('th', { scope: 'row' }, t(c.model === 'mbgnbd' ? 'clvModelMbgnbd' : 'clvModelBgnbd')),
    el('td', {}, 'r'), cell('r', c.params.r), el('td', {}, 'α'), cell('alpha', c.params.alpha),
    el('td', {}, 'a'), cell('a', c.params.a), el('td', {}, 'b'), cell('b', c.params.b),
    el('td', {}, 'LL'), cell('LL', c.logLikelihood))];
  if (c.spend) {
    rows.push(el('tr', {}, el('th', { scope: 'row' }, 'Gamma-Gamma'),
      el('td', {}, 'p'), cell('p', c.spend.params.p), el('td', {}, 'q'), cell('q', c.spend.params.q),
      el('td', {}, 'v'), cell('v', c.spend.params.v), el('td', {}, ''), el('td', {}, ''),
      el('td', {}, 'LL'), cell('spendLL', c.spend.logLikelihood)));
  } else {
    rows.push(el('tr', {}, el('th', { scope: 'row' }, 'Gamma-Gamma'), el('td', { colspan: 10, class: 'muted' }, t('clvNoSpend'))));
  }
  return el('table', { class: 'data' }, el('caption', {}, t('clvParams')), el('tbody', {}, rows));
}

/** The engine's P(alive) tenths as vertical bars. */
function bars(bins) {
  const W = 560, H = 200, L = 50, B = 36, T = 16;
  const max = Math.max(1, ...bins);
  const bw = (W - L - 10) / bins.length;
  const out = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', 'aria-label': t('clvPAlive') });
  out.append(svg('line', { x1: L, y1: H - B, x2: W - 10, y2: H - B, stroke: '#6c757d' }));
  bins.forEach((n, i) => {
    const h = ((H - B - T) * n) / max, x = L + i * bw;
    out.append(svg('rect', { x: x + 2, y: H - B - h, width: bw - 4, height: h, fill: PALETTE[0], 'data-bin': i },
      svg('title', {}, `${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)}: ${fmt.nf.format(n)}`)),
    svg('text', { x: x + bw / 2, y: H - B - h - 4, 'text-anchor': 'middle', 'font-size': 11 }, fmt.nf.format(n)),
    svg('text', { x: x + bw / 2, y: H - B + 14, 'text-anchor': 'middle', 'font-size': 11 }, (i / 10).toFixed(1)));
  });
  out.append(svg('text', { x: (L + W) / 2, y: H - 4, 'text-anchor': 'middle', 'font-size': 12 }, t('clvPAliveAxis')));
  return out;
}

/** The engine's per-class figures (bySegment / byTier) as a table. */
function groups(list, kind) {
  const head = el('tr', {}, ...[kind === 'tier' ? 'tier' : 'segment', 'customers', 'clvScored', 'clvMeanPAlive', 'clvExpectedOrders', 'clvValue', 'clvWithValue']
    .map((k, i) => el('th', { scope: 'col', class: i ? 'num' : null }, t(k))));
  const body = list.map((g) => el('tr', { 'data-group': g.name },
    el('td', {}, groupLabel(g.name)), el('td', { class: 'num' }, fmt.nf.format(g.customers)),
    el('td', { class: 'num' }, fmt.nf.format(g.scored)),
    el('td', { class: 'num' }, g.meanPAlive == null ? '–' : fmt.nf2.format(g.meanPAlive)),
    el('td', { class: 'num' }, fmt.nf1.format(g.expectedOrders)),
    el('td', { class: 'num' }, fmt.nf2.format(g.clv)), el('td', { class: 'num' }, fmt.nf.format(g.withClv))));
  return el('table', { class: 'data' }, el('caption', {}, t(kind === 'tier' ? 'clvByTier' : 'clvBySegment')),
    el('thead', {}, head), el('tbody', {}, body));
}

/** Cumulative repeat purchases after the calibration end: the engine's actual and predicted curves. */
function tracking(points, unit) {
  const W = 760, H = 280, L = 64, R = 130, B = 40, T = 12;
  const tMax = Math.max(1e-9, ...points.map((p) => p.t));
  const yMax = Math.max(1, ...points.map((p) => Math.max(p.actual, p.predicted)));
  const x = (v) => L + ((W - L - R) * v) / tMax, y = (v) => H - B - ((H - B - T) * v) / yMax;
  const line = (key) => points.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ');
  const out = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', 'aria-label': t('clvTracking') });
  out.append(svg('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: '#6c757d' }),
    svg('line', { x1: L, y1: T, x2: L, y2: H - B, stroke: '#6c757d' }));
  for (let k = 0; k <= 4; k += 1) {
    const v = (yMax * k) / 4;
    out.append(svg('text', { x: L - 6, y: y(v), 'text-anchor': 'end', 'dominant-baseline': 'middle', 'font-size': 11 }, fmt.nf.format(Math.round(v))),
      svg('text', { x: x((tMax * k) / 4), y: H - B + 14, 'text-anchor': 'middle', 'font-size': 11 }, fmt.nf1.format((tMax * k) / 4)));
  }
  out.append(svg('text', { x: (L + W - R) / 2, y: H - 6, 'text-anchor': 'middle', 'font-size': 12 }, t('clvTrackingAxis', { unit: t(`clvUnit_${unit}`) })));
  const last = points.at(-1);
  const series = [['actual', PALETTE[0], 'none', 'clvActual'], ['predicted', PALETTE[1], '6 4', 'clvPredicted']];
  for (const [key, color, dash, word] of series) {
    out.append(svg('path', { d: line(key), fill: 'none', stroke: color, 'stroke-width': 2, 'stroke-dasharray': dash, 'data-series': key }));
    if (last) {
      out.append(svg('text', { x: W - R + 6, y: y(last[key]), 'dominant-baseline': 'middle', 'font-size': 12, fill: color, 'data-end': key },
        `${t(word)} ${key === 'actual' ? fmt.nf.format(last[key]) : fmt.nf1.format(last[key])}`));
    }
  }
  return out;
}
