// Segments: the engine's per-segment summary as a table and a chart, the rule set, the score cut
// points, and the Pareto figure of report.valueTiers.pareto (the Tiers panel shows the same sentence).
import { t, groupLabel } from '../../i18n.js';
import { $, el, fmt, chart, PALETTE } from '../dom.js';
import { methodLabel } from '../words.js';

/** The engine's Pareto sentence ("the top 20 % bring 61.3 %"), or '' when there is no figure. */
export function paretoText(report) {
  const p = report.valueTiers?.pareto;
  if (p?.revenueShare == null) return '';
  return t('paretoNote', { top: fmt.nf1.format(p.topPercent), share: fmt.pct.format(p.revenueShare) });
}

/** Draws the panel; `showSegment(i)` opens the customer table filtered to segment `i`. */
export function renderSegments(result, view, showSegment) {
  const r = result.report;
  const summary = r.segments.summary;
  $('segments-note').textContent = [t('segmentsNote', { rules: r.segments.rules.name, bins: r.recipe.score.bins, method: methodLabel(r.thresholds[0]?.method) }), paretoText(r)].filter(Boolean).join(' ');
  const table = $('segment-table');
  const heads = ['segment', 'customers', 'share', 'revenue', 'revenueShare', 'meanRecency', 'meanOrders', 'meanSpend'];
  table.tHead.replaceChildren(el('tr', {}, heads.map((h, i) => el('th', { scope: 'col', class: i ? 'num' : null }, t(h)))));
  const tbody = table.tBodies[0];
  tbody.replaceChildren();
  summary.forEach((s, i) => {
    tbody.append(el('tr', { 'data-segment': s.name },
      el('th', { scope: 'row' }, el('span', { class: 'swatch', style: `background:${PALETTE[i % PALETTE.length]}` }),
        el('button', { type: 'button', class: 'linkish', 'data-show-segment': String(i), title: t('showCustomers') }, groupLabel(s.name))),
      el('td', { class: 'num', 'data-k': 'customers' }, fmt.nf.format(s.customers)),
      el('td', { class: 'num' }, fmt.pct.format(s.share)),
      el('td', { class: 'num' }, fmt.nf2.format(s.revenue)),
      el('td', { class: 'num' }, fmt.pct.format(s.revenueShare)),
      el('td', { class: 'num' }, fmt.nf1.format(s.meanRecencyDays)),
      el('td', { class: 'num' }, fmt.nf1.format(s.meanFrequency)),
      el('td', { class: 'num' }, fmt.nf2.format(s.meanMonetary))));
  });
  const c = chart('segments', 'segment-chart');
  c.off('click');
  c.on('click', (p) => {
    const i = summary.findIndex((x) => groupLabel(x.name) === p.name);
    if (i >= 0) showSegment(i);
  });
  const sorted = [...summary].sort((a, b) => b.customers - a.customers);
  if (view === 'treemap') {
    c.setOption({
      animation: false,
      tooltip: { formatter: (p) => `${p.name}<br>${t('customers')}: ${fmt.nf.format(p.data.customers)} (${fmt.pct.format(p.data.share)})<br>${t('revenueShare')}: ${fmt.pct.format(p.data.revenueShare)}` },
      series: [{ type: 'treemap', roam: false, nodeClick: false, breadcrumb: { show: false }, left: 0, top: 0, right: 0, bottom: 0,
        label: { formatter: (p) => `${p.name}\n${fmt.pct.format(p.data.share)} · ${fmt.pct.format(p.data.revenueShare)}` },
        data: summary.map((s, i) => ({ name: groupLabel(s.name), value: s.customers, customers: s.customers, share: s.share, revenueShare: s.revenueShare,
          itemStyle: { color: PALETTE[i % PALETTE.length] } })).filter((d) => d.value > 0) }],
    }, true);
  } else {
    c.setOption({
      animation: false,
      tooltip: { trigger: 'axis', valueFormatter: (v) => fmt.pct.format(v) },
      legend: { data: [t('shareCustomers'), t('shareRevenue')] },
      grid: { left: 60, right: 20, bottom: 100, top: 40 },
      xAxis: { type: 'category', data: sorted.map((s) => groupLabel(s.name)), axisLabel: { rotate: 35, interval: 0 } },
      yAxis: { type: 'value', axisLabel: { formatter: (v) => fmt.pct.format(v) }, max: (v) => Math.min(1, Math.ceil(v.max * 10) / 10) },
      series: [
        { name: t('shareCustomers'), type: 'bar', data: sorted.map((s) => s.share), itemStyle: { color: '#4f6bed' } },
        { name: t('shareRevenue'), type: 'bar', data: sorted.map((s) => s.revenueShare), itemStyle: { color: '#f0a030' } },
      ],
    }, true);
  }
  $('thresholds').replaceChildren(el('table', { class: 'data', id: 'threshold-table' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('metric')), el('th', { scope: 'col' }, t('cuts')), el('th', { scope: 'col' }, t('method')))),
    el('tbody', {}, r.thresholds.map((th) => el('tr', { 'data-metric': th.metric },
      el('th', { scope: 'row' }, t(`metric_${th.metric}`)),
      el('td', { class: 'cuts' }, th.cuts.map((v) => fmt.nf2.format(v)).join(' · '), th.collapsed ? el('span', { class: 'badge' }, t('collapsed', { used: th.scoresUsed.join(', ') })) : null),
      el('td', {}, methodLabel(th.method)))))));
}
