//! Benchmark hook behind the `bench` feature; not part of the published package.

use wasm_bindgen::prelude::*;

use super::convert::js_error;
use super::WasmResult;
use crate::error::Error;

/// Benchmark hook: k-means on `n × d` row-major values, returning
/// `[inertia, iterations, fingerprint high 32 bits, fingerprint low 32 bits]`.
/// Used by `tests/benches/kmeans_node.mjs`; not part of the page's API.
#[wasm_bindgen(js_name = benchKmeans)]
pub fn bench_kmeans(
    data: &[f64],
    n: usize,
    d: usize,
    k: usize,
    seed: u64,
    n_init: usize,
    init_sample: Option<usize>,
) -> WasmResult<Vec<f64>> {
    if data.len() != n.saturating_mul(d) {
        return Err(js_error(&Error::InvalidState(format!(
            "benchKmeans: {} values for {n} × {d}",
            data.len()
        ))));
    }
    let model = crate::cluster::KMeansParams::new(k)
        .n_init(n_init)
        .seed(seed)
        .init_sample(init_sample.unwrap_or(0))
        .check()
        .and_then(|p| p.fit_rows(data, d))
        .map_err(Error::from)?;
    #[allow(clippy::cast_precision_loss)]
    let fp = model.fingerprint();
    Ok(vec![
        model.inertia,
        model.n_iter as f64,
        f64::from(u32::try_from(fp >> 32).unwrap_or(0)),
        f64::from(u32::try_from(fp & 0xffff_ffff).unwrap_or(0)),
    ])
}
