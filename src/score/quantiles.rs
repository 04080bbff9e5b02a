//! Quantile scores 1..N per metric, with the cut points stated and collapsed bins reported.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How values are cut into bins.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TieMethod {
    /// Cut points are the k/N quantiles (linear interpolation, numpy's default); a value equal to a cut
    /// point falls in the lower bin. Equal values always get equal scores; when many customers share a
    /// value (most bought once), cut points coincide and some scores go unused — reported as collapsed.
    #[default]
    Edges,
    /// Customers are ranked by value (ties broken by customer id) and split into N equal-count groups,
    /// like pandas `qcut(rank(method="first"))`. Bins never collapse, but equal values can get
    /// different scores.
    RankFirst,
}

/// The cut points used for one metric, as reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Thresholds {
    /// Metric name (`recency_days`, `frequency`, `monetary`).
    pub metric: String,
    /// N − 1 cut points, ascending, in the metric's units.
    pub cuts: Vec<f64>,
    /// `"edges"`, `"rankFirst"` or `"custom"`.
    pub method: String,
    /// Whether a higher value means a lower score (recency).
    pub reversed: bool,
    /// Scores that at least one customer got.
    pub scores_used: Vec<u8>,
    /// True when fewer than N scores are in use.
    pub collapsed: bool,
}

/// Moved to the [`crate::stats`] leaf; kept here so scoring code reads as before.
pub use crate::stats::quantile_sorted;

/// Scores `values` into 1..=`bins` (`bins` = N, 2..=10). `ids` break ties for [`TieMethod::RankFirst`].
/// `custom` cut points (N − 1, ascending) replace the computed ones.
pub fn score(
    metric: &str,
    values: &[f64],
    ids: &[String],
    bins: u8,
    reversed: bool,
    method: TieMethod,
    custom: Option<&[f64]>,
) -> Result<(Vec<u8>, Thresholds)> {
    let n_bins = usize::from(bins);
    let (scores, cuts, method_name) = if let Some(cuts) = custom {
        if cuts.len() + 1 != n_bins {
            return Err(Error::recipe(
                format!("score.cuts.{metric}"),
                format!(
                    "{} cut points given; {} bins need {}",
                    cuts.len(),
                    bins,
                    n_bins - 1
                ),
            ));
        }
        // Equal neighbours are allowed here: reused cut points of an earlier scoring
        // (`ScorePlan::reusing`) can tie; a recipe's own cuts were checked strictly by the plan.
        if cuts.windows(2).any(|w| w.first() > w.get(1)) || cuts.iter().any(|c| !c.is_finite()) {
            return Err(Error::recipe(
                format!("score.cuts.{metric}"),
                "cut points must be finite and strictly ascending",
            ));
        }
        (
            by_cuts(values, cuts, bins, reversed),
            cuts.to_vec(),
            "custom",
        )
    } else {
        match method {
            TieMethod::Edges => {
                let mut sorted: Vec<f64> =
                    values.iter().copied().filter(|v| v.is_finite()).collect();
                crate::stats::sort_total(&mut sorted);
                let cuts: Vec<f64> = (1..n_bins)
                    .filter_map(|k| {
                        #[allow(clippy::cast_precision_loss)]
                        let p = k as f64 / n_bins as f64;
                        quantile_sorted(&sorted, p)
                    })
                    .collect();
                (by_cuts(values, &cuts, bins, reversed), cuts, "edges")
            }
            TieMethod::RankFirst => {
                let (scores, cuts) = by_rank(values, ids, bins, reversed);
                (scores, cuts, "rankFirst")
            }
        }
    };
    let mut used: Vec<u8> = scores.clone();
    used.sort_unstable();
    used.dedup();
    let collapsed = !values.is_empty() && used.len() < n_bins;
    Ok((
        scores,
        Thresholds {
            metric: metric.to_string(),
            cuts,
            method: method_name.to_string(),
            reversed,
            scores_used: used,
            collapsed,
        },
    ))
}

/// Score = 1 + number of cut points strictly below the value (reversed: N − that count).
fn by_cuts(values: &[f64], cuts: &[f64], bins: u8, reversed: bool) -> Vec<u8> {
    values
        .iter()
        .map(|&v| {
            let above = u8::try_from(cuts.iter().filter(|&&c| v > c).count()).unwrap_or(bins - 1);
            if reversed {
                bins - above
            } else {
                1 + above
            }
        })
        .collect()
}

/// Equal-count groups over the order (value, id); reversed ranks descending values first.
fn by_rank(values: &[f64], ids: &[String], bins: u8, reversed: bool) -> (Vec<u8>, Vec<f64>) {
    let n = values.len();
    let key = |i: usize| values.get(i).copied().unwrap_or(f64::NAN);
    let order = rank_order(values, ids);
    let mut scores = vec![1u8; n];
    let mut cuts = Vec::new();
    let mut prev_group = 0usize;
    for (rank, &i) in order.iter().enumerate() {
        let group = rank * usize::from(bins) / n.max(1);
        if group != prev_group {
            // Reported cut: the largest value of the lower group.
            if let Some(&j) = rank.checked_sub(1).and_then(|r| order.get(r)) {
                cuts.push(key(j));
            }
            prev_group = group;
        }
        let s = u8::try_from(group + 1).unwrap_or(bins);
        if let Some(slot) = scores.get_mut(i) {
            *slot = if reversed { bins + 1 - s } else { s };
        }
    }
    (scores, cuts)
}

/// Indices of `values` in ascending order, ties broken by `ids`. The customers' ids come out of
/// the aggregation strictly ascending, so the id order is the index order there: the sort then
/// runs on (value, index) pairs instead of comparing id strings (a re-analysis hot spot), with
/// the same result because no two pairs are equal. Other id lists take the plain comparison.
fn rank_order(values: &[f64], ids: &[String]) -> Vec<usize> {
    let n = values.len();
    let key = |i: usize| values.get(i).copied().unwrap_or(f64::NAN);
    let ascending = ids.len() == n && ids.windows(2).all(|w| w.first() < w.get(1));
    if ascending {
        return crate::stats::order_total(values.iter().copied().zip(0..n));
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        key(a)
            .total_cmp(&key(b))
            .then_with(|| ids.get(a).cmp(&ids.get(b)))
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("c{i:03}")).collect()
    }

    #[test]
    fn rank_order_breaks_ties_by_id_on_both_paths() {
        let v = [2.0, 1.0, 2.0, 1.0, f64::NAN];
        let up: Vec<String> = ["a", "b", "c", "d", "e"].map(String::from).to_vec();
        // Ascending ids (the pair sort): ties in index order, NaN last (total order).
        assert_eq!(rank_order(&v, &up), vec![1, 3, 0, 2, 4]);
        // Descending ids (the plain sort): ties by id, so the later index first.
        let down: Vec<String> = ["e", "d", "c", "b", "a"].map(String::from).to_vec();
        assert_eq!(rank_order(&v, &down), vec![3, 1, 2, 0, 4]);
        // A repeated id is not strictly ascending: the plain sort, stable for the equal pair.
        let dup: Vec<String> = ["a", "a", "b", "b", "c"].map(String::from).to_vec();
        assert_eq!(rank_order(&v, &dup), vec![1, 3, 0, 2, 4]);
    }

    #[test]
    fn quintiles_of_one_to_ten() {
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        let (s, t) = score("monetary", &v, &ids(10), 5, false, TieMethod::Edges, None).unwrap();
        // numpy.quantile(range(1, 11), [.2, .4, .6, .8]) = 2.8, 4.6, 6.4, 8.2
        let expected = [2.8, 4.6, 6.4, 8.2];
        for (c, e) in t.cuts.iter().zip(expected) {
            assert!((c - e).abs() < 1e-12, "{c} vs {e}");
        }
        assert_eq!(s, vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
        assert!(!t.collapsed);
        let (r, _) = score(
            "recency_days",
            &v,
            &ids(10),
            5,
            true,
            TieMethod::Edges,
            None,
        )
        .unwrap();
        assert_eq!(r, vec![5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    }

    #[test]
    fn ties_collapse_edges_but_not_rank_first() {
        let v = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 3.0, 5.0];
        let (s, t) = score("frequency", &v, &ids(10), 5, false, TieMethod::Edges, None).unwrap();
        assert!(t.collapsed);
        assert_eq!(&s[..7], &[1; 7]);
        assert!(s.iter().all(|x| (1..=5).contains(x)));
        let (s, t) = score(
            "frequency",
            &v,
            &ids(10),
            5,
            false,
            TieMethod::RankFirst,
            None,
        )
        .unwrap();
        assert!(!t.collapsed);
        assert_eq!(s, vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    }

    #[test]
    fn custom_cuts_are_checked_and_used() {
        let v = [0.0, 10.0, 100.0, 1000.0];
        let (s, t) = score(
            "monetary",
            &v,
            &ids(4),
            3,
            false,
            TieMethod::Edges,
            Some(&[10.0, 500.0]),
        )
        .unwrap();
        assert_eq!(s, vec![1, 1, 2, 3]);
        assert_eq!(t.method, "custom");
        let e = score(
            "monetary",
            &v,
            &ids(4),
            3,
            false,
            TieMethod::Edges,
            Some(&[10.0]),
        )
        .unwrap_err();
        assert_eq!(e.code(), "invalid_recipe");
        let e = score(
            "monetary",
            &v,
            &ids(4),
            3,
            false,
            TieMethod::Edges,
            Some(&[10.0, 5.0]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("ascending"));
    }
}
