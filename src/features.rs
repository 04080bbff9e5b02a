//! Per-customer aggregation: transactions in, one row of metrics per customer out.
//!
//! Metric definitions (DOMAIN.md §2), relative to the analysis date `as_of`:
//! - an *order* is a distinct order id of the customer, or, without an order-id column, a distinct
//!   purchase day (all rows of one customer on one day are one order);
//! - an order whose rows net to a negative amount is a pure return/cancellation: it is not counted as an
//!   order, but its amount is still subtracted from monetary;
//! - **recency** = days from the latest counted order to `as_of` (default `as_of` = the day after the
//!   latest date in the data, so the most recent buyer has recency 1);
//! - **frequency** = counted orders; **monetary** = net sum of all used rows; **aov** = monetary / frequency;
//! - **tenure** = days from the first counted order to `as_of`; gaps are between consecutive order days.
//!
//! Amounts are summed as integer micro-units, so totals do not depend on row order (float addition is
//! not associative) and are identical natively and in Wasm.

use rustc_hash::{FxHashMap, FxHasher};
use serde::Serialize;
use std::hash::Hasher;

use crate::clean::Transaction;
use crate::ingest::values::Day;

/// Money as integer millionths, for order-independent exact sums.
type Micros = i64;

fn to_micros(v: f64) -> Micros {
    // Saturating float→int conversion is what `as` does; amounts beyond ±9e12 are not real orders.
    #[allow(clippy::cast_possible_truncation)]
    let m = (v * 1e6).round() as i64;
    m
}

fn from_micros(m: Micros) -> f64 {
    // i64 → f64 loses precision only beyond 2^53 micro-units (9e9 currency units per customer).
    #[allow(clippy::cast_precision_loss)]
    let v = m as f64 / 1e6;
    v
}

#[derive(Debug, Clone)]
struct Acc {
    id: Box<str>,
    first_day: Day,
    last_day: Day,
    monetary: Micros,
    lines: u32,
    region: Option<(Day, Box<str>)>,
}

#[derive(Debug, Clone, Copy)]
struct OrderAcc {
    day: Day,
    net: Micros,
}

/// Accumulates transactions per customer; memory follows customers and orders, not rows.
#[derive(Debug, Default)]
pub struct Aggregator {
    index: FxHashMap<Box<str>, u32>,
    accs: Vec<Acc>,
    orders: FxHashMap<(u32, u64), OrderAcc>,
    latest: Option<Day>,
}

/// Per-customer metrics, one entry per customer in every vector, customers sorted by id.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Customers {
    /// Customer ids, sorted (byte order) — the order every per-customer output follows.
    pub ids: Vec<String>,
    /// Days from the latest order to `as_of`.
    pub recency_days: Vec<i32>,
    /// Counted orders.
    pub frequency: Vec<u32>,
    /// Net spend.
    pub monetary: Vec<f64>,
    /// Average order value (monetary / frequency; 0 without orders).
    pub aov: Vec<f64>,
    /// Days from the first order to `as_of`.
    pub tenure_days: Vec<i32>,
    /// Mean days between consecutive orders (`None` with fewer than two orders).
    pub mean_gap_days: Vec<Option<f64>>,
    /// Longest gap between consecutive order days (`None` with fewer than two orders).
    pub max_gap_days: Vec<Option<i32>>,
    /// 80th percentile of the gaps between consecutive order days (`None` with fewer than two orders).
    pub p80_gap_days: Vec<Option<f64>>,
    /// Day of the first order.
    pub first_day: Vec<Day>,
    /// Day of the latest order.
    pub last_day: Vec<Day>,
    /// Region of the customer's latest row that had one.
    pub region: Vec<Option<String>>,
    /// The analysis date used.
    pub as_of: Day,
}

impl Customers {
    /// Number of customers.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when there are no customers.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

fn order_key(order: Option<&str>, day: Day) -> u64 {
    match order {
        Some(id) => {
            let mut h = FxHasher::default();
            h.write(id.as_bytes());
            // Tag so an id hash never equals a day key.
            h.finish() | (1 << 63)
        }
        None => u64::from(day.cast_unsigned()),
    }
}

impl Aggregator {
    /// An empty aggregator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one cleaned transaction.
    pub fn add(&mut self, t: &Transaction<'_>) {
        let next = u32::try_from(self.accs.len()).unwrap_or(u32::MAX);
        let ix = *self.index.entry(Box::from(t.customer)).or_insert(next);
        if ix == next {
            self.accs.push(Acc {
                id: Box::from(t.customer),
                first_day: t.day,
                last_day: t.day,
                monetary: 0,
                lines: 0,
                region: None,
            });
        }
        let micros = to_micros(t.amount);
        if let Some(acc) = self.accs.get_mut(ix as usize) {
            acc.first_day = acc.first_day.min(t.day);
            acc.last_day = acc.last_day.max(t.day);
            acc.monetary = acc.monetary.saturating_add(micros);
            acc.lines += 1;
            if let Some(region) = t.region {
                // Latest date wins; on the same date the smaller name, so row order never matters.
                let replace = match &acc.region {
                    None => true,
                    Some((d, r)) => t.day > *d || (t.day == *d && region < &**r),
                };
                if replace {
                    acc.region = Some((t.day, Box::from(region)));
                }
            }
        }
        let order = self
            .orders
            .entry((ix, order_key(t.order, t.day)))
            .or_insert(OrderAcc { day: t.day, net: 0 });
        order.day = order.day.min(t.day);
        order.net = order.net.saturating_add(micros);
        self.latest = Some(self.latest.map_or(t.day, |l| l.max(t.day)));
    }

    /// Customers seen so far.
    pub fn customers(&self) -> usize {
        self.accs.len()
    }

    /// The latest transaction date seen.
    pub fn latest_day(&self) -> Option<Day> {
        self.latest
    }

    /// Computes the per-customer metrics. `as_of` defaults to the day after the latest date.
    pub fn finish(&self, as_of: Option<Day>) -> Customers {
        let as_of = as_of.unwrap_or_else(|| self.latest.map_or(0, |d| d + 1));
        let mut days: Vec<Vec<Day>> = vec![Vec::new(); self.accs.len()];
        for (&(ix, _), order) in &self.orders {
            if order.net > 0 {
                if let Some(v) = days.get_mut(ix as usize) {
                    v.push(order.day);
                }
            }
        }
        let mut perm: Vec<usize> = (0..self.accs.len()).collect();
        perm.sort_by(|&a, &b| {
            let ia = self.accs.get(a).map(|x| &x.id);
            let ib = self.accs.get(b).map(|x| &x.id);
            ia.cmp(&ib)
        });
        let mut out = Customers {
            as_of,
            ..Customers::default()
        };
        for ix in perm {
            let (Some(acc), Some(order_days)) = (self.accs.get(ix), days.get_mut(ix)) else {
                continue;
            };
            order_days.sort_unstable();
            let frequency = u32::try_from(order_days.len()).unwrap_or(u32::MAX);
            let first = order_days.first().copied().unwrap_or(acc.first_day);
            let last = order_days.last().copied().unwrap_or(acc.last_day);
            let monetary = from_micros(acc.monetary);
            let gaps: Vec<i32> = order_days
                .windows(2)
                .map(|w| w.get(1).zip(w.first()).map_or(0, |(b, a)| b - a))
                .collect();
            out.ids.push(acc.id.to_string());
            out.recency_days.push(as_of - last);
            out.frequency.push(frequency);
            out.monetary.push(monetary);
            out.aov.push(if frequency > 0 {
                monetary / f64::from(frequency)
            } else {
                0.0
            });
            out.tenure_days.push(as_of - first);
            out.mean_gap_days.push(if gaps.is_empty() {
                None
            } else {
                Some(f64::from(last - first) / f64::from(frequency - 1))
            });
            out.max_gap_days.push(gaps.iter().copied().max());
            out.p80_gap_days.push(percentile_sorted(&sorted(gaps), 0.8));
            out.first_day.push(first);
            out.last_day.push(last);
            out.region
                .push(acc.region.as_ref().map(|(_, r)| r.to_string()));
        }
        out
    }
}

fn sorted(mut v: Vec<i32>) -> Vec<i32> {
    v.sort_unstable();
    v
}

/// Linear-interpolation percentile (type 7, as numpy's default) of sorted values.
fn percentile_sorted(v: &[i32], p: f64) -> Option<f64> {
    let n = v.len();
    if n == 0 {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    let h = (n - 1) as f64 * p;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let lo = h.floor() as usize;
    let frac = h - h.floor();
    let a = f64::from(*v.get(lo)?);
    let b = f64::from(*v.get(lo + 1).unwrap_or(v.get(lo)?));
    Some(a + (b - a) * frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t<'a>(customer: &'a str, order: Option<&'a str>, day: Day, amount: f64) -> Transaction<'a> {
        Transaction {
            row: 0,
            customer,
            order,
            day,
            amount,
            region: None,
        }
    }

    #[test]
    fn frequency_counts_distinct_orders_or_days() {
        let mut a = Aggregator::new();
        a.add(&t("A", Some("o1"), 10, 5.0));
        a.add(&t("A", Some("o1"), 10, 5.0)); // second line of the same order
        a.add(&t("A", Some("o2"), 20, 10.0));
        a.add(&t("A", Some("c3"), 21, -4.0)); // a return: not an order, still netted
        let c = a.finish(None);
        assert_eq!(c.ids, vec!["A"]);
        assert_eq!(c.frequency, vec![2]);
        assert_eq!(c.monetary, vec![16.0]);
        assert_eq!(c.as_of, 22);
        assert_eq!(c.recency_days, vec![2]); // latest counted order is day 20
        assert_eq!(c.tenure_days, vec![12]);
        assert_eq!(c.mean_gap_days, vec![Some(10.0)]);

        let mut a = Aggregator::new();
        a.add(&t("B", None, 3, 1.0));
        a.add(&t("B", None, 3, 2.0));
        a.add(&t("B", None, 4, 3.0));
        let c = a.finish(Some(10));
        assert_eq!(c.frequency, vec![2]);
        assert_eq!(c.recency_days, vec![6]);
        assert_eq!(c.aov, vec![3.0]);
    }

    #[test]
    fn customers_come_out_sorted_and_sums_ignore_row_order() {
        let rows = [("b", 1, 0.1), ("a", 2, 0.2), ("b", 3, 0.7), ("a", 1, 1e-7)];
        let mut fwd = Aggregator::new();
        rows.iter()
            .for_each(|&(c, d, v)| fwd.add(&t(c, None, d, v)));
        let mut rev = Aggregator::new();
        rows.iter()
            .rev()
            .for_each(|&(c, d, v)| rev.add(&t(c, None, d, v)));
        assert_eq!(fwd.finish(None), rev.finish(None));
        assert_eq!(fwd.finish(None).ids, vec!["a", "b"]);
    }

    #[test]
    fn percentile_matches_numpy_default() {
        assert_eq!(percentile_sorted(&[10, 20, 30, 40, 50], 0.8), Some(42.0));
        assert_eq!(percentile_sorted(&[7], 0.8), Some(7.0));
        assert_eq!(percentile_sorted(&[], 0.8), None);
    }
}
