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
    sort_total(&mut v);
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

/// The integer whose order is [`f64::total_cmp`]'s order: the transform `total_cmp` itself applies
/// to the bits (a negative value gets its 63 low bits flipped).
fn total_key(x: f64) -> i64 {
    #[allow(clippy::cast_possible_wrap)]
    flip(x.to_bits() as i64)
}

/// The inverse of [`total_key`] (the flip is its own inverse: it keeps the sign bit it depends on).
fn from_total_key(k: i64) -> f64 {
    #[allow(clippy::cast_sign_loss)]
    f64::from_bits(flip(k) as u64)
}

fn flip(b: i64) -> i64 {
    #[allow(clippy::cast_possible_wrap, clippy::cast_sign_loss)]
    let mask = (((b >> 63) as u64) >> 1) as i64;
    b ^ mask
}

/// Sorts `v` ascending in the total order of f64, with exactly `v.sort_by(f64::total_cmp)`'s result
/// (values equal in that order have the same bits, so stability cannot show). It sorts integer keys
/// instead of calling `total_cmp` per comparison: the size-optimised Wasm build does not inline
/// that call, and these sorts were most of a re-analysis there (issue 12).
pub fn sort_total(v: &mut [f64]) {
    let mut keys: Vec<i64> = v.iter().map(|&x| total_key(x)).collect();
    keys.sort_unstable();
    for (x, k) in v.iter_mut().zip(keys) {
        *x = from_total_key(k);
    }
}

/// Sorts `v` descending in the total order of f64 (`v.sort_by(|a, b| b.total_cmp(a))`'s result).
pub fn sort_total_desc(v: &mut [f64]) {
    sort_total(v);
    v.reverse();
}

/// The indices of `(value, index)` pairs in ascending total order of the value, ties by index:
/// `pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)))`'s order, on
/// one integer per pair (the key with its sign bit flipped, so unsigned order is the total order,
/// above the index).
pub fn order_total(pairs: impl Iterator<Item = (f64, usize)>) -> Vec<usize> {
    #[allow(clippy::cast_sign_loss)]
    let mut keys: Vec<u128> = pairs
        .map(|(v, i)| {
            let key = (total_key(v) as u64) ^ (1 << 63);
            (u128::from(key) << 64) | i as u128
        })
        .collect();
    keys.sort_unstable();
    keys.into_iter()
        .map(|k| usize::try_from(k & u128::from(u64::MAX)).unwrap_or(usize::MAX))
        .collect()
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

    /// The key sorts agree with std's `total_cmp` sorts (the oracle) on signed zeros, NaNs of both
    /// signs, infinities, subnormals and repeated values.
    #[test]
    fn key_sorts_equal_total_cmp_sorts() {
        let v = vec![
            3.5,
            -0.0,
            0.0,
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE / 4.0,
            -f64::MIN_POSITIVE / 4.0,
            -2.0,
            3.5,
            -0.0,
            1e300,
            -1e-300,
            2.0,
        ];
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        let mut want = v.clone();
        want.sort_by(f64::total_cmp);
        let mut got = v.clone();
        sort_total(&mut got);
        assert_eq!(bits(&got), bits(&want));
        want.sort_by(|a, b| b.total_cmp(a));
        sort_total_desc(&mut got);
        assert_eq!(bits(&got), bits(&want));
        let mut pairs: Vec<(f64, usize)> = v.iter().copied().zip(0..).collect();
        let order = order_total(pairs.iter().copied());
        pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        assert_eq!(order, pairs.iter().map(|p| p.1).collect::<Vec<_>>());
    }

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
