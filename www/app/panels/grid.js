// The R × FM (or R × F) grid: report.segments.grid as a heatmap, and the rule table as an editable
// grid seeded from the same cells (the engine says which segment each cell is; nothing is matched here).
import { t, groupLabel } from '../../i18n.js';
import { $, el, fmt, chart } from '../dom.js';
import { base } from '../state.js';
import { setPath } from '../paths.js';
import { applyRecipe } from '../engine.js';

/** The segment a grid cell shows: its one segment, else the first the rules give in it, else the fallback. */
export const cellSegment = (cell, fallback) => cell?.segment ?? cell?.segments?.[0] ?? fallback;

/** The engine's cells by `r:col`, for every score pair of a `bins` × `bins` grid (empty ones filled). */
export function gridCells(grid) {
  const byCell = new Map((grid?.cells ?? []).map((c) => [`${c.r}:${c.col}`, c]));
  const bins = grid?.bins ?? 0;
  const out = [];
  for (let r = 1; r <= bins; r++) {
    for (let col = 1; col <= bins; col++) out.push(byCell.get(`${r}:${col}`) ?? { r, col, customers: 0, mean_monetary: 0, segment: null, segments: [] });
  }
  return out;
}

export function renderGrid(result) {
  const r = result.report;
  const grid = r.segments.grid;
  const bins = grid.bins;
  const axis = grid.axis === 'f' ? 'F' : 'FM';
  const fallback = r.segments.rules.fallback ?? 'Others';
  const cells = gridCells(grid);
  const data = cells.map((c) => ({ value: [c.col - 1, c.r - 1, c.customers], mean: c.meanMonetary, segment: c.segment ?? (c.segments ?? []).join(' / ') }));
  const max = Math.max(1, ...cells.map((c) => c.customers));
  $('grid-title').textContent = t('gridTitle').replace('FM', axis);
  renderRulesEditor(result, cells, axis.toLowerCase(), fallback);
  const cov = r.segments.coverage;
  $('coverage').textContent = cov.unassigned.length
    ? t('coverageGaps', { n: cov.unassigned.length, cells: cov.cells, fallback: groupLabel(fallback) })
    : t('coverageOk', { cells: cov.cells });
  const labels = Array.from({ length: bins }, (_, i) => String(i + 1));
  chart('grid', 'grid-chart').setOption({
    animation: false,
    tooltip: { formatter: (p) => `R ${p.value[1] + 1} · ${axis} ${p.value[0] + 1}<br>${t('cellCustomers')}: ${fmt.nf.format(p.value[2])}<br>${t('meanMonetary')}: ${fmt.nf2.format(p.data.mean)}<br>${groupLabel(p.data.segment)}` },
    grid: { left: 60, right: 30, top: 20, bottom: 90 },
    xAxis: { type: 'category', data: labels, name: axis, nameLocation: 'middle', nameGap: 24, splitArea: { show: true } },
    yAxis: { type: 'category', data: labels, name: 'R', nameLocation: 'middle', nameGap: 30, splitArea: { show: true } },
    visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#f3f5ff', '#4f6bed'] } },
    series: [{ type: 'heatmap', data, itemStyle: { borderColor: '#fff', borderWidth: 1 },
      label: { show: true, lineHeight: 15, formatter: (p) => `{n|${fmt.nf.format(p.value[2])}}\n{s|${groupLabel(p.data.segment)}}\n{m|${p.value[2] ? `⌀ ${fmt.nf2.format(p.data.mean)}` : ''}}`,
        rich: { n: { fontSize: 14, fontWeight: 'bold', lineHeight: 18 }, s: { fontSize: 11, lineHeight: 15 }, m: { fontSize: 10, color: '#444', lineHeight: 14 } } } }],
  }, true);
}

/** The rule table as an editable grid (rows R = N..1, columns FM = 1..N), one segment per cell. */
function renderRulesEditor(result, cells, axis, fallback) {
  const { rules } = result.report.segments;
  const { bins } = result.report.segments.grid;
  const mixed = cells.some((c) => c.segment == null && (c.segments ?? []).length > 1);
  const byCell = new Map(cells.map((c) => [`${c.r}:${c.col}`, c]));
  const names = [...new Set([...rules.rules.map((x) => x.segment), ...result.segmentNames])];
  const list = el('datalist', { id: 'segment-name-list' }, names.map((n) => el('option', { value: n })));
  const tbody = el('tbody');
  for (let r = bins; r >= 1; r--) {
    tbody.append(el('tr', {}, el('th', { scope: 'row' }, `R ${r}`),
      Array.from({ length: bins }, (_, i) => {
        const fm = i + 1;
        return el('td', {}, el('input', { type: 'text', list: 'segment-name-list', class: 'rule-cell', 'data-r': r, 'data-fm': fm,
          value: cellSegment(byCell.get(`${r}:${fm}`), fallback), 'aria-label': t('cellLabel', { r, fm }) }));
      })));
  }
  const table = el('table', { class: 'data small rules', id: 'rules-grid-table', 'data-axis': axis },
    el('thead', {}, el('tr', {}, el('th', {}, `R \\ ${axis.toUpperCase()}`), Array.from({ length: bins }, (_, i) => el('th', { scope: 'col' }, `${axis.toUpperCase()} ${i + 1}`)))),
    tbody);
  $('rules-grid').replaceChildren(mixed ? el('p', { class: 'warning' }, t('rulesNotGrid')) : '', list, table);
}

/** The grid's cells as a rule set: one rule per named cell; empty cells fall to "Others". */
export function rulesFromCells(cells, bins, axis) {
  const rules = [];
  for (const { r, fm, segment } of cells) if (segment) rules.push({ segment, r: [r, r], [axis]: [fm, fm] });
  return { name: 'custom', bins, rules, fallback: 'Others', grid: axis };
}

export function applyRulesGrid(result) {
  const { bins } = result.report.segments.rules;
  const table = $('rules-grid-table');
  const cells = [...$('rules-grid').querySelectorAll('input.rule-cell')].map((input) => ({
    r: Number(input.dataset.r), fm: Number(input.dataset.fm), segment: input.value.trim(),
  }));
  applyRecipe(setPath(setPath(base(), ['segments', 'preset'], undefined), ['segments', 'rules'], rulesFromCells(cells, bins, table?.dataset.axis ?? 'fm')));
}
