//! Re-analysis benchmark (issue 12): prints figures, never passes or fails on time.
//!
//! ```text
//! cargo run --release --features bench --example reanalyze_bench [-- CUSTOMERS]   # default 100000
//! ```
//!
//! Loads the built-in sample with CUSTOMERS customers, analyses it with the default recipe (cold: the
//! k-means sweep and fit run), then again after settings changes that do not touch clustering (the fit
//! is reused), and once with clustering off for reference. The Wasm figures come from
//! `node tests/benches/kmeans_node.mjs pkg/node reanalyze CUSTOMERS`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Instant;

use tierlens::{Dataset, Recipe};

fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .map_or(100_000, |s| s.parse().expect("CUSTOMERS is a number"));
    let csv = tierlens::sample::generate(&tierlens::sample::SampleOptions {
        customers: n,
        ..Default::default()
    });
    let t = Instant::now();
    let ds = Dataset::from_bytes(csv.as_bytes(), &Recipe::default()).unwrap();
    println!(
        "{} customers loaded in {:.3} s (native, release)",
        ds.customers().len(),
        t.elapsed().as_secs_f64()
    );
    let time = |label: &str, json: &str| -> f64 {
        let recipe = Recipe::from_json(json).unwrap();
        let t = Instant::now();
        let a = ds.analyze(&recipe).unwrap();
        let json = a.report_json();
        let s = t.elapsed().as_secs_f64();
        println!(
            "  {label:<44} {s:7.3} s  (k-means fits so far: {}, report {} bytes)",
            ds.cluster_fits(),
            json.len()
        );
        s
    };
    let first = time("first analysis (default recipe)", "{}");
    let second = time(
        "again, score.method = rankFirst",
        r#"{"score": {"method": "rankFirst"}}"#,
    );
    let third = time(
        "again, segments.preset = rf10",
        r#"{"segments": {"preset": "rf10"}}"#,
    );
    let off = time(
        "clustering off (reference)",
        r#"{"cluster": {"enabled": false}}"#,
    );
    println!(
        "re-analysis / first: {:.3} and {:.3}; re-analysis / clustering off: {:.2}",
        second / first,
        third / first,
        second / off
    );
}
