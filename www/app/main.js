// The page thread only draws: the worker (client.js / worker.js) reads and analyses the data, and every
// figure on the page is one the engine computed. main.js wires the controls and the redraw step; the
// panels are functions of the one state object (state.js), written only by its apply step.
//
// What each panel reads from the worker's result (`state.result`, after result.js `fromWorker`):
//
//   always    result.report (report.json), result.ids, result.segmentNames, result.recipe,
//             result.columns.{recencyDays Int32Array, frequency Uint32Array, monetary Float64Array,
//             rScore, fScore, mScore Uint8Array, segmentIndex Uint16Array}
//   segments  report.segments.{summary, rules, coverage, grid = { axis, bins, cells: [{ r, col, segment,
//             segments, customers, mean_monetary }] }}, report.thresholds           → segments, grid
//   cross-tab report.crosstabs = [{ rows_by, columns_by, rows, columns, counts, lift }]
//   tiers     columns.tierIndex + result.tierNames (top first); report.valueTiers.{summary, pareto =
//             { top_percent, revenue_share }}            → pyramid, the Pareto figure (both panels), filter
//   lifecycle columns.lifecycleIndex + result.lifecycleNames; report.lifecycle.summary → bars, filter
//   clusters  columns.clusterIndex + result.clusterNames (+ clusterNamesZh); columns.mapX, mapY → map;
//             report.clusters = { k, selection: { k, silhouette, calinskiHarabasz, daviesBouldin,
//             inertia }, clusters: [{ id, name, centroid }], projection } → k curves, radar;
//             report.rules.clusters = { rules: [{ classIndex, class, text, support, purity }], fidelity }
//   custom    columns.customTierIndex + result.customTierNames; report.customTiers → column, counts
//   features  result.attributes [{ name, kind }]                                → cluster feature choices
//   codes     result.codes                                                      → table column, search
//             result.codeTokens [{ slot, classes: [{ name, token, mapped }] }]  → token tables
//             result.codeGroups { keys, customers, top: [{ classes, first, count }] } → code preview
//   actions   columns.actionIndex + result.actionTexts                          → table column
//   export    result.customerColumns → columns to drop; exports are made by the engine (client.js)
//   decisions report.input.decisions = [{ code, value, basis, evidence, key, warning? }] → "What was read"
//   warnings  report.warnings: { code, params, message } (or a plain string)    → worded by code
// A panel whose data is absent stays hidden: nothing is invented.
import { t, setLanguage, initialLanguage, language } from '../i18n.js';
import { $, charts, setFormats } from './dom.js';
import { state, apply, onApply } from './state.js';
import { setPath } from './paths.js';
import { client, run, onProgress, showError, applyRecipe } from './engine.js';
import { builtinFeatures, defaultFeatures } from './known.js';
import { renderSettings } from './settings.js';
import { renderQuality, renderColumns } from './panels/quality.js';
import { renderSegments } from './panels/segments.js';
import { renderGrid, applyRulesGrid } from './panels/grid.js';
import { renderTiers } from './panels/tiers.js';
import { renderLifecycle } from './panels/lifecycle.js';
import { renderClusters } from './panels/clusters.js';
import { renderCross } from './panels/cross.js';
import { renderMigration } from './panels/migration.js';
import { renderClv } from './panels/clv.js';
import { renderTable, refreshTable } from './table.js';
import { renderExportOptions, renderSqlNotes, exportFile, exportChart, saveRecipe, loadRecipeFile } from './exports.js';

/** Every panel from the state. Controls are rebuilt: keyboard focus stays on the control that was used
 * (or goes to the one an editor asked for, e.g. a moved rule's arrow). */
function render() {
  const result = state.result;
  if (!result) { renderSettings(); return; }
  const focused = state.drafts.focus ?? document.activeElement?.id;
  if (state.drafts.focus) { const { focus: _, ...drafts } = state.drafts; apply({ drafts }); }
  $('results').hidden = false;
  renderSettings();
  renderQuality(result.report);
  renderColumns(result.report);
  renderSegments(result, $('segment-view').value, showSegment);
  renderGrid(result);
  renderTiers(result);
  renderLifecycle(result);
  renderClusters(result);
  renderMigration(result);
  renderClv(result);
  renderTable(result);
  renderCross(result);
  $('export-xlsx').hidden = !state.caps.xlsx;
  renderExportOptions(result);
  renderSqlNotes(result);
  $('print-meta').textContent = `${state.fileName} · ${t('analysisDate')} ${result.report.asOf} · ${t('settingsTitle')}: ${JSON.stringify(result.recipe ?? {})} · tierlens ${result.report.tierlensVersion}`;
  document.body.dataset.state = 'ready';
  if (focused && focused !== 'file') $(focused)?.focus({ preventScroll: true });
}

// The redraw step: what `apply` asks for.
onApply((redraw) => {
  if (redraw === 'all') render();
  else if (redraw === 'settings') renderSettings();
  else if (redraw === 'table' && state.result) renderTable(state.result);
  else if (redraw === 'rows' && state.result) refreshTable(state.result);
});

/** A segment name (table row, bar or treemap tile) opens the customer table filtered to it. */
function showSegment(index) {
  apply({ table: { ...state.table, filters: { ...state.table.filters, segment: index } } }, 'table');
  $('customers-card').scrollIntoView({ block: 'start' });
  $('filter-segment')?.focus({ preventScroll: true });
}

function applyLanguage(l) {
  setLanguage(l);
  setFormats();
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
  $('lang').value = l;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-aria]')) node.setAttribute('aria-label', t(node.dataset.i18nAria));
  document.title = t('title');
  render();
}

/** The recipe without what names another file's columns: column roles, and cluster features that are
 * that file's own columns (the sample has none besides the built-in ones). */
export function forSample(r, builtin, defaults) {
  const features = r.cluster?.features?.filter((f) => builtin.includes(f));
  const keep = features?.length && !(features.length === defaults.length && features.every((f, i) => f === defaults[i])) ? features : undefined;
  return setPath(setPath(r, ['input', 'columns'], undefined), ['cluster', 'features'], keep);
}

function openFile(file) {
  if (!file) return;
  apply({ fileName: file.name });
  run(() => client.open(file, state.recipe, onProgress), file.name);
}

function openSample(fileName, options) {
  // The sample has its own headers: column overrides meant for another file would not apply.
  const recipe = forSample(state.recipe, builtinFeatures(state.caps), defaultFeatures(state.caps));
  apply({ fileName, recipe });
  run(() => client.sample(recipe, onProgress, options), t('theSample'), recipe);
}

$('sample').addEventListener('click', () => openSample('tierlens-sample.csv'));
$('sample-zh').addEventListener('click', () => openSample('tierlens-sample-zh.csv', { language: 'zh' }));
$('file').addEventListener('change', (e) => { openFile(e.target.files[0]); e.target.value = ''; });
$('cancel').addEventListener('click', () => client.cancel());
for (const what of ['csv', 'json', 'xlsx', 'report', 'sql-duckdb', 'sql-spark']) $(`export-${what}`).addEventListener('click', () => exportFile(what));
$('export-recipe').addEventListener('click', saveRecipe);
$('save-recipe').addEventListener('click', saveRecipe);
$('recipe-file').addEventListener('change', (e) => { const f = e.target.files[0]; e.target.value = ''; if (f) loadRecipeFile(f); });
$('reset-recipe').addEventListener('click', () => applyRecipe({}));
$('print').addEventListener('click', () => window.print());
$('apply-rules').addEventListener('click', () => { if (state.result) applyRulesGrid(state.result); });
$('segment-table').addEventListener('click', (e) => {
  const b = e.target.closest('button[data-show-segment]');
  if (b) showSegment(Number(b.dataset.showSegment));
});
$('cross-pick').addEventListener('change', () => { if (state.result) renderCross(state.result); });
$('segment-view').addEventListener('change', () => { if (state.result) renderSegments(state.result, $('segment-view').value, showSegment); });
document.addEventListener('click', (e) => {
  const b = e.target.closest('button[data-chart]');
  if (b) exportChart(b.dataset.chart);
});
let searchTimer;
$('search').addEventListener('input', (e) => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => apply({ table: { ...state.table, query: e.target.value } }, 'rows'), 120);
});
$('lang').addEventListener('change', (e) => applyLanguage(e.target.value));
const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  openFile(e.dataTransfer.files[0]);
});
drop.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); $('file').click(); }
});
window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
window.addEventListener('beforeprint', () => Object.values(charts).forEach((c) => c.resize({ width: 680 })));
window.addEventListener('afterprint', () => Object.values(charts).forEach((c) => c.resize()));

applyLanguage(initialLanguage());
Promise.all([client.version(), client.capabilities()]).then(([v, caps]) => {
  $('version').textContent = v;
  apply({ caps }, 'settings');
  document.body.dataset.worker = 'ready';
}).catch(showError);

// For the browser tests and for checking a merge: draw a result message by hand. Reads nothing and
// sends nothing. chartData(key) is a chart's option as drawn (functions left out), for tests that
// compare what is drawn with the engine's report.
window.tierlensPage = {
  render: (result) => apply({ result }, 'all'),
  current: () => state.result,
  language: () => language(),
  chartData: (key) => (charts[key] ? JSON.parse(JSON.stringify(charts[key].getOption())) : null),
};
