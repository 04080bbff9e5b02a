//! tierlens: customer segmentation that runs entirely in the browser.
//!
//! The crate is a pure pipeline — bytes in, results out, no I/O, no clock, no JS types:
//!
//! ```text
//! bytes ─ingest─▶ records ─clean─▶ transactions ─features─▶ Customers ─score─▶ Scores ─report─▶ Analysis
//! ```
//!
//! - [`ingest`]: format/encoding/delimiter sniffing and a streaming, push-based reader.
//! - [`clean`]: value parsing, cleaning rules and row accounting (every row used or rejected with a reason).
//! - [`features`]: per-customer recency, frequency, monetary and friends.
//! - [`score`]: quantile scores and segment rule sets (presets as data, with a coverage check).
//! - [`report`]: summaries, `report.json`, the customer-list CSV.
//! - [`pipeline`]: [`Loader`] (push chunks) → [`Dataset`] (re-analysable) → [`Analysis`].
//!
//! Faces: `src/wasm/` (the JS boundary, wasm32 only), `src/bin/tierlens.rs` (the CLI) and `www/`.
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

pub mod capabilities;
pub mod clean;
pub mod cluster;
pub mod config;
pub mod error;
pub mod explain;
pub mod export;
pub mod features;
pub mod hashing;
pub mod ingest;
pub mod orders;
pub mod pipeline;
pub mod prescan;
pub mod preview;
pub mod pseudonym;
pub mod reload;
pub mod report;
pub mod sample;
pub mod score;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use config::Recipe;
pub use error::{Error, Result};
pub use pipeline::{segment, Analysis, Dataset, Loader, Progress};
