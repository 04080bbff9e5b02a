//! The native-vs-Wasm determinism fingerprints, computed by one piece of code for both sides:
//! `tests/cluster.rs` asserts them natively, `tests/cluster_wasm.rs` on wasm32. If the two sides
//! computed their fingerprints separately, a drift between the copies would weaken the comparison.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use tierlens::cluster::KMeansParams;

/// Four well-separated centres in 3-D.
pub const CENTERS: [[f64; 3]; 4] = [
    [0.0, 0.0, 0.0],
    [6.0, 0.0, 1.0],
    [0.0, 6.0, -1.0],
    [5.0, 5.0, 6.0],
];

/// [`kmeans_fingerprint`] as computed natively.
pub const KMEANS_FINGERPRINT: u64 = 5_371_643_097_336_310_794;

/// [`pipeline_fingerprint`] of the 2000-customer sample with the default recipe, computed natively.
pub const PIPELINE_FINGERPRINT: u64 = 3_253_099_777_057_012_152;

/// FNV-1a.
pub fn fnv(bytes: impl IntoIterator<Item = u8>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Labels and inertia bits of a fixed k-means run on data made with arithmetic only (no `ln`/`cos`,
/// whose last bit may differ between libms).
pub fn kmeans_fingerprint() -> u64 {
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
    m.fingerprint()
}

/// Hash of the clustering outputs of an analysis: labels, names, silhouette curve, cluster and
/// segment rules.
pub fn pipeline_fingerprint(a: &tierlens::Analysis) -> u64 {
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
    fnv(bytes)
}

/// The analysis the pipeline fingerprint is taken of.
pub fn sample_analysis() -> tierlens::Analysis {
    let csv = tierlens::sample::generate(&tierlens::sample::SampleOptions {
        customers: 2000,
        ..Default::default()
    });
    tierlens::segment(csv.as_bytes(), &tierlens::Recipe::default()).unwrap()
}
