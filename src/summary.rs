//! Group summaries and cross-tabs: what every classification of the customers (segments, tiers,
//! stages, custom tiers, clusters) is reported with. Above `features` (it reads [`Customers`]),
//! below everything that reports (score, cluster, pipeline).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::features::Customers;
use crate::labels::LabelView;
use crate::stats::median;

/// Summary of one group of customers (a segment, later a tier, stage or cluster).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupSummary {
    /// Group name.
    pub name: String,
    /// Customers in the group.
    pub customers: usize,
    /// Share of all customers (0..1).
    pub share: f64,
    /// Net revenue of the group.
    pub revenue: f64,
    /// Share of all net revenue (0..1; 0 when total revenue is not positive).
    pub revenue_share: f64,
    /// Mean recency in days.
    pub mean_recency_days: f64,
    /// Mean frequency.
    pub mean_frequency: f64,
    /// Mean monetary.
    pub mean_monetary: f64,
    /// Median recency in days (0 for an empty group; mean of the middle two for an even count).
    pub median_recency_days: f64,
    /// Median frequency.
    pub median_frequency: f64,
    /// Median monetary.
    pub median_monetary: f64,
}

/// Summarises customers grouped by `labels`, in class order; empty groups kept.
pub fn summarise(customers: &Customers, labels: LabelView<'_>) -> Vec<GroupSummary> {
    let LabelView {
        index: labels,
        names,
    } = labels;
    let k = names.len();
    let mut count = vec![0usize; k];
    let mut revenue = vec![0.0f64; k];
    let mut rec = vec![0.0f64; k];
    let mut freq = vec![0.0f64; k];
    for (i, &g) in labels.iter().enumerate() {
        let g = usize::from(g);
        if g >= k {
            continue;
        }
        if let Some(c) = count.get_mut(g) {
            *c += 1;
        }
        if let (Some(slot), Some(v)) = (revenue.get_mut(g), customers.monetary.get(i)) {
            *slot += v;
        }
        if let (Some(slot), Some(v)) = (rec.get_mut(g), customers.recency_days.get(i)) {
            *slot += f64::from(*v);
        }
        if let (Some(slot), Some(v)) = (freq.get_mut(g), customers.frequency.get(i)) {
            *slot += f64::from(*v);
        }
    }
    let mut values: Vec<[Vec<f64>; 3]> = vec![[Vec::new(), Vec::new(), Vec::new()]; k];
    for (i, &g) in labels.iter().enumerate() {
        if let Some([r, f, m]) = values.get_mut(usize::from(g)) {
            r.extend(customers.recency_days.get(i).map(|&v| f64::from(v)));
            f.extend(customers.frequency.get(i).map(|&v| f64::from(v)));
            m.extend(customers.monetary.get(i).copied());
        }
    }
    let mut medians = values
        .into_iter()
        .map(|[r, f, m]| [median(r), median(f), median(m)]);
    let total_customers = labels.len().max(1);
    let total_revenue: f64 = revenue.iter().sum();
    names
        .iter()
        .enumerate()
        .map(|(g, name)| {
            let n = count.get(g).copied().unwrap_or(0);
            let rev = revenue.get(g).copied().unwrap_or(0.0);
            #[allow(clippy::cast_precision_loss)]
            let (nf, tf) = (n.max(1) as f64, total_customers as f64);
            #[allow(clippy::cast_precision_loss)]
            let share = n as f64 / tf;
            let [median_recency_days, median_frequency, median_monetary] =
                medians.next().unwrap_or([0.0; 3]);
            GroupSummary {
                name: name.clone(),
                customers: n,
                share,
                revenue: rev,
                revenue_share: if total_revenue > 0.0 {
                    rev / total_revenue
                } else {
                    0.0
                },
                mean_recency_days: rec.get(g).copied().unwrap_or(0.0) / nf,
                mean_frequency: freq.get(g).copied().unwrap_or(0.0) / nf,
                mean_monetary: rev / nf,
                median_recency_days,
                median_frequency,
                median_monetary,
            }
        })
        .collect()
}

/// Cross-tabulation of one labelling (rows) by a categorical attribute or a second labelling
/// (columns): segment × region, segment × value tier and segment × lifecycle stage in
/// `report.crosstabs`, cluster × segment in `report.clusters.crosstab` — one shape for all.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CrossTab {
    /// Row variable (e.g. `segment`).
    pub rows_by: String,
    /// Column variable (e.g. `region`).
    pub columns_by: String,
    /// Row labels.
    pub rows: Vec<String>,
    /// Column labels. By an attribute: the most frequent values (at most 50), then `(other)` and
    /// `(none)` if any; by a labelling: its names, in class order.
    pub columns: Vec<String>,
    /// Customers per cell, `counts[row][column]`.
    pub counts: Vec<Vec<usize>>,
    /// Lift per cell: P(row and column) / (P(row) · P(column)); 1 = independent, 0 for an empty
    /// row or column.
    pub lift: Vec<Vec<f64>>,
}

/// Most attribute values kept as separate cross-tab columns.
const CROSSTAB_COLUMNS: usize = 50;

/// Cross-tabulates `labels` by a categorical `attribute` (one value or none per customer).
pub fn crosstab(
    rows_by: &str,
    labels: LabelView<'_>,
    columns_by: &str,
    attribute: &[Option<&str>],
) -> CrossTab {
    let LabelView {
        index: labels,
        names,
    } = labels;
    let mut freq: BTreeMap<&str, usize> = BTreeMap::new();
    for a in attribute.iter().flatten() {
        *freq.entry(a).or_insert(0) += 1;
    }
    let mut by_count: Vec<(&str, usize)> = freq.into_iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut columns: Vec<String> = by_count
        .iter()
        .take(CROSSTAB_COLUMNS)
        .map(|(v, _)| v.to_string())
        .collect();
    let index: BTreeMap<&str, usize> = by_count
        .iter()
        .take(CROSSTAB_COLUMNS)
        .enumerate()
        .map(|(i, (v, _))| (*v, i))
        .collect();
    let other = columns.len();
    let none = other + 1;
    columns.push("(other)".into());
    columns.push("(none)".into());
    let mut counts = vec![vec![0usize; columns.len()]; names.len()];
    for (i, &g) in labels.iter().enumerate() {
        let col = match attribute.get(i).copied().flatten() {
            Some(v) => index.get(v).copied().unwrap_or(other),
            None => none,
        };
        if let Some(c) = counts.get_mut(usize::from(g)).and_then(|r| r.get_mut(col)) {
            *c += 1;
        }
    }
    // Drop the catch-all columns when nobody is in them.
    let keep: Vec<bool> = (0..columns.len())
        .map(|j| j < other || counts.iter().any(|r| r.get(j).copied().unwrap_or(0) > 0))
        .collect();
    let filter = |row: Vec<usize>| -> Vec<usize> {
        row.into_iter()
            .zip(&keep)
            .filter_map(|(c, &k)| k.then_some(c))
            .collect()
    };
    let columns: Vec<String> = columns
        .into_iter()
        .zip(&keep)
        .filter_map(|(c, &k)| k.then_some(c))
        .collect();
    let counts: Vec<Vec<usize>> = counts.into_iter().map(filter).collect();
    let lift = lift_of(&counts, columns.len());
    CrossTab {
        rows_by: rows_by.into(),
        columns_by: columns_by.into(),
        rows: names.to_vec(),
        columns,
        counts,
        lift,
    }
}

/// Cross-tabulates two labellings of the same customers: every class of `rows` by every class of
/// `columns`, in class order, none dropped (cluster × segment).
pub fn crosstab_labels(
    rows_by: &str,
    rows: LabelView<'_>,
    columns_by: &str,
    columns: LabelView<'_>,
) -> CrossTab {
    let mut counts = vec![vec![0usize; columns.classes()]; rows.classes()];
    for (&r, &c) in rows.index.iter().zip(columns.index) {
        if let Some(x) = counts
            .get_mut(usize::from(r))
            .and_then(|row| row.get_mut(usize::from(c)))
        {
            *x += 1;
        }
    }
    let lift = lift_of(&counts, columns.classes());
    CrossTab {
        rows_by: rows_by.into(),
        columns_by: columns_by.into(),
        rows: rows.names.to_vec(),
        columns: columns.names.to_vec(),
        counts,
        lift,
    }
}

/// Lift per cell of `counts` (`width` columns): P(row and column) / (P(row) · P(column)).
#[allow(clippy::cast_precision_loss)]
fn lift_of(counts: &[Vec<usize>], width: usize) -> Vec<Vec<f64>> {
    let total: usize = counts.iter().flatten().sum();
    let col_totals: Vec<usize> = (0..width)
        .map(|j| counts.iter().map(|r| r.get(j).copied().unwrap_or(0)).sum())
        .collect();
    counts
        .iter()
        .map(|row| {
            let row_total: usize = row.iter().sum();
            row.iter()
                .zip(&col_totals)
                .map(|(&c, &ct)| {
                    if row_total == 0 || ct == 0 {
                        0.0
                    } else {
                        (c as f64 * total as f64) / (row_total as f64 * ct as f64)
                    }
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crosstab_lift() {
        let names = vec!["A".to_string(), "B".to_string()];
        let region = Some;
        // A: x, x, y; B: y, none. N = 5.
        let attr = vec![region("x"), region("x"), region("y"), region("y"), None];
        let t = crosstab(
            "segment",
            LabelView::new(&[0, 0, 0, 1, 1], &names),
            "region",
            &attr,
        );
        assert_eq!(t.columns, vec!["x", "y", "(none)"]);
        assert_eq!(t.counts, vec![vec![2, 1, 0], vec![0, 1, 1]]);
        // lift(A, x) = 2·5 / (3·2) = 5/3; lift(B, none) = 1·5 / (2·1) = 2.5.
        assert!((t.lift[0][0] - 5.0 / 3.0).abs() < 1e-12);
        assert!((t.lift[1][2] - 2.5).abs() < 1e-12);
    }

    #[test]
    fn crosstab_of_two_labellings_keeps_every_class() {
        let rows = vec!["c1".to_string(), "c2".to_string()];
        let cols = vec!["s1".to_string(), "s2".to_string(), "s3".to_string()];
        // c1: s1, s1, s2; c2: s2. s3 is empty but kept.
        let t = crosstab_labels(
            "cluster",
            LabelView::new(&[0, 0, 0, 1], &rows),
            "segment",
            LabelView::new(&[0, 0, 1, 1], &cols),
        );
        assert_eq!(t.columns, cols);
        assert_eq!(t.counts, vec![vec![2, 1, 0], vec![0, 1, 0]]);
        // lift(c2, s2) = 1·4 / (1·2) = 2; an empty column has lift 0.
        assert!((t.lift[1][1] - 2.0).abs() < 1e-12);
        assert_eq!(t.lift[0][2], 0.0);
    }
}
