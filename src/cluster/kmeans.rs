//! Accelerated k-means (Hamerly's bounds) behind linfa's `Fit` / `Predict` traits.
//!
//! linfa-clustering 0.8's `KMeans` runs plain Lloyd iterations over ndarray row views and takes an
//! absolute tolerance; measured here it is ~2× slower per iteration than scikit-learn natively and
//! 2–3× slower again in Wasm (see `tests/benches/`). This implementation keeps the same API shape
//! (`KMeansParams` → `check()` → `fit(&dataset)` → `predict(&records)`) but:
//!
//! - stores rows contiguously (`f64`, row-major) and keeps per-point upper/lower distance bounds
//!   (Hamerly 2010), so most points skip the distance computation once clusters settle;
//! - seeds with greedy k-means++ (`2 + ⌊ln k⌋` candidates per step, as scikit-learn);
//! - stops like scikit-learn: when no label changes, or when the summed squared centre shift is at
//!   most `tol × mean feature variance`;
//! - relocates an emptied cluster to the point farthest from its centre;
//! - samples only through `u64` ranges, so labels are identical on 64-bit hosts and on wasm32.

use linfa::dataset::DatasetBase;
use linfa::traits::{Fit, PredictInplace};
use ndarray::{Array1, ArrayBase, Data, Ix2};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::kernel::sqdist;

/// Why a k-means fit cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum KMeansError {
    /// A parameter is out of range (one message per field, as linfa does).
    #[error("{0}")]
    InvalidParams(String),
    /// The data cannot be clustered as asked.
    #[error("{0}")]
    InvalidData(String),
    /// An error from linfa's dataset layer.
    #[error(transparent)]
    Linfa(#[from] LinfaError),
}

/// linfa's error, wrapped so [`KMeansError`] stays `Clone + PartialEq`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct LinfaError(pub String);

impl From<linfa::Error> for KMeansError {
    fn from(e: linfa::Error) -> Self {
        KMeansError::Linfa(LinfaError(e.to_string()))
    }
}

impl From<KMeansError> for crate::error::Error {
    fn from(e: KMeansError) -> Self {
        crate::error::Error::Analysis(format!("k-means: {e}"))
    }
}

/// k-means settings (consuming builder; [`KMeansParams::check`] validates).
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansParams {
    k: usize,
    n_init: usize,
    init_sample: usize,
    max_iter: usize,
    tol: f64,
    seed: u64,
}

/// Validated k-means settings: implements linfa's [`Fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansValidParams(KMeansParams);

impl KMeansParams {
    /// `k` clusters; defaults: 10 initialisations, 300 iterations, tolerance 1e-4 (relative to the
    /// mean feature variance, as scikit-learn), seed 42.
    pub fn new(k: usize) -> Self {
        KMeansParams {
            k,
            n_init: 10,
            max_iter: 300,
            tol: 1e-4,
            seed: 42,
            init_sample: 0,
        }
    }

    /// Number of k-means++ initialisations; the fit with the lowest inertia wins.
    pub fn n_init(mut self, n: usize) -> Self {
        self.n_init = n;
        self
    }

    /// Iteration cap per initialisation.
    pub fn max_iter(mut self, n: usize) -> Self {
        self.max_iter = n;
        self
    }

    /// Relative tolerance on the summed squared centre shift.
    pub fn tolerance(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }

    /// Above this many points, every initialisation (seeding and iterations) runs on a seeded sample
    /// of this size; the best one, judged on the sample, then seeds a single run on all points.
    /// 0 (default) = every initialisation on all points, as scikit-learn.
    pub fn init_sample(mut self, m: usize) -> Self {
        self.init_sample = m;
        self
    }

    /// Random seed (Xoshiro256++).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Validates the settings.
    pub fn check(self) -> Result<KMeansValidParams, KMeansError> {
        if self.k == 0 {
            return Err(KMeansError::InvalidParams("k cannot be 0".into()));
        }
        if self.k > usize::from(u16::MAX) {
            return Err(KMeansError::InvalidParams("k is too large".into()));
        }
        if self.n_init == 0 {
            return Err(KMeansError::InvalidParams("nInit cannot be 0".into()));
        }
        if self.max_iter == 0 {
            return Err(KMeansError::InvalidParams("maxIter cannot be 0".into()));
        }
        if !(self.tol.is_finite() && self.tol >= 0.0) {
            return Err(KMeansError::InvalidParams(
                "tolerance must be a finite number ≥ 0".into(),
            ));
        }
        Ok(KMeansValidParams(self))
    }
}

/// A fitted k-means model.
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansModel {
    /// Number of features.
    pub d: usize,
    /// Number of clusters.
    pub k: usize,
    /// Centres, row-major `k × d`.
    pub centroids: Vec<f64>,
    /// Label of every training point (index into the centres).
    pub labels: Vec<u16>,
    /// Sum of squared distances of the training points to their centres (scikit-learn's `inertia_`).
    pub inertia: f64,
    /// Iterations of the winning initialisation.
    pub n_iter: usize,
    /// Whether the winning initialisation converged before the iteration cap.
    pub converged: bool,
}

impl KMeansModel {
    /// FNV-1a hash of the labels and the inertia bits: equal fingerprints mean identical results
    /// (used to check that native and Wasm builds agree).
    pub fn fingerprint(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in self
            .labels
            .iter()
            .flat_map(|l| l.to_le_bytes())
            .chain(self.inertia.to_bits().to_le_bytes())
        {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h
    }

    /// Centre `j` as a slice of `d` values.
    pub fn centroid(&self, j: usize) -> Option<&[f64]> {
        self.centroids.get(j * self.d..(j + 1) * self.d)
    }

    /// Nearest centre of one point.
    pub fn predict_one(&self, x: &[f64]) -> u16 {
        nearest(x, &self.centroids, self.d).0
    }
}

/// Row width known at compile time (so distance loops unroll) or at run time.
trait Width: Copy {
    fn d(self) -> usize;
}

#[derive(Clone, Copy)]
struct Fixed<const D: usize>;

impl<const D: usize> Width for Fixed<D> {
    #[inline(always)]
    fn d(self) -> usize {
        D
    }
}

#[derive(Clone, Copy)]
struct Dynamic(usize);

impl Width for Dynamic {
    #[inline(always)]
    fn d(self) -> usize {
        self.0
    }
}

/// Nearest centre and its squared distance; ties go to the lower index.
#[inline]
fn nearest(x: &[f64], centroids: &[f64], d: usize) -> (u16, f64) {
    let mut best = (0u16, f64::INFINITY);
    for (j, c) in centroids.chunks_exact(d.max(1)).enumerate() {
        let dist = sqdist(x, c);
        if dist < best.1 {
            best = (u16::try_from(j).unwrap_or(u16::MAX), dist);
        }
    }
    best
}

/// Centres transposed in pairs, the layout the distance kernel reads: for centres `2p` and `2p + 1`,
/// `d` lanes `[c₂ₚ[f], c₂ₚ₊₁[f]]`. Two centres share each arithmetic step, which LLVM turns into one
/// `f64x2` operation (SSE2 natively, `simd128` in Wasm) while each lane keeps the exact scalar
/// order of [`sqdist`], so results stay bit-identical on every target. An odd count is padded with
/// an infinitely far centre that never wins.
fn pair_up(centers: &[f64], d: usize, out: &mut Vec<[f64; 2]>) {
    out.clear();
    let d = d.max(1);
    for pair in centers.chunks(2 * d) {
        let (a, b) = pair.split_at(d.min(pair.len()));
        for f in 0..d {
            out.push([
                a.get(f).copied().unwrap_or(f64::INFINITY),
                b.get(f).copied().unwrap_or(f64::INFINITY),
            ]);
        }
    }
}

/// Squared distances from `x` to one pair of centres (see [`pair_up`]); lane by lane the same
/// additions, in the same order, as [`sqdist`].
#[inline(always)]
fn pair_sqdist<W: Width>(w: W, x: &[f64], pair: &[[f64; 2]]) -> [f64; 2] {
    let mut acc = [0.0f64; 2];
    for (&xv, &[c0, c1]) in x.iter().zip(pair).take(w.d()) {
        let t0 = xv - c0;
        let t1 = xv - c1;
        acc[0] += t0 * t0;
        acc[1] += t1 * t1;
    }
    acc
}

/// Nearest and second-nearest squared distances over paired centres (see [`pair_up`]); ties go to
/// the lower index, as in [`nearest`]. Branch-free: with overlapping clusters the comparisons are
/// unpredictable, and a mispredicted branch costs more than the arithmetic. The distances are
/// compared and selected as their bit patterns, which order non-negative floats exactly as their
/// values do: integer selects become conditional moves in V8, where float selects may not.
#[inline(always)]
fn nearest_two<W: Width>(w: W, x: &[f64], pairs: &[[f64; 2]]) -> (u16, f64, f64) {
    let inf = f64::INFINITY.to_bits();
    let (mut a, mut b1, mut b2) = (0u16, inf, inf);
    let mut j = 0u16;
    for pair in pairs.chunks_exact(w.d().max(1)) {
        for dist in pair_sqdist(w, x, pair) {
            // Same values as "if dist < b1 { b2 = b1; b1 = dist } else if dist < b2 { b2 = dist }".
            let dist = dist.to_bits();
            let closer = dist < b1;
            let runner_up = if closer { b1 } else { dist };
            b2 = if runner_up < b2 { runner_up } else { b2 };
            a = if closer { j } else { a };
            b1 = if closer { dist } else { b1 };
            j = j.wrapping_add(1);
        }
    }
    (a, f64::from_bits(b1), f64::from_bits(b2))
}

#[allow(clippy::cast_possible_truncation)]
fn rand_index(rng: &mut Xoshiro256PlusPlus, n: usize) -> usize {
    // u64 sampling: usize is 32-bit on wasm32 and rand samples it differently there.
    rng.gen_range(0..n.max(1) as u64) as usize
}

/// `a.min(b)` for non-NaN values, as a compare and select: Rust's `f64::min` must ignore a NaN,
/// which on wasm32 becomes a call to `fmin` (measured: a tenth of the k-means time in Node).
#[inline(always)]
fn min_sel(a: f64, b: f64) -> f64 {
    if b < a {
        b
    } else {
        a
    }
}

/// Potential of each candidate pair (see [`pair_up`]): the sum over the points of the squared
/// distance to their closest centre if the candidate joined. Not inlined, so V8 optimises it after
/// the first calls (see [`e_step`]).
#[inline(never)]
fn score_candidates<W: Width>(
    w: W,
    data: &[f64],
    closest: &[f64],
    cand_pairs: &[[f64; 2]],
    pots: &mut [f64],
) {
    pots.iter_mut().for_each(|p| *p = 0.0);
    for (x, &old) in data.chunks_exact(w.d().max(1)).zip(closest) {
        for (p, pair) in pots
            .chunks_exact_mut(2)
            .zip(cand_pairs.chunks_exact(w.d().max(1)))
        {
            let [d0, d1] = pair_sqdist(w, x, pair);
            if let [p0, p1] = p {
                *p0 += min_sel(d0, old);
                *p1 += min_sel(d1, old);
            }
        }
    }
}

/// Lowers each point's closest squared distance with the new centre `cx` and rebuilds their running
/// sum, in one pass. Not inlined (see [`score_candidates`]).
#[inline(never)]
fn lower_closest<W: Width>(
    w: W,
    data: &[f64],
    cx: &[f64],
    closest: &mut [f64],
    cumsum: &mut [f64],
) {
    let mut acc = 0.0;
    for ((x, old), c) in data
        .chunks_exact(w.d().max(1))
        .zip(closest.iter_mut())
        .zip(cumsum.iter_mut())
    {
        *old = min_sel(sqdist(x, cx), *old);
        acc += *old;
        *c = acc;
    }
}

/// Greedy k-means++ seeding (Arthur & Vassilvitskii; candidates per step as scikit-learn).
fn kmeans_pp<W: Width>(
    w: W,
    data: &[f64],
    n: usize,
    k: usize,
    rng: &mut Xoshiro256PlusPlus,
) -> Vec<f64> {
    let d = w.d();
    let rows = |i: usize| data.get(i * d..(i + 1) * d).unwrap_or(&[]);
    let mut centers = Vec::with_capacity(k * d);
    centers.extend_from_slice(rows(rand_index(rng, n)));
    // Squared distance of every point to its closest centre so far, and the running sum of those
    // (what the next draw searches); kept up to date in the same pass that lowers them.
    let mut closest = vec![0.0f64; n];
    let mut cumsum = vec![0.0f64; n];
    let mut acc = 0.0;
    for ((x, old), c) in data
        .chunks_exact(d)
        .zip(closest.iter_mut())
        .zip(cumsum.iter_mut())
    {
        *old = sqdist(x, &centers);
        acc += *old;
        *c = acc;
    }
    let mut pot = acc;
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_sign_loss,
        clippy::cast_possible_truncation
    )]
    let trials = 2 + libm::log(k as f64).floor() as usize;
    let mut pots = vec![0.0f64; trials.div_ceil(2) * 2];
    let mut cands: Vec<usize> = Vec::with_capacity(trials);
    let mut cand_rows: Vec<f64> = Vec::with_capacity(trials * d);
    let mut cand_pairs: Vec<[f64; 2]> = Vec::with_capacity(trials.div_ceil(2) * 2 * d);
    for _ in 1..k {
        // Draw every candidate first, then score them all in one pass over the data, two at a time
        // (same draws and the same sums as scoring them one by one, with a fraction of the memory
        // traffic).
        cands.clear();
        cand_rows.clear();
        for _ in 0..trials {
            let r: f64 = rng.gen::<f64>() * pot;
            let c = cumsum.partition_point(|&c| c < r).min(n - 1);
            cands.push(c);
            cand_rows.extend_from_slice(rows(c));
        }
        pair_up(&cand_rows, d, &mut cand_pairs);
        score_candidates(w, data, &closest, &cand_pairs, &mut pots);
        let mut best: Option<(usize, f64)> = None;
        for (&cand, &p) in cands.iter().zip(&pots) {
            if best.is_none_or(|(_, bp)| p < bp) {
                best = Some((cand, p));
            }
        }
        let Some((cand, p)) = best else { break };
        let cx = rows(cand);
        lower_closest(w, data, cx, &mut closest, &mut cumsum);
        centers.extend_from_slice(cx);
        pot = p;
    }
    centers
}

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

/// Runs `$body` with `$w` bound to the row width, a compile-time constant where it is small.
macro_rules! by_width {
    ($d:expr, $w:ident => $body:expr) => {
        match $d {
            1 => {
                let $w = Fixed::<1>;
                $body
            }
            2 => {
                let $w = Fixed::<2>;
                $body
            }
            3 => {
                let $w = Fixed::<3>;
                $body
            }
            4 => {
                let $w = Fixed::<4>;
                $body
            }
            5 => {
                let $w = Fixed::<5>;
                $body
            }
            6 => {
                let $w = Fixed::<6>;
                $body
            }
            _ => {
                let $w = Dynamic($d);
                $body
            }
        }
    };
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
    /// Number of clusters.
    pub fn k(&self) -> usize {
        self.0.k
    }

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
            return Err(KMeansError::InvalidParams("nInit cannot be 0".into()));
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

#[cfg(test)]
mod tests {
    use super::*;
    use linfa::traits::Predict;
    use linfa::DatasetBase;
    use ndarray::Array2;

    fn lloyd_inertia(data: &[f64], d: usize, centers: &[f64]) -> f64 {
        data.chunks_exact(d).map(|x| nearest(x, centers, d).1).sum()
    }

    #[test]
    fn separates_obvious_groups_through_linfa_traits() {
        let pts = [
            0.0, 0.0, 0.1, 0.0, 0.0, 0.1, 10.0, 10.0, 10.1, 10.0, 10.0, 10.1,
        ];
        let x = Array2::from_shape_vec((6, 2), pts.to_vec()).unwrap();
        let ds = DatasetBase::from(x.clone());
        let model = KMeansParams::new(2)
            .seed(1)
            .check()
            .unwrap()
            .fit(&ds)
            .unwrap();
        let y: Array1<usize> = model.predict(&x);
        assert_eq!(y[0], y[1]);
        assert_eq!(y[1], y[2]);
        assert_eq!(y[3], y[4]);
        assert_ne!(y[0], y[3]);
        assert!(
            (model.inertia - 4.0 * 0.01 * 2.0 / 3.0).abs() < 1e-9,
            "{}",
            model.inertia
        );
        assert!(model.converged);
    }

    #[test]
    fn labels_match_nearest_centre_and_inertia_is_exact() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let data: Vec<f64> = (0..3000).map(|_| rng.gen::<f64>()).collect();
        let m = KMeansParams::new(7)
            .n_init(3)
            .check()
            .unwrap()
            .fit_rows(&data, 3)
            .unwrap();
        for (x, &a) in data.chunks_exact(3).zip(&m.labels) {
            assert_eq!(m.predict_one(x), a);
        }
        let direct = lloyd_inertia(&data, 3, &m.centroids);
        assert!((direct - m.inertia).abs() < 1e-9 * direct);
    }

    #[test]
    fn sampled_initialisation_matches_full_initialisation() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let data: Vec<f64> = (0..30_000 * 2)
            .map(|i| f64::from(u8::try_from(i % 5).unwrap()) * 2.0 + rng.gen::<f64>() * 3.0)
            .collect();
        let full = KMeansParams::new(6)
            .check()
            .unwrap()
            .fit_rows(&data, 2)
            .unwrap();
        let fast = KMeansParams::new(6)
            .init_sample(3000)
            .check()
            .unwrap()
            .fit_rows(&data, 2)
            .unwrap();
        assert!(
            fast.inertia <= full.inertia * 1.01,
            "{} vs {}",
            fast.inertia,
            full.inertia
        );
        assert_eq!(fast.labels.len(), 30_000);
        for (x, &a) in data.chunks_exact(2).zip(&fast.labels) {
            assert_eq!(fast.predict_one(x), a);
        }
    }

    #[test]
    fn bad_parameters_and_data_are_errors() {
        assert!(KMeansParams::new(0).check().is_err());
        assert!(KMeansParams::new(2).n_init(0).check().is_err());
        let p = KMeansParams::new(3).check().unwrap();
        assert!(p.fit_rows(&[1.0, 2.0], 1).is_err());
        assert!(p.fit_rows(&[1.0, f64::NAN, 2.0, 3.0], 1).is_err());
        // All-identical points: k-means still terminates without a panic.
        let same = vec![1.0; 30];
        let m = p.fit_rows(&same, 3).unwrap();
        assert_eq!(m.inertia, 0.0);
    }
}
