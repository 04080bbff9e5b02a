//! The CDNOW sample (tests/fixtures/cdnow, MIT licence of `lifetimes`) as purchases, and the
//! native-vs-Wasm texts of the CLV figures, written by one piece of code for both sides and compared
//! with golden files: `tests/clv.rs` and `tests/clv_pipeline.rs` natively (with `TIERLENS_BLESS=1`
//! they write them), `tests/clv_wasm.rs` on wasm32 against the same files embedded here.

#![allow(dead_code)]

use chrono::NaiveDate;
use tierlens::clv::{analyse, Purchase, Settings};
use tierlens::ingest::values::{day_of, Day};

/// `CDNOW_sample.txt`: original id, sample id (1…2357), date YYYYMMDD, CDs, dollar value.
pub const SAMPLE: &str = include_str!("../fixtures/cdnow/CDNOW_sample.txt");

/// Customers in the sample.
pub const CUSTOMERS: usize = 2357;

/// A day from its date.
pub fn day(y: i32, m: u32, d: u32) -> Day {
    day_of(NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

/// The 39-week calibration end of the literature.
pub fn calibration_end() -> Day {
    day(1997, 9, 30)
}

/// The sample's purchases, customer index = sample id − 1.
pub fn purchases() -> Vec<Purchase> {
    SAMPLE
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let id: u32 = f[1].parse().unwrap();
            let date = NaiveDate::parse_from_str(f[2], "%Y%m%d").unwrap();
            Purchase {
                customer: id - 1,
                day: day_of(date),
                value: f[4].parse().unwrap(),
            }
        })
        .collect()
}

/// The golden CLV text of [`clv_text`], embedded so the Wasm test (no file system) compares too.
pub const CLV_GOLDEN: &str = include_str!("../golden/cdnow-clv.txt");

/// `v` as its bit pattern and its shortest round-trip decimal (the bits must be equal; the
/// decimal is for the reader of a diff).
pub fn bits(v: f64) -> String {
    format!("{:#018x} {v:?}", v.to_bits())
}

/// A figure as its shortest round-trip decimal (`{:?}` reads back to the same bits), `none` when
/// missing.
fn figure(v: Option<f64>) -> String {
    v.map_or_else(|| "none".to_string(), |v| format!("{v:?}"))
}

/// Every fitted parameter and log-likelihood (bits and value), then every customer's four figures
/// (BG/NBD, weeks, 39-week calibration, 10 % discount), one customer a line.
pub fn clv_text() -> String {
    let settings = Settings {
        calibration_end: Some(calibration_end()),
        discount_rate: Some(0.1),
        ..Settings::default()
    };
    let out = analyse(&purchases(), CUSTOMERS, calibration_end(), &settings);
    let report = out.report.unwrap();
    let spend = report.spend.as_ref().unwrap();
    let mut text = String::from(
        "# BG/NBD + Gamma-Gamma on CDNOW, calibration 1997-09-30, 10 % discount (tests/common/clv_cdnow.rs)\n",
    );
    for (name, v) in [
        ("bgnbd r", report.params.r),
        ("bgnbd alpha", report.params.alpha),
        ("bgnbd a", report.params.a),
        ("bgnbd b", report.params.b),
        ("bgnbd log_likelihood", report.log_likelihood),
        ("spend p", spend.params.p),
        ("spend q", spend.params.q),
        ("spend v", spend.params.v),
        ("spend log_likelihood", spend.log_likelihood),
    ] {
        text.push_str(&format!("{name} {}\n", bits(v)));
    }
    text.push_str("customer p_alive expected_orders expected_spend clv\n");
    for (i, c) in out.customers.iter().enumerate() {
        if let Some(c) = c {
            text.push_str(&format!(
                "{} {} {} {} {}\n",
                i + 1,
                figure(Some(c.p_alive)),
                figure(c.expected_orders),
                figure(c.expected_spend),
                figure(c.clv)
            ));
        }
    }
    text
}

/// The CDNOW sample as a CSV tierlens reads: sample id, ISO date, dollar value.
pub fn csv() -> String {
    let mut out = String::from("customer_id,date,amount\n");
    for line in SAMPLE.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 5 {
            continue;
        }
        let d = f[2];
        out.push_str(&format!(
            "{},{}-{}-{},{}\n",
            f[1].trim_start_matches('0'),
            &d[..4],
            &d[4..6],
            &d[6..],
            f[4]
        ));
    }
    out
}

/// The recipe of the pipeline golden files: the 39-week calibration, 10 % discount, no clusters.
pub const PIPELINE_RECIPE: &str = r#"{"cluster": {"enabled": false}, "explain": {"enabled": false},
  "clv": {"calibrationEnd": "1997-09-30", "horizon": 39, "discountRate": 0.1}}"#;

/// The golden customers.csv of the pipeline on CDNOW with [`PIPELINE_RECIPE`], natively
/// (`tests/clv_pipeline.rs` writes it with `TIERLENS_BLESS=1`); the Wasm package must give the same.
pub const PIPELINE_CSV_GOLDEN: &str = include_str!("../golden/cdnow-customers.csv");

/// The golden text of the pipeline's four CLV arrays on CDNOW ([`figures_text`]).
pub const PIPELINE_FIGURES_GOLDEN: &str = include_str!("../golden/cdnow-clv-figures.txt");

/// Four per-customer arrays (P(alive), expected orders, expected spend, CLV), one customer a line
/// (numbered by its row in customers.csv),
/// each figure as its shortest round-trip decimal (`none`: missing).
pub fn figures_text(arrays: &[Vec<Option<f64>>; 4]) -> String {
    let mut text = String::from("row p_alive expected_orders expected_spend clv\n");
    let n = arrays.iter().map(Vec::len).max().unwrap_or(0);
    for i in 0..n {
        let row: Vec<String> = arrays
            .iter()
            .map(|a| figure(a.get(i).copied().flatten()))
            .collect();
        text.push_str(&format!("{} {}\n", i + 1, row.join(" ")));
    }
    text
}
