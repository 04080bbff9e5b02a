// The customer table's movers filter, from the engine's movers list (result.migration.movers). Kept
// apart from the migration panel: the table (also drawn by <tierlens-view>) must not import the page's
// engine wiring.
import { t } from '../i18n.js';

/** The label key of each class the engine compares. */
export const CLASS_LABEL = { segment: 'segment', valueTier: 'tier', lifecycle: 'lifecycle', customTier: 'customTier' };

/** The table's movers filter: one choice per class; a customer matches the class it moved in. */
export function moversFilter(result) {
  const m = result.migration;
  if (!m?.movers?.length) return null;
  const kinds = m.classes.map((c) => c.class);
  const at = new Map(result.ids.map((id, i) => [id, i]));
  const sets = kinds.map((k) => {
    const index = new Uint8Array(result.ids.length).fill(255);
    const v = kinds.indexOf(k);
    for (const x of m.movers) if (x.class === k && at.has(x.customerId)) index[at.get(x.customerId)] = v;
    return index;
  });
  return { key: 'moved', all: 'allMovers', names: kinds.map((k) => t('movedIn', { class: t(CLASS_LABEL[k] ?? k) })), indexFor: (v) => sets[v], index: sets[0], plain: true };
}
