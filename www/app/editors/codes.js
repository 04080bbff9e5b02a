// Codes: the template (a plain field in settings.js) and the token tables of the classes it uses.
//
// The template's slots and each class's token come from the engine (Analysis.codeTokens(), by the
// rules the codes are built with); the page only draws them and writes the user's tokens into
// the recipe's codes.maps.
import { t, groupLabel } from '../../i18n.js';
import { el, fmt } from '../dom.js';
import { state, base } from '../state.js';
import { setPath } from '../paths.js';
import { applyRecipe } from '../engine.js';

/** The token tables to draw: the engine's slots that have classes (not the r/f/m scores). */
export const tokenTables = (codeTokens) => (codeTokens ?? []).filter((s) => s.classes?.length);

export function codesEditor(box) {
  box.append(el('p', { class: 'muted small-note' }, t('codesNote')));
  const result = state.result;
  if (!result) return;
  const { recipe } = state;
  for (const { slot: dim, classes } of tokenTables(result.codeTokens)) {
    const maps = recipe.codes?.maps?.[dim] ?? {};
    const shown = classes.slice(0, 40);
    const rows = shown.map(({ name, token }, i) => {
      const input = el('input', { id: `code-${dim}-${i}`, type: 'text', class: 'token mono', value: maps[name] ?? '', placeholder: token,
        'data-class': name, 'aria-label': t('tokenFor', { name: name || t('noRegion') }), autocomplete: 'off' });
      input.addEventListener('change', () => applyRecipe(setPath(base(), ['codes', 'maps', dim, name], input.value.trim() || undefined)));
      return el('tr', {}, el('th', { scope: 'row' }, name ? groupLabel(name) : t('noRegion')), el('td', {}, input));
    });
    box.append(el('table', { class: 'data small tokens', id: `code-map-${dim}` },
      el('caption', {}, t(`codeMap_${dim}`)), el('tbody', {}, rows)),
    classes.length > shown.length ? el('p', { class: 'muted small-note' }, `+ ${classes.length - shown.length}`) : '');
  }
  box.append(codePreview(result));
}

/** A class of the code preview in words: no region, a group label, or the R/F/M score. */
export function slotClassText({ slot, name }) {
  if (slot === 'region') return name || t('noRegion');
  if (slot === 'r' || slot === 'f' || slot === 'm') return `${slot.toUpperCase()}${name}`;
  if (slot === 'custom') return name;
  return groupLabel(name);
}

/** Codes now: the engine's groups of customers by the classes of the template (Analysis.codeGroups),
 * largest first, each with its first code. */
function codePreview(result) {
  const groups = result.codeGroups;
  if (!groups) return '';
  return el('table', { class: 'data small', id: 'code-preview' },
    el('caption', {}, t('codePreview', { keys: fmt.nf.format(groups.keys), n: fmt.nf.format(groups.customers) })),
    el('tbody', {}, groups.top.map((g) => el('tr', {}, el('td', { class: 'mono' }, g.first),
      el('td', {}, g.classes.map(slotClassText).join(' · ') || '–'), el('td', { class: 'num' }, fmt.nf.format(g.count))))));
}
