// Value tier bands: name and share of spending customers, top tier first; the shares must sum to 100.
// An unfinished table (sum not 100) stays a draft, with the sum shown, until it adds up.
import { t, errorText } from '../../i18n.js';
import { $, el, fmt } from '../dom.js';
import { state, base, setDraft } from '../state.js';
import { setPath } from '../paths.js';
import { applyRecipe } from '../engine.js';
import { errorAbout } from '../fielderror.js';

/** The sum of the bands' shares (a share that is not a number counts 0). */
export const bandSum = (bands) => bands.reduce((a, b) => a + (Number.isFinite(b.percent) ? b.percent : 0), 0);

/** Whether a band table can be sent: every band named with a positive share, 100 % in all. */
export const bandsComplete = (bands) => bands.length > 0 && bands.every((b) => b.name && b.percent > 0) && Math.abs(bandSum(bands) - 100) <= 1e-6;

export function tierBandsEditor(box) {
  const result = state.result;
  if (!result) return;
  const err = state.fieldError;
  const rejected = errorAbout('valueTiers.bands') && err.attempted?.valueTiers?.bands;
  const current = state.drafts.bands ?? structuredClone(rejected || state.recipe.valueTiers?.bands || result.report.valueTiers?.bands || []);
  const sumText = (bands) => t('bandSum', { sum: fmt.nf1.format(bandSum(bands)) });
  const fromDom = () => [...box.querySelectorAll('tr[data-band]')].map((tr) => ({
    name: tr.querySelector('input[data-k=name]').value.trim(),
    percent: Number(tr.querySelector('input[data-k=percent]').value),
  }));
  const commit = (next, rebuild, focus) => {
    if (!bandsComplete(next)) {
      if (rebuild) { setDraft('bands', next); setDraft('focus', focus, 'settings'); return; }
      setDraft('bands', next);
      // Only the sum is updated: the table is not rebuilt under the user's hands.
      $('tier-sum').textContent = sumText(next);
      $('tier-sum').classList.replace('muted', 'warning');
      return;
    }
    setDraft('bands', next);
    if (focus) setDraft('focus', focus);
    applyRecipe(setPath(base(), ['valueTiers', 'bands'], next), { draft: 'bands' });
  };
  const rows = current.map((b, i) => {
    const name = el('input', { id: `band-name-${i}`, type: 'text', value: b.name, 'data-k': 'name', 'aria-label': t('bandName', { n: i + 1 }), autocomplete: 'off' });
    const percent = el('input', { id: `band-pct-${i}`, type: 'number', value: String(b.percent), min: '0', max: '100', step: 'any', 'data-k': 'percent', 'aria-label': t('bandPercent', { name: b.name || i + 1 }) });
    for (const input of [name, percent]) input.addEventListener('change', () => commit(fromDom(), false));
    const remove = el('button', { type: 'button', class: 'icon', id: `band-remove-${i}`, disabled: current.length < 2, 'aria-label': t('removeBand', { name: b.name || i + 1 }), title: t('removeBand', { name: b.name || i + 1 }) }, '✕');
    remove.addEventListener('click', () => { const s = fromDom(); s.splice(i, 1); commit(s, true, 'band-add'); });
    // An engine error about one band (a name used twice, …) marks that band; the text is under the table.
    if (err?.field === `valueTiers.bands[${i}].name`) name.setAttribute('aria-invalid', 'true');
    if (err?.field === `valueTiers.bands[${i}].percent`) percent.setAttribute('aria-invalid', 'true');
    return el('tr', { 'data-band': String(i) }, el('td', {}, name), el('td', { class: 'pct' }, percent, ' %'), el('td', {}, remove));
  });
  box.append(el('table', { class: 'data small bands', id: 'tier-bands' },
    el('caption', {}, t('bandsTitle')),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('tier')), el('th', { scope: 'col' }, t('bandShare')), el('th', {}, el('span', { class: 'visually-hidden' }, t('removeBand', { name: '' }))))),
    el('tbody', {}, rows)));
  const sum = el('p', { id: 'tier-sum', class: `small-note ${Math.abs(bandSum(current) - 100) > 1e-6 ? 'warning' : 'muted'}`, 'aria-live': 'polite' }, sumText(current));
  const add = el('button', { type: 'button', id: 'band-add' }, `+ ${t('addBand')}`);
  add.addEventListener('click', () => { const s = fromDom(); s.push({ name: '', percent: 0 }); commit(s, true, `band-name-${s.length - 1}`); });
  const note = errorAbout('valueTiers.bands') ? el('div', { class: 'field-error', id: 'tier-bands-error', 'data-field': err.field }, `⚠ ${errorText(err)}`) : '';
  box.append(sum, note, el('div', { class: 'actions tight' }, add));
}
