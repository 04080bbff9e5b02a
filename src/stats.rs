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

/// The sign bit: flipping it on a [`total_key`] makes the unsigned order the total order.
const SIGN: u64 = 1 << 63;

/// Sorts `v` ascending in the total order of f64, with exactly `v.sort_by(f64::total_cmp)`'s result
/// (values equal in that order have the same bits, so stability cannot show). It radix-sorts
/// integer keys instead of calling `total_cmp` per comparison: the size-optimised Wasm build
/// inlines neither that call nor a comparison sort's closures, and these sorts were most of a
/// re-analysis there (issue 12).
pub fn sort_total(v: &mut [f64]) {
    #[allow(clippy::cast_sign_loss)]
    let keys: Vec<u64> = v.iter().map(|&x| total_key(x) as u64 ^ SIGN).collect();
    let keys = radix_by_key(keys, |&k| k);
    for (x, k) in v.iter_mut().zip(keys) {
        #[allow(clippy::cast_possible_wrap)]
        let k = (k ^ SIGN) as i64;
        *x = from_total_key(k);
    }
}

/// Sorts `v` descending in the total order of f64 (`v.sort_by(|a, b| b.total_cmp(a))`'s result).
pub fn sort_total_desc(v: &mut [f64]) {
    sort_total(v);
    v.reverse();
}

/// The indices of `(value, index)` pairs in ascending total order of the value, ties by index:
/// `pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)))`'s order. The
/// radix sort is stable, so when the indices come in ascending (the callers' case) ties keep index
/// order; other inputs are sorted on one integer per pair (key above index).
pub fn order_total(pairs: impl Iterator<Item = (f64, usize)>) -> Vec<usize> {
    #[allow(clippy::cast_sign_loss)]
    let keyed: Vec<(u64, usize)> = pairs
        .map(|(v, i)| (total_key(v) as u64 ^ SIGN, i))
        .collect();
    if keyed
        .windows(2)
        .all(|w| w.first().map(|a| a.1) < w.get(1).map(|b| b.1))
    {
        return radix_by_key(keyed, |p| p.0)
            .into_iter()
            .map(|(_, i)| i)
            .collect();
    }
    let mut keys: Vec<u128> = keyed
        .into_iter()
        .map(|(k, i)| (u128::from(k) << 64) | i as u128)
        .collect();
    keys.sort_unstable();
    keys.into_iter()
        .map(|k| usize::try_from(k & u128::from(u64::MAX)).unwrap_or(usize::MAX))
        .collect()
}

/// Stable LSD radix sort of `items` by a 64-bit key, a byte a pass (skipping a pass where every
/// key has the same byte): linear loops, no comparisons. (No comparison sort for short inputs:
/// its instantiations cost more .wasm bytes than the passes cost time.)
fn radix_by_key<T: Copy>(mut items: Vec<T>, key: impl Fn(&T) -> u64) -> Vec<T> {
    let n = items.len();
    let mut buf = items.clone();
    for shift in (0..64).step_by(8) {
        let digit = |x: &T| usize::try_from((key(x) >> shift) & 0xff).unwrap_or(0);
        let mut counts = [0usize; 256];
        for x in &items {
            if let Some(c) = counts.get_mut(digit(x)) {
                *c += 1;
            }
        }
        if counts.contains(&n) {
            continue;
        }
        let mut next = [0usize; 256];
        let mut sum = 0;
        for (o, &c) in next.iter_mut().zip(&counts) {
            *o = sum;
            sum += c;
        }
        // Every item lands in its own slot (the offsets partition 0..n), so `buf` is overwritten.
        for x in &items {
            if let Some(o) = next.get_mut(digit(x)) {
                if let Some(slot) = buf.get_mut(*o) {
                    *slot = *x;
                }
                *o += 1;
            }
        }
        std::mem::swap(&mut items, &mut buf);
    }
    items
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

    /// Signed zeros, NaNs of both signs, infinities and the smallest subnormal.
    const SPECIALS: [f64; 7] = [
        -0.0,
        0.0,
        f64::NAN,
        -f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        5e-324,
    ];

    /// `sort_total`, `sort_total_desc` and `order_total` (indices ascending and descending) give
    /// what std's `total_cmp` sorts give on `v` (the oracle), bit for bit.
    fn assert_key_sorts_agree(v: &[f64]) {
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        let mut want = v.to_vec();
        want.sort_by(f64::total_cmp);
        let mut got = v.to_vec();
        sort_total(&mut got);
        assert_eq!(bits(&got), bits(&want));
        want.sort_by(|a, b| b.total_cmp(a));
        sort_total_desc(&mut got);
        assert_eq!(bits(&got), bits(&want));
        for indices in [
            (0..v.len()).collect::<Vec<_>>(),
            (0..v.len()).rev().collect(),
        ] {
            let pairs: Vec<(f64, usize)> = v.iter().copied().zip(indices).collect();
            let mut sorted = pairs.clone();
            sorted.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
            let want: Vec<usize> = sorted.iter().map(|p| p.1).collect();
            assert_eq!(order_total(pairs.into_iter()), want);
        }
    }

    /// The key sorts agree with std's `total_cmp` sorts (the oracle) on signed zeros, NaNs of both
    /// signs, infinities, subnormals and repeated values.
    #[test]
    fn key_sorts_equal_total_cmp_sorts() {
        let mut v = SPECIALS.to_vec();
        v.extend([
            3.5,
            f64::MIN_POSITIVE / 4.0,
            -f64::MIN_POSITIVE / 4.0,
            -2.0,
            3.5,
            -0.0,
            1e300,
            -1e-300,
            2.0,
        ]);
        assert_key_sorts_agree(&v);
    }

    /// The same on 5,000 seeded values with many ties and the special values mixed in (the radix
    /// path), and on pairs whose indices do not ascend (the fallback path).
    #[test]
    fn key_sorts_equal_total_cmp_sorts_on_long_inputs() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let v: Vec<f64> = (0..5000)
            .map(|i| match rng.gen_range(0..4u32) {
                0 => SPECIALS.get(i % SPECIALS.len()).copied().unwrap_or(0.0),
                1 => f64::from(rng.gen_range(0..20i32) - 10),
                _ => rng.gen_range(-1e6..1e6),
            })
            .collect();
        assert_key_sorts_agree(&v);
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
