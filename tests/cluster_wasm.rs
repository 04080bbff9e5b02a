//! Wasm side of the determinism check: the same k-means run and sample clustering as
//! `tests/cluster.rs` must give the same text on wasm32 — the golden files that test compares
//! natively, embedded. Run with
//! `cargo test --target wasm32-unknown-unknown --test cluster_wasm` (wasm-bindgen-test-runner, Node).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use wasm_bindgen_test::wasm_bindgen_test;

#[path = "common/determinism.rs"]
mod determinism;
#[path = "common/golden.rs"]
mod golden;
use determinism::{clusters_text, kmeans_text, sample_analysis, CLUSTERS_GOLDEN, KMEANS_GOLDEN};

#[wasm_bindgen_test]
fn kmeans_labels_are_identical_to_native() {
    golden::assert_same_as("kmeans-blobs.txt", KMEANS_GOLDEN, &kmeans_text(), "cluster");
}

#[wasm_bindgen_test]
fn clustering_stage_is_identical_to_native() {
    golden::assert_same_as(
        "sample-clusters.txt",
        CLUSTERS_GOLDEN,
        &clusters_text(&sample_analysis()),
        "cluster",
    );
}
