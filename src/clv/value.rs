//! From purchases to the report and the per-customer figures: fit, P(alive), expected purchases
//! and spend, CLV with the discount rate, and the holdout check when the calibration ends before
//! the data does.

use serde::Serialize;

use crate::ingest::values::{date_of, Day};
use crate::warning::Warning;

use super::bgnbd::{self, Model};
use super::gamma_gamma;
use super::special::pow;
use super::summary::{patterns, summarise, CustomerSummary};
use super::{not_identifiable, Purchase, Settings, MIN_REPEATERS};

/// One customer's predictions (as of the calibration end).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CustomerClv {
    /// P(alive) at the calibration end.
    pub p_alive: f64,
    /// Expected repeat purchase days over the horizon.
    pub expected_orders: Option<f64>,
    /// Expected mean spend per purchase day (Gamma-Gamma).
    pub expected_spend: Option<f64>,
    /// Expected (discounted) value over the horizon.
    pub clv: Option<f64>,
}

/// BG/NBD parameters as the report names them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ParamsReport {
    /// Gamma shape of the purchase rate.
    pub r: f64,
    /// Gamma scale of the purchase rate (time units).
    pub alpha: f64,
    /// Beta shape a.
    pub a: f64,
    /// Beta shape b.
    pub b: f64,
}

/// The spend model's part of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SpendReport {
    /// `"gammaGamma"`.
    pub model: &'static str,
    /// p, q, v.
    pub params: SpendParamsReport,
    /// Log-likelihood at the fit.
    pub log_likelihood: f64,
    /// Customers the fit used (x > 0 and a positive mean spend).
    pub customers: usize,
    /// Repeat buyers set aside because their mean repeat spend is not positive.
    pub set_aside: usize,
    /// The optimiser's check passed.
    pub converged: bool,
}

/// Gamma-Gamma parameters as the report names them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SpendParamsReport {
    /// Shape of a transaction's value.
    pub p: f64,
    /// Shape of the heterogeneity.
    pub q: f64,
    /// Scale of the heterogeneity.
    pub v: f64,
}

/// Actual vs predicted holdout purchases for customers of one calibration frequency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrequencyRow {
    /// x (the last row is "7+").
    pub x: String,
    /// Customers with it.
    pub customers: usize,
    /// Their mean actual holdout repeat purchase days.
    pub actual: f64,
    /// Their mean predicted holdout purchases.
    pub predicted: f64,
}

/// One point of the cumulative tracking curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrackingPoint {
    /// Time units since the calibration end.
    pub t: f64,
    /// Actual repeat purchase days up to then, summed over customers.
    pub actual: u64,
    /// Predicted, summed over customers.
    pub predicted: f64,
}

/// The holdout check (calibration end before the data's last day).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Holdout {
    /// Last day of the data.
    pub end: String,
    /// Its length in time units.
    pub length: f64,
    /// Repeat purchase days after the calibration end, summed over calibration customers.
    pub actual: u64,
    /// Σ expected purchases over the holdout length.
    pub predicted: f64,
    /// By calibration frequency 0…6, 7+.
    pub by_frequency: Vec<FrequencyRow>,
    /// Cumulative actual vs predicted (at most [`TRACKING_POINTS`] points).
    pub tracking: Vec<TrackingPoint>,
}

/// Most points of the tracking curve (a long holdout in days is sampled).
pub const TRACKING_POINTS: f64 = 120.0;

/// report.json `clv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClvReport {
    /// `"bgnbd"` or `"mbgnbd"`.
    pub model: &'static str,
    /// `"day"`, `"week"` or `"month"`.
    pub time_unit: &'static str,
    /// Last day of the calibration period.
    pub calibration_end: String,
    /// Prediction horizon (time units).
    pub horizon: u32,
    /// Annual discount rate, if any.
    pub discount_rate: Option<f64>,
    /// Fitted parameters.
    pub params: ParamsReport,
    /// Log-likelihood at the fit.
    pub log_likelihood: f64,
    /// The optimiser's check passed.
    pub converged: bool,
    /// Customers in the calibration period.
    pub customers: usize,
    /// Of them, with at least one repeat purchase day.
    pub repeaters: usize,
    /// Customers whose first purchase is after the calibration end (not predicted).
    pub after_calibration: usize,
    /// Customers per P(alive) tenth: [0, 0.1), …, [0.9, 1].
    pub p_alive_bins: [usize; 10],
    /// Σ expected purchases over the horizon.
    pub expected_orders: f64,
    /// The spend model, when it could be fitted.
    pub spend: Option<SpendReport>,
    /// The holdout check, when the data goes past the calibration end.
    pub holdout: Option<Holdout>,
    /// The figures by RFM segment (filled in by the pipeline, which knows the segments).
    pub by_segment: Vec<super::GroupClv>,
    /// The figures by value tier (filled in by the pipeline).
    pub by_tier: Vec<super::GroupClv>,
}

/// What [`analyse`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The report section (`None`: not identifiable, see the warnings).
    pub report: Option<ClvReport>,
    /// Per customer index (`None`: no figures for that customer).
    pub customers: Vec<Option<CustomerClv>>,
    /// Warnings (stable codes).
    pub warnings: Vec<Warning>,
}

/// Fits the models on the purchases of customers `0..customers` and predicts, as of the
/// calibration end (`settings.calibration_end`, else `as_of`).
pub fn analyse(
    purchases: &[Purchase],
    customers: usize,
    as_of: Day,
    settings: &Settings,
) -> Outcome {
    let end = settings.calibration_end.unwrap_or(as_of);
    let unit = settings.time_unit;
    let summaries = summarise(purchases, customers, end, unit);
    let in_calibration = summaries.customers.iter().flatten().count();
    let repeaters = summaries
        .customers
        .iter()
        .flatten()
        .filter(|s| s.x > 0)
        .count();
    let after_calibration = summaries.last_day.map_or(0, |_| {
        // Customers with purchases, none by the end.
        let with_any = count_with_purchases(purchases, customers);
        with_any.saturating_sub(in_calibration)
    });
    let empty = |w: Warning| Outcome {
        report: None,
        customers: vec![None; customers],
        warnings: vec![w],
    };
    if repeaters < MIN_REPEATERS {
        let reason = if repeaters == 0 {
            "no_repeat_buyers"
        } else {
            "too_few_repeat_buyers"
        };
        return empty(not_identifiable(reason, in_calibration, repeaters));
    }
    let pats = patterns(&summaries.customers);
    let fit = bgnbd::fit(settings.model, &pats);
    let p = fit.params;
    if fit.at_bound || !fit.log_likelihood.is_finite() {
        return empty(not_identifiable(
            "parameter_at_bound",
            in_calibration,
            repeaters,
        ));
    }
    let mut warnings = Vec::new();
    if !fit.converged {
        warnings.push(not_converged(settings.model.name()));
    }

    // Spend: repeat buyers with a positive mean repeat spend.
    let spend_data: Vec<(f64, f64)> = summaries
        .customers
        .iter()
        .flatten()
        .filter_map(|s| {
            s.spend
                .filter(|&m| m > 0.0 && s.x > 0)
                .map(|m| (f64::from(s.x), m))
        })
        .collect();
    let set_aside = repeaters - spend_data.len();
    let spend_fit = (spend_data.len() >= MIN_REPEATERS).then(|| gamma_gamma::fit(&spend_data));
    let spend_fit = match spend_fit {
        Some(f) if !f.at_bound && f.log_likelihood.is_finite() => {
            if f.params.q <= 1.0 {
                warnings.push(spend_heavy_tail(f.params.q));
            }
            if !f.converged {
                warnings.push(not_converged("gammaGamma"));
            }
            Some(f)
        }
        _ => {
            warnings.push(spend_not_fitted(spend_data.len()));
            None
        }
    };

    let horizon = f64::from(settings.horizon);
    // Discount per time unit from the annual rate.
    let per_unit = settings
        .discount_rate
        .map(|d| pow(1.0 + d, unit.days() / 365.2425) - 1.0);
    let expected = |s: &CustomerSummary, t: f64| {
        bgnbd::expected_purchases(settings.model, &p, t, f64::from(s.x), s.tx, s.t)
    };
    let mut bins = [0usize; 10];
    let mut total_expected = 0.0;
    let per_customer: Vec<Option<CustomerClv>> = summaries
        .customers
        .iter()
        .map(|s| {
            let s = s.as_ref()?;
            let x = f64::from(s.x);
            let p_alive = bgnbd::p_alive(settings.model, &p, x, s.tx, s.t);
            let bin = (1..10u8)
                .filter(|&k| p_alive * 10.0 >= f64::from(k))
                .count();
            if let Some(b) = bins.get_mut(bin) {
                *b += 1;
            }
            let expected_orders = expected(s, horizon);
            total_expected += expected_orders.unwrap_or(0.0);
            let expected_spend = spend_fit
                .as_ref()
                .and_then(|f| gamma_gamma::expected_spend(&f.params, x, s.spend.unwrap_or(0.0)));
            let clv = match (expected_spend, per_unit) {
                (Some(m), None) => expected_orders.map(|e| e * m),
                (Some(m), Some(d)) => {
                    discounted(|t| expected(s, t), settings.horizon, d).map(|e| e * m)
                }
                _ => None,
            };
            Some(CustomerClv {
                p_alive,
                expected_orders,
                expected_spend,
                clv,
            })
        })
        .collect();

    let holdout = summaries.last_day.filter(|&last| last > end).map(|last| {
        holdout(
            purchases,
            &summaries.customers,
            end,
            last,
            &expected,
            unit.days(),
        )
    });

    let report = ClvReport {
        model: settings.model.name(),
        time_unit: unit.name(),
        calibration_end: date_of(end).to_string(),
        horizon: settings.horizon,
        discount_rate: settings.discount_rate,
        params: ParamsReport {
            r: p.r,
            alpha: p.alpha,
            a: p.a,
            b: p.b,
        },
        log_likelihood: fit.log_likelihood,
        converged: fit.converged,
        customers: in_calibration,
        repeaters,
        after_calibration,
        p_alive_bins: bins,
        expected_orders: total_expected,
        spend: spend_fit.map(|f| SpendReport {
            model: "gammaGamma",
            params: SpendParamsReport {
                p: f.params.p,
                q: f.params.q,
                v: f.params.v,
            },
            log_likelihood: f.log_likelihood,
            customers: spend_data.len(),
            set_aside,
            converged: f.converged,
        }),
        holdout,
        by_segment: Vec::new(),
        by_tier: Vec::new(),
    };
    Outcome {
        report: Some(report),
        customers: per_customer,
        warnings,
    }
}

fn count_with_purchases(purchases: &[Purchase], customers: usize) -> usize {
    let mut seen = vec![false; customers];
    for p in purchases {
        if let Some(s) = seen.get_mut(p.customer as usize) {
            *s = true;
        }
    }
    seen.iter().filter(|&&s| s).count()
}

/// Σₖ (E(k) − E(k−1)) / (1 + d)^k over k = 1…horizon: each unit's expected purchases discounted
/// to the calibration end.
fn discounted(e: impl Fn(f64) -> Option<f64>, horizon: u32, d: f64) -> Option<f64> {
    let mut sum = 0.0;
    let mut before = 0.0;
    for k in 1..=horizon {
        let now = e(f64::from(k))?;
        sum += (now - before) / pow(1.0 + d, f64::from(k));
        before = now;
    }
    Some(sum)
}

fn holdout(
    purchases: &[Purchase],
    summaries: &[Option<CustomerSummary>],
    end: Day,
    last: Day,
    expected: &dyn Fn(&CustomerSummary, f64) -> Option<f64>,
    unit_days: f64,
) -> Holdout {
    let length = (i64::from(last) - i64::from(end)) as f64 / unit_days;
    let mut by_x: Vec<(usize, u64, f64)> = vec![(0, 0, 0.0); 8];
    let mut actual = 0u64;
    let mut predicted = 0.0;
    for s in summaries.iter().flatten() {
        let e = expected(s, length).unwrap_or(0.0);
        let row = (s.x as usize).min(7);
        if let Some(r) = by_x.get_mut(row) {
            r.0 += 1;
            r.1 += u64::from(s.holdout);
            r.2 += e;
        }
        actual += u64::from(s.holdout);
        predicted += e;
    }
    let by_frequency = by_x
        .iter()
        .enumerate()
        .map(|(x, &(n, a, e))| {
            let mean = |v: f64| if n > 0 { v / n as f64 } else { 0.0 };
            FrequencyRow {
                x: if x == 7 {
                    "7+".to_string()
                } else {
                    x.to_string()
                },
                customers: n,
                actual: mean(a as f64),
                predicted: mean(e),
            }
        })
        .collect();
    Holdout {
        end: date_of(last).to_string(),
        length,
        actual,
        predicted,
        by_frequency,
        tracking: tracking(purchases, summaries, end, length, expected, unit_days),
    }
}

/// The cumulative curves at every time unit of the holdout (or every few, for a long one).
fn tracking(
    purchases: &[Purchase],
    summaries: &[Option<CustomerSummary>],
    end: Day,
    length: f64,
    expected: &dyn Fn(&CustomerSummary, f64) -> Option<f64>,
    unit_days: f64,
) -> Vec<TrackingPoint> {
    let units = length.ceil().max(1.0);
    let step = (units / TRACKING_POINTS).ceil().max(1.0);
    // Holdout purchase days of calibration customers, one per (customer, day).
    let mut days: Vec<(u32, Day)> = purchases
        .iter()
        .filter(|p| p.day > end && matches!(summaries.get(p.customer as usize), Some(Some(_))))
        .map(|p| (p.customer, p.day))
        .collect();
    days.sort_unstable();
    days.dedup();
    let mut offsets: Vec<i64> = days
        .iter()
        .map(|&(_, d)| i64::from(d) - i64::from(end))
        .collect();
    offsets.sort_unstable();
    let mut points = Vec::new();
    let mut k = step;
    loop {
        let t = k.min(length);
        let cutoff = t * unit_days;
        let actual = offsets.partition_point(|&o| o as f64 <= cutoff) as u64;
        let predicted = summaries
            .iter()
            .flatten()
            .map(|s| expected(s, t).unwrap_or(0.0))
            .sum();
        points.push(TrackingPoint {
            t,
            actual,
            predicted,
        });
        if t >= length {
            break;
        }
        k += step;
    }
    points
}

fn not_converged(model: &str) -> Warning {
    Warning::clv_not_converged(model)
}

fn spend_heavy_tail(q: f64) -> Warning {
    Warning::clv_spend_heavy_tail(q)
}

fn spend_not_fitted(customers: usize) -> Warning {
    Warning::clv_spend_not_fitted(customers, MIN_REPEATERS)
}

/// The model used for a name, for callers that hold the report.
pub fn model_of(name: &str) -> Option<Model> {
    match name {
        "bgnbd" => Some(Model::BgNbd),
        "mbgnbd" => Some(Model::MbgNbd),
        _ => None,
    }
}
