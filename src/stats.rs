//! Order statistics and seeded subsampling shared by scoring, cleaning, summaries, the feature
//! matrix, clustering and explanations (a leaf: it imports nothing from the crate).

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Linear-interpolation quantile of sorted data (numpy's default, R type 7).
pub fn quantile_sorted(sorted: &[f64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let lo = h.floor() as usize;
    let a = *sorted.get(lo)?;
    let b = *sorted.get(lo + 1).unwrap_or(&a);
    Some(a + (b - a) * (h - h.floor()))
}

/// Median as the group summaries report it: 0 for no values, the mean of the middle two for an even
/// count. (Written as `(a + b) / 2`, which can differ in the last bit from
/// [`quantile_sorted`]`(v, 0.5)`'s `a + (b − a) / 2`; both stay, so no published figure moves.)
pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return 0.0;
    }
    let hi = v.get(n / 2).copied().unwrap_or(0.0);
    if n % 2 == 1 {
        hi
    } else {
        (v.get(n / 2 - 1).copied().unwrap_or(hi) + hi) / 2.0
    }
}

/// A seeded sample of `m` distinct indices out of `n`, ascending (all of them when `m ≥ n`).
pub fn sample_indices(n: usize, m: usize, seed: u64) -> Vec<usize> {
    if m >= n {
        return (0..n).collect();
    }
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut ix: Vec<usize> = (0..n).collect();
    // Partial Fisher–Yates; u64 ranges so wasm32 draws the same numbers.
    for i in 0..m {
        #[allow(clippy::cast_possible_truncation)]
        let j = rng.gen_range(i as u64..n as u64) as usize;
        ix.swap(i, j);
    }
    ix.truncate(m);
    ix.sort_unstable();
    ix
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile_sorted(&v, 0.0), Some(1.0));
        assert_eq!(quantile_sorted(&v, 0.5), Some(2.5));
        // h = 3 · 0.25 = 0.75 → 1 + 0.75.
        assert_eq!(quantile_sorted(&v, 0.25), Some(1.75));
        assert_eq!(quantile_sorted(&v, 1.0), Some(4.0));
        assert_eq!(quantile_sorted(&[], 0.5), None);
    }

    #[test]
    fn medians() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(vec![]), 0.0);
    }

    #[test]
    fn samples_are_seeded_distinct_and_sorted() {
        let a = sample_indices(1000, 50, 9);
        assert_eq!(a, sample_indices(1000, 50, 9));
        assert_eq!(a.len(), 50);
        assert!(a.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(sample_indices(5, 50, 9), vec![0, 1, 2, 3, 4]);
    }
}
