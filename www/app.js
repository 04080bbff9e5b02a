// The page thread only draws: the worker (client.js / worker.js) reads and analyses the data.
//
// What each panel expects in the worker's result message (`result`). worker.js `resultMessage` fills the
// optional fields from the Wasm `Analysis` getters named in brackets when the build has them, so merging
// the scoring and clustering branches needs no change here (shapes as in their src/report.rs):
//
//   always    result.report (report.json), result.ids, result.segmentNames, result.recipe,
//             result.columns.{recencyDays Int32Array, frequency Uint32Array, monetary Float64Array,
//             rScore, fScore, mScore Uint8Array, segmentIndex Uint16Array}
//   grid      report.segments.grid = { axis: 'fm'|'f', bins, cells: [{ r, col, segment, segments,
//             customers, mean_monetary }] }; without it the R × FM grid is computed here from the scores
//   cross-tab report.crosstabs = [{ rows_by, columns_by, rows, columns, counts, lift }]; without it,
//             segment × region from result.regions [regions()]
//   tiers     columns.tierIndex [tierIndex()] + result.tierNames [tierNames(), top first];
//             report.value_tiers.pareto = { top_percent, revenue_share }     → pyramid, Pareto, filter
//   lifecycle columns.stageIndex [lifecycleIndex()] + result.stageNames [lifecycleNames()] → funnel, filter
//   clusters  columns.clusterIndex [clusterIndex()] + result.clusterNames [clusterNames()]
//             (+ clusterNamesZh [clusterNamesZh()]); columns.mapX, mapY [mapX(), mapY()] → 2-D map;
//             report.clusters = { k, selection: { k: [], silhouette: [], calinskiHarabasz: [],
//             daviesBouldin: [], inertia: [] }, clusters: [{ id, name, centroid: { feature: value } }],
//             projection: { explainedVarianceRatio } }                         → k curves, radar
//             report.rules.clusters = { rules: [{ classIndex, class, text, support, purity }], fidelity }
//   custom    columns.customTierIndex [customTierIndex()] + result.customTierNames [customTierNames()]
//             (absent without rules)                                          → table column, filter, counts
//   features  result.attributes [attributes(): { name, kind }]               → cluster feature choices
//   codes     result.codes [codes()]                                          → table column, search, preview
//   actions   columns.actionIndex [actionIndex()] + result.actionTexts [actionTexts()] → table column
//   xlsx      Analysis.prototype.customersXlsx()                              → Excel export button
//   export    result.customerColumns [customerColumns()]                      → columns to drop; the
//             worker's export takes { passphrase?, dropColumns? } (customersCsvFor, customersXlsxFor,
//             reportJsonFor): the engine hashes the ids, not this page
//   decisions report.input.decisions = [{ code, value, basis, evidence, key, warning? }] → "What was read"
// A panel whose data is absent stays hidden: nothing is invented.
import { TierlensClient } from './client.js';
import * as echarts from './vendor/echarts.esm.min.mjs';
import { t, setLanguage, initialLanguage, locale, groupLabel, language, errorText } from './i18n.js';

const $ = (id) => document.getElementById(id);
const client = new TierlensClient();
let recipe = {};
let current = null; // last result payload
let fileName = 'customers';
let caps = { presets: [{ name: 'rfm11', bins: [5] }], xlsx: false };
const charts = {};
let nf, nf1, nf2, pct;

function formatters() {
  const loc = locale();
  nf = new Intl.NumberFormat(loc);
  nf1 = new Intl.NumberFormat(loc, { maximumFractionDigits: 1 });
  nf2 = new Intl.NumberFormat(loc, { maximumFractionDigits: 2, minimumFractionDigits: 2 });
  pct = new Intl.NumberFormat(loc, { style: 'percent', maximumFractionDigits: 1 });
}
/** A translated label for an engine value (method, format, date order), or the value itself. */
const label = (prefix, v) => (t(`${prefix}${v}`) !== `${prefix}${v}` ? t(`${prefix}${v}`) : v);
const methodLabel = (m) => (m === 'edges' ? t('methodEdges') : m === 'rankFirst' ? t('methodRankFirst') : label('method_', m));
const fmtDate = (iso) => (iso ? new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`)) : '–');

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function showError(err, { scroll = true } = {}) {
  const box = $('error');
  // Engine errors are worded from their code and parameters in the page's language (i18n.js).
  const text = errorText(err);
  const where = err.params ? '' : [err.row ? t('rowN', { n: err.row }) : '', err.column ? `${t('column')} “${err.column}”` : ''].filter(Boolean).join(', ');
  box.textContent = `${text}${where && !err.message.includes('row ') ? ` (${where})` : ''}`;
  box.dataset.code = err.code ?? '';
  box.hidden = false;
  if (scroll) box.scrollIntoView({ block: 'nearest' });
}

function setBusy(busy, text = '') {
  $('status').hidden = !busy;
  $('status-text').textContent = text;
  $('cancel').hidden = !busy;
  for (const id of ['sample', 'sample-zh', 'file']) $(id).disabled = busy;
  document.body.dataset.busy = busy ? '1' : '';
  if (!busy) $('progress').value = 0;
}

function onProgress(p) {
  const share = p.total ? Math.min(1, p.bytes / p.total) : 0;
  $('progress').value = share;
  // The first of two passes only checks rows (duplicates, outlier threshold): no customers yet.
  const scan = p.stage === 'scan';
  const rows = p.rows && !scan ? ` · ${t('rowsSoFar', { rows: nf.format(p.rows), customers: nf.format(p.customers) })}` : '';
  const what = p.stage === 'aggregate' ? 'scoring' : scan ? 'scanning' : 'reading';
  $('status-text').textContent = `${t(what)} ${pct.format(share)}${rows}`;
}

async function run(start, label) {
  $('error').hidden = true;
  setBusy(true, t('opening', { what: label }));
  try {
    const result = await start();
    render(result);
  } catch (err) {
    if (err.code !== 'cancelled') showError(err);
    if (err.code === 'missing_column' || err.code === 'unknown_column') offerColumnFix();
  } finally {
    setBusy(false);
  }
}

/** After a failed open for want of a column: pick the roles from the file's header and read it again. */
async function offerColumnFix() {
  let rows;
  try { rows = await client.preview(3, null); } catch { return; }
  const header = rows?.[0];
  if (!header?.length) return;
  const current = recipe.input?.columns ?? {};
  const selects = ['customerId', 'date', 'amount', 'orderId', 'region'].map((role) => {
    const id = `fix-${role}`;
    const select = el('select', { id, 'data-role': role }, el('option', { value: '' }, '–'),
      header.map((h) => el('option', { value: h, selected: current[role] === h }, h)));
    return el('label', { for: id, class: 'fix-field' }, t(`role_${role}`), select);
  });
  const button = el('button', { type: 'button', class: 'primary', id: 'fix-read' }, t('readAgain'));
  button.addEventListener('click', () => {
    const cols = {};
    for (const s of $('error').querySelectorAll('select[data-role]')) if (s.value) cols[s.dataset.role] = s.value;
    const next = setPath(recipe, ['input', 'columns'], Object.keys(cols).length ? cols : undefined);
    run(async () => { const r = await client.reopen(next, onProgress); recipe = next; return r; }, fileName);
  });
  $('error').append(el('div', { class: 'fix' }, el('p', {}, t('fixColumns')), el('div', { class: 'fix-row' }, selects, button)));
}

/** Applies a new recipe: re-analyses (the worker re-reads the file only when it must). `draft` names
 * the editor whose unapplied state (drafts) the recipe now holds, dropped once the engine accepts it. */
let applying = 0; // the number of the latest applyRecipe call: only it ends the busy state
let wanted = null; // the recipe of the latest applyRecipe call still running
/** The recipe a new change builds on: the one being applied, if any, so quick successive changes add
 * up instead of the later one undoing the earlier. */
const base = () => wanted ?? recipe;
async function applyRecipe(next, { draft } = {}) {
  const snapshot = draft ? JSON.stringify(drafts[draft]) : null;
  // The draft is dropped only if it is still what was applied (the user may have added a rule since).
  const settleDraft = () => { if (draft && JSON.stringify(drafts[draft]) === snapshot) delete drafts[draft]; };
  if (!current) { recipe = next; fieldError = null; settleDraft(); renderSettings(); return true; }
  // Nothing changed (e.g. a field left without an edit after a programmatic one): no re-analysis, so
  // nothing is rebuilt under the user's hands.
  if (JSON.stringify(next) === JSON.stringify(base()) && !fieldError) {
    settleDraft();
    if (!document.body.dataset.busy) document.body.dataset.state = 'ready';
    return true;
  }
  const seq = ++applying;
  wanted = next;
  $('error').hidden = true;
  $('recipe-status').textContent = '';
  $('recipe-status').classList.remove('warning');
  setBusy(true, t('analysing'));
  document.body.dataset.state = 'updating';
  try {
    const result = await client.analyze(next, onProgress);
    recipe = next;
    fieldError = null;
    settleDraft();
    render(result);
    if (seq !== applying) document.body.dataset.state = 'updating'; // a later change is still running
    return true;
  } catch (err) {
    if (err.code !== 'cancelled') {
      // Shown at the top and beside the settings, where the change was made (no jump to the top).
      showError(err, { scroll: false });
      $('recipe-status').textContent = `⚠ ${errorText(err)}`;
      $('recipe-status').classList.add('warning');
      // An error that names a setting is shown under its control too (with the character marked).
      // The rejected value stays in its control (to be fixed), not the value in force.
      fieldError = err.field ? Object.assign(err, { attempted: next }) : null;
    }
    document.body.dataset.state = seq === applying ? 'ready' : 'updating';
    renderSettings(); // back to the recipe in force
    return false;
  } finally {
    // Changes made while one runs are queued in the worker; the last one to finish ends the busy state.
    if (seq === applying) { setBusy(false); wanted = null; }
  }
}

// ---------------------------------------------------------------------------------------------------
// Settings: sections of declarative fields over recipe paths, plus editors for the settings that are
// lists or tables (custom tier rules, code maps, action texts, cluster features). Every control writes
// one recipe path and re-analyses; the recipe stays minimal (defaults are left out). `reload: true` marks
// settings that change how rows are read (the worker decides for itself when to re-read; the mark only
// informs the user). Labels are in i18n.js (en + zh).

const getPath = (obj, path) => path.reduce((o, k) => (o == null ? undefined : o[k]), obj);
function setPath(obj, path, value) {
  const copy = structuredClone(obj);
  let o = copy;
  const parents = [];
  for (const k of path.slice(0, -1)) { parents.push([o, k]); o = o[k] ??= {}; }
  if (value === undefined) delete o[path.at(-1)];
  else o[path.at(-1)] = value;
  for (const [p, k] of parents.reverse()) if (Object.keys(p[k]).length === 0) delete p[k]; // no empty objects
  return copy;
}
const parseList = (s) => {
  const parts = s.split(/[,，;\s]+/).filter(Boolean);
  return parts.length ? parts.map(Number) : undefined;
};

// Built-in cluster features (src/cluster/features.rs KNOWN), in display order.
const BUILTIN_FEATURES = ['recency_days', 'frequency', 'monetary', 'aov', 'tenure_days', 'mean_gap_days', 'region'];
const DEFAULT_FEATURES = ['recency_days', 'frequency', 'monetary'];

const SECTIONS = [
  { title: 'secData', fields: [
    { key: 'asOf', path: ['asOf'], type: 'date', reload: true, help: 'asOfHelp' },
    { key: 'dateOrder', path: ['input', 'dateOrder'], type: 'select', reload: true,
      options: () => [['', 'dateAuto'], ['dmy', 'dateDmy'], ['mdy', 'dateMdy']] },
    { key: 'dropZero', path: ['clean', 'dropZeroAmounts'], type: 'checkbox', reload: true },
  ] },
  { title: 'secScores', fields: [
    { key: 'preset', path: ['segments', 'preset'], type: 'select', default: 'rfm11',
      value: (r) => (r.segments?.rules ? '' : undefined),
      options: () => [...(recipe.segments?.rules ? [['', 'customRules']] : []), ...caps.presets.map((p) => [p.name, p.name])],
      // A preset replaces the user's rules, and is written for given bins: follow it.
      after: (r0, v) => {
        const r = setPath(r0, ['segments', 'rules'], undefined);
        const p = caps.presets.find((x) => x.name === v);
        const bins = getPath(r, ['score', 'bins']) ?? 5;
        return p && !p.bins.includes(bins) ? setPath(r, ['score', 'bins'], p.bins.at(-1) === 5 ? undefined : p.bins.at(-1)) : r;
      } },
    { key: 'bins', path: ['score', 'bins'], type: 'select', default: 5, number: true,
      options: () => [[3, '3'], [4, '4'], [5, '5']] },
    { key: 'method', path: ['score', 'method'], type: 'select', default: 'edges',
      options: () => [['edges', 'methodEdges'], ['rankFirst', 'methodRankFirst']] },
    { key: 'cutsRecency', path: ['score', 'cuts', 'recency'], type: 'list', help: 'cutsHelp', placeholder: () => cutsInUse('recency_days') },
    { key: 'cutsFrequency', path: ['score', 'cuts', 'frequency'], type: 'list', placeholder: () => cutsInUse('frequency') },
    { key: 'cutsMonetary', path: ['score', 'cuts', 'monetary'], type: 'list', placeholder: () => cutsInUse('monetary') },
  ] },
  // The sections below appear when the Wasm build's recipe has them (worker capabilities probe).
  { title: 'secTiers', when: () => caps.sections?.valueTiers, fields: [
    { key: 'tierPreset', path: ['valueTiers', 'preset'], type: 'select', default: 'platinum-gold-silver-bronze',
      value: (r) => (r.valueTiers?.bands ? '' : undefined),
      options: () => [...(recipe.valueTiers?.bands ? [['', 'ownBands']] : []), ['platinum-gold-silver-bronze', 'tierPresetPgsb'], ['high-medium-low', 'tierPresetHml']],
      // A preset replaces the user's own bands.
      after: (r) => { delete drafts.bands; return setPath(r, ['valueTiers', 'bands'], undefined); } },
    { key: 'zeroSpend', path: ['valueTiers', 'zeroSpend'], type: 'text', default: 'No Spend' },
    { key: 'paretoPercent', path: ['valueTiers', 'paretoPercent'], type: 'number', default: 20, min: 1, max: 99, step: 1 },
  ], editor: tierBandsEditor },
  { title: 'secLifecycle', when: () => caps.sections?.lifecycle, fields: [
    { key: 'lifecycleMode', path: ['lifecycle', 'mode'], type: 'select', default: 'fixed',
      options: () => [['fixed', 'lifecycleFixed'], ['relative', 'lifecycleRelative']] },
    { key: 'usualGap', path: ['lifecycle', 'usualGap'], type: 'select', default: 'p80',
      options: () => [['p80', 'gapP80'], ['mean', 'gapMean']] },
    { key: 'newDays', path: ['lifecycle', 'newDays'], type: 'number', default: 30, min: 1, step: 1 },
    { key: 'activeDays', path: ['lifecycle', 'activeDays'], type: 'number', default: 30, min: 1, step: 1 },
    { key: 'dueDays', path: ['lifecycle', 'dueDays'], type: 'number', default: 60, min: 1, step: 1 },
    { key: 'lapsingDays', path: ['lifecycle', 'lapsingDays'], type: 'number', default: 90, min: 1, step: 1 },
  ] },
  { title: 'secCustom', id: 'custom', when: () => caps.sections?.customTiers, editor: customTiersEditor },
  { title: 'secCodes', id: 'codes', when: () => caps.sections?.codes, fields: [
    { key: 'codeTemplate', path: ['codes', 'template'], type: 'text', default: '{tier}{stage}-{seq:04}', help: 'codeTemplateHelp', mono: true },
  ], editor: codesEditor },
  { title: 'secActions', id: 'actions', when: () => caps.sections?.actions, fields: [
    { key: 'actionBasis', path: ['actions', 'basis'], type: 'select', default: 'segment',
      options: () => ['segment', 'tier', 'lifecycle', ...(recipe.customTiers?.rules?.length ? ['custom'] : [])].map((b) => [b, `basis_${b}`]) },
    { key: 'actionLanguage', path: ['actions', 'language'], type: 'select', default: 'en',
      options: () => [['en', 'English'], ['zh', '中文']] },
  ], editor: actionsEditor },
  { title: 'secCluster', id: 'cluster', when: () => caps.sections?.cluster, fields: [
    { key: 'clusterEnabled', path: ['cluster', 'enabled'], type: 'checkbox', default: true },
    { key: 'clusterK', path: ['cluster', 'k'], type: 'select', default: 'auto',
      parse: (v) => (v === 'auto' ? v : Number(v)),
      options: () => [['auto', 'kAuto'], ...Array.from({ length: 11 }, (_, i) => [i + 2, String(i + 2)])] },
    { key: 'clusterTransform', path: ['cluster', 'transform'], type: 'select', default: 'auto',
      options: () => ['auto', 'log1p', 'none'].map((v) => [v, `transform_${v}`]) },
    { key: 'clusterScaling', path: ['cluster', 'scaling'], type: 'select', default: 'standard',
      options: () => ['standard', 'robust'].map((v) => [v, `scaling_${v}`]) },
  ], editor: clusterFeaturesEditor },
];

// Editor state that is not (yet) in the recipe: a rule being written, or one the engine rejected, stays
// on screen with its error instead of being replaced by the recipe in force.
const drafts = {};
let fieldError = null; // the last engine error that names a setting (err.field), shown beside it
const openSections = new Set(); // which collapsible sections are open, kept across re-renders

/** The cut points of the latest analysis, shown in an empty cut-point field as a starting point. */
function cutsInUse(metric) {
  const th = current?.report.thresholds.find((x) => x.metric === metric);
  return th ? `auto: ${th.cuts.map((v) => Math.round(v * 100) / 100).join(', ')}` : 'auto';
}

/** `text` with the character at 1-based `position` marked (where the engine says the problem is). */
function markAt(text, position) {
  const chars = Array.from(text ?? '');
  const i = Math.max(0, Math.min(chars.length, (position ?? 1) - 1));
  return el('code', { class: 'expr-at' }, chars.slice(0, i).join(''), el('mark', {}, chars[i] ?? '\u00a0'), chars.slice(i + 1).join(''));
}

/** The engine's error for the setting at `path` (a dotted recipe path), as a note under its control. */
function errorFor(path, input, text) {
  if (!fieldError || fieldError.field !== path) return null;
  const id = `${input.id}-error`;
  input.setAttribute('aria-invalid', 'true');
  input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
  return el('div', { class: 'field-error', id, 'data-field': path, 'data-position': fieldError.position ?? null },
    el('span', {}, `⚠ ${errorText(fieldError)}`),
    fieldError.position != null && text != null ? markAt(text, fieldError.position) : null);
}

function renderSettings() {
  const form = $('settings');
  const scroll = form.closest('.settings')?.scrollTop ?? 0;
  form.replaceChildren();
  for (const section of SECTIONS) {
    if (section.when && !section.when()) continue;
    const body = el('div', { class: 'sec-body' });
    for (const f of section.fields ?? []) body.append(renderField(f));
    section.editor?.(body);
    if (section.id) {
      // The longer sections fold, so the panel stays short; their state survives a re-render.
      const box = el('details', { class: 'sec', id: `sec-${section.id}`, open: openSections.has(section.id) || (fieldError?.field ?? '').startsWith(section.id === 'custom' ? 'customTiers' : section.id) },
        el('summary', {}, t(section.title)), body);
      box.addEventListener('toggle', () => { if (box.open) openSections.add(section.id); else openSections.delete(section.id); });
      form.append(el('fieldset', {}, box));
    } else {
      form.append(el('fieldset', {}, el('legend', {}, t(section.title)), body));
    }
  }
  const aside = form.closest('.settings');
  if (aside) aside.scrollTop = scroll;
  // After a rebuild without new results (a rule added, an incomplete rule): focus where the user works.
  if (drafts.focus && $(drafts.focus)) { $(drafts.focus).focus({ preventScroll: true }); delete drafts.focus; }
}

function renderField(f) {
  const id = `set-${f.key}`;
  const rejected = fieldError?.field === f.path.join('.') && fieldError.attempted ? getPath(fieldError.attempted, f.path) : undefined;
  const value = rejected ?? f.value?.(recipe) ?? getPath(recipe, f.path) ?? f.default;
  let input;
  if (f.type === 'select') {
    input = el('select', { id, name: f.key }, f.options().map(([v, label]) =>
      el('option', { value: String(v), selected: String(v) === String(value ?? '') }, /^[a-z]/.test(label) && t(label) !== label ? t(label) : label)));
  } else if (f.type === 'checkbox') {
    input = el('input', { id, name: f.key, type: 'checkbox', checked: Boolean(value) });
  } else if (f.type === 'date' || f.type === 'text') {
    input = el('input', { id, name: f.key, type: f.type, value: value ?? '', class: f.mono ? 'mono' : null, spellcheck: f.mono ? 'false' : null, autocomplete: 'off' });
  } else if (f.type === 'number') {
    input = el('input', { id, name: f.key, type: 'number', value: value ?? '', min: f.min, max: f.max, step: f.step });
  } else {
    input = el('input', { id, name: f.key, type: 'text', inputmode: 'decimal', value: value ? value.join(', ') : '', placeholder: f.placeholder?.() ?? 'auto' });
  }
  input.dataset.path = f.path.join('.');
  const helpId = f.help ? `${id}-help` : null;
  if (helpId) input.setAttribute('aria-describedby', helpId);
  input.addEventListener('change', () => {
    let v;
    if (f.parse) v = f.parse(input.value);
    else if (f.type === 'checkbox') v = f.default === true ? input.checked : input.checked || undefined;
    else if (f.type === 'list') v = parseList(input.value);
    else if ((f.type === 'select' && f.number) || f.type === 'number') v = input.value === '' ? undefined : Number(input.value);
    else v = input.value || undefined;
    if (v !== undefined && f.default !== undefined && v === f.default) v = undefined; // keep recipes minimal
    let next = setPath(base(), f.path, v);
    if (f.after) next = f.after(next, v ?? f.default);
    applyRecipe(next);
  });
  const label = el('label', { for: id }, t(f.key), f.reload ? el('span', { class: 'reload', title: 're-reads the file' }, ' ↻') : null);
  const err = errorFor(f.path.join('.'), input, input.value);
  return el('div', { class: f.type === 'checkbox' ? 'field check' : 'field' },
    f.type === 'checkbox' ? [input, label] : [label, input],
    helpId ? el('small', { id: helpId, class: 'muted' }, t(f.help)) : null, err);
}

/** Customers per class name of an index column of the latest result. */
function countsBy(index, names) {
  const out = new Map((names ?? []).map((n) => [n, 0]));
  if (!index || !names) return out;
  for (let i = 0; i < index.length; i++) { const n = names[index[i]]; out.set(n, (out.get(n) ?? 0) + 1); }
  return out;
}

// Value tier bands: name and share of spending customers, top tier first; the shares must sum to 100.
// An unfinished table (sum not 100) stays a draft, with the sum shown, until it adds up.
function tierBandsEditor(box) {
  if (!current) return;
  const rejected = (fieldError?.field ?? '').startsWith('valueTiers.bands') && fieldError.attempted?.valueTiers?.bands;
  const state = drafts.bands ?? structuredClone(rejected || recipe.valueTiers?.bands || current.report.value_tiers?.bands || []);
  const sumOf = (bands) => bands.reduce((a, b) => a + (Number.isFinite(b.percent) ? b.percent : 0), 0);
  const sumText = (bands) => t('bandSum', { sum: nf1.format(sumOf(bands)) });
  const fromDom = () => [...box.querySelectorAll('tr[data-band]')].map((tr) => ({
    name: tr.querySelector('input[data-k=name]').value.trim(),
    percent: Number(tr.querySelector('input[data-k=percent]').value),
  }));
  const commit = (next, rebuild) => {
    drafts.bands = next;
    const ok = next.length && next.every((b) => b.name && b.percent > 0) && Math.abs(sumOf(next) - 100) <= 1e-6;
    if (!ok) {
      if (rebuild) { renderSettings(); return; }
      // Only the sum is updated: the table is not rebuilt under the user's hands.
      $('tier-sum').textContent = sumText(next);
      $('tier-sum').classList.replace('muted', 'warning');
      return;
    }
    applyRecipe(setPath(base(), ['valueTiers', 'bands'], next), { draft: 'bands' });
  };
  const rows = state.map((b, i) => {
    const name = el('input', { id: `band-name-${i}`, type: 'text', value: b.name, 'data-k': 'name', 'aria-label': t('bandName', { n: i + 1 }), autocomplete: 'off' });
    const percent = el('input', { id: `band-pct-${i}`, type: 'number', value: String(b.percent), min: '0', max: '100', step: 'any', 'data-k': 'percent', 'aria-label': t('bandPercent', { name: b.name || i + 1 }) });
    for (const input of [name, percent]) input.addEventListener('change', () => commit(fromDom(), false));
    const remove = el('button', { type: 'button', class: 'icon', id: `band-remove-${i}`, disabled: state.length < 2, 'aria-label': t('removeBand', { name: b.name || i + 1 }), title: t('removeBand', { name: b.name || i + 1 }) }, '✕');
    remove.addEventListener('click', () => { const s = fromDom(); s.splice(i, 1); drafts.focus = 'band-add'; commit(s, true); });
    // An engine error about one band (a name used twice, …) marks that band; the text is under the table.
    if (fieldError?.field === `valueTiers.bands[${i}].name`) name.setAttribute('aria-invalid', 'true');
    if (fieldError?.field === `valueTiers.bands[${i}].percent`) percent.setAttribute('aria-invalid', 'true');
    return el('tr', { 'data-band': String(i) }, el('td', {}, name), el('td', { class: 'pct' }, percent, ' %'), el('td', {}, remove));
  });
  box.append(el('table', { class: 'data small bands', id: 'tier-bands' },
    el('caption', {}, t('bandsTitle')),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('tier')), el('th', { scope: 'col' }, t('bandShare')), el('th', {}, el('span', { class: 'visually-hidden' }, t('removeBand', { name: '' }))))),
    el('tbody', {}, rows)));
  const sum = el('p', { id: 'tier-sum', class: `small-note ${Math.abs(sumOf(state) - 100) > 1e-6 ? 'warning' : 'muted'}`, 'aria-live': 'polite' }, sumText(state));
  const add = el('button', { type: 'button', id: 'band-add' }, `+ ${t('addBand')}`);
  add.addEventListener('click', () => { const s = fromDom(); s.push({ name: '', percent: 0 }); drafts.focus = `band-name-${s.length - 1}`; commit(s, true); });
  const err = (fieldError?.field ?? '').startsWith('valueTiers.bands') ? el('div', { class: 'field-error', id: 'tier-bands-error', 'data-field': fieldError.field }, `⚠ ${errorText(fieldError)}`) : '';
  box.append(sum, err, el('div', { class: 'actions tight' }, add));
}

// Custom tiers: an ordered list of { tier, when } rules (first match wins) and the name for the rest.
function customTiersEditor(box) {
  // A recipe the engine rejected for a rule (e.g. loaded from a file) is shown as loaded, to be fixed.
  const rejected = (fieldError?.field ?? '').startsWith('customTiers') && fieldError.attempted ? fieldError.attempted : null;
  const saved = (rejected ?? recipe).customTiers ?? {};
  const state = drafts.custom ?? { rules: structuredClone(saved.rules ?? []), otherwise: saved.otherwise ?? 'Other' };
  const counts = countsBy(current?.columns.customTierIndex, current?.customTierNames);
  const commit = (next) => {
    drafts.custom = next;
    // An unfinished rule is not sent; nothing is rebuilt either, so focus and typing are not disturbed.
    if (next.rules.some((r) => !r.tier.trim() || !r.when.trim())) {
      if (!$('ct-incomplete')) $('ct-add')?.parentElement.after(el('p', { class: 'muted small-note', id: 'ct-incomplete' }, t('ruleIncomplete')));
      return;
    }
    const value = next.rules.length || next.otherwise !== 'Other'
      ? { ...(next.rules.length ? { rules: next.rules } : {}), ...(next.otherwise !== 'Other' ? { otherwise: next.otherwise } : {}) }
      : undefined;
    let r = setPath(base(), ['customTiers'], value);
    // Actions that follow custom tiers need rules: without them, back to segments.
    if (!next.rules.length && r.actions?.basis === 'custom') r = setPath(r, ['actions', 'basis'], undefined);
    applyRecipe(r, { draft: 'custom' });
  };
  const fromDom = () => ({
    rules: [...box.querySelectorAll('li[data-rule]')].map((li) => ({
      tier: li.querySelector('input[data-k=tier]').value.trim(),
      when: li.querySelector('[data-k=when]').value.replace(/\s*\n\s*/g, ' ').trim(),
    })),
    otherwise: box.querySelector('#ct-otherwise').value.trim() || 'Other',
  });
  box.append(el('p', { class: 'muted small-note', id: 'ct-help' }, t('customNote')));
  const list = el('ol', { class: 'rules-list', id: 'custom-rules' });
  state.rules.forEach((rule, i) => {
    const n = i + 1;
    const tier = el('input', { id: `ct-tier-${i}`, type: 'text', value: rule.tier, 'data-k': 'tier', autocomplete: 'off' });
    // A two-line text area: a long condition stays readable in the narrow panel. Enter applies.
    const when = el('textarea', { id: `ct-when-${i}`, rows: '2', class: 'mono', 'data-k': 'when', placeholder: t('customExample'),
      spellcheck: 'false', autocomplete: 'off', 'aria-describedby': 'ct-help' });
    when.value = rule.when;
    when.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); when.dispatchEvent(new Event('change')); } });
    for (const input of [tier, when]) input.addEventListener('change', () => commit(fromDom()));
    const move = (d) => {
      const s = fromDom();
      const [x] = s.rules.splice(i, 1);
      s.rules.splice(i + d, 0, x);
      // Keyboard focus follows the moved rule: the same arrow, or the other one at the end of the list.
      const j = i + d;
      const same = d < 0 ? j > 0 : j < s.rules.length - 1;
      drafts.focus = `ct-${(d < 0) === same ? 'up' : 'down'}-${j}`;
      commit(s);
    };
    const tools = el('span', { class: 'rule-tools' },
      el('button', { type: 'button', id: `ct-up-${i}`, class: 'icon', disabled: i === 0, 'aria-label': t('moveUp', { n }), title: t('moveUp', { n }) }, '↑'),
      el('button', { type: 'button', id: `ct-down-${i}`, class: 'icon', disabled: i === state.rules.length - 1, 'aria-label': t('moveDown', { n }), title: t('moveDown', { n }) }, '↓'),
      el('button', { type: 'button', id: `ct-remove-${i}`, class: 'icon', 'aria-label': t('removeRule', { n }), title: t('removeRule', { n }) }, '✕'));
    tools.children[0].addEventListener('click', () => move(-1));
    tools.children[1].addEventListener('click', () => move(1));
    tools.children[2].addEventListener('click', () => { const s = fromDom(); s.rules.splice(i, 1); drafts.focus = 'ct-add'; commit(s); });
    const count = drafts.custom || !counts.has(rule.tier) ? null : el('span', { class: 'count', 'data-count': counts.get(rule.tier) }, t('ruleCount', { n: nf.format(counts.get(rule.tier)) }));
    list.append(el('li', { class: 'rule', 'data-rule': String(i) },
      el('div', { class: 'rule-head' }, el('label', { for: tier.id }, `${t('ruleN', { n })} · ${t('ruleTier')}`), tools),
      tier, errorFor(`customTiers.rules[${i}].tier`, tier, null),
      el('label', { for: when.id }, t('ruleWhen'), count ? ' ' : null, count),
      when, errorFor(`customTiers.rules[${i}].when`, when, rule.when)));
  });
  box.append(state.rules.length ? list : el('p', { class: 'muted small-note' }, t('noRules')));
  const otherwise = el('input', { id: 'ct-otherwise', type: 'text', value: state.otherwise, autocomplete: 'off' });
  otherwise.addEventListener('change', () => commit(fromDom()));
  const restCount = !drafts.custom && state.rules.length && counts.has(state.otherwise) ? t('ruleCount', { n: nf.format(counts.get(state.otherwise)) }) : '';
  box.append(el('div', { class: 'field' }, el('label', { for: 'ct-otherwise' }, t('otherwise'), restCount ? el('span', { class: 'count' }, ` ${restCount}`) : null), otherwise));
  const add = el('button', { type: 'button', id: 'ct-add' }, `+ ${t('addRule')}`);
  add.addEventListener('click', () => {
    const s = fromDom();
    s.rules.push({ tier: '', when: '' });
    drafts.custom = s;
    drafts.focus = `ct-tier-${s.rules.length - 1}`;
    renderSettings();
  });
  box.append(el('div', { class: 'actions tight' }, add));
  if (state.rules.some((r) => !r.tier.trim() || !r.when.trim())) box.append(el('p', { class: 'muted small-note', id: 'ct-incomplete' }, t('ruleIncomplete')));
}

// Codes: the template (a plain field) and the token tables of the classes the template uses.
const SLOT_ALIASES = { region: 'region', tier: 'tier', value_tier: 'tier', stage: 'stage', lifecycle: 'stage', segment: 'segment', custom: 'custom', custom_tier: 'custom', r: 'r', f: 'f', m: 'm' };
const STAGE_TOKENS = { Prospect: 'P', New: 'N', Active: 'A', Due: 'D', Lapsing: 'L', Lost: 'X', 'At Risk': 'R', Churned: 'C' };
function letters(i) {
  let s = '';
  for (;;) { s = String.fromCharCode(65 + (i % 26)) + s; if (i < 26) return s; i = Math.floor(i / 26) - 1; }
}

/** Class names of a code dimension with the engine's default token of each (src/score/codes.rs). */
function codeClasses(dim, result, maps) {
  if (dim === 'tier') return (result.tierNames ?? []).map((n, i, all) => [n, i === all.length - 1 ? '0' : String(i + 1)]);
  if (dim === 'stage') return (result.stageNames ?? []).map((n) => [n, STAGE_TOKENS[n] ?? n.slice(0, 1).toUpperCase()]);
  if (dim === 'segment') return result.segmentNames.map((n, i) => [n, String(i + 1).padStart(2, '0')]);
  if (dim === 'custom') return (result.customTierNames ?? []).map((n, i) => [n, String(i + 1)]);
  // Regions: letters over the unmapped names in sorted order, skipping letters the map uses; none → 0.
  const regions = [...new Set((result.regions ?? []).filter(Boolean))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const taken = new Set(Object.values(maps ?? {}));
  let next = 0;
  const out = regions.map((r) => {
    if (maps?.[r] !== undefined) return [r, maps[r]];
    let tok = letters(next);
    while (taken.has(tok)) tok = letters(++next);
    next++;
    return [r, tok];
  });
  if ((result.regions ?? []).some((r) => !r)) out.push(['', '0']);
  return out;
}

function codesEditor(box) {
  box.append(el('p', { class: 'muted small-note' }, t('codesNote')));
  if (!current) return;
  const template = recipe.codes?.template ?? '{tier}{stage}-{seq:04}';
  const slots = [...template.matchAll(/\{\s*([a-z_]+)\s*(?::[^}]*)?\}/g)].map((m) => SLOT_ALIASES[m[1]]).filter(Boolean);
  for (const dim of ['region', 'tier', 'stage', 'segment', 'custom']) {
    if (!slots.includes(dim)) continue;
    const maps = recipe.codes?.maps?.[dim] ?? {};
    const classes = codeClasses(dim, current, maps);
    if (!classes.length) continue;
    const shown = classes.slice(0, 40);
    const rows = shown.map(([name, def], i) => {
      const input = el('input', { id: `code-${dim}-${i}`, type: 'text', class: 'token mono', value: maps[name] ?? '', placeholder: def,
        'data-class': name, 'aria-label': t('tokenFor', { name: name || t('noRegion') }), autocomplete: 'off' });
      input.addEventListener('change', () => applyRecipe(setPath(base(), ['codes', 'maps', dim, name], input.value.trim() || undefined)));
      return el('tr', {}, el('th', { scope: 'row' }, name ? groupLabel(name) : t('noRegion')), el('td', {}, input));
    });
    box.append(el('table', { class: 'data small tokens', id: `code-map-${dim}` },
      el('caption', {}, t(`codeMap_${dim}`)), el('tbody', {}, rows)),
    classes.length > shown.length ? el('p', { class: 'muted small-note' }, `+ ${classes.length - shown.length}`) : '');
  }
  box.append(codePreview(slots));
}

/** Codes now: one row per class key of the template (the classes it uses), largest first. */
function codePreview(slots) {
  const { columns: c, codes } = current;
  if (!codes) return '';
  const parts = {
    region: (i) => current.regions?.[i] || t('noRegion'), tier: (i) => groupLabel(current.tierNames?.[c.tierIndex?.[i]] ?? ''),
    stage: (i) => groupLabel(current.stageNames?.[c.stageIndex?.[i]] ?? ''), segment: (i) => groupLabel(current.segmentNames[c.segmentIndex[i]]),
    custom: (i) => current.customTierNames?.[c.customTierIndex?.[i]] ?? '', r: (i) => `R${c.rScore[i]}`, f: (i) => `F${c.fScore[i]}`, m: (i) => `M${c.mScore[i]}`,
  };
  const used = [...new Set(slots)].filter((s) => parts[s]);
  const groups = new Map();
  for (let i = 0; i < codes.length; i++) {
    const key = used.map((s) => parts[s](i)).join(' · ');
    const g = groups.get(key);
    if (g) g.n++; else groups.set(key, { key, first: codes[i], n: 1 });
  }
  const top = [...groups.values()].sort((a, b) => b.n - a.n).slice(0, 8);
  return el('table', { class: 'data small', id: 'code-preview' },
    el('caption', {}, t('codePreview', { keys: nf.format(groups.size), n: nf.format(codes.length) })),
    el('tbody', {}, top.map((g) => el('tr', {}, el('td', { class: 'mono' }, g.first), el('td', {}, g.key || '–'), el('td', { class: 'num' }, nf.format(g.n))))));
}

// Actions: the text per class of the chosen basis; a text equal to the built-in one is not stored.
function actionsEditor(box) {
  if (!current) return;
  const basis = recipe.actions?.basis ?? 'segment';
  const lang = recipe.actions?.language ?? 'en';
  const names = { segment: current.segmentNames, tier: current.tierNames, lifecycle: current.stageNames, custom: current.customTierNames }[basis] ?? [];
  const builtIn = new Map((caps.actionDefaults ?? []).map((d) => [d.name, d]));
  const own = recipe.actions?.text ?? {};
  box.append(el('p', { class: 'muted small-note' }, t('actionsNote')));
  const list = el('div', { class: 'action-list', id: 'action-list' });
  names.forEach((name, i) => {
    const def = builtIn.get(name)?.[lang] ?? '';
    const edited = own[name] !== undefined;
    const area = el('textarea', { id: `act-text-${i}`, rows: '2', 'data-class': name, 'aria-label': t('actionFor', { name: groupLabel(name) }) });
    area.value = edited ? own[name] : def;
    area.addEventListener('change', () => {
      const v = area.value.trim();
      applyRecipe(setPath(base(), ['actions', 'text', name], v === '' || v === def ? undefined : v));
    });
    const reset = edited ? el('button', { type: 'button', class: 'icon', id: `act-reset-${i}`, 'aria-label': t('resetOne', { name: groupLabel(name) }), title: t('builtIn', { text: def || '–' }) }, '↺') : null;
    reset?.addEventListener('click', () => { drafts.focus = `act-text-${i}`; applyRecipe(setPath(base(), ['actions', 'text', name], undefined)); });
    list.append(el('div', { class: 'action-row', 'data-class': name },
      el('div', { class: 'rule-head' }, el('label', { for: area.id }, groupLabel(name), edited ? el('span', { class: 'badge' }, t('edited')) : null), reset), area));
  });
  box.append(list);
  const resetAll = el('button', { type: 'button', id: 'act-reset', disabled: Object.keys(own).length === 0 }, t('resetActions'));
  resetAll.addEventListener('click', () => applyRecipe(setPath(base(), ['actions', 'text'], undefined)));
  box.append(el('div', { class: 'actions tight' }, resetAll));
}

// Cluster features: the built-in ones and the file's extra columns (numeric, or categorical one-hot).
function clusterFeaturesEditor(box) {
  const chosen = recipe.cluster?.features ?? DEFAULT_FEATURES;
  const extra = (current?.attributes ?? []).filter((a) => !BUILTIN_FEATURES.includes(a.name));
  const all = [...BUILTIN_FEATURES.map((name) => ({ name, label: t(`feature_${name}`) })),
    ...extra.map((a) => ({ name: a.name, label: a.name, kind: a.kind, extra: true }))];
  // Names in the recipe that this file does not have stay listed (checked), so the error can be read.
  for (const name of chosen) if (!all.some((f) => f.name === name)) all.push({ name, label: name, extra: true });
  const group = el('fieldset', { class: 'features', id: 'cluster-features' }, el('legend', {}, t('clusterFeatures')));
  all.forEach((f, i) => {
    const id = `feat-${i}`;
    if (f.extra && !all.slice(0, i).some((x) => x.extra)) group.append(el('div', { class: 'muted small-note' }, t('fromFile')));
    const box2 = el('input', { id, type: 'checkbox', 'data-feature': f.name, checked: chosen.includes(f.name) });
    box2.addEventListener('change', () => {
      const picked = all.filter((x) => group.querySelector(`input[data-feature="${CSS.escape(x.name)}"]`).checked).map((x) => x.name);
      if (!picked.length) { box2.checked = true; fieldError = { field: 'cluster.features', code: 'page', message: t('featuresNeedOne') }; renderSettings(); return; }
      const same = picked.length === DEFAULT_FEATURES.length && picked.every((x, j) => x === DEFAULT_FEATURES[j]);
      applyRecipe(setPath(base(), ['cluster', 'features'], same ? undefined : picked));
    });
    group.append(el('div', { class: 'field check' }, box2, el('label', { for: id }, f.label, f.kind ? el('small', { class: 'muted' }, ` · ${t(`kind_${f.kind}`)}`) : null)));
  });
  const err = fieldError?.field === 'cluster.features' ? el('div', { class: 'field-error', id: 'cluster-features-error', 'data-field': 'cluster.features' }, `⚠ ${fieldError.code === 'page' ? fieldError.message : errorText(fieldError)}`) : null;
  box.append(group, err ?? ''); // append() would write a null as the text "null"
}

// ---------------------------------------------------------------------------------------------------

function render(result) {
  // Controls are rebuilt: keep keyboard focus on the control that was used.
  // (or on the one an editor asked for, e.g. a moved rule's arrow)
  const focused = drafts.focus ?? document.activeElement?.id;
  delete drafts.focus;
  current = result;
  $('results').hidden = false;
  renderSettings();
  renderQuality(result.report);
  renderColumns(result.report);
  renderSegments(result);
  renderGrid(result);
  renderTiers(result);
  renderLifecycle(result);
  renderClusters(result);
  renderTable(result);
  renderCross(result);
  $('export-xlsx').hidden = !caps.xlsx;
  renderExportOptions(result);
  $('print-meta').textContent = `${fileName} · ${t('analysisDate')} ${result.report.as_of} · ${t('settingsTitle')}: ${JSON.stringify(result.recipe ?? {})} · tierlens ${result.report.tierlens_version}`;
  document.body.dataset.state = 'ready';
  if (focused && focused !== 'file') $(focused)?.focus({ preventScroll: true });
}

function renderQuality(r) {
  const box = $('quality');
  box.replaceChildren();
  const rejected = Object.values(r.rows_rejected).reduce((s, x) => s + x.count, 0);
  const stat = (label, k, v) => el('div', {}, el('dt', {}, t(label)), el('dd', { 'data-k': k }, v));
  box.append(el('dl', { class: 'stats', id: 'row-accounting' },
    stat('rowsRead', 'rows_read', nf.format(r.rows_read)),
    stat('rowsUsed', 'rows_used', nf.format(r.rows_used)),
    stat('rowsAside', 'rows_rejected', nf.format(rejected)),
    stat('customers', 'customers', nf.format(r.customers)),
    stat('analysisDate', 'as_of', r.as_of),
    stat('dateRange', 'date_range', r.input.date_range ? r.input.date_range.map(fmtDate).join(' → ') : '–')));
  const d = r.input.detected;
  if (d) {
    box.append(el('p', { class: 'muted', id: 'read-summary' }, readSummary(d),
      ' ', t('datesRead', { order: r.input.dates?.order === 'mdy' ? t('dateMdy') : r.input.dates?.order === 'dmy' ? t('dateDmy') : '?', ambiguous: r.input.dates?.order_ambiguous ? t('ambiguous') : '' }),
      r.returns ? ` ${t('returns')}: ${nf.format(r.returns)}.` : ''));
  }
  const decisions = renderDecisions(r.input.decisions ?? []);
  if (decisions) box.append(decisions);
  box.append(el('p', { class: 'muted' }, t('cleaningRules', { zero: t(r.recipe?.clean?.dropZeroAmounts ? 'zeroDropped' : 'zeroKept') })));
  if (rejected > 0) {
    const tbody = el('tbody');
    for (const [code, rej] of Object.entries(r.rows_rejected)) {
      tbody.append(el('tr', { 'data-reason': code },
        el('td', {}, t(`reason_${code}`) !== `reason_${code}` ? t(`reason_${code}`) : rej.message), el('td', { class: 'num' }, nf.format(rej.count)),
        el('td', {}, rej.rows.map((n, i) => `${t('rowN', { n })}${rej.examples[i] ? ` (“${rej.examples[i]}”)` : ''}`).join(', '))));
    }
    box.append(el('div', { class: 'scroll-x' }, el('table', { class: 'data', id: 'rejections' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('asideBecause')), el('th', { scope: 'col', class: 'num' }, t('rows')), el('th', { scope: 'col' }, t('firstRows')))),
      tbody)));
  }
  for (const w of r.warnings) box.append(el('p', { class: 'warning' }, `⚠ ${w}`));
}

/** One line on how the bytes were read, worded per format (a workbook has no encoding or delimiter). */
function readSummary(d) {
  const bom = d.bom ? t('withBom') : '';
  if (d.format === 'xlsx' || d.format === 'xls') {
    return t('readAsWorkbook', { format: label('format_', d.format), sheet: d.sheet ? t('sheetNamed', { sheet: d.sheet }) : '' });
  }
  if (d.format === 'json') return t('readAsJson', { encoding: d.encoding, bom });
  const delim = d.delimiter === '\t' ? t('tab') : d.delimiter === ' ' ? t('space') : d.delimiter ? `“${d.delimiter}”` : '?';
  return t('readAs', { format: label('format_', d.format), encoding: d.encoding, bom, delim });
}

/** What a decision is about and its value, worded for people; an unknown code shows as itself. */
function decisionWords(d) {
  if (d.code === 'columnRole') {
    // value `role=column`; the role is also the last part of the key (input.columns.<role>).
    const role = d.key?.startsWith('input.columns.') ? d.key.slice('input.columns.'.length) : d.value.split('=')[0];
    const column = d.value.startsWith(`${role}=`) ? d.value.slice(role.length + 1) : d.value;
    return { what: t('decision_columnRole', { role: label('role_', role) }), value: column ? `“${column}”` : t('none') };
  }
  const what = label('decision_', d.code);
  let value = d.value;
  if (d.code === 'delimiter') value = d.value === '\t' ? t('tab') : d.value === ' ' ? t('space') : `“${d.value}”`;
  else if (d.code === 'decimalSeparator' || d.code === 'thousandsSeparator') value = `“${d.value}”`;
  else if (d.code === 'headerRow' && /^\d+$/.test(d.value)) value = t('rowN', { n: d.value });
  else value = label(`decisionValue_${d.code}_`, d.value);
  return { what, value };
}

/** The reading decisions (report.input.decisions) as a table: what, value, how decided, evidence,
 * the setting that overrides it; a decision with a warning is highlighted with the warning below it. */
function renderDecisions(list) {
  if (!list.length) return null;
  const tbody = el('tbody');
  list.forEach((d, i) => {
    const { what, value } = decisionWords(d);
    const warned = typeof d.warning === 'string' && d.warning !== '';
    tbody.append(el('tr', { class: warned ? 'decision warned' : 'decision', 'data-code': d.code, 'data-basis': d.basis, 'data-index': i },
      el('th', { scope: 'row' }, warned ? '⚠ ' : '', what),
      el('td', { 'data-k': 'value' }, value),
      el('td', { 'data-k': 'basis' }, label('decisionBasis_', d.basis)),
      el('td', { 'data-k': 'evidence', lang: 'en' }, d.evidence),
      el('td', { 'data-k': 'key' }, d.key ? el('code', {}, d.key) : '–')));
    if (warned) {
      // The engine words warnings in English; the page adds its own sentence for known codes.
      const own = t(`decisionWarn_${d.code}`) !== `decisionWarn_${d.code}` ? t(`decisionWarn_${d.code}`) : '';
      tbody.append(el('tr', { class: 'decision-warning', 'data-code': d.code, 'data-index': i },
        el('td', { colspan: 5 }, el('p', { class: 'warning' }, `⚠ ${t('decisionCheck', { key: d.key })} `, own ? `${own} ` : '', el('span', { lang: 'en' }, d.warning)))));
    }
  });
  return el('div', { class: 'scroll-x' }, el('table', { class: 'data decisions', id: 'decisions' },
    el('caption', {}, t('decisionsTitle')),
    el('thead', {}, el('tr', {}, ['decisionWhat', 'decisionValue', 'decisionBasis', 'decisionEvidence', 'decisionKey'].map((k) => el('th', { scope: 'col' }, t(k))))),
    tbody));
}

const ROLES = ['customerId', 'orderId', 'date', 'amount', 'quantity', 'unitPrice', 'region'];

async function renderColumns(r) {
  const header = r.input.header ?? [];
  const found = Object.fromEntries((r.input.columns ?? []).map((c) => [c.role, c]));
  const overrides = recipe.input?.columns ?? {};
  const tbody = el('tbody');
  for (const role of ROLES) {
    const c = found[role];
    const id = `role-${role}`;
    const select = el('select', { id, 'data-role': role },
      el('option', { value: '' }, c && c.source !== 'recipe' ? `${c.column} (${t('auto')})` : t('none')),
      header.map((h) => el('option', { value: h, selected: overrides[role] === h }, h)));
    select.addEventListener('change', () => {
      const cols = { ...overrides };
      if (select.value) cols[role] = select.value; else delete cols[role];
      applyRecipe(setPath(base(), ['input', 'columns'], Object.keys(cols).length ? cols : undefined));
    });
    tbody.append(el('tr', { 'data-role': role },
      el('th', { scope: 'row' }, el('label', { for: id }, t(`role_${role}`))),
      el('td', {}, select),
      el('td', { class: 'num' }, c ? pct.format(c.confidence) : '–'),
      el('td', {}, c ? t(`src_${c.source}`) : '')));
  }
  $('columns').replaceChildren(el('table', { class: 'data', id: 'roles' },
    el('thead', {}, el('tr', {}, ['role', 'column', 'confidence', 'source'].map((k) => el('th', { scope: 'col', class: k === 'confidence' ? 'num' : null }, t(k))))),
    tbody));
  try {
    const rows = await client.preview(8, r.input.detected);
    if (!rows?.length) return;
    const [head, ...body] = rows;
    const roleOf = Object.fromEntries((r.input.columns ?? []).map((c) => [c.index, t(`role_${c.role}`)]));
    $('preview').replaceChildren(el('table', { class: 'data small', id: 'preview-table' },
      el('thead', {}, el('tr', {}, head.map((h, i) => el('th', { scope: 'col' }, h, roleOf[i] ? el('div', { class: 'role-tag' }, roleOf[i]) : null)))),
      el('tbody', {}, body.map((row) => el('tr', {}, row.map((v) => el('td', {}, v)))))));
  } catch { /* the preview is a convenience */ }
}

function chart(key, id) {
  const node = $(id);
  if (charts[key] && charts[key].getDom() === node) return charts[key];
  charts[key] = echarts.init(node, null, { renderer: 'canvas' });
  return charts[key];
}

const TIER_COLORS = { Platinum: '#7f8fa6', Gold: '#d4a017', Silver: '#b8c0cc', Bronze: '#b0723a', High: '#2a9d8f', Medium: '#8ab17d', Low: '#e9c46a' };
const PALETTE = ['#4f6bed', '#f0a030', '#2a9d8f', '#e76f51', '#8e6bbf', '#3a86ff', '#ffbe0b', '#6c757d', '#d62828', '#52b788', '#b5838d', '#264653'];

function pareto(monetary) {
  const sorted = Float64Array.from(monetary).sort().reverse();
  const total = sorted.reduce((s, v) => s + Math.max(0, v), 0);
  const top = Math.ceil(sorted.length * 0.2);
  let sum = 0;
  for (let i = 0; i < top; i++) sum += Math.max(0, sorted[i]);
  return total > 0 ? sum / total : 0;
}

function renderSegments(result) {
  const r = result.report;
  const summary = r.segments.summary;
  $('segments-note').textContent = `${t('segmentsNote', { rules: r.segments.rules.name, bins: r.recipe.score.bins, method: methodLabel(r.thresholds[0]?.method) })} ${t('paretoNote', { top: 20, share: pct.format(pareto(result.columns.monetary)) })}`;
  const table = $('segment-table');
  const heads = ['segment', 'customers', 'share', 'revenue', 'revenueShare', 'meanRecency', 'meanOrders', 'meanSpend'];
  table.tHead.replaceChildren(el('tr', {}, heads.map((h, i) => el('th', { scope: 'col', class: i ? 'num' : null }, t(h)))));
  const tbody = table.tBodies[0];
  tbody.replaceChildren();
  summary.forEach((s, i) => {
    tbody.append(el('tr', { 'data-segment': s.name },
      el('th', { scope: 'row' }, el('span', { class: 'swatch', style: `background:${PALETTE[i % PALETTE.length]}` }),
        el('button', { type: 'button', class: 'linkish', 'data-show-segment': String(i), title: t('showCustomers') }, groupLabel(s.name))),
      el('td', { class: 'num', 'data-k': 'customers' }, nf.format(s.customers)),
      el('td', { class: 'num' }, pct.format(s.share)),
      el('td', { class: 'num' }, nf2.format(s.revenue)),
      el('td', { class: 'num' }, pct.format(s.revenue_share)),
      el('td', { class: 'num' }, nf1.format(s.mean_recency_days)),
      el('td', { class: 'num' }, nf1.format(s.mean_frequency)),
      el('td', { class: 'num' }, nf2.format(s.mean_monetary))));
  });
  const c = chart('segments', 'segment-chart');
  c.off('click');
  c.on('click', (p) => {
    const i = summary.findIndex((x) => groupLabel(x.name) === p.name);
    if (i >= 0) showSegment(i);
  });
  const sorted = [...summary].sort((a, b) => b.customers - a.customers);
  if ($('segment-view').value === 'treemap') {
    c.setOption({
      animation: false,
      tooltip: { formatter: (p) => `${p.name}<br>${t('customers')}: ${nf.format(p.data.customers)} (${pct.format(p.data.share)})<br>${t('revenueShare')}: ${pct.format(p.data.revenueShare)}` },
      series: [{ type: 'treemap', roam: false, nodeClick: false, breadcrumb: { show: false }, left: 0, top: 0, right: 0, bottom: 0,
        label: { formatter: (p) => `${p.name}\n${pct.format(p.data.share)} · ${pct.format(p.data.revenueShare)}` },
        data: summary.map((s, i) => ({ name: groupLabel(s.name), value: s.customers, customers: s.customers, share: s.share, revenueShare: s.revenue_share,
          itemStyle: { color: PALETTE[i % PALETTE.length] } })).filter((d) => d.value > 0) }],
    }, true);
  } else c.setOption({
    animation: false,
    tooltip: { trigger: 'axis', valueFormatter: (v) => pct.format(v) },
    legend: { data: [t('shareCustomers'), t('shareRevenue')] },
    grid: { left: 60, right: 20, bottom: 100, top: 40 },
    xAxis: { type: 'category', data: sorted.map((s) => groupLabel(s.name)), axisLabel: { rotate: 35, interval: 0 } },
    yAxis: { type: 'value', axisLabel: { formatter: (v) => pct.format(v) }, max: (v) => Math.min(1, Math.ceil(v.max * 10) / 10) },
    series: [
      { name: t('shareCustomers'), type: 'bar', data: sorted.map((s) => s.share), itemStyle: { color: '#4f6bed' } },
      { name: t('shareRevenue'), type: 'bar', data: sorted.map((s) => s.revenue_share), itemStyle: { color: '#f0a030' } },
    ],
  }, true);
  $('thresholds').replaceChildren(el('table', { class: 'data', id: 'threshold-table' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('metric')), el('th', { scope: 'col' }, t('cuts')), el('th', { scope: 'col' }, t('method')))),
    el('tbody', {}, r.thresholds.map((th) => el('tr', { 'data-metric': th.metric },
      el('th', { scope: 'row' }, t(`metric_${th.metric}`)),
      el('td', { class: 'cuts' }, th.cuts.map((v) => nf2.format(v)).join(' · '), th.collapsed ? el('span', { class: 'badge' }, t('collapsed', { used: th.scores_used.join(', ') })) : null),
      el('td', {}, methodLabel(th.method)))))));
}

/** The R × FM grid, computed here from the per-customer scores (FM = mean of F and M, rounded half up). */
function renderGrid(result) {
  const { columns, segmentNames } = result;
  const r = result.report;
  const given = r.segments.grid; // { axis, bins, cells } when the engine draws the grid itself
  const bins = given?.bins ?? r.recipe.score.bins;
  const axis = given?.axis === 'f' ? 'F' : 'FM';
  const data = [];
  let max = 1;
  if (given?.cells) {
    const byCell = new Map(given.cells.map((c) => [`${c.r}:${c.col}`, c]));
    for (let rr = 1; rr <= bins; rr++) {
      for (let col = 1; col <= bins; col++) {
        const c = byCell.get(`${rr}:${col}`) ?? { customers: 0, mean_monetary: 0, segments: [] };
        max = Math.max(max, c.customers);
        data.push({ value: [col - 1, rr - 1, c.customers], mean: c.mean_monetary, segment: c.segment ?? (c.segments ?? []).join(' / ') });
      }
    }
  } else {
    // Computed here from the scores: FM = mean of F and M rounded half up; the label is the cell's
    // most common segment.
    const cells = bins * bins;
    const count = new Uint32Array(cells);
    const money = new Float64Array(cells);
    const segs = new Map(); // cell → Map(segment → n)
    const n = columns.rScore.length;
    for (let i = 0; i < n; i++) {
      const fm = Math.floor((columns.fScore[i] + columns.mScore[i]) / 2 + 0.5);
      const cell = (columns.rScore[i] - 1) * bins + (fm - 1);
      count[cell]++;
      money[cell] += columns.monetary[i];
      let m = segs.get(cell);
      if (!m) segs.set(cell, (m = new Map()));
      const s = columns.segmentIndex[i];
      m.set(s, (m.get(s) ?? 0) + 1);
    }
    for (let rr = 1; rr <= bins; rr++) {
      for (let fm = 1; fm <= bins; fm++) {
        const cell = (rr - 1) * bins + (fm - 1);
        const top = [...(segs.get(cell) ?? new Map())].sort((a, b) => b[1] - a[1])[0];
        max = Math.max(max, count[cell]);
        data.push({ value: [fm - 1, rr - 1, count[cell]], mean: count[cell] ? money[cell] / count[cell] : 0, segment: top ? segmentNames[top[0]] : '' });
      }
    }
  }
  $('grid-title').textContent = t('gridTitle').replace('FM', axis);
  renderRulesEditor(result, (rr, fm) => data[(rr - 1) * bins + (fm - 1)].segment || (r.segments.rules.fallback ?? 'Others'), axis.toLowerCase());
  const cov = r.segments.coverage;
  $('coverage').textContent = cov.unassigned.length
    ? t('coverageGaps', { n: cov.unassigned.length, cells: cov.cells, fallback: groupLabel(r.segments.rules.fallback ?? 'Others') })
    : t('coverageOk', { cells: cov.cells });
  const labels = Array.from({ length: bins }, (_, i) => String(i + 1));
  chart('grid', 'grid-chart').setOption({
    animation: false,
    tooltip: { formatter: (p) => `R ${p.value[1] + 1} · ${axis} ${p.value[0] + 1}<br>${t('cellCustomers')}: ${nf.format(p.value[2])}<br>${t('meanMonetary')}: ${nf2.format(p.data.mean)}<br>${groupLabel(p.data.segment)}` },
    grid: { left: 60, right: 30, top: 20, bottom: 90 },
    xAxis: { type: 'category', data: labels, name: axis, nameLocation: 'middle', nameGap: 24, splitArea: { show: true } },
    yAxis: { type: 'category', data: labels, name: 'R', nameLocation: 'middle', nameGap: 30, splitArea: { show: true } },
    visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#f3f5ff', '#4f6bed'] } },
    series: [{ type: 'heatmap', data, itemStyle: { borderColor: '#fff', borderWidth: 1 },
      label: { show: true, lineHeight: 15, formatter: (p) => `{n|${nf.format(p.value[2])}}\n{s|${groupLabel(p.data.segment)}}\n{m|${p.value[2] ? `⌀ ${nf2.format(p.data.mean)}` : ''}}`,
        rich: { n: { fontSize: 14, fontWeight: 'bold', lineHeight: 18 }, s: { fontSize: 11, lineHeight: 15 }, m: { fontSize: 10, color: '#444', lineHeight: 14 } } } }],
  }, true);
}

/** The rule table as an editable grid (rows R = N..1, columns FM = 1..N), one segment per cell. */
function renderRulesEditor(result, modal, axis = 'fm') {
  const rules = result.report.segments.rules;
  const bins = rules.bins;
  const other = axis === 'f' ? ['fm', 'm'] : ['f', 'm'];
  const gridOnly = rules.rules.every((x) => other.every((k) => !x[k]));
  rulesAxis = axis;
  const cellOf = (r, fm) => {
    if (!gridOnly) return modal(r, fm);
    const hit = rules.rules.find((x) => (!x.r || (x.r[0] <= r && r <= x.r[1])) && (!x[axis] || (x[axis][0] <= fm && fm <= x[axis][1])));
    return hit ? hit.segment : (rules.fallback ?? 'Others');
  };
  const names = [...new Set([...rules.rules.map((x) => x.segment), ...result.segmentNames])];
  const list = el('datalist', { id: 'segment-name-list' }, names.map((n) => el('option', { value: n })));
  const tbody = el('tbody');
  for (let r = bins; r >= 1; r--) {
    tbody.append(el('tr', {}, el('th', { scope: 'row' }, `R ${r}`),
      Array.from({ length: bins }, (_, i) => {
        const fm = i + 1;
        return el('td', {}, el('input', { type: 'text', list: 'segment-name-list', class: 'rule-cell', 'data-r': r, 'data-fm': fm,
          value: cellOf(r, fm), 'aria-label': t('cellLabel', { r, fm }) }));
      })));
  }
  $('rules-grid').replaceChildren(
    gridOnly ? '' : el('p', { class: 'warning' }, t('rulesNotGrid')),
    list,
    el('table', { class: 'data small rules', id: 'rules-grid-table' },
      el('thead', {}, el('tr', {}, el('th', {}, `R \\ ${axis.toUpperCase()}`), Array.from({ length: bins }, (_, i) => el('th', { scope: 'col' }, `${axis.toUpperCase()} ${i + 1}`)))),
      tbody));
}

let rulesAxis = 'fm';

function applyRulesGrid() {
  const bins = current.report.segments.rules.bins;
  const rules = [];
  for (const input of $('rules-grid').querySelectorAll('input.rule-cell')) {
    const r = Number(input.dataset.r), fm = Number(input.dataset.fm);
    const segment = input.value.trim();
    if (segment) rules.push({ segment, r: [r, r], [rulesAxis]: [fm, fm] });
  }
  // Rows R = N..1 as in the grid; empty cells fall to "Others".
  applyRecipe(setPath(setPath(base(), ['segments', 'preset'], undefined), ['segments', 'rules'],
    { name: 'custom', bins, rules, fallback: 'Others', grid: rulesAxis }));
}

/** Counts and revenue per group of an index column. */
function groupStats(index, names, monetary) {
  const count = new Array(names.length).fill(0);
  const revenue = new Array(names.length).fill(0);
  for (let i = 0; i < index.length; i++) { count[index[i]]++; revenue[index[i]] += monetary[i]; }
  return names.map((name, g) => ({ name, customers: count[g], revenue: revenue[g] }));
}

function renderTiers(result) {
  const ok = Boolean(result.columns.tierIndex && result.tierNames);
  $('tiers-card').hidden = !ok;
  if (!ok) return;
  const stats = groupStats(result.columns.tierIndex, result.tierNames, result.columns.monetary);
  const total = stats.reduce((s, x) => s + x.revenue, 0) || 1;
  const pp = result.report.value_tiers?.pareto;
  $('pareto').textContent = pp?.revenue_share != null
    ? t('paretoNote', { top: nf1.format(pp.top_percent), share: pct.format(pp.revenue_share) })
    : t('paretoNote', { top: 20, share: pct.format(pareto(result.columns.monetary)) });
  chart('tiers', 'tiers-chart').setOption({
    animation: false,
    tooltip: { formatter: (p) => `${p.name}<br>${t('customers')}: ${nf.format(p.data.customers)}<br>${t('revenueShare')}: ${pct.format(p.data.revenue / total)}` },
    series: [{ type: 'funnel', sort: 'ascending', left: '5%', width: '55%', gap: 2, minSize: '15%',
      label: { formatter: (p) => `${p.name} · ${nf.format(p.data.customers)} · ${t('revenue')} ${pct.format(p.data.revenue / total)}` },
      // Band widths follow rank, not counts (a pyramid); an empty tier (e.g. no zero spenders) is left out.
      data: stats.map((s, i) => ({ name: groupLabel(s.name), value: i + 1, customers: s.customers, revenue: s.revenue,
        itemStyle: { color: TIER_COLORS[s.name] ?? PALETTE[i % PALETTE.length] } })).filter((d) => d.customers > 0) }],
  }, true);
}

function renderLifecycle(result) {
  const ok = Boolean(result.columns.stageIndex && result.stageNames);
  $('lifecycle-card').hidden = !ok;
  if (!ok) return;
  // Stages in their order (potential → new → … → lost) as bars: counts do not shrink stage by stage,
  // so a true funnel shape would mislead.
  const stats = groupStats(result.columns.stageIndex, result.stageNames, result.columns.monetary);
  const n = result.ids.length || 1;
  const total = stats.reduce((s, x) => s + x.revenue, 0) || 1;
  chart('lifecycle', 'lifecycle-chart').setOption({
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: (ps) => { const s = stats[ps[0].dataIndex]; return `${groupLabel(s.name)}<br>${t('customers')}: ${nf.format(s.customers)} (${pct.format(s.customers / n)})<br>${t('revenueShare')}: ${pct.format(s.revenue / total)}`; } },
    grid: { left: 110, right: 150, top: 10, bottom: 10 },
    xAxis: { type: 'value', show: false },
    yAxis: { type: 'category', inverse: true, data: stats.map((s) => groupLabel(s.name)), axisTick: { show: false } },
    series: [{ type: 'bar', barWidth: '60%', data: stats.map((s, i) => ({ value: s.customers, itemStyle: { color: PALETTE[i % PALETTE.length] } })),
      label: { show: true, position: 'right', formatter: (p) => `${nf.format(p.value)} · ${pct.format(p.value / n)}` } }],
  }, true);
}

function renderClusters(result) {
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
      xAxis: { scale: true, name: evr ? `PC1 ${pct.format(evr[0])}` : '', nameLocation: 'middle', nameGap: 22 },
      yAxis: { scale: true, name: evr ? `PC2 ${pct.format(evr[1])}` : '', nameLocation: 'middle', nameGap: 28 },
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
    const norm = (m) => {
      const vals = sel[m].filter((v) => v != null);
      const lo = Math.min(...vals), hi = Math.max(...vals);
      return ks.map((k, i) => [k, sel[m][i] == null ? null : hi > lo ? (sel[m][i] - lo) / (hi - lo) : 0.5, sel[m][i]]);
    };
    chart('kCurves', 'k-curves').setOption({
      animation: false, legend: { top: 0 }, grid: { left: 50, right: 30, top: 50, bottom: 24 },
      tooltip: { trigger: 'axis', formatter: (ps) => `k = ${ps[0]?.data[0]}<br>${ps.map((p) => `${p.seriesName}: ${p.data[2] == null ? '–' : nf2.format(p.data[2])}`).join('<br>')}` },
      xAxis: { type: 'value', name: 'k', minInterval: 1, min: 'dataMin', max: 'dataMax' }, yAxis: { type: 'value', show: false },
      series: metrics.map(([m, label], i) => ({ name: label, type: 'line', data: norm(m), itemStyle: { color: PALETTE[i] },
        markLine: i === 0 && cl.k ? { symbol: 'none', data: [{ xAxis: cl.k, label: { formatter: t('chosenK', { k: cl.k }) } }] } : undefined })),
    }, true);
  }
  // Profiles: report.clusters.clusters[].centroid = { feature: value in original units }.
  const infos = cl?.clusters ?? [];
  $('cluster-radar').hidden = infos.length === 0;
  if (infos.length) {
    const features = Object.keys(infos[0].centroid ?? {});
    const max = features.map((f) => Math.max(...infos.map((p) => Math.abs(p.centroid[f] ?? 0))) || 1);
    chart('clusterRadar', 'cluster-radar').setOption({
      animation: false, legend: { bottom: 0, type: 'scroll' },
      tooltip: { formatter: (p) => `${p.name}<br>${features.map((f, i) => `${f}: ${nf2.format(p.value[i])}`).join('<br>')}` },
      radar: { indicator: features.map((f, i) => ({ name: f, max: max[i] })) },
      // clusters[] is in cluster order (ids are 1-based in report.json, indexes 0-based in clusterIndex).
      series: [{ type: 'radar', data: infos.map((p, k) => ({ name: names[k] ?? p.name, value: features.map((f) => p.centroid[f]), itemStyle: { color: PALETTE[k % PALETTE.length] } })) }],
    }, true);
  }
  // Decision rules: report.rules.clusters = { rules: [{ classIndex, class, text, support, purity }], fidelity }.
  const ex = result.report.rules?.clusters;
  $('rules-fidelity').textContent = ex?.fidelity != null ? t('fidelity', { share: pct.format(ex.fidelity) }) : '';
  $('cluster-rules').replaceChildren(ex?.rules?.length ? el('table', { class: 'data', id: 'rules-table' },
    el('thead', {}, el('tr', {}, ['rule', 'cluster', 'support', 'purity'].map((k) => el('th', { scope: 'col', class: k === 'support' || k === 'purity' ? 'num' : null }, t(k))))),
    el('tbody', {}, ex.rules.map((x) => el('tr', {}, el('td', {}, x.text ?? ''), el('td', {}, names[x.classIndex] ?? x.class ?? ''),
      el('td', { class: 'num' }, nf.format(x.support ?? 0)), el('td', { class: 'num' }, pct.format(x.purity ?? 0)))))) : '');
}

// ---------------------------------------------------------------------------------------------------
// Customer table: virtual scrolling over every customer; search, filters and sort work on an index
// array (Uint32Array), so 100k customers cost one small array, not 100k DOM rows.

const ROW_H = 30;
const table = { order: null, sortKey: null, sortDir: 1, filters: {}, query: '' };

function tableColumns(result) {
  const { ids, columns: c, segmentNames } = result;
  const cols = [
    { key: 'id', label: 'customer', get: (i) => ids[i], text: (i) => ids[i], width: '1.3fr' },
    { key: 'recency', label: 'recencyDays', num: true, width: '1.2fr', get: (i) => c.recencyDays[i], text: (i) => nf.format(c.recencyDays[i]) },
    { key: 'frequency', label: 'orders', num: true, get: (i) => c.frequency[i], text: (i) => nf.format(c.frequency[i]) },
    { key: 'monetary', label: 'spend', num: true, get: (i) => c.monetary[i], text: (i) => nf2.format(c.monetary[i]) },
    { key: 'rfm', label: 'rfm', num: true, get: (i) => c.rScore[i] * 100 + c.fScore[i] * 10 + c.mScore[i], text: (i) => `${c.rScore[i]}${c.fScore[i]}${c.mScore[i]}` },
    { key: 'segment', label: 'segment', get: (i) => segmentNames[c.segmentIndex[i]], text: (i) => groupLabel(segmentNames[c.segmentIndex[i]]), width: '1.5fr' },
  ];
  if (c.tierIndex && result.tierNames) cols.push({ key: 'tier', label: 'tier', get: (i) => c.tierIndex[i], text: (i) => groupLabel(result.tierNames[c.tierIndex[i]]) });
  if (c.stageIndex && result.stageNames) cols.push({ key: 'stage', label: 'stage', get: (i) => c.stageIndex[i], text: (i) => groupLabel(result.stageNames[c.stageIndex[i]]) });
  if (c.customTierIndex?.length && result.customTierNames?.length) cols.push({ key: 'customTier', label: 'customTier', get: (i) => c.customTierIndex[i], text: (i) => result.customTierNames[c.customTierIndex[i]] });
  if (c.clusterIndex?.length && result.clusterNames?.length) cols.push({ key: 'cluster', label: 'cluster', get: (i) => c.clusterIndex[i], text: (i) => result.clusterNames[c.clusterIndex[i]] });
  if (result.codes) cols.push({ key: 'code', label: 'code', get: (i) => result.codes[i], text: (i) => result.codes[i] });
  if (c.actionIndex && result.actionTexts) cols.push({ key: 'action', label: 'action', get: (i) => c.actionIndex[i], text: (i) => result.actionTexts[c.actionIndex[i]] ?? '', width: '2fr' });
  if (result.regions?.some((x) => x)) cols.push({ key: 'region', label: 'region', get: (i) => result.regions[i], text: (i) => result.regions[i] });
  return cols;
}

/** Filters offered: segment always; tier, stage, cluster when present. */
function tableFilters(result) {
  const c = result.columns;
  const f = [{ key: 'segment', all: 'allSegments', index: c.segmentIndex, names: result.segmentNames }];
  if (c.tierIndex && result.tierNames) f.push({ key: 'tier', all: 'allTiers', index: c.tierIndex, names: result.tierNames });
  if (c.stageIndex && result.stageNames) f.push({ key: 'stage', all: 'allStages', index: c.stageIndex, names: result.stageNames });
  if (c.customTierIndex?.length && result.customTierNames?.length) f.push({ key: 'customTier', all: 'allCustom', index: c.customTierIndex, names: result.customTierNames });
  if (c.clusterIndex?.length && result.clusterNames?.length) f.push({ key: 'cluster', all: 'allClusters', index: c.clusterIndex, names: result.clusterNames });
  return f;
}

function renderTable(result) {
  const filters = tableFilters(result);
  const box = $('filters');
  box.querySelectorAll('.filter').forEach((n) => n.remove());
  for (const f of filters) {
    const id = `filter-${f.key}`;
    const select = el('select', { id, 'data-filter': f.key },
      el('option', { value: '' }, t(f.all)),
      f.names.map((name, i) => el('option', { value: String(i), selected: table.filters[f.key] === i }, groupLabel(name))));
    select.addEventListener('change', () => {
      if (select.value === '') delete table.filters[f.key]; else table.filters[f.key] = Number(select.value);
      refreshTable();
    });
    box.append(el('label', { class: 'filter', for: id }, el('span', { class: 'visually-hidden' }, t(f.key)), select));
  }
  // Filters on groups that no longer exist are dropped.
  for (const k of Object.keys(table.filters)) {
    const f = filters.find((x) => x.key === k);
    if (!f || table.filters[k] >= f.names.length) delete table.filters[k];
  }
  const cols = tableColumns(result);
  if (!cols.some((c) => c.key === table.sortKey)) table.sortKey = null;
  // Numbers never truncate; with many columns the table scrolls sideways instead of squeezing them.
  const template = cols.map((c) => (c.num ? 'minmax(5.2rem, 0.8fr)' : `minmax(6rem, ${c.width ?? '1fr'})`)).join(' ');
  const head = el('div', { class: 'vt-row vt-head', role: 'row', style: `grid-template-columns:${template}` },
    cols.map((c) => el('div', { role: 'columnheader', class: c.num ? 'num' : null, 'aria-sort': table.sortKey === c.key ? (table.sortDir > 0 ? 'ascending' : 'descending') : 'none' },
      el('button', { type: 'button', class: 'sort', 'data-sort': c.key, 'aria-label': t('sortBy', { col: t(c.label) }) }, t(c.label),
        table.sortKey === c.key ? (table.sortDir > 0 ? ' ▲' : ' ▼') : ''))));
  head.addEventListener('click', (e) => {
    const b = e.target.closest('button[data-sort]');
    if (!b) return;
    const k = b.dataset.sort;
    table.sortDir = table.sortKey === k ? -table.sortDir : 1;
    table.sortKey = k;
    renderTable(current);
  });
  const spacer = el('div', { class: 'vt-spacer' });
  const rows = el('div', { class: 'vt-rows' });
  const body = el('div', { class: 'vt-body', tabindex: '0', role: 'rowgroup', 'aria-label': t('customersTitle') }, spacer, rows);
  $('vt').replaceChildren(el('div', { role: 'table', class: 'vt-table', style: `min-width:${cols.length * 6.6}rem`, 'aria-label': t('customersTitle'), 'aria-rowcount': String(result.ids.length + 1) }, head, body));
  table.cols = cols;
  table.template = template;
  table.body = body;
  table.spacer = spacer;
  table.rows = rows;
  body.addEventListener('scroll', () => requestAnimationFrame(drawRows), { passive: true });
  refreshTable();
}

function refreshTable() {
  const result = current;
  const n = result.ids.length;
  const q = table.query.trim().toLowerCase();
  const filters = tableFilters(result).filter((f) => table.filters[f.key] !== undefined);
  const out = new Uint32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    let ok = true;
    for (const f of filters) if (f.index[i] !== table.filters[f.key]) { ok = false; break; }
    if (ok && q) ok = result.ids[i].toLowerCase().includes(q) || Boolean(result.codes?.[i]?.toLowerCase().includes(q));
    if (ok) out[m++] = i;
  }
  let order = out.subarray(0, m);
  const col = table.cols.find((c) => c.key === table.sortKey);
  if (col) {
    const dir = table.sortDir;
    // Ids are sorted already (Analysis.ids): only the direction matters for them.
    if (col.key === 'id') { if (dir < 0) order.reverse(); } else {
      const get = col.get;
      order = Uint32Array.from(order).sort((a, b) => {
        const x = get(a), y = get(b);
        return (x < y ? -1 : x > y ? 1 : a - b) * dir;
      });
    }
  }
  table.order = order;
  $('table-count').textContent = t('showing', { shown: nf.format(m), total: nf.format(n) });
  table.spacer.style.height = `${m * ROW_H}px`;
  table.body.scrollTop = 0;
  drawRows();
}

function drawRows() {
  const { body, rows, order, cols, template } = table;
  if (!order) return;
  const first = Math.max(0, Math.floor(body.scrollTop / ROW_H) - 5);
  const count = Math.ceil((body.clientHeight || 480) / ROW_H) + 10;
  const last = Math.min(order.length, first + count);
  rows.style.transform = `translateY(${first * ROW_H}px)`;
  const frag = document.createDocumentFragment();
  for (let p = first; p < last; p++) {
    const i = order[p];
    frag.append(el('div', { class: 'vt-row', role: 'row', 'aria-rowindex': String(p + 2), 'data-id': current.ids[i], style: `grid-template-columns:${template}` },
      cols.map((c) => { const v = c.text(i); return el('div', { role: 'cell', class: c.num ? 'num' : null, title: c.num ? null : v }, v); })));
  }
  rows.replaceChildren(frag);
}

// ---------------------------------------------------------------------------------------------------

/** Segment × region with lift (share of the segment within the region ÷ its share overall). */
function renderCross(result) {
  const tabs = result.report.crosstabs;
  if (tabs?.length) { renderReportCross(tabs); return; }
  $('cross-pick-box').hidden = true;
  $('cross-title').textContent = t('crossTitle');
  const regions = result.regions;
  const ok = Boolean(regions?.some((x) => x));
  $('cross-card').hidden = !ok;
  if (!ok) return;
  const names = result.segmentNames;
  const seg = result.columns.segmentIndex;
  const byRegion = new Map();
  for (let i = 0; i < regions.length; i++) {
    const reg = regions[i] || '–';
    let counts = byRegion.get(reg);
    if (!counts) byRegion.set(reg, (counts = new Uint32Array(names.length)));
    counts[seg[i]]++;
  }
  // The 12 largest regions; the rest are summed as "…".
  let regs = [...byRegion].map(([name, counts]) => ({ name, counts, total: counts.reduce((s, v) => s + v, 0) })).sort((a, b) => b.total - a.total);
  if (regs.length > 12) {
    const rest = new Uint32Array(names.length);
    for (const r of regs.slice(11)) r.counts.forEach((v, i) => { rest[i] += v; });
    regs = [...regs.slice(0, 11), { name: '…', counts: rest, total: rest.reduce((s, v) => s + v, 0) }];
  }
  const n = regions.length;
  const segTotal = new Uint32Array(names.length);
  for (let i = 0; i < n; i++) segTotal[seg[i]]++;
  const tbody = el('tbody');
  names.forEach((name, s) => {
    if (!segTotal[s]) return;
    tbody.append(el('tr', { 'data-segment': name }, el('th', { scope: 'row' }, groupLabel(name)),
      regs.map((r) => {
        const lift = r.total ? (r.counts[s] / r.total) / (segTotal[s] / n) : 0;
        const cls = lift >= 1.2 ? 'num hi' : lift <= 0.8 ? 'num lo' : 'num';
        return el('td', { class: cls, 'data-lift': lift.toFixed(3) }, nf.format(r.counts[s]), el('small', {}, ` ${t('lift')} ${nf2.format(lift)}`));
      }),
      el('td', { class: 'num' }, nf.format(segTotal[s]))));
  });
  $('crosstab').replaceChildren(el('table', { class: 'data small', id: 'cross-table' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('segment')), regs.map((r) => el('th', { scope: 'col', class: 'num' }, r.name)), el('th', { scope: 'col', class: 'num' }, 'Σ'))),
    tbody));
}

/** The engine's cross-tabs (report.crosstabs: segment × region / tier / stage), one at a time. */
function renderReportCross(tabs) {
  $('cross-card').hidden = false;
  const pick = $('cross-pick');
  const chosen = Math.min(Number(pick.value || 0), tabs.length - 1);
  pick.replaceChildren(...tabs.map((x, i) => el('option', { value: String(i), selected: i === chosen }, `${t(x.rows_by) } × ${t(x.columns_by)}`)));
  $('cross-pick-box').hidden = tabs.length < 2;
  const x = tabs[chosen];
  $('cross-title').textContent = `${t(x.rows_by)} × ${t(x.columns_by)}`;
  const total = x.counts.map((row) => row.reduce((a, b) => a + b, 0));
  $('crosstab').replaceChildren(el('table', { class: 'data small', id: 'cross-table' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t(x.rows_by)), x.columns.map((c) => el('th', { scope: 'col', class: 'num' }, groupLabel(c))), el('th', { scope: 'col', class: 'num' }, 'Σ'))),
    el('tbody', {}, x.rows.map((name, i) => total[i] ? el('tr', { 'data-segment': name }, el('th', { scope: 'row' }, groupLabel(name)),
      x.columns.map((_, j) => {
        const lift = x.lift?.[i]?.[j] ?? 0;
        const cls = lift >= 1.2 ? 'num hi' : lift <= 0.8 ? 'num lo' : 'num';
        return el('td', { class: cls, 'data-lift': lift.toFixed(3) }, nf.format(x.counts[i][j]), el('small', {}, ` ${t('lift')} ${nf2.format(lift)}`));
      }),
      el('td', { class: 'num' }, nf.format(total[i]))) : null))));
}

// ---------------------------------------------------------------------------------------------------
// Exports: only on a click, as local downloads.

function download(data, name, type) {
  const url = URL.createObjectURL(data instanceof Blob ? data : new Blob([data], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
const baseName = () => fileName.replace(/\.[^.]+$/, '');

// Columns of the customer list left out of exports (by customers.csv name). Kept in memory only, like
// the passphrase, which is read from its field at the moment of the export and never stored.
const droppedColumns = new Set();

/** The export options of the panel, or null for a plain export. */
function exportOptions() {
  const passphrase = $('export-passphrase').value;
  const columns = current?.customerColumns ?? [];
  const dropColumns = columns.filter((c) => droppedColumns.has(c));
  if (!passphrase && !dropColumns.length) return null;
  return { ...(passphrase ? { passphrase } : {}), dropColumns };
}

function renderExportOptions(result) {
  const box = $('drop-columns');
  const columns = result.customerColumns ?? [];
  box.hidden = !columns.length;
  box.replaceChildren(el('span', { class: 'muted' }, t('dropColumnsLabel')), ...columns.map((c) => {
    const id = `drop-${c}`;
    const input = el('input', { type: 'checkbox', id, 'data-column': c, checked: droppedColumns.has(c) });
    input.addEventListener('change', () => { if (input.checked) droppedColumns.add(c); else droppedColumns.delete(c); });
    return el('label', { class: 'check', for: id }, input, ' ', el('code', {}, c));
  }));
}

async function exportFile(what) {
  try {
    const options = exportOptions();
    const bytes = await client.exportBytes(what, options);
    const tag = options?.passphrase ? '-pseudonymised' : '';
    if (what === 'csv') {
      // A UTF-8 BOM so Excel opens Chinese names correctly.
      download(new Blob([new Uint8Array([0xef, 0xbb, 0xbf]), bytes], { type: 'text/csv;charset=utf-8' }), `${baseName()}-segmented${tag}.csv`);
    } else if (what === 'json') {
      download(bytes, `${baseName()}-segmented${tag}.json`, 'application/json');
    } else if (what === 'xlsx') {
      download(bytes, `${baseName()}-segmented${tag}.xlsx`, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    } else {
      download(bytes, `${baseName()}-report${tag}.json`, 'application/json');
    }
  } catch (err) {
    showError(err);
  }
}

function exportChart(key) {
  const c = charts[key];
  if (!c) return;
  const url = c.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
  const bin = atob(url.slice(url.indexOf(',') + 1));
  const bytes = Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
  download(bytes, `${baseName()}-${key}.png`, 'image/png');
}

async function loadRecipeFile(file) {
  const status = $('recipe-status');
  status.textContent = '';
  let next;
  try {
    next = JSON.parse(await file.text());
    if (typeof next !== 'object' || next === null || Array.isArray(next)) throw new Error('the file is not a JSON object');
  } catch (err) {
    showError({ message: `${file.name}: ${err.message}`, code: 'recipe_syntax' });
    return;
  }
  // Validated by analysing it: the engine rejects unknown keys and bad values with a clear message.
  if (await applyRecipe(next)) status.textContent = t('recipeLoaded', { name: file.name });
}

// ---------------------------------------------------------------------------------------------------

function applyLanguage(l) {
  setLanguage(l);
  formatters();
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
  $('lang').value = l;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-aria]')) node.setAttribute('aria-label', t(node.dataset.i18nAria));
  document.title = t('title');
  if (current) render(current); else renderSettings();
}

/** The recipe without what names another file's columns: column roles, and cluster features that are
 * that file's own columns (the sample has none besides the built-in ones). */
function forSample(r) {
  const features = r.cluster?.features?.filter((f) => BUILTIN_FEATURES.includes(f));
  const keep = features?.length && !(features.length === DEFAULT_FEATURES.length && features.every((f, i) => f === DEFAULT_FEATURES[i])) ? features : undefined;
  return setPath(setPath(r, ['input', 'columns'], undefined), ['cluster', 'features'], keep);
}

function openFile(file) {
  if (!file) return;
  fileName = file.name;
  run(() => client.open(file, recipe, onProgress), file.name);
}

$('sample').addEventListener('click', () => {
  fileName = 'tierlens-sample.csv';
  // The sample has its own headers: column overrides meant for another file would not apply.
  recipe = forSample(recipe);
  run(() => client.sample(recipe, onProgress), t('theSample'));
});
$('sample-zh').addEventListener('click', () => {
  fileName = 'tierlens-sample-zh.csv';
  // The Chinese sample has other headers: column overrides of the previous file would not apply.
  recipe = forSample(recipe);
  run(() => client.sample(recipe, onProgress, { language: 'zh' }), t('theSample'));
});
$('file').addEventListener('change', (e) => { openFile(e.target.files[0]); e.target.value = ''; });
$('cancel').addEventListener('click', () => client.cancel());
$('export-csv').addEventListener('click', () => exportFile('csv'));
$('export-json').addEventListener('click', () => exportFile('json'));
$('export-xlsx').addEventListener('click', () => exportFile('xlsx'));
$('export-report').addEventListener('click', () => exportFile('report'));
$('export-recipe').addEventListener('click', () => download(JSON.stringify(recipe, null, 2), `${baseName()}-recipe.json`, 'application/json'));
$('save-recipe').addEventListener('click', () => download(JSON.stringify(recipe, null, 2), `${baseName()}-recipe.json`, 'application/json'));
$('recipe-file').addEventListener('change', (e) => { const f = e.target.files[0]; e.target.value = ''; if (f) loadRecipeFile(f); });
$('reset-recipe').addEventListener('click', () => applyRecipe({}));
$('print').addEventListener('click', () => window.print());
$('apply-rules').addEventListener('click', () => applyRulesGrid());
// A segment name (table row, bar or treemap tile) opens the customer table filtered to it.
function showSegment(index) {
  table.filters.segment = index;
  renderTable(current);
  $('customers-card').scrollIntoView({ block: 'start' });
  $('filter-segment')?.focus({ preventScroll: true });
}
$('segment-table').addEventListener('click', (e) => {
  const b = e.target.closest('button[data-show-segment]');
  if (b) showSegment(Number(b.dataset.showSegment));
});
$('cross-pick').addEventListener('change', () => { if (current) renderCross(current); });
$('segment-view').addEventListener('change', () => { if (current) renderSegments(current); });
document.addEventListener('click', (e) => {
  const b = e.target.closest('button[data-chart]');
  if (b) exportChart(b.dataset.chart);
});
let searchTimer;
$('search').addEventListener('input', (e) => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => { table.query = e.target.value; if (current) refreshTable(); }, 120);
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
Promise.all([client.version(), client.capabilities()]).then(([v, c]) => {
  caps = c;
  $('version').textContent = v;
  renderSettings();
  document.body.dataset.worker = 'ready';
}).catch(showError);

// For the browser tests and for checking a merge: draw a result message by hand (e.g. with the
// tier/lifecycle/cluster fields a newer worker sends). Reads nothing and sends nothing.
// chartData(key) is a chart's option as drawn (functions left out), for tests that compare what is
// drawn with the engine's report.
window.tierlensPage = {
  render: (result) => render(result),
  current: () => current,
  chartData: (key) => (charts[key] ? JSON.parse(JSON.stringify(charts[key].getOption())) : null),
};
