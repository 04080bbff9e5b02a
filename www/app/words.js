// Engine values worded for people in the page's language: labels by prefix, warnings and rejection
// reasons by code (with the engine's English message as the fallback). Pure (i18n only):
// tests/js/page_words.test.mjs.
import { t } from '../i18n.js';

/** A translated label for an engine value (method, format, date order, role), or the value itself. */
export const label = (prefix, v) => (t(`${prefix}${v}`) !== `${prefix}${v}` ? t(`${prefix}${v}`) : v);

export const methodLabel = (m) => (m === 'edges' ? t('methodEdges') : m === 'rankFirst' ? t('methodRankFirst') : label('method_', m));

/** A cluster feature (`recency_days`, or a column of the file) as a label. */
export const featureLabel = (name) => label('feature_', name);

/**
 * A warning of report.warnings in the page's language: `{ code, params, message }` is worded from
 * `warn_<code>` with its parameters; without a template (or a plain string, from an older engine) the
 * engine's message is shown.
 */
export function warningText(w) {
  if (typeof w === 'string') return w;
  if (!w || typeof w !== 'object') return String(w ?? '');
  const key = `warn_${w.code}`;
  return w.code && t(key) !== key ? t(key, paramWords(w.params ?? {})) : (w.message ?? String(w.code ?? ''));
}

/** Params that are engine vocabulary (a role key, a date order, …) in words; other values as sent. */
function paramWords(params) {
  const out = {};
  for (const [k, v] of Object.entries(params)) {
    out[k] = k === 'role' ? label('role_', v).toLocaleLowerCase() : label(`param_${k}_`, v);
  }
  return out;
}

/** A decision's evidence in the page's language from its code and params; the engine's English
 * sentence when the evidence has no code or no template. */
export function evidenceText(d) {
  const key = `evidence_${d?.evidenceCode}`;
  return d?.evidenceCode && t(key) !== key ? t(key, paramWords(d.evidenceParams ?? {})) : (d?.evidence ?? '');
}

/** Why rows were set aside (a key of report.rowsRejected) in words, else the engine's message. */
export function rejectText(reason, rejection) {
  const key = `reject_${reason}`;
  if (t(key) !== key) return t(key, rejection?.params ?? {});
  return rejection?.message ?? reason;
}
