//! Clustering: which groups the customers actually form (rules-based segments say which box each falls in).
//!
//! Steps: pick features by name ([`features`]) → signed log1p for skewed columns, then standardise (or
//! robust-scale), keeping the scaler → k-means ([`kmeans`], Hamerly-accelerated, k-means++ seeding,
//! fixed seed) at a forced k or the best k over a range ([`metrics`]) → relabel by size → name each
//! cluster from its centroid ([`naming`]) → PCA map ([`projection`]) → per-cluster summary and a
//! cluster × segment cross-tab.
//!
//! **Choosing k** (`k: "auto"`): every k in `kRange` is fitted (with `sweepNInit` initialisations, on
//! a seeded sample of `sweepSample` customers when there are more); the k with the highest mean
//! silhouette wins, ties going to the smaller k. The silhouette is exact up to `silhouetteSample`
//! customers and computed on a seeded sample of that size above (the size is reported). The final
//! model is then fitted on all customers with `nInit` initialisations (above `initSample` customers
//! the initialisations run on a seeded sample and only the best is refined on everyone). Calinski–Harabasz,
//! Davies–Bouldin and inertia are reported for every k so the page can draw the curves.
//!
//! **Degenerate input**: with fewer than two distinct feature rows (one customer, or all identical),
//! everyone is put in one cluster and a warning says why; a forced k above the number of distinct
//! rows is an error.

/// The feature matrix moved to the [`crate::matrix`] leaf (explain uses it too); this name stays
/// for the callers that reach it as `cluster::features`.
pub use crate::matrix as features;
pub mod fit;
pub mod kmeans;
pub mod metrics;
pub mod naming;
pub mod options;
pub mod projection;
pub mod select;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::Result;
use crate::features::Customers;
use crate::labels::LabelView;
use crate::summary::{crosstab_labels, summarise, CrossTab, GroupSummary};
use crate::warning::Warning;
pub use features::{FeatureMatrix, Scaling, Transform};
pub use fit::Fit;
pub use kmeans::{KMeansModel, KMeansParams};
pub use options::{CheckedCluster, ClusterOptions, KChoice};
pub use projection::Projection;
use select::counts_of;
pub use select::{choose, sweep, KSelection};

/// One cluster in the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterInfo {
    /// 1-based number, as in `customers.csv`.
    pub id: u16,
    /// English name.
    pub name: String,
    /// Chinese name.
    pub name_zh: String,
    /// Customers.
    pub size: usize,
    /// Share of customers.
    pub share: f64,
    /// Centroid in original units per scaled column (log features: the back-transformed centre).
    pub centroid: BTreeMap<String, f64>,
    /// Centroid in the scaled space, in `features` column order.
    pub centroid_scaled: Vec<f64>,
    /// The RFM segment most of its customers are in.
    pub top_segment: String,
    /// Share of the cluster's customers in that segment.
    pub top_segment_share: f64,
}

/// The clustering section of `report.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterReport {
    /// Number of clusters.
    pub k: usize,
    /// `"auto"`, `"fixed"` or `"fallback"` (degenerate input, one cluster).
    pub chosen_by: String,
    /// The automatic selection, when k was chosen automatically.
    pub selection: Option<KSelection>,
    /// The scaled columns with their scalers.
    pub features: Vec<features::ScaledColumn>,
    /// Clusters, largest first.
    pub clusters: Vec<ClusterInfo>,
    /// Per-cluster summary (like the segment summary).
    pub summary: Vec<GroupSummary>,
    /// Cluster × segment counts (the one cross-tab shape: `rows_by` = `cluster`, `columns_by` =
    /// `segment`, with lift).
    pub crosstab: CrossTab,
    /// Inertia of the final fit (scaled space).
    pub inertia: f64,
    /// Iterations of the final fit.
    pub iterations: usize,
    /// Whether the final fit converged before the iteration cap.
    pub converged: bool,
    /// Initialisations of the final fit.
    pub n_init: u16,
    /// Seed used.
    pub seed: u64,
    /// 2-D map axes and their explained variance.
    pub projection: Projection,
}

impl ClusterReport {
    /// A copy without the per-customer map coordinates (for `report.json`, which never holds
    /// per-customer rows; they stay in [`Clustering`]).
    pub fn without_points(&self) -> ClusterReport {
        let mut r = self.clone();
        r.projection.x = Vec::new();
        r.projection.y = Vec::new();
        r
    }
}

/// Clustering of every customer plus its report.
#[derive(Debug, Clone, PartialEq)]
pub struct Clustering {
    /// Cluster index (0-based, into `names`) per customer; clusters are numbered by size, largest first.
    pub labels: Vec<u16>,
    /// English names.
    pub names: Vec<String>,
    /// Chinese names.
    pub names_zh: Vec<String>,
    /// The feature matrix (raw and scaled), for explanations.
    pub matrix: FeatureMatrix,
    /// The report section.
    pub report: ClusterReport,
    /// Things the user should know.
    pub warnings: Vec<Warning>,
}

/// Clusters `customers`. `segment`/`segment_names` are the RFM segments for the cross-tab.
pub fn run(
    customers: &Customers,
    segment: &[u16],
    segment_names: &[String],
    o: &ClusterOptions,
) -> Result<Clustering> {
    let (matrix, fit) = fit::matrix_and_fit(customers, &o.check()?)?;
    let projection = projection::pca2(&matrix.scaled, matrix.n, matrix.d);
    Ok(finish(
        customers,
        (segment, segment_names),
        matrix,
        &fit,
        projection,
        o,
    ))
}

/// The cheap rest of [`run`] after the fit: numbering by size, names, cross-tab, summary and report.
/// `projection` is [`projection::pca2`] of `matrix`. Everything here that the settings outside
/// `cluster` can change (the segments, the customers' summary) is computed again on every call,
/// which is what lets a re-analysis reuse `fit` (see `pipeline::cluster_cache`).
pub fn finish(
    customers: &Customers,
    (segment, segment_names): (&[u16], &[String]),
    matrix: FeatureMatrix,
    fit: &Fit,
    projection: Projection,
    o: &ClusterOptions,
) -> Clustering {
    let (n, d) = (matrix.n, matrix.d);
    let Fit {
        k,
        chosen_by,
        selection,
        model,
        warnings,
    } = fit;
    let k = *k;
    // Renumber by size, largest first (ties: lower original index), so numbering is stable and useful.
    let counts = counts_of(&model.labels, k);
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| counts.get(b).cmp(&counts.get(a)).then_with(|| a.cmp(&b)));
    let mut rank = vec![0u16; k];
    for (new, &old) in order.iter().enumerate() {
        if let Some(r) = rank.get_mut(old) {
            *r = u16::try_from(new).unwrap_or(u16::MAX);
        }
    }
    let labels: Vec<u16> = model
        .labels
        .iter()
        .map(|&l| rank.get(usize::from(l)).copied().unwrap_or(0))
        .collect();
    let centroids: Vec<f64> = order
        .iter()
        .filter_map(|&old| model.centroid(old))
        .flatten()
        .copied()
        .collect();
    let counts = counts_of(&labels, k);
    let names = naming::names(&matrix, &centroids, &labels, k);
    let (names_en, names_zh): (Vec<String>, Vec<String>) = names.into_iter().unzip();

    let crosstab = crosstab_labels(
        "cluster",
        LabelView::new(&labels, &names_en),
        "segment",
        LabelView::new(segment, segment_names),
    );
    #[allow(clippy::cast_precision_loss)]
    let clusters: Vec<ClusterInfo> = (0..k)
        .map(|j| {
            let size = counts.get(j).copied().unwrap_or(0);
            let cs = centroids.get(j * d..(j + 1) * d).unwrap_or(&[]).to_vec();
            let centroid = matrix
                .columns
                .iter()
                .zip(&cs)
                .map(|(c, &z)| (c.name.clone(), c.unscale(z)))
                .collect();
            let row = crosstab.counts.get(j);
            let top = row.and_then(|r| {
                r.iter()
                    .enumerate()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(&a.0)))
            });
            let (top_segment, top_share) = match top {
                Some((s, &cnt)) if size > 0 => (
                    segment_names.get(s).cloned().unwrap_or_default(),
                    cnt as f64 / size as f64,
                ),
                _ => (String::new(), 0.0),
            };
            ClusterInfo {
                id: u16::try_from(j + 1).unwrap_or(u16::MAX),
                name: names_en.get(j).cloned().unwrap_or_default(),
                name_zh: names_zh.get(j).cloned().unwrap_or_default(),
                size,
                share: size as f64 / n.max(1) as f64,
                centroid,
                centroid_scaled: cs,
                top_segment,
                top_segment_share: top_share,
            }
        })
        .collect();
    let summary = summarise(customers, LabelView::new(&labels, &names_en));
    let report = ClusterReport {
        k,
        chosen_by: (*chosen_by).into(),
        selection: selection.clone(),
        features: matrix.columns.clone(),
        clusters,
        summary,
        crosstab,
        inertia: model.inertia,
        iterations: model.n_iter,
        converged: model.converged,
        n_init: o.n_init,
        seed: o.seed,
        projection,
    };
    Clustering {
        labels,
        names: names_en,
        names_zh,
        matrix,
        report,
        warnings: warnings.clone(),
    }
}
