//! The Hamerly k-means iterations (bounds, E-step, empty-cluster relocation), the multi-start fit
//! and the adapters to linfa's `Fit` / `PredictInplace` traits.

use linfa::dataset::DatasetBase;
use linfa::traits::{Fit, PredictInplace};
use ndarray::{Array1, ArrayBase, Data, Ix2};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

use super::errors::KMeansError;
use super::hyperparams::{KMeansParams, KMeansValidParams};
use super::init::kmeans_pp;
use super::kernel::{by_width, nearest_two, pair_up, Dynamic, Fixed, Width};
use super::KMeansModel;
use crate::kernel::sqdist;

/// Mean per-feature variance (for the relative tolerance).
fn mean_variance(data: &[f64], n: usize, d: usize) -> f64 {
    if n == 0 || d == 0 {
        return 0.0;
    }
    let mut mean = vec![0.0; d];
    for x in data.chunks_exact(d) {
        mean.iter_mut().zip(x).for_each(|(m, v)| *m += v);
    }
    #[allow(clippy::cast_precision_loss)]
    let nf = n as f64;
    mean.iter_mut().for_each(|m| *m /= nf);
    let mut var = 0.0;
    for x in data.chunks_exact(d) {
        var += sqdist(x, &mean);
    }
    #[allow(clippy::cast_precision_loss)]
    let df = d as f64;
    var / nf / df
}

/// The result of one run.
struct Run {
    centroids: Vec<f64>,
    labels: Vec<u16>,
    inertia: f64,
    n_iter: usize,
    converged: bool,
}

/// One Hamerly k-means run from the given centres.
fn hamerly<W: Width>(
    w: W,
    data: &[f64],
    n: usize,
    mut centers: Vec<f64>,
    max_iter: usize,
    tol_abs: f64,
) -> Run {
    let d = w.d();
    let k = centers.len() / d;
    let mut labels = vec![0u16; n];
    let mut upper = vec![0.0f64; n];
    let mut lower = vec![0.0f64; n];
    let mut sums = vec![0.0f64; k * d];
    let mut counts = vec![0usize; k];
    let mut pairs = Vec::with_capacity(k.div_ceil(2) * 2 * d);
    pair_up(&centers, d, &mut pairs);
    for (((x, a), u), l) in data
        .chunks_exact(d)
        .zip(labels.iter_mut())
        .zip(upper.iter_mut())
        .zip(lower.iter_mut())
    {
        let (j, b1, b2) = nearest_two(w, x, &pairs);
        *a = j;
        *u = b1.sqrt();
        *l = b2.sqrt();
        let j = usize::from(j);
        if let Some(s) = sums.get_mut(j * d..(j + 1) * d) {
            s.iter_mut().zip(x).for_each(|(s, v)| *s += v);
        }
        if let Some(c) = counts.get_mut(j) {
            *c += 1;
        }
    }
    let mut changed = n;
    let mut n_iter = 0;
    let mut converged = false;
    let mut shift = vec![0.0f64; k];
    let mut half_gap = vec![0.0f64; k];
    let mut moves: Vec<[f64; 3]> = Vec::with_capacity(k);
    // Indices of the points the E-step must look at (see `e_step`).
    let mut work = vec![0usize; n];
    while n_iter < max_iter {
        n_iter += 1;
        // M-step: new centres from the running sums.
        relocate_empty(
            data,
            d,
            &mut centers,
            &mut labels,
            &mut sums,
            &mut counts,
            &mut upper,
            &mut lower,
        );
        let mut shift_sq = 0.0;
        for (((c, s), &cnt), p) in centers
            .chunks_exact_mut(d)
            .zip(sums.chunks_exact(d))
            .zip(&counts)
            .zip(shift.iter_mut())
        {
            if cnt == 0 {
                *p = 0.0;
                continue;
            }
            #[allow(clippy::cast_precision_loss)]
            let cf = cnt as f64;
            let mut moved = 0.0;
            for (cv, sv) in c.iter_mut().zip(s) {
                let nv = sv / cf;
                let t = nv - *cv;
                moved += t * t;
                *cv = nv;
            }
            shift_sq += moved;
            *p = moved.sqrt();
        }
        if changed == 0 {
            // Labels did not change, so the centres were already the means: strict convergence.
            converged = true;
            break;
        }
        // Bounds follow the centres.
        let (mut m1, mut m1_ix, mut m2) = (0.0f64, usize::MAX, 0.0f64);
        for (j, &p) in shift.iter().enumerate() {
            if p > m1 {
                m2 = m1;
                m1 = p;
                m1_ix = j;
            } else if p > m2 {
                m2 = p;
            }
        }
        pair_up(&centers, d, &mut pairs);
        // Half the distance from each centre to its nearest other centre.
        for (j, (c, h)) in centers.chunks_exact(d).zip(half_gap.iter_mut()).enumerate() {
            let mut m = f64::INFINITY;
            for (j2, c2) in centers.chunks_exact(d).enumerate() {
                if j2 != j {
                    m = m.min(sqdist(c, c2));
                }
            }
            *h = 0.5 * m.sqrt();
        }
        moves.clear();
        moves.extend(
            shift
                .iter()
                .zip(&half_gap)
                .enumerate()
                .map(|(j, (&p, &h))| [p, if j == m1_ix { m2 } else { m1 }, h]),
        );
        // E-step with bounds.
        changed = e_step(
            w,
            data,
            &centers,
            &pairs,
            &moves,
            &mut labels,
            &mut upper,
            &mut lower,
            &mut sums,
            &mut counts,
            &mut work,
        );
        if changed == 0 || shift_sq <= tol_abs {
            converged = true;
            break;
        }
    }
    let inertia = data
        .chunks_exact(d)
        .zip(&labels)
        .map(|(x, &a)| {
            let a = usize::from(a);
            centers
                .get(a * d..(a + 1) * d)
                .map_or(0.0, |c| sqdist(x, c))
        })
        .sum();
    Run {
        centroids: centers,
        labels,
        inertia,
        n_iter,
        converged,
    }
}

/// One Hamerly E-step: updates the bounds, reassigns the points whose bounds no longer prove their
/// label, and keeps the per-centre sums and counts in step; returns how many labels changed.
/// `moves[j]` is `[distance centre j moved, how far the lower bounds of its points drop, half the
/// distance from centre j to its nearest other centre]`.
///
/// Deliberately not inlined into the iteration loop: V8 first runs a Wasm function as baseline
/// (Liftoff) code and switches to optimised code only on a later call, so a hot loop must live in a
/// function that is called again and again, not in one long call (measured: a quarter of the Wasm
/// time in Node went to baseline code).
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn e_step<W: Width>(
    w: W,
    data: &[f64],
    centers: &[f64],
    pairs: &[[f64; 2]],
    moves: &[[f64; 3]],
    labels: &mut [u16],
    upper: &mut [f64],
    lower: &mut [f64],
    sums: &mut [f64],
    counts: &mut [usize],
    work: &mut [usize],
) -> usize {
    let d = w.d();
    // Pass 1, branch-free: move every bound and list the points whose bounds no longer prove their
    // label. With overlapping clusters that test goes either way unpredictably, and a mispredicted
    // branch per point cost more than the whole bound update.
    let mut listed = 0usize;
    for (i, ((&a, u), l)) in labels
        .iter()
        .zip(upper.iter_mut())
        .zip(lower.iter_mut())
        .enumerate()
    {
        let [shift, drop, half_gap] = moves.get(usize::from(a)).copied().unwrap_or_default();
        *u += shift;
        *l -= drop;
        if let Some(slot) = work.get_mut(listed) {
            *slot = i;
        }
        // "u > max(half_gap, l)" without a float select (V8 may branch on one).
        listed += usize::from((*u > half_gap) & (*u > *l));
    }
    // Pass 2: exact distances for the listed points only.
    let mut changed = 0;
    for &i in work.get(..listed).unwrap_or(&[]) {
        let (Some(x), Some(a), Some(u), Some(l)) = (
            data.get(i * d..(i + 1) * d),
            labels.get_mut(i),
            upper.get_mut(i),
            lower.get_mut(i),
        ) else {
            continue;
        };
        let old = usize::from(*a);
        let half_gap = moves.get(old).map_or(0.0, |m| m[2]);
        let Some(c) = centers.get(old * d..(old + 1) * d) else {
            continue;
        };
        *u = sqdist(x, c).sqrt();
        if *u <= half_gap || *u <= *l {
            continue;
        }
        let (j, b1, b2) = nearest_two(w, x, pairs);
        *u = b1.sqrt();
        *l = b2.sqrt();
        let new = usize::from(j);
        if new != old {
            *a = j;
            changed += 1;
            move_point(x, old, new, d, sums, counts);
        }
    }
    changed
}

/// Moves point `x` from cluster `old` to cluster `new` in the running sums and counts.
fn move_point(x: &[f64], old: usize, new: usize, d: usize, sums: &mut [f64], counts: &mut [usize]) {
    if let Some(s) = sums.get_mut(old * d..(old + 1) * d) {
        s.iter_mut().zip(x).for_each(|(s, v)| *s -= v);
    }
    if let Some(s) = sums.get_mut(new * d..(new + 1) * d) {
        s.iter_mut().zip(x).for_each(|(s, v)| *s += v);
    }
    if let Some(c) = counts.get_mut(old) {
        *c -= 1;
    }
    if let Some(c) = counts.get_mut(new) {
        *c += 1;
    }
}

/// Moves the centre of each empty cluster onto the point farthest from its own centre.
#[allow(clippy::too_many_arguments)]
fn relocate_empty(
    data: &[f64],
    d: usize,
    centers: &mut [f64],
    labels: &mut [u16],
    sums: &mut [f64],
    counts: &mut [usize],
    upper: &mut [f64],
    lower: &mut [f64],
) {
    let empties: Vec<usize> = counts
        .iter()
        .enumerate()
        .filter(|(_, &c)| c == 0)
        .map(|(j, _)| j)
        .collect();
    if empties.is_empty() {
        return;
    }
    for j in empties {
        let mut far: Option<(usize, f64)> = None;
        for (i, (x, &a)) in data.chunks_exact(d).zip(labels.iter()).enumerate() {
            let a = usize::from(a);
            if counts.get(a).copied().unwrap_or(0) <= 1 {
                continue;
            }
            let dist = centers
                .get(a * d..(a + 1) * d)
                .map_or(0.0, |c| sqdist(x, c));
            if far.is_none_or(|(_, fd)| dist > fd) {
                far = Some((i, dist));
            }
        }
        let Some((i, dist)) = far else { continue };
        if dist <= 0.0 {
            continue;
        }
        let (Some(x), Some(a)) = (data.get(i * d..(i + 1) * d), labels.get_mut(i)) else {
            continue;
        };
        let old = usize::from(*a);
        *a = u16::try_from(j).unwrap_or(u16::MAX);
        move_point(x, old, j, d, sums, counts);
    }
    // Every bound is now suspect: force exact distances on the next E-step.
    upper.iter_mut().for_each(|u| *u = f64::INFINITY);
    lower.iter_mut().for_each(|l| *l = 0.0);
}

/// One seeding plus one Hamerly run, monomorphised per row width.
fn fit_once<W: Width>(
    w: W,
    data: &[f64],
    n: usize,
    p: &KMeansParams,
    tol_abs: f64,
    rng: &mut Xoshiro256PlusPlus,
) -> Run {
    let centers = kmeans_pp(w, data, n, p.k, rng);
    hamerly(w, data, n, centers, p.max_iter, tol_abs)
}

impl KMeansValidParams {
    /// Fits on `n` rows of `d` contiguous `f64` values (row-major).
    pub fn fit_rows(&self, data: &[f64], d: usize) -> Result<KMeansModel, KMeansError> {
        let p = &self.0;
        if d == 0 {
            return Err(KMeansError::InvalidData("no features to cluster on".into()));
        }
        if !data.len().is_multiple_of(d) {
            return Err(KMeansError::InvalidData(
                "data length is not a multiple of the feature count".into(),
            ));
        }
        if data.iter().any(|v| !v.is_finite()) {
            return Err(KMeansError::InvalidData(
                "features contain NaN or infinite values".into(),
            ));
        }
        let n = data.len() / d;
        if n < p.k {
            return Err(KMeansError::InvalidData(format!(
                "k = {} is more than the {n} points",
                p.k
            )));
        }
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(p.seed);
        let sub: Option<Vec<f64>> = (p.init_sample >= p.k.max(2) && n > p.init_sample).then(|| {
            crate::stats::sample_indices(n, p.init_sample, p.seed ^ 0x1417)
                .into_iter()
                .filter_map(|i| data.get(i * d..(i + 1) * d))
                .flatten()
                .copied()
                .collect()
        });
        let (init_data, init_n) = match &sub {
            Some(s) => (s.as_slice(), s.len() / d),
            None => (data, n),
        };
        let tol_init = p.tol * mean_variance(init_data, init_n, d);
        let mut best: Option<Run> = None;
        for _ in 0..p.n_init {
            let run = by_width!(d, w => fit_once(w, init_data, init_n, p, tol_init, &mut rng));
            if best.as_ref().is_none_or(|b| run.inertia < b.inertia) {
                best = Some(run);
            }
        }
        if sub.is_some() {
            if let Some(b) = best.take() {
                let tol_abs = p.tol * mean_variance(data, n, d);
                let centers = b.centroids;
                best = Some(by_width!(d, w => hamerly(w, data, n, centers, p.max_iter, tol_abs)));
            }
        }
        let Some(run) = best else {
            return Err(KMeansError::ZeroInitialisations);
        };
        Ok(KMeansModel {
            d,
            k: p.k,
            centroids: run.centroids,
            labels: run.labels,
            inertia: run.inertia,
            n_iter: run.n_iter,
            converged: run.converged,
        })
    }
}

/// Copies an ndarray matrix into contiguous row-major `f64`s (no copy when already standard layout).
fn rows_of<S: Data<Elem = f64>>(x: &ArrayBase<S, Ix2>) -> std::borrow::Cow<'_, [f64]> {
    match x.as_slice() {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => std::borrow::Cow::Owned(x.iter().copied().collect()),
    }
}

impl<S: Data<Elem = f64>, T> Fit<ArrayBase<S, Ix2>, T, KMeansError> for KMeansValidParams {
    type Object = KMeansModel;

    fn fit(&self, dataset: &DatasetBase<ArrayBase<S, Ix2>, T>) -> Result<KMeansModel, KMeansError> {
        let records = &dataset.records;
        self.fit_rows(&rows_of(records), records.ncols())
    }
}

impl<S: Data<Elem = f64>> PredictInplace<ArrayBase<S, Ix2>, Array1<usize>> for KMeansModel {
    fn predict_inplace(&self, x: &ArrayBase<S, Ix2>, y: &mut Array1<usize>) {
        let rows = rows_of(x);
        for (slot, row) in y.iter_mut().zip(rows.chunks_exact(self.d.max(1))) {
            *slot = usize::from(self.predict_one(row));
        }
    }

    fn default_target(&self, x: &ArrayBase<S, Ix2>) -> Array1<usize> {
        Array1::zeros(x.nrows())
    }
}
