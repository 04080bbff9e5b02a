//! k-means settings the linfa way: a consuming builder ([`KMeansParams`]) and its checked form
//! ([`KMeansValidParams`]), the only one that can fit.

use super::errors::KMeansError;

/// k-means settings (consuming builder; [`KMeansParams::check`] validates).
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansParams {
    pub(super) k: usize,
    pub(super) n_init: usize,
    pub(super) init_sample: usize,
    pub(super) max_iter: usize,
    pub(super) tol: f64,
    pub(super) seed: u64,
}

/// Validated k-means settings: implements linfa's [`Fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansValidParams(pub(super) KMeansParams);

impl KMeansParams {
    /// `k` clusters; defaults: 10 initialisations, 300 iterations, tolerance 1e-4 (relative to the
    /// mean feature variance, as scikit-learn), seed 42.
    pub fn new(k: usize) -> Self {
        KMeansParams {
            k,
            n_init: 10,
            max_iter: 300,
            tol: 1e-4,
            seed: 42,
            init_sample: 0,
        }
    }

    /// Number of k-means++ initialisations; the fit with the lowest inertia wins.
    pub fn n_init(mut self, n: usize) -> Self {
        self.n_init = n;
        self
    }

    /// Iteration cap per initialisation.
    pub fn max_iter(mut self, n: usize) -> Self {
        self.max_iter = n;
        self
    }

    /// Relative tolerance on the summed squared centre shift.
    pub fn tolerance(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }

    /// Above this many points, every initialisation (seeding and iterations) runs on a seeded sample
    /// of this size; the best one, judged on the sample, then seeds a single run on all points.
    /// 0 (default) = every initialisation on all points, as scikit-learn.
    pub fn init_sample(mut self, m: usize) -> Self {
        self.init_sample = m;
        self
    }

    /// Random seed (Xoshiro256++).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Checks every setting (linfa's `ParamGuard::check`): each invalid field is its own
    /// [`KMeansError`] variant with its own code.
    pub fn check(self) -> Result<KMeansValidParams, KMeansError> {
        if self.k == 0 {
            return Err(KMeansError::ZeroClusters);
        }
        if self.k > usize::from(u16::MAX) {
            return Err(KMeansError::TooManyClusters(self.k));
        }
        if self.n_init == 0 {
            return Err(KMeansError::ZeroInitialisations);
        }
        if self.max_iter == 0 {
            return Err(KMeansError::ZeroIterations);
        }
        if !(self.tol.is_finite() && self.tol >= 0.0) {
            return Err(KMeansError::InvalidTolerance(self.tol));
        }
        Ok(KMeansValidParams(self))
    }
}

impl KMeansValidParams {
    /// Number of clusters.
    pub fn k(&self) -> usize {
        self.0.k
    }
}
