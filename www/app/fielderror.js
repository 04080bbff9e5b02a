// An engine error that names a setting (state.fieldError), shown under that setting's control.
import { errorText } from '../i18n.js';
import { el } from './dom.js';
import { state } from './state.js';

/** `text` with the character at 1-based `position` marked (where the engine says the problem is). */
export function markAt(text, position) {
  const chars = Array.from(text ?? '');
  const i = Math.max(0, Math.min(chars.length, (position ?? 1) - 1));
  return el('code', { class: 'expr-at' }, chars.slice(0, i).join(''), el('mark', {}, chars[i] ?? '\u00a0'), chars.slice(i + 1).join(''));
}

/** Whether the error in force is about `prefix` (a dotted recipe path or its start). */
export const errorAbout = (prefix) => (state.fieldError?.field ?? '').startsWith(prefix);

/** The engine's error for the setting at `path` (a dotted recipe path), as a note under its control. */
export function errorFor(path, input, text) {
  const err = state.fieldError;
  if (!err || err.field !== path) return null;
  const id = `${input.id}-error`;
  input.setAttribute('aria-invalid', 'true');
  input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
  return el('div', { class: 'field-error', id, 'data-field': path, 'data-position': err.position ?? null },
    el('span', {}, `⚠ ${errorText(err)}`),
    err.position != null && text != null ? markAt(text, err.position) : null);
}
