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
pub mod kmeans;
pub mod metrics;
pub mod naming;
pub mod projection;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::features::Customers;
use crate::labels::LabelView;
use crate::summary::{crosstab_labels, summarise, CrossTab, GroupSummary};
pub use features::{FeatureMatrix, Scaling, Transform};
pub use kmeans::{KMeansModel, KMeansParams};
pub use projection::Projection;

/// Number of clusters: a fixed number or chosen automatically. JSON: `"auto"` or a number.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum KChoice {
    /// Best k over `kRange` by silhouette.
    #[default]
    Auto,
    /// This many clusters.
    Fixed(u16),
}

impl Serialize for KChoice {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            KChoice::Auto => s.serialize_str("auto"),
            KChoice::Fixed(k) => s.serialize_u16(*k),
        }
    }
}

impl<'de> Deserialize<'de> for KChoice {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            N(u16),
            S(String),
        }
        match Raw::deserialize(d)? {
            Raw::N(k) => Ok(KChoice::Fixed(k)),
            Raw::S(s) => s.parse(),
        }
        .map_err(serde::de::Error::custom)
    }
}

impl std::str::FromStr for KChoice {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        if s.eq_ignore_ascii_case("auto") {
            return Ok(KChoice::Auto);
        }
        s.parse::<u16>()
            .map(KChoice::Fixed)
            .map_err(|_| format!("k must be \"auto\" or a number, not {s:?}"))
    }
}

/// Clustering settings of the recipe (`cluster`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ClusterOptions {
    /// Run clustering at all (default true).
    pub enabled: bool,
    /// Feature names (default `recency_days`, `frequency`, `monetary`): [`features::KNOWN`] or the
    /// header name of an extra input column (numeric, or categorical as one-hot columns).
    pub features: Vec<String>,
    /// Transform before scaling (default `auto`: signed log1p for skewed columns).
    pub transform: Transform,
    /// Scaling (default `standard`).
    pub scaling: Scaling,
    /// `"auto"` (default) or a fixed number of clusters.
    pub k: KChoice,
    /// Range of k tried by `auto`, inclusive (default `[2, 10]`).
    pub k_range: [u16; 2],
    /// k-means++ initialisations of the final fit (default 10).
    pub n_init: u16,
    /// Above this many customers each initialisation runs on a seeded sample of this size and only the
    /// best is refined on everyone (default 100000; 0 = every initialisation on everyone).
    pub init_sample: u32,
    /// Initialisations per k during the automatic sweep (default 3).
    pub sweep_n_init: u16,
    /// Customers the sweep fits on, sampled with the seed when there are more (default 20000; 0 = all).
    pub sweep_sample: u32,
    /// Iteration cap per initialisation (default 300).
    pub max_iter: u32,
    /// Convergence tolerance relative to the mean feature variance (default 1e-4, as scikit-learn).
    pub tolerance: f64,
    /// Random seed (default 42).
    pub seed: u64,
    /// Silhouette is exact up to this many customers and sampled to this size above (default 4000).
    pub silhouette_sample: u32,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            enabled: true,
            features: ["recency_days", "frequency", "monetary"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            transform: Transform::Auto,
            scaling: Scaling::Standard,
            k: KChoice::Auto,
            k_range: [2, 10],
            n_init: 10,
            init_sample: 100_000,
            sweep_n_init: 3,
            sweep_sample: 20_000,
            max_iter: 300,
            tolerance: 1e-4,
            seed: 42,
            silhouette_sample: 4000,
        }
    }
}

impl ClusterOptions {
    /// Checks the settings.
    pub fn validate(&self) -> Result<()> {
        if self.features.is_empty() {
            return Err(Error::recipe(
                "cluster.features",
                "name at least one feature",
            ));
        }
        // Any other name may be an extra column of the input (a customer attribute): that is checked
        // when the features are built, once the file's columns are known.
        if self.features.iter().any(|f| f.trim().is_empty()) {
            return Err(Error::recipe("cluster.features", "a feature name is empty"));
        }
        if let Some((i, f)) = self
            .features
            .iter()
            .enumerate()
            .find(|(i, f)| self.features.iter().take(*i).any(|g| g == *f))
        {
            return Err(Error::recipe(
                "cluster.features",
                format!("{f:?} is listed twice (at {i})"),
            ));
        }
        if let KChoice::Fixed(k) = self.k {
            if k == 0 || k > 200 {
                return Err(Error::recipe(
                    "cluster.k",
                    format!("{k}: use 1 to 200 or \"auto\""),
                ));
            }
        }
        let [lo, hi] = self.k_range;
        if lo < 2 || hi < lo || hi > 50 {
            return Err(Error::recipe(
                "cluster.kRange",
                format!("[{lo}, {hi}]: need 2 ≤ min ≤ max ≤ 50"),
            ));
        }
        if self.n_init == 0 {
            return Err(Error::recipe("cluster.nInit", "nInit cannot be 0"));
        }
        if self.sweep_n_init == 0 {
            return Err(Error::recipe(
                "cluster.sweepNInit",
                "sweepNInit cannot be 0",
            ));
        }
        if self.max_iter == 0 {
            return Err(Error::recipe("cluster.maxIter", "maxIter cannot be 0"));
        }
        if !(self.tolerance.is_finite() && self.tolerance >= 0.0) {
            return Err(Error::recipe(
                "cluster.tolerance",
                "must be a finite number ≥ 0",
            ));
        }
        if self.silhouette_sample < 10 {
            return Err(Error::recipe("cluster.silhouetteSample", "use at least 10"));
        }
        Ok(())
    }
}

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
    pub warnings: Vec<String>,
}

/// Number of distinct rows, counting no further than `cap`.
fn distinct_rows(data: &[f64], d: usize, cap: usize) -> usize {
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

fn params(k: usize, n_init: u16, o: &ClusterOptions) -> Result<kmeans::KMeansValidParams> {
    Ok(KMeansParams::new(k)
        .n_init(usize::from(n_init))
        .max_iter(usize::try_from(o.max_iter).unwrap_or(usize::MAX))
        .tolerance(o.tolerance)
        .seed(o.seed)
        .init_sample(usize::try_from(o.init_sample).unwrap_or(usize::MAX))
        .check()?)
}

fn counts_of(labels: &[u16], k: usize) -> Vec<usize> {
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

/// Clusters `customers`. `segment`/`segment_names` are the RFM segments for the cross-tab.
pub fn run(
    customers: &Customers,
    segment: &[u16],
    segment_names: &[String],
    o: &ClusterOptions,
) -> Result<Clustering> {
    o.validate()?;
    if customers.is_empty() {
        return Err(Error::Analysis("no customers to cluster".into()));
    }
    let matrix = features::build(customers, &o.features, o.transform, o.scaling)?;
    let (n, d) = (matrix.n, matrix.d);
    let mut warnings = Vec::new();
    let [lo, hi] = o.k_range;
    let cap = match o.k {
        KChoice::Fixed(k) => usize::from(k),
        KChoice::Auto => usize::from(hi),
    };
    let distinct = distinct_rows(&matrix.scaled, d, cap.max(2));
    let mut selection = None;
    let (k, chosen_by) = if distinct < 2 {
        warnings.push(format!(
            "clustering: {} — every customer is in one cluster",
            if n == 1 {
                "only one customer".to_string()
            } else {
                "all customers have identical features".to_string()
            }
        ));
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
                    warnings.push(format!(
                        "clustering: only {distinct} distinct customer profiles, so k was tried up to {hi}"
                    ));
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
    let projection = projection::pca2(&matrix.scaled, n, d);
    let report = ClusterReport {
        k,
        chosen_by: chosen_by.into(),
        selection,
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
    Ok(Clustering {
        labels,
        names: names_en,
        names_zh,
        matrix,
        report,
        warnings,
    })
}
