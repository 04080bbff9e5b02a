// Codes: the template (a plain field in settings.js) and the token tables of the classes it uses.
//
// The template's slot names and the lifecycle stages' default tokens come from the engine
// (capabilities(): codeSlots, fixedStages, relativeStages). The other default tokens (tier rank,
// segment number, region letters) are still worded here from src/score/codes.rs's rules; a per-class
// token answer from the engine is the next step.
import { t, groupLabel } from '../../i18n.js';
import { el, fmt } from '../dom.js';
import { state, base } from '../state.js';
import { setPath } from '../paths.js';
import { applyRecipe } from '../engine.js';

/** Template name → canonical slot, from the engine's code slots. */
const slotAliases = (caps) => Object.fromEntries((caps?.codeSlots ?? []).flatMap((s) => s.aliases.map((a) => [a, s.slot])));
/** Lifecycle stage → default token, from the engine. */
const lifecycleTokens = (caps) => Object.fromEntries([...(caps?.fixedStages ?? []), ...(caps?.relativeStages ?? [])].map((s) => [s.name, s.token]));

/** Spreadsheet-style letters: 0 → A, 25 → Z, 26 → AA. */
export function letters(i) {
  let s = '';
  for (;;) { s = String.fromCharCode(65 + (i % 26)) + s; if (i < 26) return s; i = Math.floor(i / 26) - 1; }
}

/** The class dimensions a template uses (recipe `codes.maps` keys), in template order. */
export const templateSlots = (template, caps = state.caps) => {
  const aliases = slotAliases(caps);
  return [...template.matchAll(/\{\s*([a-z_]+)\s*(?::[^}]*)?\}/g)].map((m) => aliases[m[1]]).filter(Boolean);
};

/** Class names of a code dimension with the engine's default token of each (src/score/codes.rs). */
export function codeClasses(dim, result, maps) {
  if (dim === 'tier') return (result.tierNames ?? []).map((n, i, all) => [n, i === all.length - 1 ? '0' : String(i + 1)]);
  if (dim === 'stage') return (result.lifecycleNames ?? []).map((n) => [n, lifecycleTokens(state.caps)[n] ?? n.slice(0, 1).toUpperCase()]);
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

export function codesEditor(box) {
  box.append(el('p', { class: 'muted small-note' }, t('codesNote')));
  const result = state.result;
  if (!result) return;
  const { recipe } = state;
  const slots = templateSlots(recipe.codes?.template ?? '{tier}{stage}-{seq:04}');
  for (const dim of ['region', 'tier', 'stage', 'segment', 'custom']) {
    if (!slots.includes(dim)) continue;
    const maps = recipe.codes?.maps?.[dim] ?? {};
    const classes = codeClasses(dim, result, maps);
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
  box.append(codePreview(result, slots));
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
