//! Wasm side of the determinism check: the same k-means run as `tests/cluster.rs` must give the same
//! labels and inertia bits on wasm32. Run with
//! `cargo test --target wasm32-unknown-unknown --test cluster_wasm` (wasm-bindgen-test-runner, Node).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use wasm_bindgen_test::wasm_bindgen_test;

#[path = "common/determinism.rs"]
mod determinism;
use determinism::{
    kmeans_fingerprint, pipeline_fingerprint, sample_analysis, KMEANS_FINGERPRINT,
    PIPELINE_FINGERPRINT,
};

#[wasm_bindgen_test]
fn kmeans_labels_are_identical_to_native() {
    assert_eq!(kmeans_fingerprint(), KMEANS_FINGERPRINT);
}

#[wasm_bindgen_test]
fn clustering_stage_is_identical_to_native() {
    assert_eq!(
        pipeline_fingerprint(&sample_analysis()),
        PIPELINE_FINGERPRINT
    );
}
