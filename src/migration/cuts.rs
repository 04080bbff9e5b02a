//! Which boundaries each compared class was drawn with in the current period, so a reader can tell
//! a customer's own move from an artefact of re-cut boundaries.

use serde::Serialize;

use super::{ClassKind, Cuts};

/// How a class's boundaries were set in the current period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ClassCuts {
    /// Re-derived from the current period (RFM quantiles, tier shares of the current spenders).
    Current,
    /// The earlier period's: its RFM cut points (segments; custom tiers through the scores and
    /// tiers they may test) or its tier floors as amounts (value tiers).
    Previous,
    /// Not derived from either period's distribution: the recipe's lifecycle days (relative mode:
    /// each customer's own gaps), the same in both periods.
    Fixed,
}

impl ClassKind {
    /// The boundaries this class had under `cuts`; `tier_floors` tells whether the earlier period
    /// had floors to reuse (it has none without a spending customer, and the shares are kept).
    pub fn cuts(self, cuts: Cuts, tier_floors: bool) -> ClassCuts {
        match (self, cuts) {
            (ClassKind::Lifecycle, _) => ClassCuts::Fixed,
            (_, Cuts::Current) => ClassCuts::Current,
            (ClassKind::ValueTier, Cuts::Previous) if !tier_floors => ClassCuts::Current,
            (_, Cuts::Previous) => ClassCuts::Previous,
        }
    }
}
