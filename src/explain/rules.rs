//! Turning a fitted tree into readable rules: each leaf's path as conditions in original units,
//! named by the majority label of the customers it holds, with support, purity and fidelity.

use super::cart::{leaf_of, leaves, paths, Fitted};
use super::{Condition, ExplainOptions, Explanation, Features, Rule};
use crate::matrix::ScaledColumn;

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

pub(super) fn condition(col: &ScaledColumn, lo: Option<f64>, hi: Option<f64>) -> Condition {
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

/// Applies a fitted tree to `rows`, naming each leaf by its majority label there.
#[allow(clippy::too_many_arguments)]
pub(super) fn rules_of(
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
