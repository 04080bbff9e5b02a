// Customer table: virtual scrolling over every customer; search, filters and sort work on an index
// array (order.js), so 100k customers cost one small array, not 100k DOM rows. The view (sort, filters,
// search) is state.table; the DOM handles of the drawn table are kept here, they are not state.
import { t, groupLabel } from '../i18n.js';
import { $, el, fmt } from './dom.js';
import { state, apply } from './state.js';
import { tableOrder } from './order.js';
import { moversFilter } from './movers.js';

const ROW_H = 30;
const drawn = { order: null, cols: [], template: '', body: null, spacer: null, rows: null };
// Whose table: the page's state and drawn handles by default; a <tierlens-view> passes its own.
const page = { state, apply, drawn };

function tableColumns(result) {
  const { ids, columns: c, segmentNames } = result;
  const { nf, nf2 } = fmt;
  const cols = [
    { key: 'id', label: 'customer', get: (i) => ids[i], text: (i) => ids[i], width: '1.3fr' },
    { key: 'recency', label: 'recencyDays', num: true, width: '1.2fr', get: (i) => c.recencyDays[i], text: (i) => nf.format(c.recencyDays[i]) },
    { key: 'frequency', label: 'orders', num: true, get: (i) => c.frequency[i], text: (i) => nf.format(c.frequency[i]) },
    { key: 'monetary', label: 'spend', num: true, get: (i) => c.monetary[i], text: (i) => nf2.format(c.monetary[i]) },
    { key: 'rfm', label: 'rfm', num: true, get: (i) => c.rScore[i] * 100 + c.fScore[i] * 10 + c.mScore[i], text: (i) => `${c.rScore[i]}${c.fScore[i]}${c.mScore[i]}` },
    { key: 'segment', label: 'segment', get: (i) => segmentNames[c.segmentIndex[i]], text: (i) => groupLabel(segmentNames[c.segmentIndex[i]]), width: '1.5fr' },
  ];
  if (c.tierIndex && result.tierNames) cols.push({ key: 'tier', label: 'tier', get: (i) => c.tierIndex[i], text: (i) => groupLabel(result.tierNames[c.tierIndex[i]]) });
  if (c.lifecycleIndex && result.lifecycleNames) cols.push({ key: 'lifecycle', label: 'lifecycle', get: (i) => c.lifecycleIndex[i], text: (i) => groupLabel(result.lifecycleNames[c.lifecycleIndex[i]]) });
  if (c.customTierIndex?.length && result.customTierNames?.length) cols.push({ key: 'customTier', label: 'customTier', get: (i) => c.customTierIndex[i], text: (i) => result.customTierNames[c.customTierIndex[i]] });
  if (c.clusterIndex?.length && result.clusterNames?.length) cols.push({ key: 'cluster', label: 'cluster', get: (i) => c.clusterIndex[i], text: (i) => result.clusterNames[c.clusterIndex[i]] });
  if (result.codes) cols.push({ key: 'code', label: 'code', get: (i) => result.codes[i], text: (i) => result.codes[i] });
  if (c.actionIndex && result.actionTexts) cols.push({ key: 'action', label: 'action', get: (i) => c.actionIndex[i], text: (i) => result.actionTexts[c.actionIndex[i]] ?? '', width: '2fr' });
  if (result.regions?.some((x) => x)) cols.push({ key: 'region', label: 'region', get: (i) => result.regions[i], text: (i) => result.regions[i] });
  return cols;
}

/** Filters offered: segment always; tier, lifecycle stage, custom tier, cluster when present. */
function tableFilters(result) {
  const c = result.columns;
  const f = [{ key: 'segment', all: 'allSegments', index: c.segmentIndex, names: result.segmentNames }];
  if (c.tierIndex && result.tierNames) f.push({ key: 'tier', all: 'allTiers', index: c.tierIndex, names: result.tierNames });
  if (c.lifecycleIndex && result.lifecycleNames) f.push({ key: 'lifecycle', all: 'allLifecycle', index: c.lifecycleIndex, names: result.lifecycleNames });
  if (c.customTierIndex?.length && result.customTierNames?.length) f.push({ key: 'customTier', all: 'allCustom', index: c.customTierIndex, names: result.customTierNames });
  if (c.clusterIndex?.length && result.clusterNames?.length) f.push({ key: 'cluster', all: 'allClusters', index: c.clusterIndex, names: result.clusterNames });
  // Movers (migration against compare.asOf): its own index column per class it names.
  const movers = moversFilter(result);
  if (movers) f.push(movers);
  return f;
}

/** The table view with filters on groups that no longer exist, and a sort on a gone column, dropped. */
export function validView(view, filters, cols) {
  const kept = {};
  for (const [k, v] of Object.entries(view.filters)) {
    const f = filters.find((x) => x.key === k);
    if (f && v < f.names.length) kept[k] = v;
  }
  return { ...view, filters: kept, sortKey: cols.some((c) => c.key === view.sortKey) ? view.sortKey : null };
}

export function renderTable(result, ctx = page) {
  const filters = tableFilters(result);
  const cols = tableColumns(result);
  const view = validView(ctx.state.table, filters, cols);
  if (JSON.stringify(view) !== JSON.stringify(ctx.state.table)) ctx.apply({ table: view });
  const box = $('filters');
  box.querySelectorAll('.filter').forEach((n) => n.remove());
  for (const f of filters) {
    const id = `filter-${f.key}`;
    const select = el('select', { id, 'data-filter': f.key },
      el('option', { value: '' }, t(f.all)),
      f.names.map((name, i) => el('option', { value: String(i), selected: view.filters[f.key] === i }, f.plain ? name : groupLabel(name))));
    select.addEventListener('change', () => {
      const { [f.key]: _, ...rest } = ctx.state.table.filters;
      ctx.apply({ table: { ...ctx.state.table, filters: select.value === '' ? rest : { ...rest, [f.key]: Number(select.value) } } }, 'rows');
    });
    box.append(el('label', { class: 'filter', for: id }, el('span', { class: 'visually-hidden' }, t(f.key)), select));
  }
  // Numbers never truncate; with many columns the table scrolls sideways instead of squeezing them.
  const template = cols.map((c) => (c.num ? 'minmax(5.2rem, 0.8fr)' : `minmax(6rem, ${c.width ?? '1fr'})`)).join(' ');
  const head = el('div', { class: 'vt-row vt-head', role: 'row', style: `grid-template-columns:${template}` },
    cols.map((c) => el('div', { role: 'columnheader', class: c.num ? 'num' : null, 'aria-sort': view.sortKey === c.key ? (view.sortDir > 0 ? 'ascending' : 'descending') : 'none' },
      el('button', { type: 'button', class: 'sort', 'data-sort': c.key, 'aria-label': t('sortBy', { col: t(c.label) }) }, t(c.label),
        view.sortKey === c.key ? (view.sortDir > 0 ? ' ▲' : ' ▼') : ''))));
  head.addEventListener('click', (e) => {
    const b = e.target.closest('button[data-sort]');
    if (!b) return;
    const k = b.dataset.sort;
    ctx.apply({ table: { ...ctx.state.table, sortDir: ctx.state.table.sortKey === k ? -ctx.state.table.sortDir : 1, sortKey: k } }, 'table');
  });
  const spacer = el('div', { class: 'vt-spacer' });
  const rows = el('div', { class: 'vt-rows' });
  const body = el('div', { class: 'vt-body', tabindex: '0', role: 'rowgroup', 'aria-label': t('customersTitle') }, spacer, rows);
  $('vt').replaceChildren(el('div', { role: 'table', class: 'vt-table', style: `min-width:${cols.length * 6.6}rem`, 'aria-label': t('customersTitle'), 'aria-rowcount': String(result.ids.length + 1) }, head, body));
  Object.assign(ctx.drawn, { cols, template, body, spacer, rows, filters });
  body.addEventListener('scroll', () => requestAnimationFrame(() => drawRows(ctx)), { passive: true });
  refreshTable(result, ctx);
}

/** Filters, searches and sorts, then draws the visible rows from the top. */
export function refreshTable(result, ctx = page) {
  const { drawn } = ctx;
  const view = ctx.state.table;
  const col = drawn.cols.find((c) => c.key === view.sortKey);
  const order = tableOrder({
    n: result.ids.length, ids: result.ids, codes: result.codes, query: view.query,
    filters: drawn.filters.filter((f) => view.filters[f.key] !== undefined).map((f) => ({ index: f.indexFor ? f.indexFor(view.filters[f.key]) : f.index, value: view.filters[f.key] })),
    // Ids are sorted already (Analysis.ids): only the direction matters for them.
    sortBy: col?.get ?? null, byId: col?.key === 'id', dir: view.sortDir,
  });
  drawn.order = order;
  $('table-count').textContent = t('showing', { shown: fmt.nf.format(order.length), total: fmt.nf.format(result.ids.length) });
  drawn.spacer.style.height = `${order.length * ROW_H}px`;
  drawn.body.scrollTop = 0;
  drawRows(ctx);
}

function drawRows(ctx = page) {
  const { body, rows, order, cols, template } = ctx.drawn;
  if (!order || !ctx.state.result) return;
  const first = Math.max(0, Math.floor(body.scrollTop / ROW_H) - 5);
  const count = Math.ceil((body.clientHeight || 480) / ROW_H) + 10;
  const last = Math.min(order.length, first + count);
  rows.style.transform = `translateY(${first * ROW_H}px)`;
  const frag = document.createDocumentFragment();
  for (let p = first; p < last; p++) {
    const i = order[p];
    frag.append(el('div', { class: 'vt-row', role: 'row', 'aria-rowindex': String(p + 2), 'data-id': ctx.state.result.ids[i], style: `grid-template-columns:${template}` },
      cols.map((c) => { const v = c.text(i); return el('div', { role: 'cell', class: c.num ? 'num' : null, title: c.num ? null : v }, v); })));
  }
  rows.replaceChildren(frag);
}
