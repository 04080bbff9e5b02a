// Exports: only on a click, as local downloads. The engine makes every file (ids hashed, columns
// dropped there); the page names it and hands it to the browser.
import { $, el, charts } from './dom.js';
import { t, errorText } from '../i18n.js';
import { warningText } from './words.js';
import { state, apply } from './state.js';
import { client, showError, applyRecipe } from './engine.js';
import { recipeText } from './paths.js';

export function download(data, name, type) {
  const url = URL.createObjectURL(data instanceof Blob ? data : new Blob([data], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The file name without its extension. */
export const stem = (name) => name.replace(/\.[^.]+$/, '');
const baseName = () => stem(state.fileName);

/** The export options of the panel, or null for a plain export. The passphrase is read from its field
 * at the moment of the export and never stored. */
function exportOptions() {
  const passphrase = $('export-passphrase').value;
  const columns = state.result?.customerColumns ?? [];
  const dropColumns = columns.filter((c) => state.droppedColumns.has(c));
  if (!passphrase && !dropColumns.length) return null;
  return { ...(passphrase ? { passphrase } : {}), dropColumns };
}

export function renderExportOptions(result) {
  const box = $('drop-columns');
  const columns = result.customerColumns ?? [];
  box.hidden = !columns.length;
  box.replaceChildren(el('span', { class: 'muted' }, t('dropColumnsLabel')), ...columns.map((c) => {
    const id = `drop-${c}`;
    const input = el('input', { type: 'checkbox', id, 'data-column': c, checked: state.droppedColumns.has(c) });
    input.addEventListener('change', () => {
      const dropped = new Set(state.droppedColumns);
      if (input.checked) dropped.add(c); else dropped.delete(c);
      apply({ droppedColumns: dropped });
    });
    return el('label', { class: 'check', for: id }, input, ' ', el('code', {}, c));
  }));
}

/** Beside the SQL buttons: the engine's coded warnings of what the query leaves out, or why these
 * settings cannot be written as SQL (then the two buttons are off). */
export function renderSqlNotes(result) {
  const { warnings = [], error = null } = result.sql ?? {};
  for (const id of ['export-sql-duckdb', 'export-sql-spark']) $(id).disabled = Boolean(error);
  const lines = error
    ? [el('p', { class: 'warning', 'data-code': error.code }, `⚠ ${t('sqlRefused')} ${errorText(error)}`)]
    : warnings.map((w) => el('p', { class: 'warning', 'data-code': w.code }, `⚠ ${warningText(w)}`));
  $('sql-notes').replaceChildren(...lines);
  $('sql-notes').hidden = !lines.length;
}

const TYPES = {
  csv: ['segmented', 'csv', 'text/csv;charset=utf-8'],
  json: ['segmented', 'json', 'application/json'],
  xlsx: ['segmented', 'xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  report: ['report', 'json', 'application/json'],
  movers: ['movers', 'csv', 'text/csv;charset=utf-8'],
  'sql-duckdb': ['segment.duckdb', 'sql', 'application/sql'],
  'sql-spark': ['segment.spark', 'sql', 'application/sql'],
};

export async function exportFile(what) {
  try {
    const options = exportOptions();
    const bytes = await client.exportBytes(what, options);
    const tag = options?.passphrase ? '-pseudonymised' : '';
    const [suffix, ext, type] = TYPES[what] ?? TYPES.report;
    // CSV: a UTF-8 BOM so Excel opens Chinese names correctly.
    const data = what === 'csv' || what === 'movers' ? new Blob([new Uint8Array([0xef, 0xbb, 0xbf]), bytes], { type }) : bytes;
    download(data, `${baseName()}-${suffix}${tag}.${ext}`, type);
  } catch (err) {
    showError(err);
  }
}

export function exportChart(key) {
  const c = charts[key];
  if (!c) return;
  const url = c.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
  const bin = atob(url.slice(url.indexOf(',') + 1));
  const bytes = Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
  download(bytes, `${baseName()}-${key}.png`, 'image/png');
}

export const saveRecipe = () => download(recipeText(state.recipe), `${baseName()}-recipe.json`, 'application/json');

export async function loadRecipeFile(file) {
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
