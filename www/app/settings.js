// Settings: sections of declarative fields over recipe paths, plus editors for the settings that are
// lists or tables (editors/*.js). Every control writes one recipe path through the apply step; the
// recipe stays minimal (defaults are left out). `reload: true` marks settings that change how rows are
// read (the worker decides when to re-read; the mark only informs the user). Labels are in i18n.js.
import { t } from '../i18n.js';
import { $, el } from './dom.js';
import { state, apply, base } from './state.js';
import { getPath, setPath, parseList } from './paths.js';
import { applyRecipe } from './engine.js';
import { errorFor } from './fielderror.js';
import { tierPresets } from './known.js';
import { tierBandsEditor } from './editors/bands.js';
import { customTiersEditor } from './editors/custom.js';
import { codesEditor } from './editors/codes.js';
import { actionsEditor } from './editors/actions.js';
import { clusterFeaturesEditor } from './editors/features.js';

const caps = () => state.caps;
const recipe = () => state.recipe;

/** The cut points of the latest analysis, shown in an empty cut-point field as a starting point. */
function cutsInUse(metric) {
  const th = state.result?.report.thresholds.find((x) => x.metric === metric);
  return th ? `auto: ${th.cuts.map((v) => Math.round(v * 100) / 100).join(', ')}` : 'auto';
}

/** CLV turned off: `enabled: false` while other clv settings are kept, else no section at all. */
function clvOff(r) {
  const { enabled: _, ...rest } = r.clv ?? {};
  return setPath(r, ['clv'], Object.keys(rest).length ? { ...rest, enabled: false } : undefined);
}

/** A clv field written while CLV is off keeps it off (a section without `enabled` is on). */
const clvKeep = (r) => (r.clv && r.clv.enabled === undefined && !base().clv ? setPath(r, ['clv', 'enabled'], false) : r);

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
      options: () => [...(recipe().segments?.rules ? [['', 'customRules']] : []), ...caps().presets.map((p) => [p.name, p.name])],
      // A preset replaces the user's rules, and is written for given bins: follow it.
      after: (r0, v) => {
        const r = setPath(r0, ['segments', 'rules'], undefined);
        const p = caps().presets.find((x) => x.name === v);
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
  { title: 'secTiers', fields: [
    { key: 'tierPreset', path: ['valueTiers', 'preset'], type: 'select', default: 'platinum-gold-silver-bronze',
      value: (r) => (r.valueTiers?.bands ? '' : undefined),
      options: () => [...(recipe().valueTiers?.bands ? [['', 'ownBands']] : []), ...tierPresets(caps())],
      // A preset replaces the user's own bands (and the unfinished table).
      after: (r) => { const { bands: _, ...drafts } = state.drafts; apply({ drafts }); return setPath(r, ['valueTiers', 'bands'], undefined); } },
    { key: 'zeroSpend', path: ['valueTiers', 'zeroSpend'], type: 'text', default: 'No Spend' },
    { key: 'paretoPercent', path: ['valueTiers', 'paretoPercent'], type: 'number', default: 20, min: 1, max: 99, step: 1 },
  ], editor: tierBandsEditor },
  { title: 'secLifecycle', fields: [
    { key: 'lifecycleMode', path: ['lifecycle', 'mode'], type: 'select', default: 'fixed',
      options: () => [['fixed', 'lifecycleFixed'], ['relative', 'lifecycleRelative'], ['probabilistic', 'lifecycleProbabilistic']] },
    { key: 'usualGap', path: ['lifecycle', 'usualGap'], type: 'select', default: 'p80',
      options: () => [['p80', 'gapP80'], ['mean', 'gapMean']] },
    { key: 'newDays', path: ['lifecycle', 'newDays'], type: 'number', default: 30, min: 1, step: 1 },
    { key: 'activeDays', path: ['lifecycle', 'activeDays'], type: 'number', default: 30, min: 1, step: 1 },
    { key: 'dueDays', path: ['lifecycle', 'dueDays'], type: 'number', default: 60, min: 1, step: 1 },
    { key: 'lapsingDays', path: ['lifecycle', 'lapsingDays'], type: 'number', default: 90, min: 1, step: 1 },
  ] },
  { title: 'secClv', id: 'clv', field: 'clv', fields: [
    // Writing the clv section turns it on (the engine's rule): the checkbox says so, and a field changed
    // while it is off writes `enabled: false` so that the change alone does not turn CLV on.
    { key: 'clvEnabled', path: ['clv', 'enabled'], type: 'checkbox', reload: true,
      value: (r) => (r.clv ? r.clv.enabled !== false : undefined),
      after: (r, v) => (v ? r : clvOff(r)) },
    { key: 'clvModel', path: ['clv', 'model'], type: 'select', default: 'bgnbd', after: (r) => clvKeep(r),
      options: () => [['bgnbd', 'clvModelBgnbd'], ['mbgnbd', 'clvModelMbgnbd']] },
    { key: 'clvTimeUnit', path: ['clv', 'timeUnit'], type: 'select', default: 'week', after: (r) => clvKeep(r),
      options: () => ['day', 'week', 'month'].map((u) => [u, `clvUnit_${u}`]) },
    { key: 'clvHorizon', path: ['clv', 'horizon'], type: 'number', default: 52, min: 1, max: 3660, step: 1, after: (r) => clvKeep(r) },
    { key: 'clvCalibrationEnd', path: ['clv', 'calibrationEnd'], type: 'date', help: 'clvCalibrationEndHelp', after: (r) => clvKeep(r) },
    { key: 'clvDiscountRate', path: ['clv', 'discountRate'], type: 'number', min: 0, max: 10, step: 0.01, help: 'clvDiscountRateHelp', after: (r) => clvKeep(r) },
    { key: 'clvPAliveThreshold', path: ['clv', 'pAliveThreshold'], type: 'number', default: 0.3, min: 0, max: 1, step: 0.05, after: (r) => clvKeep(r) },
  ] },
  { title: 'secCustom', id: 'custom', field: 'customTiers', editor: customTiersEditor },
  { title: 'secCodes', id: 'codes', fields: [
    { key: 'codeTemplate', path: ['codes', 'template'], type: 'text', default: '{tier}{stage}-{seq:04}', help: 'codeTemplateHelp', mono: true },
  ], editor: codesEditor },
  { title: 'secActions', id: 'actions', fields: [
    { key: 'actionBasis', path: ['actions', 'basis'], type: 'select', default: 'segment',
      options: () => ['segment', 'tier', 'lifecycle', ...(recipe().customTiers?.rules?.length ? ['custom'] : [])].map((b) => [b, `basis_${b}`]) },
    { key: 'actionLanguage', path: ['actions', 'language'], type: 'select', default: 'en',
      options: () => [['en', 'English'], ['zh', '中文']] },
  ], editor: actionsEditor },
  { title: 'secCluster', id: 'cluster', fields: [
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

export function renderSettings() {
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
      const open = state.openSections.has(section.id) || (state.fieldError?.field ?? '').startsWith(section.field ?? section.id);
      const box = el('details', { class: 'sec', id: `sec-${section.id}`, open }, el('summary', {}, t(section.title)), body);
      box.addEventListener('toggle', () => {
        const sections = new Set(state.openSections);
        if (box.open) sections.add(section.id); else sections.delete(section.id);
        apply({ openSections: sections });
      });
      form.append(el('fieldset', {}, box));
    } else {
      form.append(el('fieldset', {}, el('legend', {}, t(section.title)), body));
    }
  }
  const aside = form.closest('.settings');
  if (aside) aside.scrollTop = scroll;
  // After a rebuild without new results (a rule added, an incomplete rule): focus where the user works.
  const focus = state.drafts.focus;
  if (focus && $(focus)) {
    $(focus).focus({ preventScroll: true });
    const { focus: _, ...drafts } = state.drafts;
    apply({ drafts });
  }
}

/** The value a field's change writes (`undefined` = the default: left out of the recipe). */
export function fieldValue(f, raw, checked) {
  let v;
  if (f.parse) v = f.parse(raw);
  else if (f.type === 'checkbox') v = f.default === true ? checked : checked || undefined;
  else if (f.type === 'list') v = parseList(raw);
  else if ((f.type === 'select' && f.number) || f.type === 'number') v = raw === '' ? undefined : Number(raw);
  else v = raw || undefined;
  return v !== undefined && f.default !== undefined && v === f.default ? undefined : v; // keep recipes minimal
}

function renderField(f) {
  const id = `set-${f.key}`;
  const err = state.fieldError;
  const rejected = err?.field === f.path.join('.') && err.attempted ? getPath(err.attempted, f.path) : undefined;
  const value = rejected ?? f.value?.(state.recipe) ?? getPath(state.recipe, f.path) ?? f.default;
  let input;
  if (f.type === 'select') {
    input = el('select', { id, name: f.key }, f.options().map(([v, text]) =>
      el('option', { value: String(v), selected: String(v) === String(value ?? '') }, /^[a-z]/.test(text) && t(text) !== text ? t(text) : text)));
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
    const v = fieldValue(f, input.value, input.checked);
    let next = setPath(base(), f.path, v);
    if (f.after) next = f.after(next, v ?? f.default);
    applyRecipe(next);
  });
  const text = el('label', { for: id }, t(f.key), f.reload ? el('span', { class: 'reload', title: 're-reads the file' }, ' ↻') : null);
  const note = errorFor(f.path.join('.'), input, input.value);
  return el('div', { class: f.type === 'checkbox' ? 'field check' : 'field' },
    f.type === 'checkbox' ? [input, text] : [text, input],
    helpId ? el('small', { id: helpId, class: 'muted' }, t(f.help)) : null, note);
}
