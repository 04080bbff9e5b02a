//! The CDNOW sample (tests/fixtures/cdnow, MIT licence of `lifetimes`) as purchases, and the
//! native-vs-Wasm fingerprint of the CLV figures, computed by one piece of code for both sides:
//! `tests/clv.rs` asserts it natively, `tests/clv_wasm.rs` on wasm32.

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

/// [`fingerprint`] as computed natively (`cargo test --test clv`).
pub const FINGERPRINT: u64 = 589_031_610_604_092_183;

/// FNV-1a over the bits of every fitted parameter, the log-likelihoods and every customer's four
/// figures (BG/NBD, weeks, 39-week calibration, 10 % discount).
pub fn fingerprint() -> u64 {
    let settings = Settings {
        calibration_end: Some(calibration_end()),
        discount_rate: Some(0.1),
        ..Settings::default()
    };
    let out = analyse(&purchases(), CUSTOMERS, calibration_end(), &settings);
    let report = out.report.unwrap();
    let spend = report.spend.as_ref().unwrap();
    let mut bits = vec![
        report.params.r,
        report.params.alpha,
        report.params.a,
        report.params.b,
        report.log_likelihood,
        spend.params.p,
        spend.params.q,
        spend.params.v,
        spend.log_likelihood,
    ];
    for c in out.customers.iter().flatten() {
        bits.push(c.p_alive);
        bits.extend([c.expected_orders, c.expected_spend, c.clv].map(|v| v.unwrap_or(-1.0)));
    }
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bits {
        for byte in b.to_bits().to_le_bytes() {
            h ^= u64::from(byte);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
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

/// The recipe of the pipeline fingerprint: the 39-week calibration, 10 % discount, no clusters.
pub const PIPELINE_RECIPE: &str = r#"{"cluster": {"enabled": false}, "explain": {"enabled": false},
  "clv": {"calibrationEnd": "1997-09-30", "horizon": 39, "discountRate": 0.1}}"#;

/// [`fnv`] of the pipeline's customers.csv and of its four CLV arrays on CDNOW, natively
/// (`cargo test --test clv_pipeline`); the Wasm package must give the same.
pub const PIPELINE_FINGERPRINT: (u64, u64) = (15_917_801_239_996_527_138, 485_141_078_299_054_691);

/// FNV-1a over bytes.
pub fn fnv(bytes: impl IntoIterator<Item = u8>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// [`fnv`] over the bits of four per-customer arrays (a missing figure hashes as −1).
pub fn figures_fnv(arrays: &[Vec<Option<f64>>]) -> u64 {
    fnv(arrays
        .iter()
        .flatten()
        .flat_map(|v| v.unwrap_or(-1.0).to_bits().to_le_bytes()))
}
