//! tierlens: customer segmentation that runs entirely in the browser.
//!
//! The crate is a pure pipeline — bytes in, results out, no I/O, no clock, no JS types. Modules
//! run one way (low → high; `tests/architecture.rs` checks the `use crate::` edges):
//!
//! ```text
//!  1 leaves     error · hashing · stats · format · labels · warning
//!                                              │
//!  2 reading    bytes ─ingest─▶ records        (sniff, readers, roles, decisions with coded
//!               orders · prescan · sample · pseudonym        evidence)
//!                                              │
//!  3 cleaning   clean ─▶ rows                  (accounting, transactions; returns rows)
//!  4 aggregate  features ─▶ Customers          (the pipeline feeds the aggregator)
//!  5 shared     summary (group summaries, cross-tabs) · matrix (feature matrix + scaling)
//!               · kernel (distance) · clv (BG/NBD + Gamma-Gamma)
//!  6 scoring    score (quantiles, segments, tiers, lifecycle, codes + token tables, custom tiers,
//!               actions)
//!  7 clustering cluster (k-means, choice of k, naming, map) · explain (CART rules; uses matrix)
//!  8 settings   config (Recipe → checked plan) · capabilities · preview · reload · migration
//!  9 documents  report (report.json) · export · columns (customers.csv / JSON / XLSX table)
//! 10 pipeline   Loader (push chunks) → Dataset (re-analysable) → Analysis;  10½ sql (fitted
//!               segmentation as DuckDB / Spark SQL)
//! 11 faces      src/wasm (JS boundary, wasm32) · src/bin/tierlens.rs + tierlens/ (CLI) · www/ (draws only)
//! ```
//!
//! The facade below ([`segment`], [`Loader`], [`Dataset`], [`Analysis`], [`Recipe`], [`Error`])
//! is what a caller needs. The modules the integration tests, the CLI and the benchmark reach
//! into stay `pub` (see the list at the `mod` declarations); the shared analysis leaves
//! (`stats`, `kernel`, `summary`, `format`) are crate-internal, their public items reachable
//! through `report` where a caller needs them.
//!
//! ```
//! let csv = "customer_id,date,amount\nA,2024-01-01,10\nB,2024-01-05,30\nA,2024-01-09,5\n";
//! let analysis = tierlens::segment(csv.as_bytes(), &tierlens::Recipe::default())?;
//! assert_eq!(analysis.customers.ids, vec!["A", "B"]);
//! assert_eq!(analysis.customers.frequency, vec![2, 1]);
//! assert_eq!(analysis.report.as_of, "2024-01-10");
//! # Ok::<(), tierlens::Error>(())
//! ```
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::float_cmp
    )
)]

// Public because integration tests, the CLI, the fuzz targets or the benchmark use them (or their
// types appear in public fields of `Analysis`): clean (tests/ingest: CleanOptions), cluster
// (tests/cluster, bench: KMeansParams, ClusterOptions), config, error, explain (tests/cluster),
// export (CLI, tests/exports), features (Customers in `Analysis`; tests), hashing (fingerprint
// tests), ingest (tests/reader, ingest, sniff), labels (explain's signature), matrix (re-exported
// as `cluster::features`, `Clustering::matrix`), orders and prescan (types in `clean`'s and the
// loader's public items), pipeline, pseudonym (CLI, tests), report (`Analysis::report`), sample
// (CLI, tests), score (tests/scoring*).
pub mod capabilities;
pub mod clean;
pub mod cluster;
pub mod clv;
pub mod config;
pub mod error;
pub mod explain;
pub mod export;
pub mod features;
pub mod hashing;
pub mod ingest;
pub mod labels;
pub mod matrix;
pub mod migration;
pub mod orders;
pub mod pipeline;
pub mod prescan;
pub mod preview;
pub mod pseudonym;
pub mod reload;
pub mod report;
pub mod sample;
pub mod score;
pub mod sql;
pub mod warning;

// Crate-internal leaves: no test or face names them; their public items that callers need are
// re-exported (`report::{fmt_num, safe_cell, write_csv, CsvColumn, CellKind, GroupSummary,
// CrossTab}`, `score::quantiles::quantile_sorted`).
pub(crate) mod format;
pub(crate) mod kernel;
pub(crate) mod stats;
pub(crate) mod summary;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use config::{Plan, Recipe};
pub use error::{Error, Result};
pub use pipeline::{load, segment, Analysis, Bytes, Dataset, Loader, Progress, Source};
