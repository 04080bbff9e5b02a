//! A small deterministic CART (Gini) and the plain tree it fits: presorted columns, integer class
//! counts and fixed tie-breaking, so the same input always gives the same tree (natively and in
//! Wasm). The depth is capped by `explain.maxDepth` (≤ 8), which bounds the recursion.

use super::{ExplainOptions, Features};
use crate::error::{Error, Result};

/// The tree in a plain form: splits send `x[col] ≤ threshold` left.
#[derive(Debug, Clone)]
pub(super) enum Node {
    /// A leaf.
    Leaf,
    /// `x[col] ≤ threshold` goes left.
    Split {
        col: usize,
        threshold: f64,
        left: Box<Node>,
        right: Box<Node>,
    },
}

/// Leaf number of a row (leaves numbered left to right).
pub(super) fn leaf_of(node: &Node, x: &[f64], next: &mut usize) -> usize {
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

pub(super) fn leaves(node: &Node) -> usize {
    match node {
        Node::Leaf => 1,
        Node::Split { left, right, .. } => leaves(left) + leaves(right),
    }
}

/// Paths to every leaf as (column, ≤ threshold?, threshold) steps, left to right.
pub(super) fn paths(
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

/// A fitted rule tree, applicable to any rows with the same columns.
pub(super) struct Fitted {
    pub(super) root: Node,
}

/// Deterministic CART (Gini) on the customers `rows`: every split scans each feature's values in
/// sorted order (presorted once, partitioned stably down the tree), class counts are integers and
/// ties keep the first feature and the lowest threshold, so the same input always gives the same
/// tree — natively and in Wasm.
pub(super) struct Cart<'a> {
    x: Features<'a>,
    labels: &'a [u16],
    k: usize,
    max_depth: usize,
    min_leaf: usize,
}

impl Cart<'_> {
    // The split scans call these once per row and column: inlined by hand because the
    // size-optimised Wasm build (opt-level "z") does not, and the calls were a tenth of a
    // re-analysis there (issue 12).
    #[inline(always)]
    fn value(&self, row: usize, col: usize) -> f64 {
        let d = self.x.d();
        if col >= d {
            return 0.0;
        }
        self.x.data.get(row * d + col).copied().unwrap_or(0.0)
    }

    #[inline(always)]
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

/// The fit rows and, per feature column, those rows in ascending order of the column's value (ties
/// by row). Sorting is most of a fit's cost and depends only on the features and the rows, so
/// the trees of one analysis (clusters, segments, value tiers) share one presort.
pub(super) struct Presorted {
    rows: Vec<usize>,
    sorted: Vec<Vec<usize>>,
}

impl Presorted {
    /// Sorts `rows` by every column of `x`. Each sort runs on (value, row) pairs in the total
    /// order of f64 then the row; rows are distinct, so no two pairs tie and the unstable sort
    /// gives the same order as a stable one.
    pub(super) fn new(x: Features<'_>, rows: Vec<usize>) -> Self {
        let sorted = (0..x.columns.len())
            .map(|col| {
                crate::stats::order_total(
                    rows.iter()
                        .map(|&r| (x.row(r).get(col).copied().unwrap_or(0.0), r)),
                )
            })
            .collect();
        Presorted { rows, sorted }
    }

    /// The rows the trees are fitted on.
    pub(super) fn rows(&self) -> &[usize] {
        &self.rows
    }
}

pub(super) fn fit_tree(
    x: Features<'_>,
    pre: &Presorted,
    labels: &[u16],
    k: usize,
    o: &ExplainOptions,
) -> Result<Fitted> {
    let rows = pre.rows();
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
    Ok(Fitted {
        root: cart.build(pre.sorted.clone(), 0).0,
    })
}
