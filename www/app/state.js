// The page's one state object. Everything the panels draw is a function of it; its only writer is
// `apply`, which merges a change and tells main.js what to redraw. Panels and editors read `state` and
// call `apply` (directly, or through the recipe step in engine.js); none keeps module-level data.
import { fromWorker } from './result.js';

/** @typedef {'all'|'settings'|'table'|'rows'|'none'} Redraw */

export const state = {
  /** The recipe in force (minimal: defaults left out). */
  recipe: {},
  /** The latest result from the worker (report, ids, columns, names; see main.js for the shape). */
  result: null,
  /** The name of the file opened (downloads are named after it). */
  fileName: 'customers',
  /** What the engine build offers (worker `capabilities`). */
  caps: { presets: [{ name: 'rfm11', bins: [5] }], xlsx: false },
  /** Editor state not (yet) in the recipe: a rule being written, a band table that does not add up. */
  drafts: {},
  /** The last engine error that names a setting (err.field), shown under its control. */
  fieldError: null,
  /** Which folding settings sections are open. */
  openSections: new Set(),
  /** The customer table's view: sort, filters (filter key → class index), search text. */
  table: { sortKey: null, sortDir: 1, filters: {}, query: '' },
  /** The class the migration panel shows (segment, valueTier, …); null: the first the engine gives. */
  migrationClass: null,
  previousName: null, // the earlier customers.csv compared with in the migration panel, or null
  /** Columns left out of exports (customers.csv names); like the passphrase, never stored. */
  droppedColumns: new Set(),
  /** The recipe being applied (the worker is busy with it), or null. */
  wanted: null,
  /** The number of the latest recipe being applied: only it ends the busy state. */
  applying: 0,
};

const listeners = [];

/** Registers the redraw step (main.js): called after every `apply` with what to redraw. */
export function onApply(fn) {
  listeners.push(fn);
}

/**
 * The only writer of `state`: merges `change` (a partial state) and redraws `redraw`.
 * @param {Partial<typeof state>} change
 * @param {Redraw} [redraw]
 */
export function apply(change, redraw = 'none') {
  // A result from the worker is put in the page's words first (result.js).
  Object.assign(state, change.result ? { ...change, result: fromWorker(change.result) } : change);
  for (const fn of listeners) fn(redraw, change);
  return state;
}

/** The recipe a new change builds on: the one being applied, if any, so quick successive changes add
 * up instead of the later one undoing the earlier. */
export const base = () => state.wanted ?? state.recipe;

/** Sets (or, with `undefined`, drops) the editor draft `key`, redrawing `redraw`. */
export function setDraft(key, value, redraw = 'none') {
  const { [key]: _, ...rest } = state.drafts;
  return apply({ drafts: value === undefined ? rest : { ...rest, [key]: value } }, redraw);
}
