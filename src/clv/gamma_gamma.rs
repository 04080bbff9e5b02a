//! Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"): a customer's mean spend over
//! x repeat purchase days, with transaction values ~ Gamma(p, ν) and ν ~ Gamma(q, v).

use super::bgnbd::LOG_BOUND;
use super::optimize::minimize;
use super::special::{exp, lgamma, ln};

/// Fitted Gamma-Gamma parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpendParams {
    /// Shape of a transaction's value.
    pub p: f64,
    /// Shape of the heterogeneity in ν.
    pub q: f64,
    /// Scale of the heterogeneity in ν.
    pub v: f64,
}

/// A Gamma-Gamma fit.
#[derive(Debug, Clone, PartialEq)]
pub struct SpendFit {
    /// Maximum-likelihood parameters.
    pub params: SpendParams,
    /// The log-likelihood at them.
    pub log_likelihood: f64,
    /// The optimiser's convergence check passed.
    pub converged: bool,
    /// Some parameter ran to the bound.
    pub at_bound: bool,
}

/// One customer's log-likelihood: x repeat days with mean value m > 0.
pub fn log_likelihood_one(s: &SpendParams, x: f64, m: f64) -> f64 {
    let SpendParams { p, q, v } = *s;
    lgamma(p * x + q) - lgamma(p * x) - lgamma(q)
        + q * ln(v)
        + (p * x - 1.0) * ln(m)
        + (p * x) * ln(x)
        - (p * x + q) * ln(x * m + v)
}

/// Fits on `(x, m)` pairs (x > 0, m > 0; the caller sets the others aside).
pub fn fit(data: &[(f64, f64)]) -> SpendFit {
    let n = if data.is_empty() {
        1.0
    } else {
        data.len() as f64
    };
    let params = |theta: &[f64]| SpendParams {
        p: exp(theta.first().copied().unwrap_or(0.0)),
        q: exp(theta.get(1).copied().unwrap_or(0.0)),
        v: exp(theta.get(2).copied().unwrap_or(0.0)),
    };
    let objective = |theta: &[f64]| -> f64 {
        if theta
            .iter()
            .any(|t| !t.is_finite() || t.abs() > LOG_BOUND + 2.0)
        {
            return f64::INFINITY;
        }
        let s = params(theta);
        let ll: f64 = data
            .iter()
            .map(|&(x, m)| log_likelihood_one(&s, x, m))
            .sum();
        if ll.is_finite() {
            -ll / n
        } else {
            f64::INFINITY
        }
    };
    // v starts at the mean spend (its scale is the currency's).
    let mean: f64 = data.iter().map(|&(_, m)| m).sum::<f64>() / n;
    let start = [0.0, 0.0, ln(if mean > 0.0 { mean } else { 1.0 })];
    let m = minimize(&objective, &start, 1.0);
    SpendFit {
        params: params(&m.point),
        log_likelihood: -m.value * n,
        converged: m.converged,
        at_bound: m.point.iter().any(|t| t.abs() >= LOG_BOUND),
    }
}

/// E[mean spend | x, m]: `p(v + x m) / (p x + q − 1)`, a weighted mean of the population mean
/// `p v / (q − 1)` and the customer's own m. `None` where it is not a positive finite number (for
/// x = 0 that is when q ≤ 1: the population mean does not exist).
pub fn expected_spend(s: &SpendParams, x: f64, m: f64) -> Option<f64> {
    let SpendParams { p, q, v } = *s;
    let m = if x > 0.0 { m } else { 0.0 };
    let denominator = p * x + q - 1.0;
    if denominator <= 0.0 {
        return None;
    }
    let value = p * (v + x * m) / denominator;
    (value.is_finite() && value > 0.0).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_spend_is_the_published_weighted_mean() {
        let s = SpendParams {
            p: 6.0,
            q: 4.0,
            v: 15.0,
        };
        // Population mean p v / (q − 1) = 30 for a customer with no repeat days.
        assert_eq!(expected_spend(&s, 0.0, 0.0), Some(30.0));
        // x = 2, m = 50: 6 (15 + 100) / (12 + 3) = 46.
        assert_eq!(expected_spend(&s, 2.0, 50.0), Some(46.0));
        let heavy = SpendParams { q: 0.8, ..s };
        assert_eq!(expected_spend(&heavy, 0.0, 0.0), None);
        assert!(expected_spend(&heavy, 1.0, 10.0).is_some());
    }
}
