//! The CLV stage of an analysis (issue 14, part 1): [`crate::clv::analyse`] on the purchases the
//! load kept, as of the analysis date, its last outcome kept on the [`Dataset`] like the k-means
//! fit (`cluster_cache`), so a re-analysis that changes only other settings does not fit again.
//!
//! The key is what the outcome depends on: the analysis date and the `clv` settings except the
//! P(alive) threshold, which only the lifecycle stage reads. The purchases never change after
//! loading. The outcome is shared (`Arc`), not copied, between the cache and the analyses.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::Dataset;
use crate::clv::{self, Outcome, Purchase, Settings};
use crate::error::{Error, Result};
use crate::features::{Aggregator, Customers};
use crate::ingest::values::{date_of, Day};

/// The purchases the CLV models need, from the aggregator before it is sealed.
pub(super) fn purchases(agg: &Aggregator) -> Vec<Purchase> {
    agg.counted_orders()
        .into_iter()
        .map(|(customer, day, value)| Purchase {
            customer,
            day,
            value,
        })
        .collect()
}

struct Entry {
    as_of: Day,
    settings: Settings,
    outcome: Arc<Outcome>,
}

/// The last CLV outcome of a dataset and a count of the fits actually run.
#[derive(Default)]
pub(super) struct ClvCache {
    last: Mutex<Option<Entry>>,
    fits: AtomicUsize,
}

/// What the analysis takes from the CLV stage.
pub(super) struct ClvStage {
    /// The models' outcome as of the calibration end.
    pub outcome: Arc<Outcome>,
    /// P(alive) as of the analysis date, per customer (for the probabilistic lifecycle).
    pub alive_now: Vec<Option<f64>>,
}

impl Dataset {
    /// How many times analyses of this dataset fitted the CLV models (cache misses).
    pub fn clv_fits(&self) -> usize {
        self.clv_cache.fits.load(Ordering::Relaxed)
    }

    /// Runs (or reuses) the CLV models for `customers` (this dataset's at their `as_of`).
    pub(super) fn clv_stage(
        &self,
        customers: &Customers,
        settings: &Settings,
        alive_now: bool,
    ) -> Result<ClvStage> {
        let purchases = self.purchases.as_deref().ok_or(Error::ClvNotLoaded)?;
        let as_of = customers.as_of;
        if let Some(end) = settings.calibration_end {
            if end >= as_of {
                return Err(Error::ClvCalibrationEnd {
                    calibration_end: date_of(end).to_string(),
                    as_of: date_of(as_of).to_string(),
                });
            }
        }
        let key = Settings {
            p_alive_threshold: 0.0,
            ..settings.clone()
        };
        let cached = self.clv_cache.last.lock().ok().and_then(|last| {
            last.as_ref()
                .filter(|e| e.as_of == as_of && e.settings == key)
                .map(|e| Arc::clone(&e.outcome))
        });
        let outcome = match cached {
            Some(o) => o,
            None => {
                let o = Arc::new(clv::analyse(purchases, customers.len(), as_of, settings));
                self.clv_cache.fits.fetch_add(1, Ordering::Relaxed);
                if let Ok(mut last) = self.clv_cache.last.lock() {
                    *last = Some(Entry {
                        as_of,
                        settings: key,
                        outcome: Arc::clone(&o),
                    });
                }
                o
            }
        };
        let alive_now = match (&outcome.report, alive_now) {
            (Some(r), true) if settings.calibration_end.is_some() => {
                let params = clv::Params {
                    r: r.params.r,
                    alpha: r.params.alpha,
                    a: r.params.a,
                    b: r.params.b,
                };
                clv::now::p_alive_at(purchases, customers.len(), as_of, settings, &params)
            }
            (Some(_), true) => outcome
                .customers
                .iter()
                .map(|c| c.map(|c| c.p_alive))
                .collect(),
            _ => Vec::new(),
        };
        Ok(ClvStage { outcome, alive_now })
    }
}
