//! Re-analysis without re-clustering: the k-means stage (the choice of k and the final fit, by far
//! the most expensive part of an analysis) is kept on the [`Dataset`](super::Dataset) and reused
//! when the next analysis asks for the same clustering.
//!
//! The key is exactly what the fit depends on: the customers' metrics, which for a loaded dataset
//! are a function of the analysis's `asOf` alone (the dataset never changes after loading), and the
//! whole `cluster` settings (features, transform, scaling, k, range, initialisations, samples,
//! iterations, tolerance, seed). Scores, segments, tiers and everything else a settings change can
//! touch are not inputs of the fit; what depends on them (the cluster × segment cross-tab, the
//! summaries) is recomputed by [`cluster::finish`] on every analysis, as is the feature matrix and
//! the map, so a cached analysis gives the same bytes as a cold one. Only the fit is kept (labels
//! and centres, a few bytes per customer), not the matrix, so the cache costs little memory.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::cluster::{self, CheckedCluster, ClusterOptions, Clustering, Fit};
use crate::error::Result;
use crate::features::Customers;
use crate::ingest::values::Day;

/// The last fit and its key.
struct Entry {
    as_of: Option<Day>,
    options: ClusterOptions,
    fit: Fit,
}

/// One cached k-means fit per dataset (the last one), plus a count of the fits actually run.
#[derive(Default)]
pub(super) struct ClusterCache {
    last: Mutex<Option<Entry>>,
    fits: AtomicUsize,
}

impl ClusterCache {
    /// How many times the k-means stage ran (cache misses).
    pub(super) fn fits(&self) -> usize {
        self.fits.load(Ordering::Relaxed)
    }

    /// [`cluster::run`] for `customers` (the dataset's metrics at `as_of`), reusing the last fit
    /// when `as_of` and `options` are the same as then.
    pub(super) fn run(
        &self,
        as_of: Option<Day>,
        customers: &Customers,
        segments: (&[u16], &[String]),
        options: &CheckedCluster,
    ) -> Result<Clustering> {
        let cached = self.lookup(as_of, options);
        let (matrix, fit) = match cached {
            Some(fit) => {
                let o = options;
                let matrix =
                    cluster::features::build(customers, &o.features, o.transform, o.scaling)?;
                (matrix, fit)
            }
            None => {
                let (matrix, fit) = cluster::fit::matrix_and_fit(customers, options)?;
                self.fits.fetch_add(1, Ordering::Relaxed);
                self.store(Entry {
                    as_of,
                    options: ClusterOptions::clone(options),
                    fit: fit.clone(),
                });
                (matrix, fit)
            }
        };
        let projection = cluster::projection::pca2(&matrix.scaled, matrix.n, matrix.d);
        Ok(cluster::finish(
            customers, segments, matrix, &fit, projection, options,
        ))
    }

    /// The cached fit for this key, if any. A poisoned lock (a panic elsewhere while storing) only
    /// means no reuse.
    fn lookup(&self, as_of: Option<Day>, options: &ClusterOptions) -> Option<Fit> {
        let last = self.last.lock().ok()?;
        last.as_ref()
            .filter(|e| e.as_of == as_of && e.options == *options)
            .map(|e| e.fit.clone())
    }

    fn store(&self, entry: Entry) {
        if let Ok(mut last) = self.last.lock() {
            *last = Some(entry);
        }
    }
}
