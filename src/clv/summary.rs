//! The (x, tₓ, T) summary the models are defined on, from dated purchases (not tierlens' RFM):
//! x = distinct purchase days − 1 up to the calibration end, tₓ = last − first purchase day,
//! T = calibration end − first purchase day, in the time unit; the spend is the mean value of the
//! repeat purchase days (the first day excluded). Days after the calibration end are the holdout.

use std::collections::BTreeMap;

use crate::ingest::values::Day;

use super::{Pattern, Purchase, TimeUnit};

/// One customer's calibration summary and holdout count.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerSummary {
    /// Repeat purchase days in the calibration period.
    pub x: u32,
    /// Last − first purchase day, in the time unit.
    pub tx: f64,
    /// Calibration end − first purchase day, in the time unit.
    pub t: f64,
    /// Mean value of the repeat purchase days (x > 0), before Gamma-Gamma's checks.
    pub spend: Option<f64>,
    /// Distinct purchase days after the calibration end (the holdout).
    pub holdout: u32,
}

/// The summaries by customer index (`None`: no purchase up to the calibration end) and the last
/// purchase day seen.
#[derive(Debug, Clone, PartialEq)]
pub struct Summaries {
    /// Per customer index.
    pub customers: Vec<Option<CustomerSummary>>,
    /// The latest purchase day in the data (any period).
    pub last_day: Option<Day>,
}

/// Summarises `purchases` for customers `0..customers` with the calibration period ending on
/// `end` (inclusive). Purchases of an index ≥ `customers` are ignored (the caller's ids).
pub fn summarise(purchases: &[Purchase], customers: usize, end: Day, unit: TimeUnit) -> Summaries {
    // Value per (customer, day): several orders on one day are one purchase occasion.
    let mut days: Vec<BTreeMap<Day, f64>> = vec![BTreeMap::new(); customers];
    let mut last_day: Option<Day> = None;
    for p in purchases {
        if let Some(map) = days.get_mut(p.customer as usize) {
            *map.entry(p.day).or_insert(0.0) += p.value;
            last_day = Some(last_day.map_or(p.day, |d| d.max(p.day)));
        }
    }
    let scale = unit.days();
    let out = days
        .iter()
        .map(|map| {
            let (&first, _) = map.iter().next()?;
            if first > end {
                return None;
            }
            let calibration: Vec<(Day, f64)> = map.range(..=end).map(|(&d, &v)| (d, v)).collect();
            let last = calibration.last().map_or(first, |&(d, _)| d);
            let x = calibration.len().saturating_sub(1);
            let repeat: Vec<f64> = calibration.iter().skip(1).map(|&(_, v)| v).collect();
            let spend =
                (!repeat.is_empty()).then(|| repeat.iter().sum::<f64>() / repeat.len() as f64);
            let holdout = map.range(end.saturating_add(1)..).count();
            Some(CustomerSummary {
                x: u32::try_from(x).unwrap_or(u32::MAX),
                tx: (i64::from(last) - i64::from(first)) as f64 / scale,
                t: (i64::from(end) - i64::from(first)) as f64 / scale,
                spend,
                holdout: u32::try_from(holdout).unwrap_or(u32::MAX),
            })
        })
        .collect();
    Summaries {
        customers: out,
        last_day,
    }
}

/// The distinct (x, tₓ, T) patterns with their counts, in a fixed order (x, tₓ, T ascending), so
/// the log-likelihood sums in the same order on every platform.
pub fn patterns(summaries: &[Option<CustomerSummary>]) -> Vec<Pattern> {
    let mut counts: BTreeMap<(u32, u64, u64), f64> = BTreeMap::new();
    for s in summaries.iter().flatten() {
        // Non-negative floats order like their bit patterns.
        *counts
            .entry((s.x, s.tx.to_bits(), s.t.to_bits()))
            .or_insert(0.0) += 1.0;
    }
    counts
        .into_iter()
        .map(|((x, tx, t), weight)| Pattern {
            x: f64::from(x),
            tx: f64::from_bits(tx),
            t: f64::from_bits(t),
            weight,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buy(customer: u32, day: Day, value: f64) -> Purchase {
        Purchase {
            customer,
            day,
            value,
        }
    }

    #[test]
    fn counts_days_not_orders_and_splits_the_holdout() {
        // Customer 0: days 0 (two orders), 7, 14, then 30 after the end (day 21).
        let p = [
            buy(0, 0, 10.0),
            buy(0, 0, 5.0),
            buy(0, 7, 20.0),
            buy(0, 14, 40.0),
            buy(0, 30, 1.0),
            buy(1, 28, 3.0),
        ];
        let s = summarise(&p, 2, 21, TimeUnit::Week);
        let c = s.customers[0].clone().unwrap();
        assert_eq!(c.x, 2);
        assert_eq!(c.tx, 2.0);
        assert_eq!(c.t, 3.0);
        assert_eq!(c.spend, Some(30.0));
        assert_eq!(c.holdout, 1);
        // Customer 1's first purchase is after the end: not in the calibration.
        assert_eq!(s.customers[1], None);
        assert_eq!(s.last_day, Some(30));
        let pats = patterns(&s.customers);
        assert_eq!(pats.len(), 1);
        assert_eq!(pats[0].weight, 1.0);
    }
}
