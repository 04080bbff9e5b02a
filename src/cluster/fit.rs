//! The expensive part of clustering: how many clusters (the automatic sweep over `kRange`, or the
//! forced k) and the final k-means fit on every customer. It depends on the scaled feature matrix and
//! the `cluster` settings only, so a re-analysis whose other settings changed can reuse it
//! (`pipeline::cluster_cache`); everything that also depends on the segments is done in
//! [`super::finish`].

use super::features::{self, FeatureMatrix};
use super::kmeans::KMeansModel;
use super::options::{CheckedCluster, ClusterOptions, KChoice};
use super::select::{choose, distinct_rows, params, sweep, KSelection};
use crate::error::{Error, Result};
use crate::features::Customers;
use crate::warning::Warning;

/// The chosen k, how it was chosen, and the final model (clusters in fit order, not yet numbered by
/// size).
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// Number of clusters.
    pub k: usize,
    /// `"auto"`, `"fixed"` or `"fallback"`.
    pub chosen_by: &'static str,
    /// The automatic selection, when k was chosen automatically.
    pub selection: Option<KSelection>,
    /// The final k-means model on every customer.
    pub model: KMeansModel,
    /// Warnings of the choice of k (capped range, single cluster).
    pub warnings: Vec<Warning>,
}

/// Builds the feature matrix of `customers` and fits it ([`fit`]); `o` comes checked.
pub fn matrix_and_fit(customers: &Customers, o: &CheckedCluster) -> Result<(FeatureMatrix, Fit)> {
    if customers.is_empty() {
        return Err(Error::Analysis("no customers to cluster".into()));
    }
    let matrix = features::build(customers, &o.features, o.transform, o.scaling)?;
    let fit = fit(&matrix, o)?;
    Ok((matrix, fit))
}

/// Chooses k for `matrix` (or takes the forced one) and fits the final model.
pub fn fit(matrix: &FeatureMatrix, o: &ClusterOptions) -> Result<Fit> {
    let (n, d) = (matrix.n, matrix.d);
    let mut warnings: Vec<Warning> = Vec::new();
    let [lo, hi] = o.k_range;
    let cap = match o.k {
        KChoice::Fixed(k) => usize::from(k),
        KChoice::Auto => usize::from(hi),
    };
    let distinct = distinct_rows(&matrix.scaled, d, cap.max(2));
    let mut selection = None;
    let (k, chosen_by) = if distinct < 2 {
        warnings.push(Warning::cluster_single(n));
        (1usize, "fallback")
    } else {
        match o.k {
            KChoice::Fixed(k) => {
                let k = usize::from(k);
                if k > distinct {
                    return Err(Error::Analysis(format!(
                        "k = {k} clusters but only {distinct} distinct customer profiles; use a smaller k or \"auto\""
                    )));
                }
                (k, "fixed")
            }
            KChoice::Auto => {
                let hi = usize::from(hi).min(distinct);
                let lo = usize::from(lo).min(hi);
                if hi < usize::from(o.k_range[1]) {
                    warnings.push(Warning::cluster_k_capped(distinct, hi));
                }
                let ks: Vec<u16> = (lo..=hi).filter_map(|k| u16::try_from(k).ok()).collect();
                let sweep_n = usize::try_from(o.sweep_sample).unwrap_or(usize::MAX);
                let sel = if sweep_n == 0 || sweep_n >= n {
                    sweep(&matrix.scaled, d, &ks, o)?
                } else {
                    let idx = crate::stats::sample_indices(n, sweep_n, o.seed ^ 0x5eed);
                    let sub: Vec<f64> = idx
                        .iter()
                        .filter_map(|&i| matrix.scaled.get(i * d..(i + 1) * d))
                        .flatten()
                        .copied()
                        .collect();
                    sweep(&sub, d, &ks, o)?
                };
                let k = choose(&sel).map_or(lo, usize::from);
                selection = Some(sel);
                (k, "auto")
            }
        }
    };
    let model = params(k, o.n_init, o)?.fit_rows(&matrix.scaled, d)?;
    Ok(Fit {
        k,
        chosen_by,
        selection,
        model,
        warnings,
    })
}
