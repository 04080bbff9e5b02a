// Value tiers: the engine's per-tier summary (report.valueTiers.summary) as a pyramid and the Pareto
// figure (report.valueTiers.pareto, the sentence the Segments panel shows too).
import { t, groupLabel } from '../../i18n.js';
import { $, fmt, chart, PALETTE, TIER_COLORS } from '../dom.js';
import { paretoText } from './segments.js';

export function renderTiers(result) {
  const ok = Boolean(result.columns.tierIndex && result.tierNames);
  $('tiers-card').hidden = !ok;
  if (!ok) return;
  const tiers = result.report.valueTiers ?? {};
  const summary = tiers.summary ?? [];
  $('pareto').textContent = paretoText(result.report);
  chart('tiers', 'tiers-chart').setOption({
    animation: false,
    tooltip: { formatter: (p) => `${p.name}<br>${t('customers')}: ${fmt.nf.format(p.data.customers)}<br>${t('revenueShare')}: ${fmt.pct.format(p.data.revenueShare)}` },
    series: [{ type: 'funnel', sort: 'ascending', left: '5%', width: '55%', gap: 2, minSize: '15%',
      label: { formatter: (p) => `${p.name} · ${fmt.nf.format(p.data.customers)} · ${t('revenue')} ${fmt.pct.format(p.data.revenueShare)}` },
      // Band widths follow rank, not counts (a pyramid); an empty tier (e.g. no zero spenders) is left out.
      data: summary.map((s, i) => ({ name: groupLabel(s.name), value: i + 1, customers: s.customers, revenue: s.revenue, revenueShare: s.revenueShare,
        itemStyle: { color: TIER_COLORS[s.name] ?? PALETTE[i % PALETTE.length] } })).filter((d) => d.customers > 0) }],
  }, true);
}
