//! A loaded input ([`Dataset`]) and what analysing it gives ([`Analysis`]).

use crate::clean::RowAccounting;
use crate::config::AsPlan;
use crate::error::Result;
use crate::features::{Aggregator, Customers};
use crate::ingest::values::Day;
use crate::report::{self, GroupSummary, InputReport, Report};
use crate::score::{Classes, Scores};

/// A loaded input: cleaned, aggregated, ready to analyse any number of times.
pub struct Dataset {
    pub(super) input: InputReport,
    pub(super) accounting: RowAccounting,
    pub(super) agg: Aggregator,
    pub(super) customers: Customers,
    pub(super) load_as_of: Option<Day>,
    pub(super) warnings: Vec<crate::warning::Warning>,
    /// The last k-means fit, reused by analyses that cluster the same way (see `cluster_cache`).
    pub(super) cluster_cache: super::cluster_cache::ClusterCache,
    /// Every counted order with its value, kept only when the load's recipe has the `clv` section.
    pub(super) purchases: Option<Vec<crate::clv::Purchase>>,
    /// The last CLV outcome (see `clv`).
    pub(super) clv_cache: super::clv::ClvCache,
}

/// Everything a run produces: per-customer columns and the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Per-customer metrics.
    pub customers: Customers,
    /// Per-customer scores and segments.
    pub scores: Scores,
    /// Per-customer value tier, lifecycle stage, custom tier, code and action.
    pub classes: Classes,
    /// The report.
    pub report: Report,
    /// Per-customer clusters, names and map coordinates (`None` when `cluster.enabled` is false).
    pub clusters: Option<crate::cluster::Clustering>,
    /// Per-customer CLV figures (P(alive), expected purchases and spend, CLV), `None` when the
    /// `clv` section is off or the fit was not identifiable (then customers.csv has no CLV columns).
    pub clv: Option<std::sync::Arc<crate::clv::Outcome>>,
}

impl Analysis {
    /// The customer list as CSV (see [`report::customers_csv`]).
    pub fn customers_csv(&self) -> Vec<u8> {
        report::write_csv(&self.columns(), self.customers.len())
    }

    /// Per-customer CLV figures in customer order, when there are any.
    pub fn clv_figures(&self) -> Option<&[Option<crate::clv::CustomerClv>]> {
        self.clv
            .as_deref()
            .filter(|o| o.report.is_some())
            .map(|o| o.customers.as_slice())
    }

    /// `report.json` text.
    pub fn report_json(&self) -> String {
        serde_json::to_string_pretty(&self.report).unwrap_or_default()
    }

    /// Segment summary rows.
    pub fn segment_summary(&self) -> &[GroupSummary] {
        &self.report.segments.summary
    }
}

impl Dataset {
    /// Loads a whole input held in memory.
    pub fn from_bytes(bytes: &[u8], recipe: &impl AsPlan) -> Result<Dataset> {
        super::load(&mut super::Bytes::new(bytes), recipe, &mut |_| {})
    }

    /// Per-customer metrics at the load's `as_of`.
    pub fn customers(&self) -> &Customers {
        &self.customers
    }

    /// How many times analyses of this dataset ran the k-means stage (the choice of k and the final
    /// fit). An analysis that clusters as the previous one did (same `asOf` and `cluster` settings)
    /// reuses that fit and does not count. For tests and benchmarks of re-analysis.
    pub fn cluster_fits(&self) -> usize {
        self.cluster_cache.fits()
    }

    /// Row accounting of the load.
    pub fn accounting(&self) -> &RowAccounting {
        &self.accounting
    }

    /// Scores, segments and summarises with a checked recipe ([`crate::Recipe::check`]; a bare
    /// [`crate::Recipe`] is checked here). The recipe's `input` and `clean` settings must match the
    /// load's; `asOf` may move later than the latest transaction without reloading, but an earlier
    /// `asOf` changes which rows are used and needs a new load.
    pub fn analyze(&self, recipe: &impl AsPlan) -> Result<Analysis> {
        self.analyze_with(recipe, None)
    }
}
