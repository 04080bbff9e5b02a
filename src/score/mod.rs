//! Scoring: RFM quantile scores and rule-based segments, then the classes built on them — value tiers,
//! lifecycle stages, custom rule tiers, classification codes and recommended actions.
//!
//! Every setting is a recipe section; this is the default recipe's scoring part, plus one custom tier
//! rule and one own action text for illustration (omit a key to keep its default):
//!
//! ```json
//! {
//!   "score": { "bins": 5, "method": "edges", "cuts": { "monetary": [50, 200, 1000, 5000] } },
//!   "segments": { "preset": "rfm11" },
//!   "valueTiers": { "preset": "platinum-gold-silver-bronze", "zeroSpend": "No Spend", "paretoPercent": 20 },
//!   "lifecycle": { "mode": "fixed", "newDays": 30, "activeDays": 30, "dueDays": 60, "lapsingDays": 90,
//!                  "usualGap": "p80" },
//!   "customTiers": { "rules": [{ "when": "monetary >= 10000 and frequency >= 12", "tier": "VIP" }],
//!                    "otherwise": "Other" },
//!   "codes": { "template": "{tier}{stage}-{seq:04}", "maps": { "region": { "华东": "E" } } },
//!   "actions": { "basis": "segment", "language": "en", "text": { "Champions": "Call them" } }
//! }
//! ```
//!
//! - `score`: [`quantiles`] — N bins (3, 4, 5), ties by `edges` (equal values, equal scores; collapsed
//!   bins reported) or `rankFirst` (equal-count groups, ties broken by customer id); custom cut points.
//! - `segments`: [`segments`] — presets `rfm11`, `rf10`, `rfm-ranges`, `three-level` (needs
//!   `score.bins` 3) or own `rules`; coverage check and a drawable grid.
//! - `valueTiers`: [`tiers`] — bands by cumulative share of spending customers ranked by monetary.
//! - `lifecycle`: [`lifecycle`] — fixed days or each customer's own gaps (`relative`).
//! - `customTiers`: [`custom`] (conditions in the [`expr`] language) — first matching rule wins;
//!   column `custom_tier`.
//! - `codes`: [`codes`] — template, mapping tables, stable across refreshes with a previous code map.
//! - `actions`: [`actions`] — per segment, tier, stage or custom tier; English or Chinese defaults.
//!
//! Every stage here takes the *checked* settings ([`ScorePlan`], [`ClassPlan`] and their parts), which
//! only the `check` functions make: [`crate::config::Recipe::check`] runs them once per recipe, and a
//! stage cannot be handed settings nobody checked.

pub mod actions;
mod classes;
pub mod codes;
pub mod custom;
pub mod expr;
pub mod lifecycle;
pub mod quantiles;
pub mod segments;
pub mod tiers;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::features::Customers;
pub use actions::{ActionBasis, ActionOptions};
pub use classes::{classify, classify_with, ClassOptions, ClassPlan, Classes};
pub use codes::{CodeChange, CodeChanges, CodeMap, CodeOptions, CodePlan};
pub use custom::{CustomTierOptions, CustomTierRule, CustomTiers};
pub use lifecycle::{Alive, LifecycleMode, LifecycleOptions, LifecyclePlan};
pub use quantiles::{Thresholds, TieMethod};
pub use segments::{Coverage, GridTable, RuleSet, SegmentGrid, SegmentRule};
pub use tiers::{Pareto, TierFloor, TierOptions, TierPlan};

/// Custom cut points per metric (N − 1 ascending values each, in the metric's units).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct CutPoints {
    /// Recency cut points in days.
    pub recency: Option<Vec<f64>>,
    /// Frequency cut points in orders.
    pub frequency: Option<Vec<f64>>,
    /// Monetary cut points in currency units.
    pub monetary: Option<Vec<f64>>,
}

/// Score settings of the recipe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ScoreOptions {
    /// Number of bins N per metric (3, 4 or 5; default 5). Scores run 1..=N, N = best.
    pub bins: u8,
    /// How ties are handled (default `edges`).
    pub method: TieMethod,
    /// Custom cut points, replacing the quantiles for the metrics given.
    pub cuts: CutPoints,
}

impl Default for ScoreOptions {
    fn default() -> Self {
        ScoreOptions {
            bins: 5,
            method: TieMethod::Edges,
            cuts: CutPoints::default(),
        }
    }
}

/// Segment settings of the recipe: a preset by name, or the user's own rules or table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct SegmentOptions {
    /// Preset name (default `rfm11`); ignored when `rules` or `table` is given.
    pub preset: String,
    /// User-defined rule set.
    pub rules: Option<RuleSet>,
    /// User-defined table (rows R = N..1 of segment names over FM or F); ignored when `rules` is
    /// given. [`RuleSet::table`] gives a grid preset as such a table, to edit.
    pub table: Option<segments::GridTable>,
}

impl Default for SegmentOptions {
    fn default() -> Self {
        SegmentOptions {
            preset: "rfm11".into(),
            rules: None,
            table: None,
        }
    }
}

impl SegmentOptions {
    /// The rule set in force.
    pub fn rule_set(&self) -> Result<RuleSet> {
        let set = match (&self.rules, &self.table) {
            (Some(r), _) => r.clone(),
            (None, Some(t)) => t.rule_set()?,
            (None, None) => segments::preset(&self.preset)?,
        };
        set.validate()?;
        Ok(set)
    }
}

/// The checked `score` and `segments` settings: bins, tie method, cut points and the rule set in
/// force; made only by [`ScorePlan::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct ScorePlan {
    options: ScoreOptions,
    rules: RuleSet,
}

impl ScorePlan {
    /// Checks the score settings and resolves the segment rule set, once.
    pub fn check(options: &ScoreOptions, segments: &SegmentOptions) -> Result<ScorePlan> {
        if !(3..=5).contains(&options.bins) {
            return Err(Error::ScoreBins { bins: options.bins });
        }
        let cuts = [
            ("recency", &options.cuts.recency),
            ("frequency", &options.cuts.frequency),
            ("monetary", &options.cuts.monetary),
        ];
        for (metric, cuts) in cuts {
            let Some(cuts) = cuts else { continue };
            if cuts.len() + 1 != usize::from(options.bins) {
                return Err(Error::CutCount {
                    metric,
                    given: cuts.len(),
                    bins: options.bins,
                });
            }
            if cuts.windows(2).any(|w| w.first() >= w.get(1)) || cuts.iter().any(|c| !c.is_finite())
            {
                return Err(Error::CutOrder { metric });
            }
        }
        let rules = segments.rule_set()?;
        if rules.bins != options.bins {
            return Err(Error::SegmentBinsMismatch {
                rule_set: rules.name.clone(),
                rule_bins: rules.bins,
                score_bins: options.bins,
            });
        }
        Ok(ScorePlan {
            options: options.clone(),
            rules,
        })
    }

    /// The number of bins N.
    pub fn bins(&self) -> u8 {
        self.options.bins
    }

    /// The segment rule set in force.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// This plan scoring with the cut points of an earlier scoring (migration's `compare.cuts:
    /// "previous"`), so a customer's score moves only when the customer does. Those cut points
    /// came out of a scoring with the same bins, so they have N − 1 values; equal neighbours (tied
    /// quantiles) are allowed here, unlike in a recipe's `score.cuts`.
    pub fn reusing(&self, thresholds: &[Thresholds]) -> ScorePlan {
        let mut plan = self.clone();
        let of = |metric: &str| {
            thresholds
                .iter()
                .find(|t| t.metric == metric)
                .map(|t| t.cuts.clone())
        };
        plan.options.cuts = CutPoints {
            recency: of("recency_days"),
            frequency: of("frequency"),
            monetary: of("monetary"),
        };
        plan
    }
}

/// Scores and segments of every customer, in [`Customers`] order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    /// Recency scores 1..=N (N = most recent).
    pub r: Vec<u8>,
    /// Frequency scores 1..=N.
    pub f: Vec<u8>,
    /// Monetary scores 1..=N.
    pub m: Vec<u8>,
    /// Index into `segment_names` per customer.
    pub segment: Vec<u16>,
    /// Segment names, in rule order.
    pub segment_names: Vec<String>,
    /// Cut points used, per metric (recency, frequency, monetary).
    pub thresholds: Vec<Thresholds>,
    /// The rule set applied.
    pub rules: RuleSet,
    /// Its coverage check.
    pub coverage: Coverage,
}

/// Scores every customer and assigns segments.
pub fn score(customers: &Customers, plan: &ScorePlan) -> Result<Scores> {
    let options = &plan.options;
    let rules = plan.rules.clone();
    let ids = &customers.ids;
    let recency: Vec<f64> = customers
        .recency_days
        .iter()
        .map(|&d| f64::from(d))
        .collect();
    let frequency: Vec<f64> = customers.frequency.iter().map(|&f| f64::from(f)).collect();
    let n = options.bins;
    let (r, tr) = quantiles::score(
        "recency_days",
        &recency,
        ids,
        n,
        true,
        options.method,
        options.cuts.recency.as_deref(),
    )?;
    let (f, tf) = quantiles::score(
        "frequency",
        &frequency,
        ids,
        n,
        false,
        options.method,
        options.cuts.frequency.as_deref(),
    )?;
    let (m, tm) = quantiles::score(
        "monetary",
        &customers.monetary,
        ids,
        n,
        false,
        options.method,
        options.cuts.monetary.as_deref(),
    )?;
    let segment_names = rules.segment_names();
    let segment = r
        .iter()
        .zip(&f)
        .zip(&m)
        .map(|((&r, &f), &m)| {
            let name = rules.segment_for(r, f, m);
            let ix = segment_names.iter().position(|s| s == name).unwrap_or(0);
            u16::try_from(ix).unwrap_or(u16::MAX)
        })
        .collect();
    let coverage = rules.coverage();
    Ok(Scores {
        r,
        f,
        m,
        segment,
        segment_names,
        thresholds: vec![tr, tf, tm],
        rules,
        coverage,
    })
}
