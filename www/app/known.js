// Names the engine knows, until its capabilities() answer carries them (branch `engine`: presets with
// their bins, tier presets, built-in cluster features, roles, code slots). Each accessor takes the
// engine's list from `caps` when it has one and falls back to the copy below only for a build without
// it; nothing else in the page spells these names.

const FEATURES = ['recency_days', 'frequency', 'monetary', 'aov', 'tenure_days', 'mean_gap_days', 'region'];
const DEFAULT_FEATURES = ['recency_days', 'frequency', 'monetary'];
const ROLES = ['customerId', 'orderId', 'date', 'amount', 'quantity', 'unitPrice', 'region'];
const TIER_PRESETS = [['platinum-gold-silver-bronze', 'tierPresetPgsb'], ['high-medium-low', 'tierPresetHml']];

const names = (list) => list.map((x) => (typeof x === 'string' ? x : x.name));

/** Built-in cluster features, in display order. */
export const builtinFeatures = (caps) => (caps?.features?.length ? names(caps.features) : FEATURES);
/** The features clustering uses when the recipe names none. */
export const defaultFeatures = (caps) => (caps?.defaultFeatures?.length ? names(caps.defaultFeatures) : DEFAULT_FEATURES);
/** Column roles, in the order the roles table shows them. */
export const roles = (caps) => (caps?.roles?.length ? names(caps.roles) : ROLES);
/** Value tier presets as [name, i18n label key]. */
export const tierPresets = (caps) => (caps?.tierPresets?.length
  ? caps.tierPresets.map((p) => { const name = typeof p === 'string' ? p : p.name; return [name, TIER_PRESETS.find(([n]) => n === name)?.[1] ?? name]; })
  : TIER_PRESETS);
