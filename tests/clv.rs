//! P(alive), expected purchases and CLV (issue 14 part 1) against published and independent
//! figures. Oracles: the BG/NBD paper's and `lifetimes`' CDNOW estimates (Fader, Hardie & Lee 2005;
//! lifetimes' test suite and docs), and tests/oracle/clv_oracle.py (plain Python, the unsimplified
//! published formulas) for the per-customer values and the holdout count.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[path = "common/clv_cdnow.rs"]
mod cdnow;
#[path = "common/golden.rs"]
mod golden;

use tierlens::clv::bgnbd::{self, expected_purchases, fit, log_likelihood, p_alive};
use tierlens::clv::summary::{patterns, summarise};
use tierlens::clv::{analyse, Model, Params, Pattern, Purchase, Settings, TimeUnit};

const PUBLISHED: Params = Params {
    r: 0.243,
    alpha: 4.414,
    a: 0.793,
    b: 2.426,
};

fn close(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: {got} vs {want} (±{tol})"
    );
}

/// The lifetimes summary file (`ID, frequency, recency, T`, weeks, two decimals) as patterns.
fn summary_file_patterns() -> Vec<Pattern> {
    let text = include_str!("fixtures/cdnow/cdnow_customers_summary.csv");
    let rows: Vec<Pattern> = text
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<f64> = l.split(',').map(|v| v.parse().unwrap()).collect();
            Pattern {
                x: f[1],
                tx: f[2],
                t: f[3],
                weight: 1.0,
            }
        })
        .collect();
    rows
}

#[test]
fn log_likelihood_at_the_published_parameters_matches_the_oracle() {
    // clv_oracle.py: −9582.426831182353 (per-customer sum, no log-sum-exp).
    let ll = log_likelihood(Model::BgNbd, &PUBLISHED, &summary_file_patterns());
    close(ll, -9582.426831182353, 1e-6, "ll");
}

#[test]
fn bgnbd_fit_on_the_cdnow_summary_reproduces_the_paper() {
    let f = fit(Model::BgNbd, &summary_file_patterns());
    assert!(f.converged && !f.at_bound);
    let p = f.params;
    close(p.r, 0.243, 5e-4, "r");
    close(p.alpha, 4.414, 5e-4, "alpha");
    close(p.a, 0.793, 5e-4, "a");
    close(p.b, 2.426, 5e-4, "b");
    // lifetimes: −9582.429 (its optimiser stops at tol 1e-6); the maximum is at or above it.
    close(f.log_likelihood, -9582.429, 5e-3, "ll");
    assert!(f.log_likelihood >= -9582.43);
}

#[test]
fn summary_from_transactions_equals_the_published_summary() {
    let s = summarise(
        &cdnow::purchases(),
        cdnow::CUSTOMERS,
        cdnow::calibration_end(),
        TimeUnit::Week,
    );
    let published = summary_file_patterns();
    assert_eq!(s.customers.len(), published.len());
    for (i, (ours, theirs)) in s.customers.iter().zip(&published).enumerate() {
        let ours = ours.as_ref().unwrap();
        assert_eq!(f64::from(ours.x), theirs.x, "customer {}", i + 1);
        close(ours.tx, theirs.tx, 0.006, "recency");
        close(ours.t, theirs.t, 0.006, "T");
    }
}

#[test]
fn conditional_expectation_and_p_alive_match_the_oracle() {
    // Hardie's spreadsheet / lifetimes' test: x = 2, tₓ = 30.43, T = 38.86, t = 39 → 1.226.
    let e = expected_purchases(Model::BgNbd, &PUBLISHED, 39.0, 2.0, 30.43, 38.86).unwrap();
    close(e, 1.226028174767135, 1e-9, "E[Y(39)]");
    close(e, 1.226, 5e-4, "E[Y(39)] published");
    let e = expected_purchases(Model::BgNbd, &PUBLISHED, 52.0, 7.0, 35.0, 38.0).unwrap();
    close(e, 5.728681664346094, 1e-9, "E[Y(52)] x=7");
    let e = expected_purchases(Model::BgNbd, &PUBLISHED, 52.0, 0.0, 0.0, 38.86).unwrap();
    close(e, 0.2520730222824504, 1e-9, "E[Y(52)] x=0");
    for (x, tx, t, want) in [
        (2.0, 30.43, 38.86, 0.726578570080673),
        (23.0, 39.0, 39.0, 0.968555454221024),
        (5.0, 30.0, 39.0, 0.7056268471578602),
        (20.0, 30.0, 39.0, 0.1968204444670386),
    ] {
        close(
            p_alive(Model::BgNbd, &PUBLISHED, x, tx, t),
            want,
            1e-12,
            "P(alive)",
        );
    }
    // BG/NBD: a customer with no repeat purchase is alive for sure (DOMAIN.md §7); MBG/NBD not.
    assert_eq!(p_alive(Model::BgNbd, &PUBLISHED, 0.0, 0.0, 30.0), 1.0);
    assert!(p_alive(Model::MbgNbd, &PUBLISHED, 0.0, 0.0, 30.0) < 1.0);
}

#[test]
fn unconditional_expectation_matches_hardies_sheet() {
    // lifetimes' test_expectation_returns_same_value_Hardie_excel_sheet (3 decimals), at the
    // parameters fitted on the summary file (as that test does; the rounded ones miss by 0.0015).
    let fitted = fit(Model::BgNbd, &summary_file_patterns()).params;
    for (t, want) in [
        (0.1429, 0.0078),
        (1.0, 0.0532),
        (3.0, 0.1506),
        (31.8571, 1.0405),
        (32.0, 1.0437),
        (78.0, 1.8576),
    ] {
        let got = bgnbd::expected_purchases_new(&fitted, t).unwrap();
        close(got, want, 5e-4, "E[X(t)]");
    }
}

fn cdnow_outcome(settings: &Settings) -> tierlens::clv::Outcome {
    analyse(
        &cdnow::purchases(),
        cdnow::CUSTOMERS,
        cdnow::calibration_end(),
        settings,
    )
}

#[test]
fn gamma_gamma_on_cdnow_reproduces_the_published_fit() {
    let out = cdnow_outcome(&Settings {
        calibration_end: Some(cdnow::calibration_end()),
        ..Settings::default()
    });
    let report = out.report.unwrap();
    let spend = report.spend.unwrap();
    // Fader, Hardie & Lee (2005, "RFM and CLV") / lifetimes' docs: p 6.25, q 3.74, v 15.44.
    close(spend.params.p, 6.25, 0.01, "p");
    close(spend.params.q, 3.74, 0.01, "q");
    close(spend.params.v, 15.44, 0.02, "v");
    assert_eq!(spend.customers, 946);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
}

#[test]
fn holdout_report_on_cdnow() {
    let out = cdnow_outcome(&Settings {
        calibration_end: Some(cdnow::calibration_end()),
        ..Settings::default()
    });
    let report = out.report.unwrap();
    assert_eq!(report.customers, 2357);
    assert_eq!(report.repeaters, 946);
    let h = report.holdout.unwrap();
    assert_eq!(h.end, "1998-06-30");
    close(h.length, 39.0, 1e-12, "holdout weeks");
    // clv_oracle.py counts 1882 repeat purchase days after 1997-09-30.
    assert_eq!(h.actual, 1882);
    // clv_oracle.py: Σ conditional expectations over the 39 holdout weeks at the published
    // parameters = 1653.948 (our fit's parameters differ in the fourth digit). The model
    // under-predicts this sample's holdout repeat days by about 12 %; the report shows it.
    assert!(
        (h.predicted / 1653.948 - 1.0).abs() < 0.005,
        "{}",
        h.predicted
    );
    let last = h.tracking.last().unwrap();
    assert_eq!(last.actual, 1882);
    close(last.predicted, h.predicted, 1e-9, "tracking end");
    assert_eq!(h.tracking.len(), 39);
    let by_x: usize = h.by_frequency.iter().map(|r| r.customers).sum();
    assert_eq!(by_x, 2357);
    assert_eq!(h.by_frequency[0].customers, 2357 - 946);
}

#[test]
fn time_unit_only_rescales_alpha() {
    let weeks = cdnow_outcome(&Settings {
        calibration_end: Some(cdnow::calibration_end()),
        ..Settings::default()
    })
    .report
    .unwrap()
    .params;
    let days = cdnow_outcome(&Settings {
        calibration_end: Some(cdnow::calibration_end()),
        time_unit: TimeUnit::Day,
        horizon: 364,
        ..Settings::default()
    })
    .report
    .unwrap()
    .params;
    close(days.r, weeks.r, 1e-5, "r");
    close(days.a, weeks.a, 1e-5, "a");
    close(days.b, weeks.b, 1e-4, "b");
    close(days.alpha / 7.0, weeks.alpha, 1e-4, "alpha");
}

#[test]
fn p_alive_and_expectations_stay_in_range_on_extreme_patterns() {
    let params = [
        PUBLISHED,
        Params {
            r: 1e-6,
            alpha: 1e-6,
            a: 1e-6,
            b: 1e6,
        },
        Params {
            r: 1e4,
            alpha: 1e6,
            a: 50.0,
            b: 1e-4,
        },
    ];
    let xs = [0.0, 1.0, 5.0, 100.0, 10_000.0];
    let ts = [0.0, 1e-6, 1.0, 39.0, 1e4];
    for model in [Model::BgNbd, Model::MbgNbd] {
        for p in &params {
            for &x in &xs {
                for &t in &ts {
                    for frac in [0.0, 0.5, 1.0] {
                        let tx = t * frac;
                        let pa = p_alive(model, p, x, tx, t);
                        assert!(
                            (0.0..=1.0).contains(&pa),
                            "{model:?} {p:?} {x} {tx} {t}: {pa}"
                        );
                        if let Some(e) = expected_purchases(model, p, 52.0, x, tx, t) {
                            assert!(e.is_finite() && e >= 0.0, "{e}");
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn one_time_buyers_only_give_the_code_and_no_figures() {
    let purchases: Vec<Purchase> = (0..50)
        .map(|i| Purchase {
            customer: i,
            day: i as i32,
            value: 10.0,
        })
        .collect();
    let out = analyse(&purchases, 50, 100, &Settings::default());
    assert!(out.report.is_none());
    assert!(out.customers.iter().all(Option::is_none));
    assert_eq!(out.warnings.len(), 1);
    assert_eq!(out.warnings[0].code, "clv_not_identifiable");
    assert_eq!(out.warnings[0].params["reason"], "no_repeat_buyers");
}

#[test]
fn a_few_repeat_buyers_give_the_code() {
    let mut purchases: Vec<Purchase> = (0..50)
        .map(|i| Purchase {
            customer: i,
            day: 0,
            value: 10.0,
        })
        .collect();
    purchases.extend((0..3).map(|i| Purchase {
        customer: i,
        day: 20,
        value: 5.0,
    }));
    let out = analyse(&purchases, 50, 100, &Settings::default());
    assert!(out.report.is_none());
    assert_eq!(out.warnings[0].params["reason"], "too_few_repeat_buyers");
}

#[test]
fn every_figure_is_finite_and_clv_needs_spend() {
    let out = cdnow_outcome(&Settings {
        calibration_end: Some(cdnow::calibration_end()),
        discount_rate: Some(0.1),
        model: Model::MbgNbd,
        ..Settings::default()
    });
    assert!(out.report.is_some());
    for c in out.customers.iter().flatten() {
        assert!((0.0..=1.0).contains(&c.p_alive));
        let e = c.expected_orders.unwrap();
        assert!(e.is_finite() && e >= 0.0);
        let clv = c.clv.unwrap();
        // Discounting only lowers the value.
        assert!(clv.is_finite() && clv <= e * c.expected_spend.unwrap() + 1e-9);
    }
}

#[test]
fn figures_match_the_golden_file() {
    // tests/clv_wasm.rs compares the same file on wasm32: the fit has the same bits there.
    golden::check(
        "cdnow-clv.txt",
        cdnow::CLV_GOLDEN,
        &cdnow::clv_text(),
        "clv",
    );
}

#[test]
fn patterns_are_weighted_and_sorted() {
    let s = summarise(
        &cdnow::purchases(),
        cdnow::CUSTOMERS,
        cdnow::calibration_end(),
        TimeUnit::Week,
    );
    let p = patterns(&s.customers);
    let total: f64 = p.iter().map(|q| q.weight).sum();
    assert_eq!(total, 2357.0);
    assert!(p.len() < 2357);
}
