// Migration: who moved between classes since an earlier date (recipe compare.asOf) or since an earlier
// customers.csv the user picks here (read in the worker; it never leaves the page). Draws the engine's
// matrices (result.migration = migration.json: classes[{ class, from, to, counts, revenue }], movers)
// as a from × to heatmap and a Sankey whose nodes are per period ("then" / "now"), so a class that keeps
// its customers is a band, not a cycle. The date and the cut-point choice are recipe settings applied
// through the engine; nothing here computes a figure.
import { t, groupLabel } from '../../i18n.js';
import { $, el, fmt, chart, PALETTE } from '../dom.js';
import { state, apply } from '../state.js';
import { setPath } from '../paths.js';
import { applyRecipe, client, onProgress, setBusy, showError } from '../engine.js';
import { exportFile } from '../exports.js';
import { CLASS_LABEL } from '../movers.js';


/** A name of the matrices in the page's words ("(new)" / "(gone)" are the engine's markers). */
const label = (name) => (name === '(new)' ? t('migrationNew') : name === '(gone)' ? t('migrationGone') : groupLabel(name));

function controls(result) {
  const compare = result.recipe?.compare ?? {};
  const date = el('input', { type: 'date', id: 'compare-as-of', value: compare.asOf ?? '' });
  const cuts = el('select', { id: 'compare-cuts' },
    el('option', { value: 'current', selected: compare.cuts !== 'previous' }, t('cutsCurrent')),
    el('option', { value: 'previous', selected: compare.cuts === 'previous' }, t('cutsPrevious')));
  const go = el('button', { type: 'button', id: 'compare-apply' }, t('compareApply'));
  go.addEventListener('click', () => {
    const next = date.value ? { asOf: date.value, ...(cuts.value === 'previous' ? { cuts: 'previous' } : {}) } : undefined;
    applyRecipe(setPath(state.recipe, ['compare'], next));
  });
  const file = el('input', { type: 'file', id: 'previous-customers', accept: '.csv,text/csv' });
  file.addEventListener('change', () => { if (file.files?.[0]) comparePrevious(file.files[0]); });
  const stop = el('button', { type: 'button', id: 'previous-clear', hidden: !state.previousName }, t('previousClear'));
  stop.addEventListener('click', () => comparePrevious(null));
  return el('div', {},
    el('div', { class: 'fix-row' },
      el('label', { for: 'compare-as-of' }, t('compareAsOf'), ' ', date),
      el('label', { for: 'compare-cuts' }, t('compareCuts'), ' ', cuts), go),
    el('div', { class: 'fix-row' },
      el('label', { for: 'previous-customers' }, t('previousFile'), ' ', file), stop));
}

/** Analyses against an earlier customers.csv (`null`: stop) in the worker, which reads the file. */
async function comparePrevious(file) {
  $('error').hidden = true;
  setBusy(true, t('analysing'));
  document.body.dataset.state = 'updating';
  try {
    const result = await client.previous(file, state.recipe, onProgress);
    apply({ result, previousName: file ? file.name : null }, 'all');
  } catch (err) {
    if (err.code !== 'cancelled') showError(err);
    document.body.dataset.state = 'ready';
  } finally {
    setBusy(false);
  }
}

/** How the chosen class's boundaries were set now (the engine's `cuts` per class). */
const CLASS_CUTS = { current: 'cutsCurrent', previous: 'cutsPrevious', fixed: 'cutsFixed' };

export function renderMigration(result) {
  const m = result.migration;
  $('migration-controls').replaceChildren(controls(result));
  const box = $('migration-body');
  box.hidden = !m;
  if (!m) return;
  const kinds = m.classes.map((c) => c.class);
  const select = $('migration-class');
  const chosen = kinds.includes(state.migrationClass) ? state.migrationClass : kinds[0];
  select.replaceChildren(...kinds.map((k) => el('option', { value: k, selected: k === chosen }, t(CLASS_LABEL[k] ?? k))));
  select.onchange = () => apply({ migrationClass: select.value }, 'all');
  $('movers-download').onclick = () => exportFile('movers');
  $('migration-summary').textContent = t('migrationSummary', {
    then: m.previousAsOf ?? state.previousName ?? t('previousFileShort'), now: m.asOf, movers: fmt.nf.format(m.movers.length),
    cuts: t(m.cuts === 'previous' ? 'cutsPrevious' : 'cutsCurrent'),
  });
  const c = m.classes.find((x) => x.class === chosen);
  if (!c) return;
  $('migration-class-cuts').textContent = t('classCuts', { cuts: t(CLASS_CUTS[c.cuts] ?? 'cutsCurrent') });
  const cells = [];
  c.counts.forEach((row, i) => row.forEach((n, j) => cells.push([j, i, n, c.revenue[i][j]])));
  chart('migrationHeat', 'migration-heat').setOption({
    animation: false,
    tooltip: { formatter: (p) => `${label(c.from[p.data[1]])} → ${label(c.to[p.data[0]])}<br>${t('customers')}: ${fmt.nf.format(p.data[2])}<br>${t('revenue')}: ${fmt.nf2.format(p.data[3])}` },
    grid: { left: 140, bottom: 100, right: 40, top: 24 },
    xAxis: { type: 'category', data: c.to.map(label), name: t('migrationTo'), nameLocation: 'middle', nameGap: 80, axisLabel: { rotate: 35 } },
    yAxis: { type: 'category', data: c.from.map(label), name: t('migrationFrom'), inverse: true },
    visualMap: { dimension: 2, min: 0, max: Math.max(1, ...cells.map((x) => x[2])), show: false, inRange: { color: ['#f4f6fb', '#4f6bed'] } },
    series: [{ type: 'heatmap', data: cells, label: { show: true, formatter: (p) => (p.data[2] ? fmt.nf.format(p.data[2]) : '') } }],
  }, true);
  $('migration-sankey').replaceChildren(sankey(c));
}

const SVG = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs, ...children) => {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  node.append(...children);
  return node;
};

/** A two-column Sankey of one class: "then" nodes on the left, "now" nodes on the right (so a class that
 * keeps its customers is a band, not a cycle); node heights and band widths are the engine's counts.
 * Drawn as SVG here: ECharts' Sankey threw now and then while laying out (non-invertible view
 * transform) in tests/e2e/migration.test.mjs. */
function sankey(c) {
  const W = 860, H = 360, NODE = 14, GAP = 6, LABEL = 190;
  const total = c.counts.flat().reduce((a, b) => a + b, 0) || 1;
  const rows = c.counts.map((r) => r.reduce((a, b) => a + b, 0));
  const cols = c.to.map((_, j) => c.counts.reduce((a, r) => a + r[j], 0));
  const scale = (k) => (H - GAP * Math.max(0, k - 1)) / total;
  const left = rows.filter((n) => n > 0).length, right = cols.filter((n) => n > 0).length;
  const ky = Math.min(scale(left), scale(right));
  const place = (sizes) => { let y = 0; return sizes.map((n) => { const at = y; if (n > 0) y += n * ky + GAP; return at; }); };
  const ys = place(rows), yt = place(cols);
  const x0 = LABEL, x1 = W - LABEL;
  const out = svg('svg', { viewBox: `0 -10 ${W} ${H + 20}`, width: '100%', role: 'img', 'aria-label': t('ariaMigrationSankey') });
  const offS = [...ys], offT = [...yt];
  c.counts.forEach((r, i) => r.forEach((n, j) => {
    if (!n) return;
    const h = n * ky, a = offS[i], b = offT[j];
    offS[i] += h; offT[j] += h;
    const mid = (x0 + NODE + x1) / 2;
    const d = `M${x0 + NODE},${a} C${mid},${a} ${mid},${b} ${x1},${b} L${x1},${b + h} C${mid},${b + h} ${mid},${a + h} ${x0 + NODE},${a + h} Z`;
    out.append(svg('path', { d, fill: PALETTE[i % PALETTE.length], 'fill-opacity': 0.35 },
      svg('title', {}, `${label(c.from[i])} → ${label(c.to[j])}: ${fmt.nf.format(n)}`)));
  }));
  const node = (x, y, n, name, anchor, tx, color) => {
    if (!n) return;
    out.append(svg('rect', { x, y, width: NODE, height: Math.max(1, n * ky), fill: color }),
      svg('text', { x: tx, y: y + (n * ky) / 2, 'dominant-baseline': 'middle', 'text-anchor': anchor, 'font-size': 12 },
        `${name} · ${fmt.nf.format(n)}`));
  };
  rows.forEach((n, i) => node(x0, ys[i], n, `${t('migrationThen')} · ${label(c.from[i])}`, 'end', x0 - 6, PALETTE[i % PALETTE.length]));
  cols.forEach((n, j) => node(x1, yt[j], n, `${t('migrationNow')} · ${label(c.to[j])}`, 'start', x1 + NODE + 6, '#6c757d'));
  return out;
}
