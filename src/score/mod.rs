//! Scoring: RFM quantile scores and rule-based segments.

pub mod quantiles;
pub mod segments;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::features::Customers;
pub use quantiles::{Thresholds, TieMethod};
pub use segments::{Coverage, RuleSet, SegmentRule};

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

/// Segment settings of the recipe: a preset by name, or the user's own rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct SegmentOptions {
    /// Preset name (default `rfm11`); ignored when `rules` is given.
    pub preset: String,
    /// User-defined rule set.
    pub rules: Option<RuleSet>,
}

impl Default for SegmentOptions {
    fn default() -> Self {
        SegmentOptions {
            preset: "rfm11".into(),
            rules: None,
        }
    }
}

impl SegmentOptions {
    /// The rule set in force.
    pub fn rule_set(&self) -> Result<RuleSet> {
        let set = match &self.rules {
            Some(r) => r.clone(),
            None => segments::preset(&self.preset)?,
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
