//! Explanations: a shallow decision tree (CART, Gini) fitted to any label vector — clusters,
//! RFM segments, value tiers — turned into readable rules ("recency_days ≤ 41 and frequency ≥ 4 →
//! cluster 2") with support and purity per leaf and the tree's fidelity; and a supervised mode that
//! predicts a label column (e.g. churned yes/no) and reports accuracy on a held-out share.
//!
//! The tree is fitted on the features in original units (trees do not care about monotone
//! transforms), so thresholds need no back-transform. Leaves predict the most common label of the
//! customers routed to them (ties: the lower label).
//!
//! The tree is a small CART written here rather than linfa-trees 0.8: linfa-trees counts classes in
//! `std::collections::HashMap`s, whose per-process random order decides ties (modal class) and the
//! last bits of its f32 Gini sums, so the same data gave different rules from run to run (caught by
//! the chunk-boundary and row-order tests). This one uses integer counts and fixed tie-breaking.
//!
//! Files: `cart` (the tree), `rules` (tree → rules text), `supervised` (predicting a label column);
//! this module holds the settings, the result types and the entry points.

mod cart;
mod rules;
mod supervised;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::labels::LabelView;
use crate::matrix::ScaledColumn;
use crate::stats::sample_indices;
use cart::{fit_tree, Presorted};
use rules::rules_of;
use supervised::supervised_checked;
pub use supervised::{label_column, supervised, Supervised};

/// Explanation settings of the recipe (`explain`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ExplainOptions {
    /// Explain clusters and segments at all (default true).
    pub enabled: bool,
    /// Tree depth limit (default 3; 1..=8).
    pub max_depth: u8,
    /// Smallest leaf as a share of the customers the tree is fitted on (default 0.01).
    pub min_leaf_share: f64,
    /// The tree is fitted on a seeded sample of at most this many customers (default 50000; 0 = all);
    /// support, purity and fidelity are always counted over every customer.
    pub fit_sample: u32,
    /// Supervised mode: the name of a categorical label column to predict (e.g. `churned`).
    pub target: Option<String>,
    /// Share of labelled customers held out to measure accuracy (default 0.25).
    pub holdout: f64,
    /// Seed for sampling and the held-out split (default 42).
    pub seed: u64,
}

impl Default for ExplainOptions {
    fn default() -> Self {
        ExplainOptions {
            enabled: true,
            max_depth: 3,
            min_leaf_share: 0.01,
            fit_sample: 50_000,
            target: None,
            holdout: 0.25,
            seed: 42,
        }
    }
}

#[cfg(test)]
thread_local! {
    /// How often [`ExplainOptions::validate`] ran on this thread (the plan test counts it).
    pub(crate) static VALIDATIONS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Explanation settings that passed [`ExplainOptions::check`]: made only by checking, so the
/// pipeline's stage ([`report`]), which takes them from the plan, checks nothing again.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedExplain(ExplainOptions);

impl std::ops::Deref for CheckedExplain {
    type Target = ExplainOptions;

    fn deref(&self) -> &ExplainOptions {
        &self.0
    }
}

impl ExplainOptions {
    /// Checks the settings, once: [`ExplainOptions::validate`] kept as proof.
    pub fn check(&self) -> Result<CheckedExplain> {
        self.validate()?;
        Ok(CheckedExplain(self.clone()))
    }

    /// Checks the settings.
    pub fn validate(&self) -> Result<()> {
        #[cfg(test)]
        VALIDATIONS.with(|c| c.set(c.get() + 1));
        if !(1..=8).contains(&self.max_depth) {
            return Err(Error::recipe("explain.maxDepth", "use 1 to 8"));
        }
        if !(0.0..0.5).contains(&self.min_leaf_share) {
            return Err(Error::recipe(
                "explain.minLeafShare",
                "use a share in [0, 0.5)",
            ));
        }
        if !(self.holdout > 0.0 && self.holdout < 1.0) {
            return Err(Error::recipe(
                "explain.holdout",
                "use a share between 0 and 1",
            ));
        }
        Ok(())
    }
}

/// Feature table the tree reads: row-major `n × d` values in original units, with column descriptions.
#[derive(Debug, Clone, Copy)]
pub struct Features<'a> {
    /// Values, row-major.
    pub data: &'a [f64],
    /// Columns (one-hot columns have a `category`).
    pub columns: &'a [ScaledColumn],
}

impl Features<'_> {
    #[inline(always)]
    fn d(&self) -> usize {
        self.columns.len().max(1)
    }
    fn n(&self) -> usize {
        self.data.len() / self.d()
    }
    #[inline(always)]
    fn row(&self, i: usize) -> &[f64] {
        let d = self.d();
        self.data.get(i * d..(i + 1) * d).unwrap_or(&[])
    }
}

/// One condition of a rule: `min_exclusive < column ≤ max_inclusive` (either side optional).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    /// Column name (`frequency`, `region=East`, ...).
    pub column: String,
    /// Lower bound (exclusive), original units.
    pub min_exclusive: Option<f64>,
    /// Upper bound (inclusive), original units.
    pub max_inclusive: Option<f64>,
    /// Readable form, e.g. `frequency ≥ 4` or `region = East`.
    pub text: String,
}

/// One leaf as a rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    /// Predicted class index.
    pub class_index: u16,
    /// Predicted class name.
    pub class: String,
    /// Conditions, all of which hold (empty: everyone).
    pub conditions: Vec<Condition>,
    /// Readable rule.
    pub text: String,
    /// Customers the rule covers.
    pub support: usize,
    /// Their share of all customers.
    pub support_share: f64,
    /// Share of covered customers whose label is the predicted class.
    pub purity: f64,
}

/// A tree turned into rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    /// What is explained (`cluster`, `segment`, an attribute name).
    pub target: String,
    /// Depth limit used.
    pub max_depth: u8,
    /// Rules, one per leaf, grouped by class and largest first.
    pub rules: Vec<Rule>,
    /// Share of customers the rules put in their own class.
    pub fidelity: f64,
    /// Customers counted.
    pub customers: usize,
    /// Customers the tree was fitted on.
    pub fit_customers: usize,
}

pub(super) fn check_labels(x: Features<'_>, labels: &[u16], names: &[String]) -> Result<()> {
    if x.columns.is_empty() {
        return Err(Error::Analysis("no features to explain with".into()));
    }
    if labels.len() != x.n() {
        return Err(Error::Analysis(format!(
            "{} labels for {} customers",
            labels.len(),
            x.n()
        )));
    }
    if labels.iter().any(|&l| usize::from(l) >= names.len()) {
        return Err(Error::Analysis("a label has no name".into()));
    }
    Ok(())
}

/// Fits a depth-limited tree to a labelling of the customers and returns it as rules.
pub fn explain(
    x: Features<'_>,
    labels: LabelView<'_>,
    target: &str,
    o: &ExplainOptions,
) -> Result<Explanation> {
    let LabelView {
        index: labels,
        names,
    } = labels;
    let o = &o.check()?;
    check_labels(x, labels, names)?;
    explain_presorted(
        x,
        &presort(x, o),
        LabelView {
            index: labels,
            names,
        },
        target,
        o,
    )
}

/// The fit sample of `explain` (every customer with `fitSample` 0), presorted by every column.
fn presort(x: Features<'_>, o: &ExplainOptions) -> Presorted {
    let n = x.n();
    let cap = usize::try_from(o.fit_sample).unwrap_or(usize::MAX);
    let fit_rows = if cap == 0 {
        (0..n).collect()
    } else {
        sample_indices(n, cap, o.seed)
    };
    Presorted::new(x, fit_rows)
}

/// [`explain`] on a presort of `x` made by [`presort`] with the same (checked) options.
fn explain_presorted(
    x: Features<'_>,
    pre: &Presorted,
    labels: LabelView<'_>,
    target: &str,
    o: &CheckedExplain,
) -> Result<Explanation> {
    let LabelView {
        index: labels,
        names,
    } = labels;
    check_labels(x, labels, names)?;
    let fitted = fit_tree(x, pre, labels, names.len(), o)?;
    let all: Vec<usize> = (0..x.n()).collect();
    Ok(rules_of(&fitted, x, &all, labels, names, target, o, pre.rows().len()).0)
}

/// The rules section of `report.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RulesReport {
    /// Rules that reproduce the clusters.
    pub clusters: Option<Explanation>,
    /// Rules that reproduce the RFM segments from the raw features.
    pub segments: Option<Explanation>,
    /// Rules that reproduce the value tiers.
    pub value_tiers: Option<Explanation>,
    /// Supervised mode (`explain.target`), when set.
    pub supervised: Option<Supervised>,
}

/// Everything the pipeline explains: clusters, segments and (with `explain.target`) a label column.
/// `matrix` holds the features in original units (the clustering's, or built from `cluster.features`).
/// `o` comes checked (from the plan): nothing is checked again here.
pub fn report(
    customers: &crate::features::Customers,
    matrix: &crate::matrix::FeatureMatrix,
    clusters: Option<(&[u16], &[String])>,
    segments: (&[u16], &[String]),
    value_tiers: Option<(&[u16], &[String])>,
    o: &CheckedExplain,
) -> Result<RulesReport> {
    if !o.enabled || customers.is_empty() {
        return Ok(RulesReport::default());
    }
    let x = Features {
        data: &matrix.raw,
        columns: &matrix.columns,
    };
    // The three trees are fitted on the same rows of the same features: one presort for all.
    let pre = presort(x, o);
    let explain = |labels: &[u16], names: &[String], target: &str| {
        explain_presorted(x, &pre, LabelView::new(labels, names), target, o)
    };
    let clusters = match clusters {
        Some((labels, names)) => Some(explain(labels, names, "cluster")?),
        None => None,
    };
    let segments = Some(explain(segments.0, segments.1, "segment")?);
    let value_tiers = match value_tiers {
        Some((labels, names)) if !names.is_empty() => Some(explain(labels, names, "value_tier")?),
        _ => None,
    };
    let supervised = match &o.target {
        Some(name) => {
            let (labels, classes) = label_column(customers, name)?;
            // Leave the target's own columns out, or the tree would just read the answer.
            let keep: Vec<usize> = (0..matrix.columns.len())
                .filter(|&j| matrix.columns.get(j).is_some_and(|c| &c.feature != name))
                .collect();
            let cols: Vec<ScaledColumn> = keep
                .iter()
                .filter_map(|&j| matrix.columns.get(j).cloned())
                .collect();
            let d = matrix.d.max(1);
            let data: Vec<f64> = matrix
                .raw
                .chunks_exact(d)
                .flat_map(|row| keep.iter().filter_map(|&j| row.get(j).copied()))
                .collect();
            let xs = Features {
                data: &data,
                columns: &cols,
            };
            Some(supervised_checked(xs, &labels, &classes, name, o)?)
        }
        None => None,
    };
    Ok(RulesReport {
        clusters,
        segments,
        value_tiers,
        supervised,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str, integer: bool) -> ScaledColumn {
        ScaledColumn {
            name: name.into(),
            feature: name.into(),
            category: None,
            log: false,
            center: 0.0,
            scale: 1.0,
            integer,
            imputed: 0,
        }
    }

    #[test]
    fn rules_recover_a_threshold_in_original_units() {
        // Label 1 exactly when frequency ≥ 4; spend is noise.
        let cols = vec![col("frequency", true), col("monetary", false)];
        let mut data = Vec::new();
        let mut labels = Vec::new();
        for i in 0..400u32 {
            let f = f64::from(i % 9);
            data.extend([f, f64::from((i * 37) % 101)]);
            labels.push(u16::from(f >= 4.0));
        }
        let names = vec!["low".to_string(), "high".to_string()];
        let x = Features {
            data: &data,
            columns: &cols,
        };
        let e = explain(
            x,
            LabelView::new(&labels, &names),
            "cluster",
            &ExplainOptions::default(),
        )
        .unwrap();
        assert_eq!(e.fidelity, 1.0);
        let texts: Vec<&str> = e.rules.iter().map(|r| r.text.as_str()).collect();
        assert!(texts.contains(&"frequency ≤ 3 → low"), "{texts:?}");
        assert!(texts.contains(&"frequency ≥ 4 → high"), "{texts:?}");
        assert!(e.rules.iter().all(|r| r.purity == 1.0));
        assert_eq!(e.rules.iter().map(|r| r.support).sum::<usize>(), 400);
    }

    #[test]
    fn supervised_mode_predicts_a_synthetic_label_on_held_out_customers() {
        // "churned" when recency > 90 days, with 5 % of labels flipped.
        let cols = vec![col("recency_days", true), col("frequency", true)];
        let mut data = Vec::new();
        let mut labels = Vec::new();
        for i in 0..2000u32 {
            let r = f64::from((i * 7919) % 365);
            data.extend([r, f64::from(i % 13)]);
            let churned = r > 90.0;
            let flip = i % 20 == 0;
            labels.push(Some(u16::from(churned != flip)));
        }
        labels[3] = None;
        let names = vec!["no".to_string(), "yes".to_string()];
        let x = Features {
            data: &data,
            columns: &cols,
        };
        let s = supervised(x, &labels, &names, "churned", &ExplainOptions::default()).unwrap();
        assert_eq!(s.train_customers + s.test_customers, 1999);
        assert_eq!(s.test_customers, 500);
        assert!(s.test_accuracy > 0.9, "{}", s.test_accuracy);
        assert!(s.test_accuracy > s.baseline_accuracy);
        assert!(
            s.rules
                .rules
                .iter()
                .any(|r| r.text.contains("recency_days ≥ 91")),
            "{:?}",
            s.rules.rules
        );
        let again = supervised(x, &labels, &names, "churned", &ExplainOptions::default()).unwrap();
        assert_eq!(s, again);
    }

    #[test]
    fn bad_labels_are_errors_not_panics() {
        let cols = vec![col("frequency", true)];
        let data = vec![1.0, 2.0];
        let x = Features {
            data: &data,
            columns: &cols,
        };
        let names = vec!["a".to_string()];
        assert!(explain(
            x,
            LabelView::new(&[0], &names),
            "t",
            &ExplainOptions::default()
        )
        .is_err());
        assert!(explain(
            x,
            LabelView::new(&[0, 3], &names),
            "t",
            &ExplainOptions::default()
        )
        .is_err());
        let e = explain(
            x,
            LabelView::new(&[0, 0], &names),
            "t",
            &ExplainOptions::default(),
        )
        .unwrap();
        assert_eq!(e.rules.len(), 1);
        assert_eq!(e.rules[0].text, "everyone → a");
        assert!(supervised(x, &[Some(0), None], &names, "t", &ExplainOptions::default()).is_err());
    }
}
