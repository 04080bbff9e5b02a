// Actions: the text per class of the chosen basis; a text equal to the built-in one is not stored.
import { t, groupLabel } from '../../i18n.js';
import { el } from '../dom.js';
import { state, base, setDraft } from '../state.js';
import { setPath } from '../paths.js';
import { applyRecipe } from '../engine.js';

export function actionsEditor(box) {
  const result = state.result;
  if (!result) return;
  const { recipe } = state;
  const basis = recipe.actions?.basis ?? 'segment';
  const lang = recipe.actions?.language ?? 'en';
  const names = { segment: result.segmentNames, tier: result.tierNames, lifecycle: result.lifecycleNames, custom: result.customTierNames }[basis] ?? [];
  const builtIn = new Map((state.caps.actionDefaults ?? []).map((d) => [d.name, d]));
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
    reset?.addEventListener('click', () => { setDraft('focus', `act-text-${i}`); applyRecipe(setPath(base(), ['actions', 'text', name], undefined)); });
    list.append(el('div', { class: 'action-row', 'data-class': name },
      el('div', { class: 'rule-head' }, el('label', { for: area.id }, groupLabel(name), edited ? el('span', { class: 'badge' }, t('edited')) : null), reset), area));
  });
  box.append(list);
  const resetAll = el('button', { type: 'button', id: 'act-reset', disabled: Object.keys(own).length === 0 }, t('resetActions'));
  resetAll.addEventListener('click', () => applyRecipe(setPath(base(), ['actions', 'text'], undefined)));
  box.append(el('div', { class: 'actions tight' }, resetAll));
}
