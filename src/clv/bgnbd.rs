//! BG/NBD (Fader, Hardie & Lee 2005) and MBG/NBD (Batislam, Denizel & Filiztekin 2007): the
//! log-likelihood in its published log-sum-exp form, the fit, P(alive) and the conditional
//! expected number of repeat purchases.

use super::optimize::minimize;
use super::special::{exp, hyp2f1, lgamma, ln, log_add_exp};
use super::Pattern;

/// The repeat-purchase model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// Beta-geometric/NBD: a customer may drop out only after a repeat purchase, so P(alive) = 1
    /// for x = 0.
    BgNbd,
    /// Modified BG/NBD: a customer may also drop out right after the first purchase.
    MbgNbd,
}

impl Model {
    /// The recipe / report name.
    pub fn name(self) -> &'static str {
        match self {
            Model::BgNbd => "bgnbd",
            Model::MbgNbd => "mbgnbd",
        }
    }
}

/// Fitted parameters: purchase rate ~ Gamma(r, α), drop-out probability ~ Beta(a, b).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Gamma shape of the purchase rate.
    pub r: f64,
    /// Gamma scale (in the time unit) of the purchase rate.
    pub alpha: f64,
    /// Beta shape a of the drop-out probability.
    pub a: f64,
    /// Beta shape b of the drop-out probability.
    pub b: f64,
}

/// One customer's log-likelihood term (without the weight).
pub fn log_likelihood_one(model: Model, p: &Params, x: f64, tx: f64, t: f64) -> f64 {
    let Params { r, alpha, a, b } = *p;
    let a1 = lgamma(r + x) - lgamma(r) + r * ln(alpha);
    match model {
        Model::BgNbd => {
            let a2 = lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x);
            let a3 = -(r + x) * ln(alpha + t);
            let a4 = if x > 0.0 {
                ln(a) - ln(b + x - 1.0) - (r + x) * ln(alpha + tx)
            } else {
                f64::NEG_INFINITY
            };
            a1 + a2 + log_add_exp(a3, a4)
        }
        Model::MbgNbd => {
            let a2 = lgamma(a + b) + lgamma(b + x + 1.0) - lgamma(b) - lgamma(a + b + x + 1.0);
            let a3 = -(r + x) * ln(alpha + t);
            let a4 = ln(a) - ln(b + x) - (r + x) * ln(alpha + tx);
            a1 + a2 + log_add_exp(a3, a4)
        }
    }
}

/// The weighted log-likelihood over distinct patterns.
pub fn log_likelihood(model: Model, p: &Params, patterns: &[Pattern]) -> f64 {
    patterns
        .iter()
        .map(|q| q.weight * log_likelihood_one(model, p, q.x, q.tx, q.t))
        .sum()
}

/// Log-parameters beyond this are a drift to a boundary (a parameter → 0 or ∞): the data cannot
/// settle the model.
pub const LOG_BOUND: f64 = 18.0;

/// A fit: the parameters, the log-likelihood and whether the optimiser converged.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// Maximum-likelihood parameters.
    pub params: Params,
    /// The log-likelihood at them.
    pub log_likelihood: f64,
    /// The optimiser's convergence check passed.
    pub converged: bool,
    /// Some parameter ran to the bound (not identifiable).
    pub at_bound: bool,
}

fn from_log(theta: &[f64]) -> Params {
    let g = |i: usize| exp(theta.get(i).copied().unwrap_or(0.0));
    Params {
        r: g(0),
        alpha: g(1),
        a: g(2),
        b: g(3),
    }
}

/// Maximum-likelihood fit from fixed starting points (r = α = a = b = 1 scaled to the data's time
/// span for α), keeping the best.
pub fn fit(model: Model, patterns: &[Pattern]) -> Fit {
    let total: f64 = patterns.iter().map(|q| q.weight).sum();
    let n = if total > 0.0 { total } else { 1.0 };
    let objective = |theta: &[f64]| -> f64 {
        if theta
            .iter()
            .any(|v| !v.is_finite() || v.abs() > LOG_BOUND + 2.0)
        {
            return f64::INFINITY;
        }
        let ll = log_likelihood(model, &from_log(theta), patterns);
        // Per customer, so the tolerances mean the same for any data size.
        if ll.is_finite() {
            -ll / n
        } else {
            f64::INFINITY
        }
    };
    // α starts at the mean T (its scale is the time unit's).
    let mean_t: f64 = patterns.iter().map(|q| q.weight * q.t).sum::<f64>() / n;
    let alpha0 = ln(if mean_t > 0.0 { mean_t } else { 1.0 });
    let starts = [[0.0, alpha0, 0.0, 0.0], [-1.0, alpha0 - 1.0, -0.5, 1.0]];
    let mut best: Option<super::optimize::Minimum> = None;
    for s in starts {
        let m = minimize(&objective, &s, 1.0);
        let better = match &best {
            Some(b) => m.value < b.value,
            None => true,
        };
        if better {
            best = Some(m);
        }
    }
    let (point, value, converged) = match best {
        Some(m) => (m.point, m.value, m.converged),
        None => (vec![0.0; 4], f64::INFINITY, false),
    };
    Fit {
        params: from_log(&point),
        log_likelihood: -value * n,
        converged,
        at_bound: point.iter().any(|v| v.abs() >= LOG_BOUND),
    }
}

/// P(alive at T | x, tₓ, T).
pub fn p_alive(model: Model, p: &Params, x: f64, tx: f64, t: f64) -> f64 {
    let Params { r, alpha, a, b } = *p;
    let log_odds = match model {
        Model::BgNbd if x <= 0.0 => return 1.0,
        Model::BgNbd => ln(a) - ln(b + x - 1.0),
        Model::MbgNbd => ln(a) - ln(b + x),
    } + (r + x) * (ln(alpha + t) - ln(alpha + tx));
    // 1 / (1 + e^d), written so a large d gives 0 rather than 1/∞ = NaN-free anyway.
    if log_odds > 0.0 {
        let e = exp(-log_odds);
        e / (1.0 + e)
    } else {
        1.0 / (1.0 + exp(log_odds))
    }
}

/// E[repeat purchases in (T, T + horizon] | x, tₓ, T], or `None` where the hypergeometric series
/// does not settle or a = 1 (the closed form divides by a − 1).
///
/// The published form is `(a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z)]
/// · P(alive)` with z = t/(α+T+t). Euler's transformation ₂F₁(A,B;C;z) = (1−z)^(C−A−B)
/// ₂F₁(C−A, C−B; C; z) turns the product `(1−z)^(r+x) ₂F₁(…)` into `(1−z)^(a−1) ₂F₁(a+b−1−r,
/// a−1; a+b+x−1; z)`, whose terms stay bounded for any x (the untransformed series overflows for
/// frequent buyers).
pub fn expected_purchases(
    model: Model,
    p: &Params,
    horizon: f64,
    x: f64,
    tx: f64,
    t: f64,
) -> Option<f64> {
    let Params { r, alpha, a, b } = *p;
    if horizon <= 0.0 {
        return Some(0.0);
    }
    if (a - 1.0).abs() < 1e-9 {
        return None;
    }
    let z = horizon / (alpha + t + horizon);
    let one_minus_z = (alpha + t) / (alpha + t + horizon);
    // MBG/NBD's form has b + 1 where BG/NBD has b (Batislam et al. 2007, eq. 9).
    let (lead, c) = match model {
        Model::BgNbd => (a + b + x - 1.0, a + b + x - 1.0),
        Model::MbgNbd => (a + b + x, a + b + x),
    };
    let first = match model {
        Model::BgNbd => a + b - 1.0 - r,
        Model::MbgNbd => a + b - r,
    };
    let f = hyp2f1(first, a - 1.0, c, z)?;
    let bracket = 1.0 - exp((a - 1.0) * ln(one_minus_z)) * f;
    let value = lead / (a - 1.0) * bracket * p_alive(model, p, x, tx, t);
    (value.is_finite() && value >= 0.0).then_some(value)
}

/// E[X(t)]: the expected repeat purchases of a new customer in (0, t] (BG/NBD eq. 7), used to
/// check the fit against the published tracking figures.
pub fn expected_purchases_new(p: &Params, t: f64) -> Option<f64> {
    let Params { r, alpha, a, b } = *p;
    if (a - 1.0).abs() < 1e-9 || t < 0.0 {
        return None;
    }
    let z = t / (alpha + t);
    // ₂F₁(r, b; a+b−1; z) · (α/(α+t))^r, Euler-transformed as above.
    let f = hyp2f1(a + b - 1.0 - r, a - 1.0, a + b - 1.0, z)?;
    let g = exp((a - 1.0) * ln(alpha / (alpha + t))) * f;
    let value = (a + b - 1.0) / (a - 1.0) * (1.0 - g);
    value.is_finite().then_some(value)
}
