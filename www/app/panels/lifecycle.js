// Lifecycle stages: the engine's per-stage summary (report.lifecycle.summary) as bars in stage order
// (counts do not shrink stage by stage, so a funnel shape would mislead).
import { t, groupLabel } from '../../i18n.js';
import { $, fmt, chart, PALETTE } from '../dom.js';

export function renderLifecycle(result) {
  const ok = Boolean(result.columns.lifecycleIndex && result.lifecycleNames);
  $('lifecycle-card').hidden = !ok;
  if (!ok) return;
  const summary = result.report.lifecycle?.summary ?? [];
  chart('lifecycle', 'lifecycle-chart').setOption({
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: (ps) => { const s = summary[ps[0].dataIndex]; return `${groupLabel(s.name)}<br>${t('customers')}: ${fmt.nf.format(s.customers)} (${fmt.pct.format(s.share)})<br>${t('revenueShare')}: ${fmt.pct.format(s.revenueShare)}`; } },
    grid: { left: 110, right: 150, top: 10, bottom: 10 },
    xAxis: { type: 'value', show: false },
    yAxis: { type: 'category', inverse: true, data: summary.map((s) => groupLabel(s.name)), axisTick: { show: false } },
    series: [{ type: 'bar', barWidth: '60%', data: summary.map((s, i) => ({ value: s.customers, share: s.share, itemStyle: { color: PALETTE[i % PALETTE.length] } })),
      label: { show: true, position: 'right', formatter: (p) => `${fmt.nf.format(p.value)} · ${fmt.pct.format(p.data.share)}` } }],
  }, true);
}
