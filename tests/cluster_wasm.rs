//! Wasm side of the determinism check: the same k-means run as `tests/cluster.rs` must give the same
//! labels and inertia bits on wasm32. Run with
//! `cargo test --target wasm32-unknown-unknown --test cluster_wasm` (wasm-bindgen-test-runner, Node).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use tierlens::cluster::KMeansParams;
use tierlens::Recipe;
use wasm_bindgen_test::wasm_bindgen_test;

const CENTERS: [[f64; 3]; 4] = [
    [0.0, 0.0, 0.0],
    [6.0, 0.0, 1.0],
    [0.0, 6.0, -1.0],
    [5.0, 5.0, 6.0],
];

/// Same value as `FINGERPRINT` in tests/cluster.rs (computed natively).
const FINGERPRINT: u64 = 5_371_643_097_336_310_794;

#[wasm_bindgen_test]
fn kmeans_labels_are_identical_to_native() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(99);
    let data: Vec<f64> = (0..5000 * 3)
        .map(|i| {
            let c = CENTERS[(i / 3) % 4][i % 3];
            c + (0..4).map(|_| rng.gen::<f64>() - 0.5).sum::<f64>() * 3.0
        })
        .collect();
    let m = KMeansParams::new(6)
        .seed(7)
        .check()
        .unwrap()
        .fit_rows(&data, 3)
        .unwrap();
    assert_eq!(m.fingerprint(), FINGERPRINT);
}

fn fnv(bytes: impl IntoIterator<Item = u8>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Same value as `PIPELINE_FINGERPRINT` in tests/cluster.rs (computed natively).
const PIPELINE_FINGERPRINT: u64 = 3_253_099_777_057_012_152;

#[wasm_bindgen_test]
fn clustering_stage_is_identical_to_native() {
    let csv = tierlens::sample::generate(&tierlens::sample::SampleOptions {
        customers: 2000,
        ..Default::default()
    });
    let a = tierlens::segment(csv.as_bytes(), &Recipe::default()).unwrap();
    let c = a.clusters.as_ref().unwrap();
    let sel = c.report.selection.as_ref().unwrap();
    let rules = &a.report.rules;
    let mut bytes: Vec<u8> = c.labels.iter().flat_map(|l| l.to_le_bytes()).collect();
    bytes.extend(c.names.join("|").into_bytes());
    bytes.extend(
        sel.silhouette
            .iter()
            .flat_map(|s| s.unwrap_or(-9.0).to_bits().to_le_bytes()),
    );
    for e in [&rules.clusters, &rules.segments].into_iter().flatten() {
        for r in &e.rules {
            bytes.extend(r.text.as_bytes());
        }
    }
    assert_eq!(fnv(bytes), PIPELINE_FINGERPRINT);
}
