//! Choosing k: fit every k of the range (on a seeded sample), score it by silhouette,
//! Calinski–Harabasz, Davies–Bouldin and inertia, and pick by the stated rule.

use serde::Serialize;

use super::kmeans::{KMeansParams, KMeansValidParams};
use super::metrics;
use super::options::ClusterOptions;
use crate::error::Result;

/// The automatic choice of k: every curve and the rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KSelection {
    /// How the k was chosen, in words.
    pub rule: String,
    /// The k values tried.
    pub k: Vec<u16>,
    /// Mean silhouette per k (higher is better).
    pub silhouette: Vec<Option<f64>>,
    /// Calinski–Harabasz per k (higher is better).
    pub calinski_harabasz: Vec<Option<f64>>,
    /// Davies–Bouldin per k (lower is better).
    pub davies_bouldin: Vec<Option<f64>>,
    /// Inertia (sum of squared distances) per k, on the sweep customers.
    pub inertia: Vec<f64>,
    /// Customers the sweep was fitted on.
    pub sweep_customers: usize,
    /// Customers the silhouette was computed on.
    pub silhouette_customers: usize,
    /// True when the silhouette used a sample rather than every sweep customer.
    pub silhouette_sampled: bool,
}

/// Number of distinct rows, counting no further than `cap`.
pub(super) fn distinct_rows(data: &[f64], d: usize, cap: usize) -> usize {
    let mut seen: Vec<&[f64]> = Vec::new();
    for x in data.chunks_exact(d.max(1)) {
        if !seen.contains(&x) {
            seen.push(x);
            if seen.len() >= cap {
                break;
            }
        }
    }
    seen.len()
}

/// The checked k-means parameters for `k` clusters and `n_init` starts.
pub(super) fn params(k: usize, n_init: u16, o: &ClusterOptions) -> Result<KMeansValidParams> {
    Ok(KMeansParams::new(k)
        .n_init(usize::from(n_init))
        .max_iter(usize::try_from(o.max_iter).unwrap_or(usize::MAX))
        .tolerance(o.tolerance)
        .seed(o.seed)
        .init_sample(usize::try_from(o.init_sample).unwrap_or(usize::MAX))
        .check()?)
}

/// Customers per cluster.
pub(super) fn counts_of(labels: &[u16], k: usize) -> Vec<usize> {
    let mut c = vec![0usize; k];
    for &l in labels {
        if let Some(s) = c.get_mut(usize::from(l)) {
            *s += 1;
        }
    }
    c
}

/// Fits every k in the range on `data` and scores it.
pub fn sweep(data: &[f64], d: usize, ks: &[u16], o: &ClusterOptions) -> Result<KSelection> {
    let n = data.len() / d.max(1);
    let sil_n = usize::try_from(o.silhouette_sample)
        .unwrap_or(usize::MAX)
        .min(n);
    let sil_idx = crate::stats::sample_indices(n, sil_n, o.seed ^ 0x5117);
    let mut sel = KSelection {
        rule: "highest mean silhouette; ties go to the smaller k".into(),
        k: Vec::new(),
        silhouette: Vec::new(),
        calinski_harabasz: Vec::new(),
        davies_bouldin: Vec::new(),
        inertia: Vec::new(),
        sweep_customers: n,
        silhouette_customers: sil_idx.len(),
        silhouette_sampled: sil_idx.len() < n,
    };
    for &k in ks {
        let ku = usize::from(k);
        let m = params(ku, o.sweep_n_init, o)?.fit_rows(data, d)?;
        let counts = counts_of(&m.labels, ku);
        sel.k.push(k);
        sel.silhouette
            .push(metrics::silhouette(data, d, &m.labels, ku, &sil_idx));
        sel.calinski_harabasz.push(metrics::calinski_harabasz(
            data,
            d,
            &m.labels,
            &m.centroids,
            &counts,
            m.inertia,
        ));
        sel.davies_bouldin.push(metrics::davies_bouldin(
            data,
            d,
            &m.labels,
            &m.centroids,
            &counts,
        ));
        sel.inertia.push(m.inertia);
    }
    Ok(sel)
}

/// The k the selection rule picks.
pub fn choose(sel: &KSelection) -> Option<u16> {
    let mut best: Option<(u16, f64)> = None;
    for (&k, s) in sel.k.iter().zip(&sel.silhouette) {
        let Some(s) = *s else { continue };
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((k, s));
        }
    }
    best.map(|b| b.0).or_else(|| sel.k.first().copied())
}
