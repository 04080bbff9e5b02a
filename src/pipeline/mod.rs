//! The pipeline: bytes → [`Loader`] → [`Dataset`] → [`Dataset::analyze`] → [`Analysis`].
//!
//! Loading (parse, clean, aggregate) is the expensive part and depends only on the recipe's `input`,
//! `clean` and `asOf` settings; analysis (scores, segments, summaries) can be re-run on the same
//! [`Dataset`] with other settings without reading the file again.
//!
//! - [`load`]: the [`Loader`] state machine (one or two passes over pushed chunks).
//! - `sink`: what the reader's rows go to: sample, roles, cleaner, aggregator.
//! - `header`: the search for the header row among the first rows.
//! - [`dataset`]: [`Dataset`] and [`Analysis`].
//! - `analyze`: [`Dataset::analyze_with`], the analysis stages in order.
//! - [`source`]: [`load`], the one call that loads a [`Source`] (two passes when it can be
//!   read twice).
//! - `assemble`: the report document built from the stages' results.
//! - `cluster_cache`: the last k-means fit, reused by a re-analysis that clusters the same way.
//! - `clv`: the CLV stage and its cache (the last outcome, reused when only other settings change).
//! - `migrate`: migration between two periods ([`Dataset::analyze_compared`], [`earlier_plan`]).

mod analyze;
mod assemble;
mod cluster_cache;
mod clv;
pub mod dataset;
mod exports;
mod header;
pub mod load;
mod migrate;
mod sink;
pub mod source;

pub use dataset::{Analysis, Dataset};
pub use load::Loader;
pub use migrate::earlier_plan;
pub use source::{load, Bytes, Source};

use crate::config::Recipe;
use crate::error::Result;

/// Records buffered before column roles (and, for a one-time stream, value parsers) are fixed
/// from them.
const SAMPLE_ROWS: usize = 500;

/// Progress of a load, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    /// Bytes pushed so far.
    pub bytes: u64,
    /// Data rows read so far.
    pub rows: u64,
    /// Distinct customers so far.
    pub customers: usize,
    /// Which pass over the input this is (1 or 2).
    pub pass: u8,
    /// Passes the load makes: 2 when a first pass prepares duplicate and outlier checks.
    pub passes: u8,
}

/// One call for the simple case: check `recipe` (once), load `bytes` and analyse them.
pub fn segment(bytes: &[u8], recipe: &Recipe) -> Result<Analysis> {
    let plan = recipe.check()?;
    Dataset::from_bytes(bytes, &plan)?.analyze(&plan)
}
