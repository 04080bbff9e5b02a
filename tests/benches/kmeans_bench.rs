//! k-means benchmark: prints figures, never passes or fails on time.
//!
//! ```text
//! cargo run --release --example kmeans_bench                       # linfa 0.8 KMeans vs tierlens, 200k × 3, k = 5, 10 runs
//! cargo run --release --example kmeans_bench -- fit FILE D K NINIT SEED [INIT_SAMPLE] # fit raw little-endian f64 rows; prints JSON
//! cargo run --release --example kmeans_bench -- linfa FILE D K NINIT      # same with linfa-clustering's KMeans
//! cargo run --release --example kmeans_bench -- sample-features N OUT     # tierlens-scaled RFM of the built-in sample
//! cargo run --release --example kmeans_bench -- sweep N                   # whole clustering stage (auto k) on N sample customers
//! ```
//!
//! `tests/benches/compare_sklearn.py` drives the `fit` and `sample-features` modes against
//! scikit-learn and the Wasm build.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::cast_possible_truncation,
    missing_docs
)]

use std::time::Instant;

use linfa::prelude::*;
use linfa::DatasetBase;
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use tierlens::cluster::{self, ClusterOptions, KMeansParams};

fn blobs(n: usize, d: usize, centers: usize, seed: u64) -> Vec<f64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let c: Vec<f64> = (0..centers * d)
        .map(|_| rng.gen_range(-10.0..10.0))
        .collect();
    let mut out = Vec::with_capacity(n * d);
    for i in 0..n {
        let j = i % centers;
        for f in 0..d {
            // Sum of uniforms: cheap, roughly normal noise.
            let e: f64 = (0..4).map(|_| rng.gen::<f64>() - 0.5).sum::<f64>() * 6.0;
            out.push(c[j * d + f] + e);
        }
    }
    out
}

fn read_f64(path: &str) -> Vec<f64> {
    let bytes = std::fs::read(path).expect("read data file");
    bytes
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes(b.try_into().unwrap()))
        .collect()
}

fn ours(
    data: &[f64],
    d: usize,
    k: usize,
    n_init: usize,
    seed: u64,
    init_sample: usize,
) -> (f64, f64, usize, u64) {
    let t = Instant::now();
    let m = KMeansParams::new(k)
        .n_init(n_init)
        .init_sample(init_sample)
        .seed(seed)
        .check()
        .unwrap()
        .fit_rows(data, d)
        .unwrap();
    (
        t.elapsed().as_secs_f64(),
        m.inertia,
        m.n_iter,
        m.fingerprint(),
    )
}

fn linfa_kmeans(data: &[f64], d: usize, k: usize, n_init: usize) -> (f64, f64) {
    let n = data.len() / d;
    let x = Array2::from_shape_vec((n, d), data.to_vec()).unwrap();
    // Mean feature variance, so linfa's absolute tolerance matches scikit-learn's relative one.
    let var = x.var_axis(ndarray::Axis(0), 0.0).mean().unwrap();
    let ds = DatasetBase::from(x);
    let t = Instant::now();
    let m = linfa_clustering::KMeans::params_with_rng(k, Xoshiro256PlusPlus::seed_from_u64(0))
        .n_runs(n_init)
        .tolerance((1e-4 * var).sqrt())
        .max_n_iterations(300)
        .fit(&ds)
        .unwrap();
    // linfa reports mean inertia over points.
    (t.elapsed().as_secs_f64(), m.inertia() * n as f64)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("fit") => {
            let data = read_f64(&args[1]);
            let d: usize = args[2].parse().unwrap();
            let k: usize = args[3].parse().unwrap();
            let n_init: usize = args[4].parse().unwrap();
            let seed: u64 = args[5].parse().unwrap();
            let init_sample: usize = args.get(6).map_or(0, |a| a.parse().unwrap());
            let (s, inertia, it, fp) = ours(&data, d, k, n_init, seed, init_sample);
            println!(
                "{{\"seconds\": {s}, \"inertia\": {inertia}, \"n_iter\": {it}, \"fingerprint\": \"{fp}\"}}"
            );
        }
        Some("iters") => {
            // Time of one initialisation with an iteration cap: separates seeding from iterations.
            let data = read_f64(&args[1]);
            let d: usize = args[2].parse().unwrap();
            let k: usize = args[3].parse().unwrap();
            for cap in [1usize, 2, 5, 10, 20, 40, 300] {
                let t = Instant::now();
                let m = KMeansParams::new(k)
                    .n_init(1)
                    .max_iter(cap)
                    .seed(0)
                    .check()
                    .unwrap()
                    .fit_rows(&data, d)
                    .unwrap();
                println!(
                    "max_iter {cap:>3}: {:.3} s, {} iterations, inertia {:.6e}",
                    t.elapsed().as_secs_f64(),
                    m.n_iter,
                    m.inertia
                );
            }
        }
        Some("linfa") => {
            let data = read_f64(&args[1]);
            let d: usize = args[2].parse().unwrap();
            let k: usize = args[3].parse().unwrap();
            let n_init: usize = args[4].parse().unwrap();
            let (s, inertia) = linfa_kmeans(&data, d, k, n_init);
            println!("{{\"seconds\": {s}, \"inertia\": {inertia}}}");
        }
        Some("sample-features") => {
            let n: u32 = args[1].parse().unwrap();
            let csv = tierlens::sample::generate(&tierlens::sample::SampleOptions {
                customers: n,
                ..Default::default()
            });
            let ds = tierlens::Dataset::from_bytes(csv.as_bytes(), &tierlens::Recipe::default())
                .unwrap();
            let o = ClusterOptions::default();
            let m = cluster::features::build(ds.customers(), &o.features, o.transform, o.scaling)
                .unwrap();
            let bytes: Vec<u8> = m.scaled.iter().flat_map(|v| v.to_le_bytes()).collect();
            std::fs::write(&args[2], bytes).unwrap();
            println!("{{\"n\": {}, \"d\": {}}}", m.n, m.d);
        }
        Some("sweep") => {
            let n: u32 = args[1].parse().unwrap();
            let csv = tierlens::sample::generate(&tierlens::sample::SampleOptions {
                customers: n,
                ..Default::default()
            });
            let ds = tierlens::Dataset::from_bytes(csv.as_bytes(), &tierlens::Recipe::default())
                .unwrap();
            let c = ds.customers();
            let seg = vec![0u16; c.len()];
            let t = Instant::now();
            let r = cluster::run(c, &seg, &["all".into()], &ClusterOptions::default()).unwrap();
            let s = t.elapsed().as_secs_f64();
            let sel = r.report.selection.as_ref().unwrap();
            println!(
                "clustering stage, {} customers, k range 2..10 (auto): {s:.3} s; chose k = {}; silhouette on {} customers; sweep on {}",
                c.len(),
                r.report.k,
                sel.silhouette_customers,
                sel.sweep_customers
            );
        }
        _ => {
            let (n, d, k, n_init) = (200_000, 3, 5, 10);
            let data = blobs(n, d, k, 7);
            println!("k-means, {n} × {d}, k = {k}, {n_init} runs (native, release)");
            let (s, inertia) = linfa_kmeans(&data, d, k, n_init);
            println!("  linfa-clustering 0.8 KMeans: {s:.3} s, inertia {inertia:.6e}");
            let (s, inertia, it, _) = ours(&data, d, k, n_init, 0, 0);
            println!("  tierlens Hamerly k-means:   {s:.3} s, inertia {inertia:.6e} ({it} iterations, best run)");
            let data = blobs(1_000_000, 3, 8, 8);
            let (s, inertia, it, _) = ours(&data, 3, 8, 10, 0, 0);
            println!("  tierlens, 1M × 3, k = 8, 10 runs on all points: {s:.3} s, inertia {inertia:.6e} ({it} iterations)");
            let (s, inertia, it, _) = ours(&data, 3, 8, 10, 0, 100_000);
            println!("  tierlens, same, initialisations on a 100k sample: {s:.3} s, inertia {inertia:.6e} ({it} iterations)");
        }
    }
}
