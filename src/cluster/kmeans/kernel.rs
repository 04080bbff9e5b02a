//! The k-means distance kernels: row widths fixed at compile time, centres paired so two share each
//! arithmetic step, nearest / second-nearest search. Lane by lane they add in the order of
//! [`crate::kernel::sqdist`], so results are bit-identical on every target.

use crate::kernel::sqdist;

/// Row width known at compile time (so distance loops unroll) or at run time.
pub(super) trait Width: Copy {
    /// Features per row.
    fn d(self) -> usize;
}

/// A width fixed at compile time.
#[derive(Clone, Copy)]
pub(super) struct Fixed<const D: usize>;

impl<const D: usize> Width for Fixed<D> {
    #[inline(always)]
    fn d(self) -> usize {
        D
    }
}

/// A width known at run time.
#[derive(Clone, Copy)]
pub(super) struct Dynamic(pub(super) usize);

impl Width for Dynamic {
    #[inline(always)]
    fn d(self) -> usize {
        self.0
    }
}

/// Nearest centre and its squared distance; ties go to the lower index.
#[inline]
pub(super) fn nearest(x: &[f64], centroids: &[f64], d: usize) -> (u16, f64) {
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
pub(super) fn pair_up(centers: &[f64], d: usize, out: &mut Vec<[f64; 2]>) {
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
pub(super) fn pair_sqdist<W: Width>(w: W, x: &[f64], pair: &[[f64; 2]]) -> [f64; 2] {
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
pub(super) fn nearest_two<W: Width>(w: W, x: &[f64], pairs: &[[f64; 2]]) -> (u16, f64, f64) {
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

/// `a.min(b)` for non-NaN values, as a compare and select: Rust's `f64::min` must ignore a NaN,
/// which on wasm32 becomes a call to `fmin` (measured: a tenth of the k-means time in Node).
#[inline(always)]
pub(super) fn min_sel(a: f64, b: f64) -> f64 {
    if b < a {
        b
    } else {
        a
    }
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

pub(super) use by_width;
