//! The native-vs-Wasm determinism texts, written by one piece of code for both sides and compared
//! with the golden files `tests/golden/kmeans-blobs.txt` and `tests/golden/sample-clusters.txt`:
//! `tests/cluster.rs` compares them natively (and, with `TIERLENS_BLESS=1`, writes them),
//! `tests/cluster_wasm.rs` on wasm32 against the same files embedded with `include_str!`. If the two
//! sides wrote their texts separately, a drift between the copies would weaken the comparison.
#![allow(dead_code)]

use std::fmt::Write as _;

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

/// The golden k-means text, embedded so the Wasm test (which has no file system) compares too.
pub const KMEANS_GOLDEN: &str = include_str!("../golden/kmeans-blobs.txt");

/// The golden clustering text of the sample.
pub const CLUSTERS_GOLDEN: &str = include_str!("../golden/sample-clusters.txt");

/// Labels a line in the golden texts.
const LABELS_PER_LINE: usize = 50;

/// `v` as its bit pattern and its shortest round-trip decimal: the bits are what must be equal,
/// the decimal is what a reader of a diff understands.
pub fn bits(v: f64) -> String {
    format!("{:#018x} {v:?}", v.to_bits())
}

/// Labels, [`LABELS_PER_LINE`] a line.
fn labels_text(out: &mut String, labels: &[u16]) {
    for chunk in labels.chunks(LABELS_PER_LINE) {
        let line: Vec<String> = chunk.iter().map(u16::to_string).collect();
        let _ = writeln!(out, "{}", line.join(" "));
    }
}

/// A fixed k-means run on data made with arithmetic only (no `ln`/`cos`, whose last bit may differ
/// between libms): inertia, iterations, centres and every label.
pub fn kmeans_text() -> String {
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
    let mut out = String::from(
        "# k-means, k = 6, seed 7, of 5000 points around 4 centres (tests/common/determinism.rs)\n",
    );
    let _ = writeln!(out, "inertia {}", bits(m.inertia));
    let _ = writeln!(out, "iterations {}", m.n_iter);
    let _ = writeln!(out, "converged {}", m.converged);
    for j in 0..m.k {
        let centre: Vec<String> = m.centroid(j).unwrap().iter().map(|&v| bits(v)).collect();
        let _ = writeln!(out, "centre {j}: {}", centre.join(", "));
    }
    let _ = writeln!(out, "labels ({} points):", m.labels.len());
    labels_text(&mut out, &m.labels);
    out
}

/// The clustering outputs of an analysis: cluster names, silhouette curve, cluster and segment
/// rules, and every customer's cluster.
pub fn clusters_text(a: &tierlens::Analysis) -> String {
    let c = a.clusters.as_ref().unwrap();
    let sel = c.report.selection.as_ref().unwrap();
    let rules = &a.report.rules;
    let mut out = String::from(
        "# clusters of the 2000-customer sample, default recipe (tests/common/determinism.rs)\n",
    );
    let _ = writeln!(out, "names: {}", c.names.join(" | "));
    for (k, s) in sel.k.iter().zip(&sel.silhouette) {
        let s = s.map_or_else(|| "none".to_string(), bits);
        let _ = writeln!(out, "silhouette k={k}: {s}");
    }
    for (what, e) in [("clusters", &rules.clusters), ("segments", &rules.segments)] {
        for r in e.iter().flat_map(|e| &e.rules) {
            let _ = writeln!(out, "rule {what}: {}", r.text);
        }
    }
    let _ = writeln!(out, "labels ({} customers):", c.labels.len());
    labels_text(&mut out, &c.labels);
    out
}

/// The analysis the clustering text is taken of.
pub fn sample_analysis() -> tierlens::Analysis {
    let csv = tierlens::sample::generate(&tierlens::sample::SampleOptions {
        customers: 2000,
        ..Default::default()
    });
    tierlens::segment(csv.as_bytes(), &tierlens::Recipe::default()).unwrap()
}
