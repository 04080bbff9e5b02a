//! The recipe's clustering settings (`cluster`): the number of clusters (`"auto"` or fixed) and
//! everything the fit and the automatic choice of k need, with their checks.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::matrix::{Scaling, Transform};

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
    /// Feature names (default `recency_days`, `frequency`, `monetary`): [`crate::matrix::KNOWN`] or the
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

#[cfg(test)]
thread_local! {
    /// How often [`ClusterOptions::validate`] ran on this thread (the plan test counts it).
    pub(crate) static VALIDATIONS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Clustering settings that passed [`ClusterOptions::check`]: made only by checking, so the
/// pipeline's stage (the cached fit, [`super::fit::matrix_and_fit`]), which takes them from the
/// plan, checks nothing again.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedCluster(ClusterOptions);

impl std::ops::Deref for CheckedCluster {
    type Target = ClusterOptions;

    fn deref(&self) -> &ClusterOptions {
        &self.0
    }
}

impl ClusterOptions {
    /// Checks the settings, once: [`ClusterOptions::validate`] kept as proof.
    pub fn check(&self) -> Result<CheckedCluster> {
        self.validate()?;
        Ok(CheckedCluster(self.clone()))
    }

    /// Checks the settings.
    pub fn validate(&self) -> Result<()> {
        #[cfg(test)]
        VALIDATIONS.with(|c| c.set(c.get() + 1));
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
