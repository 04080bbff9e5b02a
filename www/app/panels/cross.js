// Cross-tabs: the engine's report.crosstabs (segment × region / value tier / lifecycle stage), one at a
// time, with lift. Without a cross-tab (no region column) the panel stays hidden.
import { t, groupLabel } from '../../i18n.js';
import { $, el, fmt } from '../dom.js';
import { liftClass } from '../format.js';

export function renderCross(result) {
  const tabs = result.report.crosstabs ?? [];
  $('cross-card').hidden = tabs.length === 0;
  if (!tabs.length) return;
  const pick = $('cross-pick');
  const chosen = Math.min(Number(pick.value || 0), tabs.length - 1);
  pick.replaceChildren(...tabs.map((x, i) => el('option', { value: String(i), selected: i === chosen }, `${t(x.rowsBy)} × ${t(x.columnsBy)}`)));
  $('cross-pick-box').hidden = tabs.length < 2;
  const x = tabs[chosen];
  $('cross-title').textContent = `${t(x.rowsBy)} × ${t(x.columnsBy)}`;
  const total = x.counts.map((row) => row.reduce((a, b) => a + b, 0));
  $('crosstab').replaceChildren(el('table', { class: 'data small', id: 'cross-table' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t(x.rowsBy)), x.columns.map((c) => el('th', { scope: 'col', class: 'num' }, groupLabel(c))), el('th', { scope: 'col', class: 'num' }, 'Σ'))),
    el('tbody', {}, x.rows.map((name, i) => (total[i] ? el('tr', { 'data-segment': name }, el('th', { scope: 'row' }, groupLabel(name)),
      x.columns.map((_, j) => {
        const lift = x.lift?.[i]?.[j] ?? 0;
        return el('td', { class: liftClass(lift), 'data-lift': lift.toFixed(3) }, fmt.nf.format(x.counts[i][j]), el('small', {}, ` ${t('lift')} ${fmt.nf2.format(lift)}`));
      }),
      el('td', { class: 'num' }, fmt.nf.format(total[i]))) : null)))));
}
