//! Re-analysis reuses the k-means fit (issue 12): a settings change outside `cluster` (and `asOf`)
//! does not run k-means again, a change that can move the clusters does, and either way the result is
//! byte for byte what a cold analysis on a freshly loaded dataset gives.
//!
//! The reference for every comparison is an independent cold run: a new `Dataset` loaded from the
//! same bytes and analysed once with the recipe under test, which never saw the cache.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use tierlens::sample::{generate, SampleOptions};
use tierlens::{Dataset, Recipe};

fn sample() -> Vec<u8> {
    generate(&SampleOptions {
        customers: 600,
        ..Default::default()
    })
    .into_bytes()
}

/// A smaller sweep and fewer initialisations than the defaults keep the test quick in a debug
/// build; the cache does not care which settings they are.
const BASE: &str = r#"{"cluster": {"kRange": [2, 6], "nInit": 4, "sweepNInit": 2}}"#;

/// `BASE` with `json`'s settings laid over it (one level of sections deep).
fn recipe(json: &str) -> Recipe {
    let mut base: serde_json::Value = serde_json::from_str(BASE).unwrap();
    let over: serde_json::Value = serde_json::from_str(json).unwrap();
    for (section, value) in over.as_object().unwrap() {
        match (base.get_mut(section), value) {
            (Some(serde_json::Value::Object(b)), serde_json::Value::Object(o)) => {
                b.extend(o.clone());
            }
            _ => {
                base[section] = value.clone();
            }
        }
    }
    Recipe::from_json(&base.to_string()).unwrap_or_else(|e| panic!("{json}: {e}"))
}

/// The bytes a user gets: `report.json` and `customers.csv`.
fn bytes_of(a: &tierlens::Analysis) -> (String, Vec<u8>) {
    (a.report_json(), a.customers_csv())
}

/// A cold analysis: fresh load, one analysis.
fn cold(bytes: &[u8], json: &str) -> (String, Vec<u8>) {
    let ds = Dataset::from_bytes(bytes, &Recipe::default()).unwrap();
    let a = ds.analyze(&recipe(json)).unwrap();
    assert_eq!(ds.cluster_fits(), 1, "a cold clustered analysis fits once");
    bytes_of(&a)
}

/// Settings that the clustering does not read.
const UNRELATED: [&str; 8] = [
    r#"{"score": {"method": "rankFirst"}}"#,
    r#"{"score": {"bins": 3}, "segments": {"preset": "three-level"}}"#,
    r#"{"segments": {"preset": "rf10"}}"#,
    r#"{"valueTiers": {"paretoPercent": 10}}"#,
    r#"{"lifecycle": {"newDays": 10, "activeDays": 40}}"#,
    r#"{"codes": {"template": "{tier}{stage}-{seq:03}"}}"#,
    r#"{"explain": {"enabled": false}}"#,
    r#"{"explain": {"maxDepth": 2}}"#,
];

/// Settings that can move the clusters: each must fit again.
const CLUSTERING: [&str; 10] = [
    r#"{"cluster": {"seed": 7}}"#,
    r#"{"cluster": {"k": 3}}"#,
    r#"{"cluster": {"kRange": [2, 5]}}"#,
    r#"{"cluster": {"features": ["recency_days", "monetary"]}}"#,
    r#"{"cluster": {"transform": "none"}}"#,
    r#"{"cluster": {"scaling": "robust"}}"#,
    r#"{"cluster": {"nInit": 3}}"#,
    r#"{"cluster": {"sweepSample": 500}}"#,
    r#"{"cluster": {"silhouetteSample": 300}}"#,
    r#"{"asOf": "2025-03-01"}"#,
];

#[test]
fn unrelated_changes_reuse_the_fit_and_give_cold_bytes() {
    let bytes = sample();
    let ds = Dataset::from_bytes(&bytes, &Recipe::default()).unwrap();
    let first = ds.analyze(&recipe("{}")).unwrap();
    assert_eq!(ds.cluster_fits(), 1);
    assert_eq!(bytes_of(&first), cold(&bytes, "{}"));
    for json in UNRELATED {
        let a = ds
            .analyze(&recipe(json))
            .unwrap_or_else(|e| panic!("{json}: {e}"));
        assert_eq!(ds.cluster_fits(), 1, "{json} must not run k-means again");
        assert!(bytes_of(&a) == cold(&bytes, json), "{json}: cached ≠ cold");
    }
    // Back to the first settings: still the one fit, and the same bytes as the first analysis.
    let again = ds.analyze(&recipe("{}")).unwrap();
    assert_eq!(ds.cluster_fits(), 1);
    assert_eq!(again, first);
}

#[test]
fn clustering_changes_fit_again_and_give_cold_bytes() {
    let bytes = sample();
    let ds = Dataset::from_bytes(&bytes, &Recipe::default()).unwrap();
    let first = ds.analyze(&recipe("{}")).unwrap();
    let mut fits = ds.cluster_fits();
    assert_eq!(fits, 1);
    for json in CLUSTERING {
        let a = ds.analyze(&recipe(json)).unwrap();
        fits += 1;
        assert_eq!(ds.cluster_fits(), fits, "{json} must run k-means again");
        assert!(bytes_of(&a) == cold(&bytes, json), "{json}: cached ≠ cold");
        // Returning to the defaults after a clustering change fits again too (one fit is kept).
        let back = ds.analyze(&recipe("{}")).unwrap();
        fits += 1;
        assert_eq!(ds.cluster_fits(), fits, "back from {json}");
        assert_eq!(back, first, "back from {json}");
    }
}

#[test]
fn a_clustering_change_really_changes_the_clusters() {
    // Guards the test above against a cache key that never matches anything but also never matters:
    // these settings give other clusters, so serving the old fit would be a visible wrong answer.
    let bytes = sample();
    let ds = Dataset::from_bytes(&bytes, &Recipe::default()).unwrap();
    let auto = ds.analyze(&recipe("{}")).unwrap();
    let k = auto.clusters.as_ref().unwrap().report.k;
    let other = if k == 3 { 4 } else { 3 };
    let forced = ds
        .analyze(&recipe(&format!(r#"{{"cluster": {{"k": {other}}}}}"#)))
        .unwrap();
    assert_eq!(forced.clusters.as_ref().unwrap().report.k, other);
    let seed = ds
        .analyze(&recipe(r#"{"cluster": {"seed": 1234}}"#))
        .unwrap();
    assert_eq!(ds.cluster_fits(), 3);
    assert_ne!(seed.report.recipe, auto.report.recipe);
    assert_eq!(seed.clusters.as_ref().unwrap().report.seed, 1234);
}

#[test]
fn disabling_clustering_keeps_the_fit_for_later() {
    let bytes = sample();
    let ds = Dataset::from_bytes(&bytes, &Recipe::default()).unwrap();
    let first = ds.analyze(&recipe("{}")).unwrap();
    let off = ds
        .analyze(&recipe(r#"{"cluster": {"enabled": false}}"#))
        .unwrap();
    assert!(off.clusters.is_none());
    assert_eq!(
        bytes_of(&off),
        cold_unclustered(&bytes, r#"{"cluster": {"enabled": false}}"#)
    );
    let on = ds.analyze(&recipe("{}")).unwrap();
    assert_eq!(ds.cluster_fits(), 1);
    assert_eq!(on, first);
}

fn cold_unclustered(bytes: &[u8], json: &str) -> (String, Vec<u8>) {
    let ds = Dataset::from_bytes(bytes, &Recipe::default()).unwrap();
    let a = ds.analyze(&recipe(json)).unwrap();
    assert_eq!(ds.cluster_fits(), 0);
    bytes_of(&a)
}

#[test]
fn previous_codes_do_not_refit() {
    let bytes = sample();
    let ds = Dataset::from_bytes(&bytes, &Recipe::default()).unwrap();
    let first = ds.analyze(&recipe("{}")).unwrap();
    let previous = tierlens::score::codes::previous_from_bytes(&first.customers_csv()).unwrap();
    let with = ds.analyze_with(&recipe("{}"), Some(&previous)).unwrap();
    assert_eq!(ds.cluster_fits(), 1);
    let fresh = Dataset::from_bytes(&bytes, &Recipe::default()).unwrap();
    let cold = fresh.analyze_with(&recipe("{}"), Some(&previous)).unwrap();
    assert!(bytes_of(&with) == bytes_of(&cold));
}
