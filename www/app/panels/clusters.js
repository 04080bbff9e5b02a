// Clusters: the 2-D map, the k-selection curves, the profiles (radar over the centroids, axes worded
// from i18n) and the decision rules, all from the engine's report and columns.
import { t, language } from '../../i18n.js';
import { $, el, fmt, chart, PALETTE } from '../dom.js';
import { featureLabel } from '../words.js';

export function renderClusters(result) {
  const { columns } = result;
  const cl = result.report.clusters;
  const ok = Boolean(columns.clusterIndex?.length && result.clusterNames?.length);
  $('clusters-card').hidden = !ok;
  if (!ok) return;
  const names = language() === 'zh' && result.clusterNamesZh ? result.clusterNamesZh : result.clusterNames;
  if (columns.mapX && columns.mapY) {
    const per = names.map(() => []);
    for (let i = 0; i < columns.clusterIndex.length; i++) per[columns.clusterIndex[i]]?.push([columns.mapX[i], columns.mapY[i]]);
    const evr = cl?.projection?.explainedVarianceRatio;
    chart('clusterMap', 'cluster-map').setOption({
      animation: false, legend: { type: 'scroll', top: 0 }, tooltip: { trigger: 'item', formatter: (p) => p.seriesName },
      xAxis: { scale: true, name: evr ? `PC1 ${fmt.pct.format(evr[0])}` : '', nameLocation: 'middle', nameGap: 22 },
      yAxis: { scale: true, name: evr ? `PC2 ${fmt.pct.format(evr[1])}` : '', nameLocation: 'middle', nameGap: 28 },
      grid: { left: 44, right: 10, top: 36, bottom: 36 },
      series: per.map((data, k) => ({ name: names[k], type: 'scatter', data, symbolSize: 3, large: true, largeThreshold: 2000, progressive: 20000, itemStyle: { color: PALETTE[k % PALETTE.length], opacity: 0.6 } })),
    }, true);
  }
  // k selection: report.clusters.selection = { k: [..], silhouette: [..], calinskiHarabasz, daviesBouldin, inertia }.
  const sel = cl?.selection;
  const ks = sel?.k ?? [];
  $('k-curves').parentElement.hidden = ks.length < 2;
  if (ks.length >= 2) {
    const metrics = [['silhouette', 'silhouette'], ['calinskiHarabasz', 'Calinski–Harabasz'], ['daviesBouldin', 'Davies–Bouldin'], ['inertia', 'inertia']]
      .filter(([m]) => Array.isArray(sel[m]) && sel[m].some((v) => v != null));
    // Each curve scaled to its own range, for the shape; the tooltip has the values.
    const norm = (m) => {
      const vals = sel[m].filter((v) => v != null);
      const lo = Math.min(...vals), hi = Math.max(...vals);
      return ks.map((k, i) => [k, sel[m][i] == null ? null : hi > lo ? (sel[m][i] - lo) / (hi - lo) : 0.5, sel[m][i]]);
    };
    chart('kCurves', 'k-curves').setOption({
      animation: false, legend: { top: 0 }, grid: { left: 50, right: 30, top: 50, bottom: 24 },
      tooltip: { trigger: 'axis', formatter: (ps) => `k = ${ps[0]?.data[0]}<br>${ps.map((p) => `${p.seriesName}: ${p.data[2] == null ? '–' : fmt.nf2.format(p.data[2])}`).join('<br>')}` },
      xAxis: { type: 'value', name: 'k', minInterval: 1, min: 'dataMin', max: 'dataMax' }, yAxis: { type: 'value', show: false },
      series: metrics.map(([m, name], i) => ({ name, type: 'line', data: norm(m), itemStyle: { color: PALETTE[i] },
        markLine: i === 0 && cl.k ? { symbol: 'none', data: [{ xAxis: cl.k, label: { formatter: t('chosenK', { k: cl.k }) } }] } : undefined })),
    }, true);
  }
  // Profiles: report.clusters.clusters[].centroid = { feature: value in original units }. The axes keep
  // the engine's feature names as data and are worded on screen (axisName.formatter).
  const infos = cl?.clusters ?? [];
  $('cluster-radar').hidden = infos.length === 0;
  if (infos.length) {
    const features = Object.keys(infos[0].centroid ?? {});
    const max = features.map((f) => Math.max(...infos.map((p) => Math.abs(p.centroid[f] ?? 0))) || 1);
    chart('clusterRadar', 'cluster-radar').setOption({
      animation: false, legend: { bottom: 0, type: 'scroll' },
      tooltip: { formatter: (p) => `${p.name}<br>${features.map((f, i) => `${featureLabel(f)}: ${fmt.nf2.format(p.value[i])}`).join('<br>')}` },
      radar: { indicator: features.map((f, i) => ({ name: f, max: max[i] })), axisName: { formatter: (name) => featureLabel(name) } },
      // clusters[] is in cluster order (ids are 1-based in report.json, indexes 0-based in clusterIndex).
      series: [{ type: 'radar', data: infos.map((p, k) => ({ name: names[k] ?? p.name, value: features.map((f) => p.centroid[f]), itemStyle: { color: PALETTE[k % PALETTE.length] } })) }],
    }, true);
  }
  // Decision rules: report.rules.clusters = { rules: [{ classIndex, class, text, support, purity }], fidelity }.
  const ex = result.report.rules?.clusters;
  $('rules-fidelity').textContent = ex?.fidelity != null ? t('fidelity', { share: fmt.pct.format(ex.fidelity) }) : '';
  $('cluster-rules').replaceChildren(ex?.rules?.length ? el('table', { class: 'data', id: 'rules-table' },
    el('thead', {}, el('tr', {}, ['rule', 'cluster', 'support', 'purity'].map((k) => el('th', { scope: 'col', class: k === 'support' || k === 'purity' ? 'num' : null }, t(k))))),
    el('tbody', {}, ex.rules.map((x) => el('tr', {}, el('td', {}, x.text ?? ''), el('td', {}, names[x.classIndex] ?? x.class ?? ''),
      el('td', { class: 'num' }, fmt.nf.format(x.support ?? 0)), el('td', { class: 'num' }, fmt.pct.format(x.purity ?? 0)))))) : '');
}
