//! Seeding: greedy k-means++ (Arthur & Vassilvitskii; `2 + ⌊ln k⌋` candidates per step, as
//! scikit-learn), drawing only through `u64` ranges so wasm32 picks the same points.

use rand::Rng;
use rand_xoshiro::Xoshiro256PlusPlus;

use super::kernel::{min_sel, pair_sqdist, pair_up, Width};
use crate::kernel::sqdist;

#[allow(clippy::cast_possible_truncation)]
pub(super) fn rand_index(rng: &mut Xoshiro256PlusPlus, n: usize) -> usize {
    // u64 sampling: usize is 32-bit on wasm32 and rand samples it differently there.
    rng.gen_range(0..n.max(1) as u64) as usize
}

/// Potential of each candidate pair (see [`pair_up`]): the sum over the points of the squared
/// distance to their closest centre if the candidate joined. Not inlined, so V8 optimises it after
/// the first calls (see [`e_step`]).
#[inline(never)]
pub(super) fn score_candidates<W: Width>(
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
pub(super) fn lower_closest<W: Width>(
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
pub(super) fn kmeans_pp<W: Width>(
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
