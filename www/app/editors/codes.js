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
  box.append(codePreview(result, (result.codeTokens ?? []).map((s) => s.slot)));
}

/** Codes now: one row per class key of the template (the classes it uses), largest first. */
function codePreview(result, slots) {
  const { columns: c, codes } = result;
  if (!codes) return '';
  const parts = {
    region: (i) => result.regions?.[i] || t('noRegion'), tier: (i) => groupLabel(result.tierNames?.[c.tierIndex?.[i]] ?? ''),
    stage: (i) => groupLabel(result.lifecycleNames?.[c.lifecycleIndex?.[i]] ?? ''), segment: (i) => groupLabel(result.segmentNames[c.segmentIndex[i]]),
    custom: (i) => result.customTierNames?.[c.customTierIndex?.[i]] ?? '', r: (i) => `R${c.rScore[i]}`, f: (i) => `F${c.fScore[i]}`, m: (i) => `M${c.mScore[i]}`,
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
    el('caption', {}, t('codePreview', { keys: fmt.nf.format(groups.size), n: fmt.nf.format(codes.length) })),
    el('tbody', {}, top.map((g) => el('tr', {}, el('td', { class: 'mono' }, g.first), el('td', {}, g.key || '–'), el('td', { class: 'num' }, fmt.nf.format(g.n))))));
}
