//! A realistic synthetic transactions export, generated deterministically from a seed.
//!
//! It is the page's "Try the sample data" file (generated inside the Wasm module, so nothing is
//! fetched) and the CLI's `tierlens sample`. Customers follow archetypes (loyal, regular, occasional,
//! one-time, churned, new) so every segment is populated; a small share of rows carries the quirks of
//! real exports (returns, missing ids, unreadable dates and amounts, currency-formatted amounts) so the
//! data-quality panel has something to show.

use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

use crate::ingest::values::{date_of, day_of, Day};

/// Header language of the sample.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SampleLanguage {
    /// `order_id,customer_id,order_date,amount,region`.
    #[default]
    En,
    /// `订单编号,客户ID,下单时间,实付金额,地区`.
    Zh,
}

/// Sample settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct SampleOptions {
    /// Number of customers (default 3000).
    pub customers: u32,
    /// Random seed (default 42).
    pub seed: u64,
    /// Header and region language.
    pub language: SampleLanguage,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            customers: 3000,
            seed: 42,
            language: SampleLanguage::En,
        }
    }
}

const REGIONS_ZH: [&str; 7] = ["华东", "华北", "华南", "华中", "西南", "西北", "东北"];
const REGIONS_EN: [&str; 7] = [
    "East",
    "North",
    "South",
    "Central",
    "Southwest",
    "Northwest",
    "Northeast",
];
/// Region weights (sum 100): the east and south coasts dominate, as in most Chinese retail data.
const REGION_WEIGHTS: [u32; 7] = [32, 18, 22, 10, 9, 4, 5];

struct Archetype {
    weight: u32,
    /// Mean orders per year while active.
    rate: f64,
    /// Log-mean of the order amount.
    log_amount: f64,
    /// Active period as fractions of the 2-year window: start range, end range.
    start: (f64, f64),
    end: (f64, f64),
}

const ARCHETYPES: [Archetype; 6] = [
    // loyal, frequent, high spend, still active
    Archetype {
        weight: 8,
        rate: 18.0,
        log_amount: 6.2,
        start: (0.0, 0.4),
        end: (0.97, 1.0),
    },
    // regular, active
    Archetype {
        weight: 20,
        rate: 7.0,
        log_amount: 5.4,
        start: (0.0, 0.6),
        end: (0.85, 1.0),
    },
    // occasional
    Archetype {
        weight: 25,
        rate: 2.5,
        log_amount: 5.0,
        start: (0.0, 0.7),
        end: (0.5, 1.0),
    },
    // one-time buyers
    Archetype {
        weight: 22,
        rate: 0.0,
        log_amount: 4.8,
        start: (0.0, 1.0),
        end: (0.0, 0.0),
    },
    // churned: were good, stopped
    Archetype {
        weight: 12,
        rate: 9.0,
        log_amount: 5.8,
        start: (0.0, 0.3),
        end: (0.35, 0.7),
    },
    // new: first order in the last weeks
    Archetype {
        weight: 13,
        rate: 10.0,
        log_amount: 5.1,
        start: (0.93, 0.995),
        end: (1.0, 1.0),
    },
];

fn pick(rng: &mut Xoshiro256PlusPlus, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut x = rng.gen_range(0..total.max(1));
    for (i, &w) in weights.iter().enumerate() {
        if x < w {
            return i;
        }
        x -= w;
    }
    0
}

fn normal(rng: &mut Xoshiro256PlusPlus) -> f64 {
    // Box–Muller; u1 in (0, 1] so ln is finite.
    let u1: f64 = 1.0 - rng.gen::<f64>();
    let u2: f64 = rng.gen::<f64>();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

fn frac_day(start: Day, span: i32, f: f64) -> Day {
    #[allow(clippy::cast_possible_truncation)]
    let d = (f64::from(span) * f.clamp(0.0, 1.0)).round() as i32;
    start + d
}

/// Generates the sample as UTF-8 CSV text (comma-delimited, LF line ends).
pub fn generate(options: &SampleOptions) -> String {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(options.seed);
    let start = NaiveDate::from_ymd_opt(2023, 1, 1).map_or(19358, day_of);
    let end = NaiveDate::from_ymd_opt(2024, 12, 31).map_or(20088, day_of);
    let span = end - start;
    let (header, regions) = match options.language {
        SampleLanguage::En => ("order_id,customer_id,order_date,amount,region", REGIONS_EN),
        SampleLanguage::Zh => ("订单编号,客户ID,下单时间,实付金额,地区", REGIONS_ZH),
    };
    let weights: Vec<u32> = ARCHETYPES.iter().map(|a| a.weight).collect();
    // (day, line) so the file comes out in date order, like a real export.
    let mut lines: Vec<(Day, String)> = Vec::new();
    let mut order_no: u64 = 100_000;
    for c in 0..options.customers {
        let id = format!("C{:05}", 10_000 + c);
        let a = ARCHETYPES
            .get(pick(&mut rng, &weights))
            .unwrap_or(&ARCHETYPES[0]);
        let region = regions
            .get(pick(&mut rng, &REGION_WEIGHTS))
            .copied()
            .unwrap_or("");
        let s = frac_day(start, span, rng.gen_range(a.start.0..=a.start.1));
        let mut days = vec![s];
        if a.rate > 0.0 {
            let e = frac_day(start, span, rng.gen_range(a.end.0..=a.end.1)).max(s);
            let mean_gap = 365.0 / a.rate;
            let mut d = f64::from(s);
            loop {
                // Exponential gaps with a floor of one day.
                let u: f64 = 1.0 - rng.gen::<f64>();
                d += (-u.ln() * mean_gap).max(1.0);
                if d > f64::from(e) {
                    break;
                }
                #[allow(clippy::cast_possible_truncation)]
                days.push(d as Day);
            }
        }
        let personal = normal(&mut rng) * 0.35;
        for day in days {
            order_no += 1;
            let amount = (a.log_amount + personal + normal(&mut rng) * 0.55).exp();
            let amount = (amount * 100.0).round() / 100.0;
            let date = date_of(day);
            let q: f64 = rng.gen();
            let amount_cell = if q < 0.05 {
                // Currency-formatted amounts, as some CRM exports write them.
                format!("\"¥{}\"", group_thousands(amount))
            } else {
                format!("{amount:.2}")
            };
            lines.push((
                day,
                format!("SO{order_no},{id},{date},{amount_cell},{region}"),
            ));
            if q > 0.97 {
                // A partial return a few days later.
                let back = (amount * rng.gen_range(0.2..1.0) * 100.0).round() / 100.0;
                let rday = (day + rng.gen_range(2..15)).min(end);
                order_no += 1;
                lines.push((
                    rday,
                    format!("RT{order_no},{id},{},-{back:.2},{region}", date_of(rday)),
                ));
            }
        }
    }
    // A few rows with the faults real exports have.
    let n = lines.len();
    for k in 0..(n / 400).max(3) {
        let day = frac_day(start, span, rng.gen::<f64>());
        let date = date_of(day);
        order_no += 1;
        let line = match k % 3 {
            0 => format!(
                "SO{order_no},,{date},88.00,{}",
                regions.first().copied().unwrap_or("")
            ),
            1 => format!(
                "SO{order_no},C{:05},{},120.00,{}",
                10_000 + k,
                "2024-02-30",
                regions.get(1).copied().unwrap_or("")
            ),
            _ => format!(
                "SO{order_no},C{:05},{date},N/A,{}",
                10_000 + k,
                regions.get(2).copied().unwrap_or("")
            ),
        };
        lines.push((day, line));
    }
    lines.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let mut out = String::with_capacity(lines.len() * 48 + 64);
    out.push_str(header);
    out.push('\n');
    for (_, l) in lines {
        out.push_str(&l);
        out.push('\n');
    }
    out
}

fn group_thousands(v: f64) -> String {
    let s = format!("{v:.2}");
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{grouped}.{frac}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_is_deterministic_and_sized() {
        let a = generate(&SampleOptions::default());
        let b = generate(&SampleOptions::default());
        assert_eq!(a, b);
        let other = generate(&SampleOptions {
            seed: 7,
            ..SampleOptions::default()
        });
        assert_ne!(a, other);
        let ids: std::collections::BTreeSet<&str> = a
            .lines()
            .skip(1)
            .filter_map(|l| l.split(',').nth(1))
            .filter(|s| !s.is_empty())
            .collect();
        assert!(ids.len() >= 2900 && ids.len() <= 3000, "{}", ids.len());
        assert!(a.starts_with("order_id,customer_id,order_date,amount,region\n"));
        let zh = generate(&SampleOptions {
            language: SampleLanguage::Zh,
            ..SampleOptions::default()
        });
        assert!(zh.starts_with("订单编号,客户ID"));
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands(1234567.5), "1,234,567.50");
        assert_eq!(group_thousands(12.0), "12.00");
    }
}
