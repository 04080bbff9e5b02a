//! The end of aggregation: [`Aggregator::seal`] keeps each customer's counted order days and frees
//! the order table; [`Aggregator::finish`] computes the per-customer metrics from them.
//!
//! At 600k customers `finish` runs once per customer, so it allocates only what it returns: the
//! order days are one flat array with offsets (not a vector per customer), and the gaps of each
//! customer go through one reused buffer.

use super::{counted, from_micros, Acc, Aggregator, AttrValue, Attribute, AttributeValues};
use super::{AttributeKind, Customers, Profile};
use crate::ingest::values::Day;

/// The sorted days of each customer's counted orders: customer `ix` has
/// `days[starts[ix]..starts[ix + 1]]`.
#[derive(Debug, Clone, Default)]
pub(super) struct OrderDays {
    starts: Vec<usize>,
    days: Vec<Day>,
}

impl OrderDays {
    /// The sorted counted order days of customer `ix` (empty when it has none).
    fn of(&self, ix: usize) -> &[Day] {
        match (self.starts.get(ix), self.starts.get(ix + 1)) {
            (Some(&a), Some(&b)) => self.days.get(a..b).unwrap_or_default(),
            _ => &[],
        }
    }
}

impl Aggregator {
    /// Ends the input: keeps the days of each customer's counted orders and frees the order
    /// table, which is by far the largest part of a load (24 bytes and more per order, against 4
    /// per counted order). Rows added after this are ignored by [`Aggregator::finish`]'s order
    /// figures, so call it once the input has ended.
    pub fn seal(&mut self) {
        if self.sealed_days.is_none() {
            let days = self.counted_order_days();
            self.orders = crate::orders::OrderTable::default();
            self.sealed_days = Some(days);
        }
    }

    /// Sorted days of each customer's counted orders: net amount above zero, or exactly zero
    /// without a return line (see the module documentation of `features`). Two walks over the
    /// orders (count, then place), so there is one array for all customers.
    fn counted_order_days(&self) -> OrderDays {
        let n = self.ids.len();
        let mut starts = vec![0usize; n + 1];
        self.orders.for_each(|order| {
            if counted(&order) {
                if let Some(c) = starts.get_mut(order.customer as usize + 1) {
                    *c += 1;
                }
            }
        });
        let mut total = 0usize;
        for s in &mut starts {
            total += *s;
            *s = total;
        }
        let mut next = starts.clone();
        let mut days = vec![0 as Day; total];
        self.orders.for_each(|order| {
            if counted(&order) {
                if let Some(at) = next.get_mut(order.customer as usize) {
                    if let Some(d) = days.get_mut(*at) {
                        *d = order.day;
                        *at += 1;
                    }
                }
            }
        });
        let mut out = OrderDays { starts, days };
        for ix in 0..n {
            if let (Some(&a), Some(&b)) = (out.starts.get(ix), out.starts.get(ix + 1)) {
                if let Some(seg) = out.days.get_mut(a..b) {
                    seg.sort_unstable();
                }
            }
        }
        out
    }

    /// The running figures of every customer, by index.
    fn accs(&self) -> Vec<Acc> {
        let mut accs = vec![Acc::default(); self.ids.len()];
        self.index.for_each(|ix, acc| {
            if let Some(slot) = accs.get_mut(ix as usize) {
                *slot = *acc;
            }
        });
        accs
    }

    /// Customer indices in the order of their ids (byte order), the order of every
    /// per-customer output. Ids are distinct, so the order is total.
    pub(super) fn by_id(&self) -> Vec<usize> {
        let mut order: Vec<(&str, usize)> = self
            .ids
            .iter()
            .enumerate()
            .map(|(i, id)| (&**id, i))
            .collect();
        order.sort_unstable();
        order.into_iter().map(|(_, i)| i).collect()
    }

    /// Computes the per-customer metrics. `as_of` defaults to the day after the latest date.
    pub fn finish(&self, as_of: Option<Day>) -> Customers {
        let as_of = as_of.unwrap_or_else(|| self.latest.map_or(0, |d| d + 1));
        // Prospects get the earliest purchase day of the file: the longest recency, so the lowest
        // R score, without inventing a date beyond the data (the list shows no date for them).
        let accs = self.accs();
        let prospect_day = accs
            .iter()
            .enumerate()
            .filter(|(ix, _)| !self.profile(*ix).is_some_and(|p| p.prospect))
            .map(|(_, a)| a.last_day)
            .min()
            .unwrap_or(as_of);
        let computed;
        let days = match &self.sealed_days {
            Some(sealed) => sealed,
            None => {
                computed = self.counted_order_days();
                &computed
            }
        };
        let perm = self.by_id();
        let n = perm.len();
        let mut out = Customers {
            as_of,
            ids: Vec::with_capacity(n),
            recency_days: Vec::with_capacity(n),
            frequency: Vec::with_capacity(n),
            monetary: Vec::with_capacity(n),
            aov: Vec::with_capacity(n),
            tenure_days: Vec::with_capacity(n),
            mean_gap_days: Vec::with_capacity(n),
            max_gap_days: Vec::with_capacity(n),
            p80_gap_days: Vec::with_capacity(n),
            first_day: Vec::with_capacity(n),
            last_day: Vec::with_capacity(n),
            prospect: Vec::with_capacity(n),
            region: Vec::with_capacity(n),
            attributes: Vec::new(),
        };
        let mut kept = Vec::with_capacity(n);
        let mut gaps: Vec<i32> = Vec::new();
        for ix in perm {
            let (Some(acc), Some(id)) = (accs.get(ix), self.ids.get(ix)) else {
                continue;
            };
            kept.push(ix);
            if let Some(p) = self.profile(ix) {
                push_profile(&mut out, id, acc, p, as_of, prospect_day);
                out.region.push(self.region_name(acc.region));
                continue;
            }
            let order_days = days.of(ix);
            let frequency = u32::try_from(order_days.len()).unwrap_or(u32::MAX);
            let first = order_days.first().copied().unwrap_or(acc.first_day);
            let last = order_days.last().copied().unwrap_or(acc.last_day);
            let monetary = from_micros(acc.monetary);
            gaps.clear();
            gaps.extend(
                order_days
                    .windows(2)
                    .map(|w| w.get(1).zip(w.first()).map_or(0, |(b, a)| b - a)),
            );
            out.ids.push(id.to_string());
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
            gaps.sort_unstable();
            out.p80_gap_days.push(percentile_sorted(&gaps, 0.8));
            out.first_day.push(first);
            out.last_day.push(last);
            out.prospect.push(false);
            out.region.push(self.region_name(acc.region));
        }
        out.attributes = self.attributes(&kept);
        out
    }

    /// The extra columns, one value per customer, for the customer indices `order` (the order of
    /// [`Aggregator::finish`]'s output).
    fn attributes(&self, order: &[usize]) -> Vec<Attribute> {
        let value = |ix: usize, k: usize| -> Option<&AttrValue> {
            self.attrs
                .get(ix)
                .and_then(|a| a.get(k))
                .and_then(Option::as_ref)
                .map(|(_, v)| v)
        };
        self.attr_defs
            .iter()
            .enumerate()
            .map(|(k, (name, kind))| {
                let values = match kind {
                    AttributeKind::Numeric => AttributeValues::Numeric(
                        order
                            .iter()
                            .map(|&ix| match value(ix, k) {
                                Some(AttrValue::Number(x)) => Some(*x),
                                _ => None,
                            })
                            .collect(),
                    ),
                    AttributeKind::Categorical => AttributeValues::Categorical(
                        order
                            .iter()
                            .map(|&ix| match value(ix, k) {
                                Some(AttrValue::Text(t)) => Some(t.to_string()),
                                Some(AttrValue::Number(x)) => Some(x.to_string()),
                                None => None,
                            })
                            .collect(),
                    ),
                };
                Attribute {
                    name: name.clone(),
                    kind: *kind,
                    values,
                }
            })
            .collect()
    }
}

/// A customer-level row: recency from its last purchase, frequency and monetary as given; the
/// mean gap is (last − first) / (orders − 1) when the first purchase date is known. (The region
/// is pushed by the caller, which holds the region names.)
fn push_profile(
    out: &mut Customers,
    id: &str,
    acc: &Acc,
    p: Profile,
    as_of: Day,
    prospect_day: Day,
) {
    let (first_day, last_day) = if p.prospect {
        (prospect_day, prospect_day)
    } else {
        (acc.first_day, acc.last_day)
    };
    let monetary = from_micros(acc.monetary);
    out.ids.push(id.to_string());
    out.recency_days.push(as_of - last_day);
    out.frequency.push(p.orders);
    out.monetary.push(monetary);
    out.aov.push(if p.orders > 0 {
        monetary / f64::from(p.orders)
    } else {
        0.0
    });
    out.tenure_days.push(as_of - first_day);
    out.mean_gap_days.push(if p.first_given && p.orders >= 2 {
        Some(f64::from(last_day - first_day) / f64::from(p.orders - 1))
    } else {
        None
    });
    out.max_gap_days.push(None);
    out.p80_gap_days.push(None);
    out.first_day.push(first_day);
    out.last_day.push(last_day);
    out.prospect.push(p.prospect);
}

/// Linear-interpolation percentile (type 7, as numpy's default) of sorted values.
pub(super) fn percentile_sorted(v: &[i32], p: f64) -> Option<f64> {
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
