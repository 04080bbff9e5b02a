// The page's side of the worker: open a file or the sample, apply a recipe, show progress and errors.
// A recipe change goes through `applyRecipe`, the step that writes the recipe and the result into the
// state once the engine accepts them.
import { TierlensClient } from '../client.js';
import { pageWorker } from '../pageworker.js';
import { t, errorText } from '../i18n.js';
import { $, el, fmt } from './dom.js';
import { state, apply, base } from './state.js';
import { setPath, sameRecipe } from './paths.js';

export const client = new TierlensClient({ worker: pageWorker });

export function showError(err, { scroll = true } = {}) {
  const box = $('error');
  // Engine errors are worded from their code and parameters in the page's language (i18n.js).
  const text = errorText(err);
  const where = err.params ? '' : [err.row ? t('rowN', { n: err.row }) : '', err.column ? `${t('column')} “${err.column}”` : ''].filter(Boolean).join(', ');
  box.textContent = `${text}${where && !String(err.message ?? '').includes('row ') ? ` (${where})` : ''}`;
  box.dataset.code = err.code ?? '';
  box.hidden = false;
  if (scroll) box.scrollIntoView({ block: 'nearest' });
}

export function setBusy(busy, text = '') {
  $('status').hidden = !busy;
  $('status-text').textContent = text;
  $('cancel').hidden = !busy;
  for (const id of ['sample', 'sample-zh', 'file']) $(id).disabled = busy;
  document.body.dataset.busy = busy ? '1' : '';
  if (!busy) $('progress').value = 0;
}

export function onProgress(p) {
  // The engine's progress: stage code and the fraction of the whole load (loadfile.js).
  const share = p.fraction ?? 0;
  $('progress').value = share;
  // The first of two passes only checks rows (duplicates, outlier threshold): no customers yet.
  const scan = p.stage === 'scan';
  const rows = p.rows && !scan ? ` · ${t('rowsSoFar', { rows: fmt.nf.format(p.rows), customers: fmt.nf.format(p.customers) })}` : '';
  const what = p.stage === 'aggregate' || p.stage === 'analyze' ? 'scoring' : scan ? 'scanning' : 'reading';
  $('status-text').textContent = `${t(what)} ${fmt.pct.format(share)}${rows}`;
}

/** Opens something (`start` resolves to a result made with `recipe`) and draws it. */
export async function run(start, what, recipe = state.recipe) {
  $('error').hidden = true;
  setBusy(true, t('opening', { what }));
  try {
    const result = await start();
    apply({ recipe, result, fieldError: null }, 'all');
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
  const chosen = state.recipe.input?.columns ?? {};
  const selects = ['customerId', 'date', 'amount', 'orderId', 'region'].map((role) => {
    const id = `fix-${role}`;
    const select = el('select', { id, 'data-role': role }, el('option', { value: '' }, '–'),
      header.map((h) => el('option', { value: h, selected: chosen[role] === h }, h)));
    return el('label', { for: id, class: 'fix-field' }, t(`role_${role}`), select);
  });
  const button = el('button', { type: 'button', class: 'primary', id: 'fix-read' }, t('readAgain'));
  button.addEventListener('click', () => {
    const cols = {};
    for (const s of $('error').querySelectorAll('select[data-role]')) if (s.value) cols[s.dataset.role] = s.value;
    const next = setPath(state.recipe, ['input', 'columns'], Object.keys(cols).length ? cols : undefined);
    run(() => client.reopen(next, onProgress), state.fileName, next);
  });
  $('error').append(el('div', { class: 'fix' }, el('p', {}, t('fixColumns')), el('div', { class: 'fix-row' }, selects, button)));
}

/**
 * The apply step: re-analyses with `next` (the worker re-reads the file only when it must) and, once
 * the engine accepts it, writes the recipe and the result. `draft` names the editor whose unapplied
 * state (drafts) the recipe now holds, dropped once the engine accepts it.
 */
export async function applyRecipe(next, { draft } = {}) {
  const snapshot = draft ? JSON.stringify(state.drafts[draft]) : null;
  // The draft is dropped only if it is still what was applied (the user may have added a rule since).
  const settled = () => {
    if (!draft || JSON.stringify(state.drafts[draft]) !== snapshot) return state.drafts;
    const { [draft]: _, ...rest } = state.drafts;
    return rest;
  };
  if (!state.result) { apply({ recipe: next, fieldError: null, drafts: settled() }, 'settings'); return true; }
  // Nothing changed (e.g. a field left without an edit after a programmatic one): no re-analysis, so
  // nothing is rebuilt under the user's hands.
  if (sameRecipe(next, base()) && !state.fieldError) {
    apply({ drafts: settled() });
    if (!document.body.dataset.busy) document.body.dataset.state = 'ready';
    return true;
  }
  const seq = state.applying + 1;
  apply({ applying: seq, wanted: next });
  $('error').hidden = true;
  $('recipe-status').textContent = '';
  $('recipe-status').classList.remove('warning');
  setBusy(true, t('analysing'));
  document.body.dataset.state = 'updating';
  try {
    const result = await client.analyze(next, onProgress);
    apply({ recipe: next, result, fieldError: null, drafts: settled() }, 'all');
    if (seq !== state.applying) document.body.dataset.state = 'updating'; // a later change is still running
    return true;
  } catch (err) {
    let { fieldError } = state;
    if (err.code !== 'cancelled') {
      // Shown at the top and beside the settings, where the change was made (no jump to the top).
      showError(err, { scroll: false });
      $('recipe-status').textContent = `⚠ ${errorText(err)}`;
      $('recipe-status').classList.add('warning');
      // An error that names a setting is shown under its control too (with the character marked).
      // The rejected value stays in its control (to be fixed), not the value in force.
      fieldError = err.field ? Object.assign(err, { attempted: next }) : null;
    }
    document.body.dataset.state = seq === state.applying ? 'ready' : 'updating';
    apply({ fieldError }, 'settings'); // back to the recipe in force
    return false;
  } finally {
    // Changes made while one runs are queued in the worker; the last one to finish ends the busy state.
    if (seq === state.applying) { setBusy(false); apply({ wanted: null }); }
  }
}
