//! Special functions for the CLV models, on `libm` only, so a fit gives the same bits natively and
//! in Wasm (std's `ln`/`exp`/`powf` go to the platform's maths library, which differs).

/// ln Γ(x) for x > 0.
pub fn lgamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// Natural logarithm.
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// e^x.
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// x^y.
pub fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// ln(e^a + e^b) without overflow; `f64::NEG_INFINITY` is the empty term.
pub fn log_add_exp(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    if hi == f64::NEG_INFINITY {
        return f64::NEG_INFINITY;
    }
    hi + libm::log1p(exp(lo - hi))
}

/// Most series terms summed before [`hyp2f1`] gives up (z ≤ 0.999 converges well before).
const MAX_TERMS: usize = 200_000;

/// The Gauss hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z < 1 by its power series, or `None`
/// when the series does not settle (z too close to 1, or a term is not finite).
///
/// Callers pass the Euler-transformed parameters (see `bgnbd`), whose terms stay bounded; the sum
/// stops when a term no longer changes it.
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    if !(0.0..1.0).contains(&z) || !a.is_finite() || !b.is_finite() || c.is_nan() || c <= 0.0 {
        return None;
    }
    let mut term = 1.0_f64;
    let mut sum = 1.0_f64;
    for n in 0..MAX_TERMS {
        let k = n as f64;
        term *= (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        if !term.is_finite() {
            return None;
        }
        let next = sum + term;
        // Stop once the term is below the last bit and the terms are shrinking (the ratio of
        // consecutive terms tends to z < 1, so they shrink from some n on).
        if next == sum && ((a + k + 1.0) * (b + k + 1.0)).abs() * z < (c + k + 1.0) * (k + 2.0) {
            return Some(sum);
        }
        sum = next;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyp2f1_closed_forms() {
        // ₂F₁(1, 1; 2; z) = −ln(1 − z)/z.
        for z in [0.1, 0.5, 0.9, 0.99] {
            let want = -(1.0_f64 - z).ln() / z;
            let got = hyp2f1(1.0, 1.0, 2.0, z).unwrap();
            assert!((got - want).abs() < 1e-12 * want, "z={z}: {got} vs {want}");
        }
        // ₂F₁(a, b; b; z) = (1 − z)^(−a).
        let got = hyp2f1(2.5, 3.0, 3.0, 0.7).unwrap();
        assert!((got - 0.3_f64.powf(-2.5)).abs() < 1e-10);
        // A terminating series: ₂F₁(−2, 1; 1; z) = (1 − z)².
        assert!((hyp2f1(-2.0, 1.0, 1.0, 0.4).unwrap() - 0.36).abs() < 1e-15);
        assert_eq!(hyp2f1(1.0, 1.0, 2.0, 1.0), None);
        assert_eq!(hyp2f1(1.0, 1.0, 2.0, -0.1), None);
    }

    #[test]
    fn log_add_exp_is_stable() {
        assert_eq!(log_add_exp(1000.0, f64::NEG_INFINITY), 1000.0);
        assert!((log_add_exp(-1000.0, -1000.0) - (-1000.0 + 2.0_f64.ln())).abs() < 1e-12);
    }
}
