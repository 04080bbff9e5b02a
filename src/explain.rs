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

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::matrix::ScaledColumn;
use crate::stats::sample_indices;

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

impl ExplainOptions {
    /// Checks the settings.
    pub fn validate(&self) -> Result<()> {
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
    fn d(&self) -> usize {
        self.columns.len().max(1)
    }
    fn n(&self) -> usize {
        self.data.len() / self.d()
    }
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

/// Supervised mode: predicting a label column, with held-out accuracy.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Supervised {
    /// The label column.
    pub target: String,
    /// Its classes.
    pub classes: Vec<String>,
    /// Customers with a label used for training.
    pub train_customers: usize,
    /// Customers with a label held out.
    pub test_customers: usize,
    /// Accuracy on the training customers.
    pub train_accuracy: f64,
    /// Accuracy on the held-out customers.
    pub test_accuracy: f64,
    /// Accuracy of always guessing the most common training class, on the held-out customers.
    pub baseline_accuracy: f64,
    /// The fitted tree's rules (support, purity and fidelity over the training customers).
    pub rules: Explanation,
}

/// The tree in a plain form: splits send `x[col] ≤ threshold` left.
#[derive(Debug, Clone)]
enum Node {
    Leaf,
    Split {
        col: usize,
        threshold: f64,
        left: Box<Node>,
        right: Box<Node>,
    },
}

/// Leaf number of a row (leaves numbered left to right).
fn leaf_of(node: &Node, x: &[f64], next: &mut usize) -> usize {
    match node {
        Node::Leaf => *next,
        Node::Split {
            col,
            threshold,
            left,
            right,
        } => {
            let go_left = x.get(*col).is_some_and(|v| v <= threshold);
            if go_left {
                leaf_of(left, x, next)
            } else {
                *next += leaves(left);
                leaf_of(right, x, next)
            }
        }
    }
}

fn leaves(node: &Node) -> usize {
    match node {
        Node::Leaf => 1,
        Node::Split { left, right, .. } => leaves(left) + leaves(right),
    }
}

/// Paths to every leaf as (column, ≤ threshold?, threshold) steps, left to right.
fn paths(
    node: &Node,
    prefix: &mut Vec<(usize, bool, f64)>,
    out: &mut Vec<Vec<(usize, bool, f64)>>,
) {
    match node {
        Node::Leaf => out.push(prefix.clone()),
        Node::Split {
            col,
            threshold,
            left,
            right,
        } => {
            prefix.push((*col, true, *threshold));
            paths(left, prefix, out);
            prefix.pop();
            prefix.push((*col, false, *threshold));
            paths(right, prefix, out);
            prefix.pop();
        }
    }
}

fn fmt_value(v: f64) -> String {
    let s = if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    };
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

fn condition(col: &ScaledColumn, lo: Option<f64>, hi: Option<f64>) -> Condition {
    let text = if let Some(cat) = &col.category {
        // A 0/1 column split at 0.5: left is "not this value".
        match (lo, hi) {
            (Some(_), _) => format!("{} = {cat}", col.feature),
            _ => format!("{} ≠ {cat}", col.feature),
        }
    } else if col.integer {
        // Whole-number columns: x ≤ 2.5 is x ≤ 2 and x > 2.5 is x ≥ 3.
        let lo_i = lo.map(|v| v.floor() + 1.0);
        let hi_i = hi.map(f64::floor);
        match (lo_i, hi_i) {
            (Some(a), Some(b)) if a == b => format!("{} = {}", col.name, fmt_value(a)),
            (Some(a), Some(b)) => format!("{} ≤ {} ≤ {}", fmt_value(a), col.name, fmt_value(b)),
            (Some(a), None) => format!("{} ≥ {}", col.name, fmt_value(a)),
            (None, Some(b)) => format!("{} ≤ {}", col.name, fmt_value(b)),
            (None, None) => col.name.clone(),
        }
    } else {
        match (lo, hi) {
            (Some(a), Some(b)) => format!("{} < {} ≤ {}", fmt_value(a), col.name, fmt_value(b)),
            (Some(a), None) => format!("{} > {}", col.name, fmt_value(a)),
            (None, Some(b)) => format!("{} ≤ {}", col.name, fmt_value(b)),
            (None, None) => col.name.clone(),
        }
    };
    Condition {
        column: col.name.clone(),
        min_exclusive: lo,
        max_inclusive: hi,
        text,
    }
}

/// A fitted rule tree, applicable to any rows with the same columns.
struct Fitted {
    root: Node,
}

/// Deterministic CART (Gini) on the customers `rows`: every split scans each feature's values in
/// sorted order (presorted once, partitioned stably down the tree), class counts are integers and
/// ties keep the first feature and the lowest threshold, so the same input always gives the same
/// tree — natively and in Wasm.
struct Cart<'a> {
    x: Features<'a>,
    labels: &'a [u16],
    k: usize,
    max_depth: usize,
    min_leaf: usize,
}

impl Cart<'_> {
    fn value(&self, row: usize, col: usize) -> f64 {
        self.x.row(row).get(col).copied().unwrap_or(0.0)
    }

    fn label(&self, row: usize) -> usize {
        usize::from(self.labels.get(row).copied().unwrap_or(0))
    }

    fn majority(counts: &[u64]) -> usize {
        counts
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(&a.0)))
            .map_or(0, |(j, _)| j)
    }

    /// Returns the subtree and, for a leaf, its majority class (used to prune equal siblings).
    fn build(&self, sorted: Vec<Vec<usize>>, depth: usize) -> (Node, Option<usize>) {
        let Some(rows) = sorted.first() else {
            return (Node::Leaf, Some(0));
        };
        let m = rows.len();
        let mut total = vec![0u64; self.k];
        for &r in rows {
            if let Some(c) = total.get_mut(self.label(r)) {
                *c += 1;
            }
        }
        let class = Self::majority(&total);
        let pure = total.iter().filter(|&&c| c > 0).count() <= 1;
        if depth >= self.max_depth || m < 2 * self.min_leaf || pure {
            return (Node::Leaf, Some(class));
        }
        #[allow(clippy::cast_precision_loss)]
        let mf = m as f64;
        let sq_total: u64 = total.iter().map(|c| c * c).sum();
        #[allow(clippy::cast_precision_loss)]
        let parent = mf - sq_total as f64 / mf;
        let mut best: Option<(f64, usize, f64)> = None;
        let mut left = vec![0u64; self.k];
        for (col, order) in sorted.iter().enumerate() {
            left.iter_mut().for_each(|c| *c = 0);
            let (mut sl2, mut sr2) = (0u64, sq_total);
            let mut prev = f64::NEG_INFINITY;
            for (nl, &r) in order.iter().enumerate() {
                let v = self.value(r, col);
                let nr = m - nl;
                if nl >= self.min_leaf && nr >= self.min_leaf && v > prev {
                    #[allow(clippy::cast_precision_loss)]
                    let (nlf, nrf) = (nl as f64, nr as f64);
                    #[allow(clippy::cast_precision_loss)]
                    let score = (nlf - sl2 as f64 / nlf) + (nrf - sr2 as f64 / nrf);
                    if best.is_none_or(|(b, _, _)| score < b) {
                        best = Some((score, col, prev + (v - prev) / 2.0));
                    }
                }
                let c = self.label(r);
                let (Some(l), Some(t)) = (left.get_mut(c), total.get(c)) else {
                    continue;
                };
                let rc = t - *l;
                sl2 += 2 * *l + 1;
                sr2 -= 2 * rc - 1;
                *l += 1;
                prev = v;
            }
        }
        let Some((score, col, threshold)) = best else {
            return (Node::Leaf, Some(class));
        };
        if parent - score <= 1e-9 * mf {
            return (Node::Leaf, Some(class));
        }
        let (mut lo, mut hi) = (
            Vec::with_capacity(sorted.len()),
            Vec::with_capacity(sorted.len()),
        );
        for order in &sorted {
            let (a, b): (Vec<usize>, Vec<usize>) = order
                .iter()
                .partition(|&&r| self.value(r, col) <= threshold);
            lo.push(a);
            hi.push(b);
        }
        drop(sorted);
        let (l, lc) = self.build(lo, depth + 1);
        let (r, rc) = self.build(hi, depth + 1);
        if let (Some(a), Some(b)) = (lc, rc) {
            if a == b {
                return (Node::Leaf, Some(a));
            }
        }
        (
            Node::Split {
                col,
                threshold,
                left: Box::new(l),
                right: Box::new(r),
            },
            None,
        )
    }
}

fn fit_tree(
    x: Features<'_>,
    rows: &[usize],
    labels: &[u16],
    k: usize,
    o: &ExplainOptions,
) -> Result<Fitted> {
    if rows.is_empty() {
        return Err(Error::Analysis(
            "no customers to fit a decision tree on".into(),
        ));
    }
    if rows
        .iter()
        .any(|&r| x.row(r).iter().any(|v| !v.is_finite()))
    {
        return Err(Error::Analysis(
            "explanation features contain NaN or infinite values".into(),
        ));
    }
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    let min_leaf = ((rows.len() as f64 * o.min_leaf_share).floor() as usize).max(1);
    let cart = Cart {
        x,
        labels,
        k: k.max(1),
        max_depth: usize::from(o.max_depth),
        min_leaf,
    };
    let sorted: Vec<Vec<usize>> = (0..x.columns.len())
        .map(|col| {
            let mut v = rows.to_vec();
            v.sort_by(|&a, &b| {
                cart.value(a, col)
                    .total_cmp(&cart.value(b, col))
                    .then_with(|| a.cmp(&b))
            });
            v
        })
        .collect();
    Ok(Fitted {
        root: cart.build(sorted, 0).0,
    })
}

/// Applies a fitted tree to `rows`, naming each leaf by its majority label there.
#[allow(clippy::too_many_arguments)]
fn rules_of(
    fitted: &Fitted,
    x: Features<'_>,
    rows: &[usize],
    labels: &[u16],
    names: &[String],
    target: &str,
    o: &ExplainOptions,
    fit_customers: usize,
) -> (Explanation, Vec<u16>) {
    let n_leaves = leaves(&fitted.root);
    let k = names.len().max(1);
    let mut counts = vec![vec![0usize; k]; n_leaves];
    let mut leaf_ix = Vec::with_capacity(rows.len());
    for &i in rows {
        let mut next = 0;
        let leaf = leaf_of(&fitted.root, x.row(i), &mut next);
        leaf_ix.push(leaf);
        let l = usize::from(labels.get(i).copied().unwrap_or(0));
        if let Some(c) = counts.get_mut(leaf).and_then(|r| r.get_mut(l)) {
            *c += 1;
        }
    }
    let majority: Vec<u16> = counts
        .iter()
        .map(|r| {
            let best = r
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(&a.0)))
                .map_or(0, |(j, _)| j);
            u16::try_from(best).unwrap_or(0)
        })
        .collect();
    let mut all_paths = Vec::new();
    paths(&fitted.root, &mut Vec::new(), &mut all_paths);
    let total = rows.len().max(1);
    let mut correct = 0usize;
    let mut rules: Vec<Rule> = Vec::new();
    for (leaf, path) in all_paths.iter().enumerate() {
        let class = majority.get(leaf).copied().unwrap_or(0);
        let support: usize = counts.get(leaf).map_or(0, |r| r.iter().sum());
        let hit = counts
            .get(leaf)
            .and_then(|r| r.get(usize::from(class)))
            .copied()
            .unwrap_or(0);
        correct += hit;
        if support == 0 {
            continue;
        }
        // Merge the steps on one column into one range.
        let mut bounds: Vec<(usize, Option<f64>, Option<f64>)> = Vec::new();
        for &(col, le, t) in path {
            let slot = match bounds.iter().position(|b| b.0 == col) {
                Some(p) => p,
                None => {
                    bounds.push((col, None, None));
                    bounds.len() - 1
                }
            };
            if let Some(b) = bounds.get_mut(slot) {
                if le {
                    b.2 = Some(b.2.map_or(t, |h| h.min(t)));
                } else {
                    b.1 = Some(b.1.map_or(t, |l| l.max(t)));
                }
            }
        }
        let conditions: Vec<Condition> = bounds
            .iter()
            .filter_map(|&(col, lo, hi)| x.columns.get(col).map(|c| condition(c, lo, hi)))
            .collect();
        let class_name = names.get(usize::from(class)).cloned().unwrap_or_default();
        let lhs = if conditions.is_empty() {
            "everyone".to_string()
        } else {
            conditions
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join(" and ")
        };
        #[allow(clippy::cast_precision_loss)]
        rules.push(Rule {
            class_index: class,
            class: class_name.clone(),
            text: format!("{lhs} → {class_name}"),
            conditions,
            support,
            support_share: support as f64 / total as f64,
            purity: hit as f64 / support as f64,
        });
    }
    rules.sort_by(|a, b| {
        a.class_index
            .cmp(&b.class_index)
            .then_with(|| b.support.cmp(&a.support))
    });
    let predicted = leaf_ix
        .iter()
        .map(|&l| majority.get(l).copied().unwrap_or(0))
        .collect();
    #[allow(clippy::cast_precision_loss)]
    let fidelity = correct as f64 / total as f64;
    (
        Explanation {
            target: target.to_string(),
            max_depth: o.max_depth,
            rules,
            fidelity,
            customers: rows.len(),
            fit_customers,
        },
        predicted,
    )
}

fn check_labels(x: Features<'_>, labels: &[u16], names: &[String]) -> Result<()> {
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

/// Fits a depth-limited tree to `labels` (indices into `names`) and returns it as rules.
pub fn explain(
    x: Features<'_>,
    labels: &[u16],
    names: &[String],
    target: &str,
    o: &ExplainOptions,
) -> Result<Explanation> {
    o.validate()?;
    check_labels(x, labels, names)?;
    let n = x.n();
    let cap = usize::try_from(o.fit_sample).unwrap_or(usize::MAX);
    let fit_rows = if cap == 0 {
        (0..n).collect()
    } else {
        sample_indices(n, cap, o.seed)
    };
    let fitted = fit_tree(x, &fit_rows, labels, names.len(), o)?;
    let all: Vec<usize> = (0..n).collect();
    Ok(rules_of(&fitted, x, &all, labels, names, target, o, fit_rows.len()).0)
}

/// Supervised mode: predicts `labels` (`None` = unlabelled, left out) from the features, with a
/// seeded held-out share for accuracy.
pub fn supervised(
    x: Features<'_>,
    labels: &[Option<u16>],
    names: &[String],
    target: &str,
    o: &ExplainOptions,
) -> Result<Supervised> {
    o.validate()?;
    let labelled: Vec<usize> = labels
        .iter()
        .enumerate()
        .filter_map(|(i, l)| l.map(|_| i))
        .collect();
    if labelled.len() < 4 {
        return Err(Error::Analysis(format!(
            "{target}: only {} labelled customers; a held-out check needs at least 4",
            labelled.len()
        )));
    }
    let dense: Vec<u16> = labels.iter().map(|l| l.unwrap_or(0)).collect();
    check_labels(x, &dense, names)?;
    // Seeded shuffle of the labelled customers, then the first share is held out.
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    let n_test =
        ((labelled.len() as f64 * o.holdout).round() as usize).clamp(1, labelled.len() - 1);
    let shuffled: Vec<usize> = {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(o.seed ^ 0x7e57);
        let mut v = labelled.clone();
        for i in (1..v.len()).rev() {
            #[allow(clippy::cast_possible_truncation)]
            let j = rng.gen_range(0..=i as u64) as usize;
            v.swap(i, j);
        }
        v
    };
    let (test, train) = shuffled.split_at(n_test);
    let mut train = train.to_vec();
    train.sort_unstable();
    let mut test = test.to_vec();
    test.sort_unstable();
    let cap = usize::try_from(o.fit_sample).unwrap_or(usize::MAX);
    let fit_rows: Vec<usize> = if cap == 0 || cap >= train.len() {
        train.clone()
    } else {
        sample_indices(train.len(), cap, o.seed)
            .into_iter()
            .filter_map(|j| train.get(j).copied())
            .collect()
    };
    let fitted = fit_tree(x, &fit_rows, &dense, names.len(), o)?;
    let (rules, train_pred) =
        rules_of(&fitted, x, &train, &dense, names, target, o, fit_rows.len());
    // Leaf classes come from the training customers only; apply them to the held-out ones.
    let leaf_class: Vec<(usize, u16)> = {
        let mut v = Vec::new();
        for (&i, &p) in train.iter().zip(&train_pred) {
            let mut next = 0;
            v.push((leaf_of(&fitted.root, x.row(i), &mut next), p));
        }
        v.sort_unstable();
        v.dedup();
        v
    };
    let mut class_count = vec![0usize; names.len()];
    for &i in &train {
        if let Some(c) = dense
            .get(i)
            .and_then(|&l| class_count.get_mut(usize::from(l)))
        {
            *c += 1;
        }
    }
    let majority = class_count
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(&a.0)))
        .map_or(0, |(j, _)| j);
    let (mut hit, mut base) = (0usize, 0usize);
    for &i in &test {
        let mut next = 0;
        let leaf = leaf_of(&fitted.root, x.row(i), &mut next);
        let pred = leaf_class
            .iter()
            .find(|(l, _)| *l == leaf)
            .map_or(u16::try_from(majority).unwrap_or(0), |(_, p)| *p);
        let truth = dense.get(i).copied().unwrap_or(0);
        hit += usize::from(pred == truth);
        base += usize::from(usize::from(truth) == majority);
    }
    #[allow(clippy::cast_precision_loss)]
    let (tl, tt) = (test.len().max(1) as f64, train.len().max(1) as f64);
    let train_hit = train
        .iter()
        .zip(&train_pred)
        .filter(|(&i, &p)| dense.get(i) == Some(&p))
        .count();
    #[allow(clippy::cast_precision_loss)]
    Ok(Supervised {
        target: target.to_string(),
        classes: names.to_vec(),
        train_customers: train.len(),
        test_customers: test.len(),
        train_accuracy: train_hit as f64 / tt,
        test_accuracy: hit as f64 / tl,
        baseline_accuracy: base as f64 / tl,
        rules,
    })
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

/// Labels of a categorical column (`None` where missing) and its class names, sorted.
pub fn label_column(
    customers: &crate::features::Customers,
    name: &str,
) -> Result<(Vec<Option<u16>>, Vec<String>)> {
    use crate::matrix::{column, Column};
    let Some(col) = column(customers, name) else {
        return Err(Error::recipe(
            "explain.target",
            format!("the input has no column {name:?} to predict"),
        ));
    };
    let Column::Categorical(values) = col else {
        return Err(Error::recipe(
            "explain.target",
            format!("{name:?} is numeric; the supervised mode predicts a categorical column"),
        ));
    };
    let mut classes: Vec<String> = values.iter().flatten().cloned().collect();
    classes.sort();
    classes.dedup();
    if classes.len() > usize::from(u16::MAX) {
        return Err(Error::Analysis(format!(
            "{name:?} has too many distinct values"
        )));
    }
    let labels = values
        .iter()
        .map(|v| {
            v.as_ref()
                .and_then(|v| classes.binary_search(v).ok())
                .and_then(|i| u16::try_from(i).ok())
        })
        .collect();
    Ok((labels, classes))
}

/// Everything the pipeline explains: clusters, segments and (with `explain.target`) a label column.
/// `matrix` holds the features in original units (the clustering's, or built from `cluster.features`).
pub fn report(
    customers: &crate::features::Customers,
    matrix: &crate::matrix::FeatureMatrix,
    clusters: Option<(&[u16], &[String])>,
    segments: (&[u16], &[String]),
    value_tiers: Option<(&[u16], &[String])>,
    o: &ExplainOptions,
) -> Result<RulesReport> {
    if !o.enabled || customers.is_empty() {
        return Ok(RulesReport::default());
    }
    let x = Features {
        data: &matrix.raw,
        columns: &matrix.columns,
    };
    let clusters = match clusters {
        Some((labels, names)) => Some(explain(x, labels, names, "cluster", o)?),
        None => None,
    };
    let segments = Some(explain(x, segments.0, segments.1, "segment", o)?);
    let value_tiers = match value_tiers {
        Some((labels, names)) if !names.is_empty() => {
            Some(explain(x, labels, names, "value_tier", o)?)
        }
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
            Some(supervised(xs, &labels, &classes, name, o)?)
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
        let e = explain(x, &labels, &names, "cluster", &ExplainOptions::default()).unwrap();
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
        assert!(explain(x, &[0], &names, "t", &ExplainOptions::default()).is_err());
        assert!(explain(x, &[0, 3], &names, "t", &ExplainOptions::default()).is_err());
        let e = explain(x, &[0, 0], &names, "t", &ExplainOptions::default()).unwrap();
        assert_eq!(e.rules.len(), 1);
        assert_eq!(e.rules[0].text, "everyone → a");
        assert!(supervised(x, &[Some(0), None], &names, "t", &ExplainOptions::default()).is_err());
    }
}
