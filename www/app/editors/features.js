// Cluster features: the built-in ones and the file's extra columns (numeric, or categorical one-hot).
import { t, errorText } from '../../i18n.js';
import { el } from '../dom.js';
import { state, apply, base } from '../state.js';
import { setPath } from '../paths.js';
import { applyRecipe } from '../engine.js';
import { builtinFeatures, defaultFeatures } from '../known.js';
import { featureLabel } from '../words.js';

/** The recipe's `cluster.features` for a choice: undefined when it is the default list. */
export function featuresValue(picked, defaults) {
  const same = picked.length === defaults.length && picked.every((x, j) => x === defaults[j]);
  return same ? undefined : picked;
}

export function clusterFeaturesEditor(box) {
  const builtin = builtinFeatures(state.caps);
  const defaults = defaultFeatures(state.caps);
  const chosen = state.recipe.cluster?.features ?? defaults;
  const extra = (state.result?.attributes ?? []).filter((a) => !builtin.includes(a.name));
  const all = [...builtin.map((name) => ({ name, label: featureLabel(name) })),
    ...extra.map((a) => ({ name: a.name, label: a.name, kind: a.kind, extra: true }))];
  // Names in the recipe that this file does not have stay listed (checked), so the error can be read.
  for (const name of chosen) if (!all.some((f) => f.name === name)) all.push({ name, label: name, extra: true });
  const group = el('fieldset', { class: 'features', id: 'cluster-features' }, el('legend', {}, t('clusterFeatures')));
  all.forEach((f, i) => {
    const id = `feat-${i}`;
    if (f.extra && !all.slice(0, i).some((x) => x.extra)) group.append(el('div', { class: 'muted small-note' }, t('fromFile')));
    const input = el('input', { id, type: 'checkbox', 'data-feature': f.name, checked: chosen.includes(f.name) });
    input.addEventListener('change', () => {
      const picked = all.filter((x) => group.querySelector(`input[data-feature="${CSS.escape(x.name)}"]`).checked).map((x) => x.name);
      if (!picked.length) {
        input.checked = true;
        apply({ fieldError: { field: 'cluster.features', code: 'page', message: t('featuresNeedOne') } }, 'settings');
        return;
      }
      applyRecipe(setPath(base(), ['cluster', 'features'], featuresValue(picked, defaults)));
    });
    group.append(el('div', { class: 'field check' }, input, el('label', { for: id }, f.label, f.kind ? el('small', { class: 'muted' }, ` · ${t(`kind_${f.kind}`)}`) : null)));
  });
  const err = state.fieldError;
  const note = err?.field === 'cluster.features' ? el('div', { class: 'field-error', id: 'cluster-features-error', 'data-field': 'cluster.features' }, `⚠ ${err.code === 'page' ? err.message : errorText(err)}`) : null;
  box.append(group, note ?? ''); // append() would write a null as the text "null"
}
