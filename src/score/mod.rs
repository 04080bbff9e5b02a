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
//! - `customTiers`: [`expr`] — first matching rule wins; column `custom_tier`.
//! - `codes`: [`codes`] — template, mapping tables, stable across refreshes with a previous code map.
//! - `actions`: [`actions`] — per segment, tier, stage or custom tier; English or Chinese defaults.

pub mod actions;
pub mod codes;
pub mod expr;
pub mod lifecycle;
pub mod quantiles;
pub mod segments;
pub mod tiers;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::features::Customers;
pub use actions::{ActionBasis, ActionOptions};
pub use codes::{CodeChange, CodeChanges, CodeMap, CodeOptions};
pub use expr::{CustomTierOptions, CustomTierRule};
pub use lifecycle::LifecycleOptions;
pub use quantiles::{Thresholds, TieMethod};
pub use segments::{Coverage, GridTable, RuleSet, SegmentGrid, SegmentRule};
pub use tiers::{Pareto, TierOptions};

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

impl ScoreOptions {
    /// Checks the settings.
    pub fn validate(&self) -> Result<()> {
        if !(3..=5).contains(&self.bins) {
            return Err(Error::recipe(
                "score.bins",
                format!("{} bins: use 3, 4 or 5", self.bins),
            ));
        }
        // Checked here too (not only when scoring) so a bad recipe fails before the file is read.
        let cuts = [
            ("recency", &self.cuts.recency),
            ("frequency", &self.cuts.frequency),
            ("monetary", &self.cuts.monetary),
        ];
        for (metric, cuts) in cuts {
            let Some(cuts) = cuts else { continue };
            if cuts.len() + 1 != usize::from(self.bins) {
                return Err(Error::recipe(
                    format!("score.cuts.{metric}"),
                    format!(
                        "{} cut points given; {} bins need {}",
                        cuts.len(),
                        self.bins,
                        self.bins - 1
                    ),
                ));
            }
            if cuts.windows(2).any(|w| w.first() >= w.get(1)) || cuts.iter().any(|c| !c.is_finite())
            {
                return Err(Error::recipe(
                    format!("score.cuts.{metric}"),
                    "cut points must be finite and strictly ascending",
                ));
            }
        }
        Ok(())
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
pub fn score(
    customers: &Customers,
    options: &ScoreOptions,
    segments: &SegmentOptions,
) -> Result<Scores> {
    options.validate()?;
    let rules = segments.rule_set()?;
    if rules.bins != options.bins {
        return Err(Error::recipe(
            "segments",
            format!(
                "rule set {:?} is written for {} bins but score.bins is {}",
                rules.name, rules.bins, options.bins
            ),
        ));
    }
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

/// The class settings [`classify`] needs (each one a recipe section).
#[derive(Debug, Clone, Copy)]
pub struct ClassOptions<'a> {
    /// `valueTiers`.
    pub tiers: &'a TierOptions,
    /// `lifecycle`.
    pub lifecycle: &'a LifecycleOptions,
    /// `customTiers`.
    pub custom: &'a CustomTierOptions,
    /// `codes`.
    pub codes: &'a CodeOptions,
    /// `actions`.
    pub actions: &'a ActionOptions,
}

/// Value tier, lifecycle stage, custom tier, code and action of every customer, in [`Customers`] order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classes {
    /// Index into `tier_names` per customer.
    pub tier: Vec<u16>,
    /// Value tiers, top first, the zero-spend tier last.
    pub tier_names: Vec<String>,
    /// Index into `lifecycle_names` per customer.
    pub lifecycle: Vec<u16>,
    /// Lifecycle stages of the mode in force.
    pub lifecycle_names: Vec<String>,
    /// Index into `custom_names` per customer (empty when the recipe has no custom tier rules).
    pub custom: Vec<u16>,
    /// Custom tiers in rule order, then the `otherwise` tier (empty without rules).
    pub custom_names: Vec<String>,
    /// Classification code per customer (unique).
    pub codes: Vec<String>,
    /// Per customer: kept / moved / new against the previous code map (all `None` without one).
    pub code_change: Vec<CodeChange>,
    /// Previous code per customer, where the previous map had one (empty without a previous map).
    pub previous_code: Vec<Option<String>>,
    /// Summary of code changes.
    pub code_changes: CodeChanges,
    /// Index into `action_texts` per customer (the index of its class on the action basis).
    pub action: Vec<u16>,
    /// Action text per class of the action basis.
    pub action_texts: Vec<String>,
    /// Class names of the action basis, parallel to `action_texts`.
    pub action_classes: Vec<String>,
    /// Revenue concentration.
    pub pareto: Pareto,
}

impl Classes {
    /// The name at `labels[i]` in `names`, or "".
    pub fn name_of<'a>(labels: &[u16], names: &'a [String], i: usize) -> &'a str {
        labels
            .get(i)
            .and_then(|&g| names.get(usize::from(g)))
            .map_or("", String::as_str)
    }
}

/// Checks the class settings once (custom tier expressions, code template, tier bands, days).
pub fn validate_classes(options: &ClassOptions<'_>) -> Result<()> {
    options.tiers.validate()?;
    options.lifecycle.validate()?;
    if options.custom.compile()?.is_empty() && options.actions.basis == ActionBasis::Custom {
        return Err(Error::recipe(
            "actions.basis",
            "\"custom\" needs customTiers.rules",
        ));
    }
    codes::Template::parse(&options.codes.template)?;
    options.codes.maps.validate()?;
    Ok(())
}

/// Computes tiers, stages, custom tiers, codes and actions. `previous` is an earlier code map.
pub fn classify(
    customers: &Customers,
    scores: &Scores,
    options: &ClassOptions<'_>,
    previous: Option<&CodeMap>,
) -> Result<Classes> {
    let n = customers.len();
    let tier_names = options.tiers.names()?;
    let tier = tiers::assign(&customers.monetary, options.tiers)?;
    let lifecycle_names = options.lifecycle.names();
    let lifecycle = lifecycle::assign(customers, options.lifecycle);

    let name = Classes::name_of;
    let rules = options.custom.compile()?;
    let (custom, custom_names) = if rules.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let names = options.custom.names();
        let otherwise = names
            .iter()
            .position(|x| *x == options.custom.otherwise)
            .unwrap_or(0);
        let labels = (0..n)
            .map(|i| {
                let field = |f: expr::Field| -> expr::Value<'_> {
                    use expr::{Field as F, Value as V};
                    let num = |v: Option<f64>| v.map_or(V::Null, V::Num);
                    let text = |s| V::Str(std::borrow::Cow::Borrowed(s));
                    let r = scores.r.get(i).copied();
                    let fs = scores.f.get(i).copied();
                    let m = scores.m.get(i).copied();
                    match f {
                        F::CustomerId => customers.ids.get(i).map_or(V::Null, |s| text(s)),
                        F::RecencyDays => num(customers.recency_days.get(i).map(|&v| f64::from(v))),
                        F::Frequency => num(customers.frequency.get(i).map(|&v| f64::from(v))),
                        F::Monetary => num(customers.monetary.get(i).copied()),
                        F::Aov => num(customers.aov.get(i).copied()),
                        F::TenureDays => num(customers.tenure_days.get(i).map(|&v| f64::from(v))),
                        F::MeanGapDays => num(customers.mean_gap_days.get(i).copied().flatten()),
                        F::RScore => num(r.map(f64::from)),
                        F::FScore => num(fs.map(f64::from)),
                        F::MScore => num(m.map(f64::from)),
                        F::FmScore => num(fs.zip(m).map(|(f, m)| f64::from(segments::fm(f, m)))),
                        F::Segment => text(name(&scores.segment, &scores.segment_names, i)),
                        F::ValueTier => text(name(&tier, &tier_names, i)),
                        F::Lifecycle => text(name(&lifecycle, &lifecycle_names, i)),
                        F::Region => customers
                            .region
                            .get(i)
                            .and_then(Option::as_deref)
                            .map_or(V::Null, text),
                    }
                };
                let hit = rules
                    .iter()
                    .find(|(e, _)| e.matches(&field))
                    .and_then(|(_, t)| names.iter().position(|x| x == t))
                    .unwrap_or(otherwise);
                u16::try_from(hit).unwrap_or(0)
            })
            .collect();
        (labels, names)
    };

    // Codes.
    let template = codes::Template::parse(&options.codes.template)?;
    let maps = &options.codes.maps;
    let region_tokens = if template.slots().contains(&codes::Slot::Region) {
        codes::region_tokens(customers.region.iter().map(Option::as_deref), &maps.region)
    } else {
        std::collections::BTreeMap::new()
    };
    let last_tier = tier_names.len().saturating_sub(1);
    // Class keys are interned: a few distinct keys, one u32 per customer.
    let mut interned: std::collections::HashMap<codes::Key, u32> = std::collections::HashMap::new();
    let mut keys: Vec<codes::Key> = Vec::new();
    let key_of: Vec<u32> = (0..n)
        .map(|i| {
            let token = |slot: codes::Slot| -> String {
                let mapped =
                    |map: &std::collections::BTreeMap<String, String>, v: &str| map.get(v).cloned();
                match slot {
                    codes::Slot::Region => {
                        let r = customers
                            .region
                            .get(i)
                            .and_then(Option::as_deref)
                            .unwrap_or("");
                        region_tokens.get(r).cloned().unwrap_or_default()
                    }
                    codes::Slot::Tier => {
                        let t = name(&tier, &tier_names, i);
                        mapped(&maps.tier, t).unwrap_or_else(|| {
                            let ix = tier.get(i).map_or(0, |&g| usize::from(g));
                            if ix == last_tier {
                                "0".into()
                            } else {
                                (ix + 1).to_string()
                            }
                        })
                    }
                    codes::Slot::Stage => {
                        let s = name(&lifecycle, &lifecycle_names, i);
                        mapped(&maps.stage, s).unwrap_or_else(|| codes::stage_token(s))
                    }
                    codes::Slot::Segment => {
                        let s = name(&scores.segment, &scores.segment_names, i);
                        mapped(&maps.segment, s).unwrap_or_else(|| {
                            let ix = scores.segment.get(i).map_or(0, |&g| usize::from(g));
                            format!("{:02}", ix + 1)
                        })
                    }
                    codes::Slot::Custom => {
                        let s = name(&custom, &custom_names, i);
                        mapped(&maps.custom, s).unwrap_or_else(|| {
                            custom
                                .get(i)
                                .map_or(String::new(), |&g| (u32::from(g) + 1).to_string())
                        })
                    }
                    codes::Slot::R => scores.r.get(i).map_or(String::new(), u8::to_string),
                    codes::Slot::F => scores.f.get(i).map_or(String::new(), u8::to_string),
                    codes::Slot::M => scores.m.get(i).map_or(String::new(), u8::to_string),
                }
            };
            let key = template.key(&token);
            if let Some(&k) = interned.get(&key) {
                return k;
            }
            let k = u32::try_from(keys.len()).unwrap_or(u32::MAX);
            interned.insert(key.clone(), k);
            keys.push(key);
            k
        })
        .collect();
    drop(interned);
    let (code_list, code_change, code_changes) =
        codes::assign(&customers.ids, &key_of, &keys, previous);
    let previous_code = match previous {
        Some(p) => customers.ids.iter().map(|id| p.get(id).cloned()).collect(),
        None => Vec::new(),
    };

    // Actions.
    let (action, action_classes) = match options.actions.basis {
        ActionBasis::Segment => (scores.segment.clone(), scores.segment_names.clone()),
        ActionBasis::Tier => (tier.clone(), tier_names.clone()),
        ActionBasis::Lifecycle => (lifecycle.clone(), lifecycle_names.clone()),
        ActionBasis::Custom => (custom.clone(), custom_names.clone()),
    };
    let action_texts = options.actions.table(&action_classes);
    let pareto = tiers::pareto(&customers.monetary, options.tiers.pareto_percent);
    Ok(Classes {
        tier,
        tier_names,
        lifecycle,
        lifecycle_names,
        custom,
        custom_names,
        codes: code_list,
        code_change,
        previous_code,
        code_changes,
        action,
        action_texts,
        action_classes,
        pareto,
    })
}
