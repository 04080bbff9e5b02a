// Custom tiers: an ordered list of { tier, when } rules (first match wins) and the name for the rest.
import { t } from '../../i18n.js';
import { $, el, fmt } from '../dom.js';
import { state, base, setDraft } from '../state.js';
import { setPath } from '../paths.js';
import { applyRecipe } from '../engine.js';
import { errorFor, errorAbout } from '../fielderror.js';

/** The recipe's `customTiers` for an editor state (undefined when it says nothing beyond defaults). */
export function customTiersValue({ rules, otherwise }) {
  if (!rules.length && otherwise === 'Other') return undefined;
  return { ...(rules.length ? { rules } : {}), ...(otherwise !== 'Other' ? { otherwise } : {}) };
}

export function customTiersEditor(box) {
  // A recipe the engine rejected for a rule (e.g. loaded from a file) is shown as loaded, to be fixed.
  const rejected = errorAbout('customTiers') && state.fieldError.attempted ? state.fieldError.attempted : null;
  const saved = (rejected ?? state.recipe).customTiers ?? {};
  const draft = state.drafts.custom;
  const current = draft ?? { rules: structuredClone(saved.rules ?? []), otherwise: saved.otherwise ?? 'Other' };
  // Customers per custom tier, as the engine counted them (report.customTiers).
  const counts = new Map((state.result?.report.customTiers ?? []).map((s) => [s.name, s.customers]));
  const commit = (next, focus) => {
    setDraft('custom', next);
    if (focus) setDraft('focus', focus);
    // An unfinished rule is not sent; nothing is rebuilt either, so focus and typing are not disturbed.
    if (next.rules.some((r) => !r.tier.trim() || !r.when.trim())) {
      if (!$('ct-incomplete')) $('ct-add')?.parentElement.after(el('p', { class: 'muted small-note', id: 'ct-incomplete' }, t('ruleIncomplete')));
      return;
    }
    let r = setPath(base(), ['customTiers'], customTiersValue(next));
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
  current.rules.forEach((rule, i) => {
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
      commit(s, `ct-${(d < 0) === same ? 'up' : 'down'}-${j}`);
    };
    const tools = el('span', { class: 'rule-tools' },
      el('button', { type: 'button', id: `ct-up-${i}`, class: 'icon', disabled: i === 0, 'aria-label': t('moveUp', { n }), title: t('moveUp', { n }) }, '↑'),
      el('button', { type: 'button', id: `ct-down-${i}`, class: 'icon', disabled: i === current.rules.length - 1, 'aria-label': t('moveDown', { n }), title: t('moveDown', { n }) }, '↓'),
      el('button', { type: 'button', id: `ct-remove-${i}`, class: 'icon', 'aria-label': t('removeRule', { n }), title: t('removeRule', { n }) }, '✕'));
    tools.children[0].addEventListener('click', () => move(-1));
    tools.children[1].addEventListener('click', () => move(1));
    tools.children[2].addEventListener('click', () => { const s = fromDom(); s.rules.splice(i, 1); commit(s, 'ct-add'); });
    const count = draft || !counts.has(rule.tier) ? null : el('span', { class: 'count', 'data-count': counts.get(rule.tier) }, t('ruleCount', { n: fmt.nf.format(counts.get(rule.tier)) }));
    list.append(el('li', { class: 'rule', 'data-rule': String(i) },
      el('div', { class: 'rule-head' }, el('label', { for: tier.id }, `${t('ruleN', { n })} · ${t('ruleTier')}`), tools),
      tier, errorFor(`customTiers.rules[${i}].tier`, tier, null),
      el('label', { for: when.id }, t('ruleWhen'), count ? ' ' : null, count),
      when, errorFor(`customTiers.rules[${i}].when`, when, rule.when)));
  });
  box.append(current.rules.length ? list : el('p', { class: 'muted small-note' }, t('noRules')));
  const otherwise = el('input', { id: 'ct-otherwise', type: 'text', value: current.otherwise, autocomplete: 'off' });
  otherwise.addEventListener('change', () => commit(fromDom()));
  const restCount = !draft && current.rules.length && counts.has(current.otherwise) ? t('ruleCount', { n: fmt.nf.format(counts.get(current.otherwise)) }) : '';
  box.append(el('div', { class: 'field' }, el('label', { for: 'ct-otherwise' }, t('otherwise'), restCount ? el('span', { class: 'count' }, ` ${restCount}`) : null), otherwise));
  const add = el('button', { type: 'button', id: 'ct-add' }, `+ ${t('addRule')}`);
  add.addEventListener('click', () => {
    const s = fromDom();
    s.rules.push({ tier: '', when: '' });
    setDraft('custom', s);
    setDraft('focus', `ct-tier-${s.rules.length - 1}`, 'settings');
  });
  box.append(el('div', { class: 'actions tight' }, add));
  if (current.rules.some((r) => !r.tier.trim() || !r.when.trim())) box.append(el('p', { class: 'muted small-note', id: 'ct-incomplete' }, t('ruleIncomplete')));
}
