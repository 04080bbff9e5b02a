// Names the engine knows, from its capabilities() answer (src/capabilities.rs: presets with their
// bins, tier presets, built-in cluster features, roles, code slots). Nothing in the page spells these
// names itself; before the worker has answered, the lists are empty.

// Page wording only: the i18n label of each tier preset the engine names.
const TIER_LABELS = { 'platinum-gold-silver-bronze': 'tierPresetPgsb', 'high-medium-low': 'tierPresetHml' };

const names = (list) => (list ?? []).map((x) => (typeof x === 'string' ? x : x.name ?? x.key));

/** Built-in cluster features, in display order. */
export const builtinFeatures = (caps) => names(caps?.builtinFeatures);
/** The features clustering uses when the recipe names none. */
export const defaultFeatures = (caps) => names(caps?.defaultFeatures);
/** Column roles, in the order the roles table shows them: the engine's roles for the file's shape
 * (the customer-level ones — last purchase, orders, total spend … — only for a one-row-per-customer
 * file). */
export const roles = (caps, shape = 'transactions') => names((caps?.roles ?? []).filter((r) => typeof r === 'string' || !r.customerLevel || shape === 'customers'));
/** Value tier presets as [name, i18n label key]. */
export const tierPresets = (caps) => names(caps?.tierPresets).map((name) => [name, TIER_LABELS[name] ?? name]);
