//! Per-customer aggregation: transactions in, one row of metrics per customer out.
//!
//! Metric definitions (DOMAIN.md §2), relative to the analysis date `as_of`:
//! - an *order* is a distinct order id of the customer, or, without an order-id column, a distinct
//!   purchase day (all rows of one customer on one day are one order);
//! - an order whose rows net to a negative amount is a pure return/cancellation: it is not counted as an
//!   order, but its amount is still subtracted from monetary;
//! - an order that nets to exactly zero is counted when none of its rows is negative (a free item,
//!   a promotion: zero amounts are kept by default, and a customer whose only purchase was free is
//!   a buyer with frequency 1 and monetary 0, not a customer without orders), and not counted when
//!   returns bring it to zero (bought and returned: nothing was purchased);
//! - **recency** = days from the latest counted order to `as_of` (default `as_of` = the day after the
//!   latest date in the data, so the most recent buyer has recency 1);
//! - **frequency** = counted orders; **monetary** = net sum of all used rows; **aov** = monetary / frequency;
//! - **tenure** = days from the first counted order to `as_of`; gaps are between consecutive order days.
//!
//! Amounts are summed as integer micro-units, so totals do not depend on row order (float addition is
//! not associative) and are identical natively and in Wasm.

use serde::Serialize;

pub use crate::clean::rows::{AttrCell, AttributeKind, CustomerRow};
use crate::clean::Transaction;
use crate::ingest::values::Day;

use crate::orders::{order_key, Micros, OrderTable};

mod keys;
mod purchases;

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
    /// Day and interned name ([`Aggregator::region_names`]) of the latest row with a region.
    region: Option<(Day, u32)>,
    /// Latest value of each extra column (see [`Aggregator::define_attributes`]).
    attrs: Vec<Option<(Day, AttrValue)>>,
    /// Set for customer-level input: the figures come ready-made.
    profile: Option<Profile>,
}

#[derive(Debug, Clone, Copy)]
struct Profile {
    orders: u32,
    first_given: bool,
    /// No purchase yet: recency and tenure are those of the file's earliest purchase.
    prospect: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum AttrValue {
    Number(f64),
    Text(Box<str>),
}

impl AttrValue {
    /// Ties on the same day go to the smaller value, so row order never matters.
    fn smaller_than(&self, other: &AttrValue) -> bool {
        match (self, other) {
            (AttrValue::Number(a), AttrValue::Number(b)) => a.total_cmp(b).is_lt(),
            (AttrValue::Text(a), AttrValue::Text(b)) => a < b,
            (AttrValue::Number(_), AttrValue::Text(_)) => true,
            (AttrValue::Text(_), AttrValue::Number(_)) => false,
        }
    }
}

/// Per-customer values of one extra column, in customer order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum AttributeValues {
    /// Numeric values (`None` where the customer has none).
    Numeric(Vec<Option<f64>>),
    /// Categorical values (`None` where the customer has none).
    Categorical(Vec<Option<String>>),
}

/// An input column without a role, kept per customer for clustering and cross-tabs. For
/// transactions the value is the one on the customer's latest row that has one (same day: the
/// smaller value), so row order never matters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attribute {
    /// Header name as in the file.
    pub name: String,
    /// Numeric or categorical.
    pub kind: AttributeKind,
    /// One value per customer.
    pub values: AttributeValues,
}

/// Accumulates transactions per customer; memory follows customers and orders, not rows.
#[derive(Debug, Default)]
pub struct Aggregator {
    index: keys::KeyTable,
    accs: Vec<Acc>,
    /// Region names, each once: a customer holds an index, so a row compares integers instead of
    /// following a pointer to the name (a cache miss per row at scale) and nothing is allocated.
    regions: keys::KeyTable,
    region_names: Vec<Box<str>>,
    orders: OrderTable,
    /// Set by [`Aggregator::seal`]: the sorted days of each customer's counted orders, which is
    /// all `finish` needs of the order table.
    sealed_days: Option<Vec<Box<[Day]>>>,
    latest: Option<Day>,
    attr_defs: Vec<(String, AttributeKind)>,
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
    /// Customer-level input only: the row had no purchase (no date, orders or spend). Such a
    /// prospect has frequency 0 and the file's earliest purchase day as `first_day`/`last_day`
    /// (so the longest recency); the customer list leaves its dates empty.
    pub prospect: Vec<bool>,
    /// Region of the customer's latest row that had one.
    pub region: Vec<Option<String>>,
    /// The analysis date used.
    pub as_of: Day,
    /// Extra input columns kept per customer (numeric or categorical).
    pub attributes: Vec<Attribute>,
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

impl Aggregator {
    /// An empty aggregator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Declares the extra columns whose values [`Aggregator::add_with_attributes`] receives.
    pub fn define_attributes(&mut self, defs: Vec<(String, AttributeKind)>) {
        self.attr_defs = defs;
    }

    fn slot(&mut self, customer: &str, day: Day) -> (u32, bool) {
        let next = u32::try_from(self.accs.len()).unwrap_or(u32::MAX);
        let accs = &self.accs;
        let long = |ix: u32| accs.get(ix as usize).map_or("", |a| &*a.id);
        let (ix, new) = self.index.get_or_insert(customer, next, long);
        if new {
            self.accs.push(Acc {
                id: Box::from(customer),
                first_day: day,
                last_day: day,
                monetary: 0,
                lines: 0,
                region: None,
                attrs: Vec::new(),
                profile: None,
            });
        }
        (ix, new)
    }

    /// The interned index of a region name (added when new).
    fn region_id(&mut self, name: &str) -> u32 {
        let next = u32::try_from(self.region_names.len()).unwrap_or(u32::MAX);
        let names = &self.region_names;
        let long = |ix: u32| names.get(ix as usize).map_or("", |n| &**n);
        let (id, new) = self.regions.get_or_insert(name, next, long);
        if new {
            self.region_names.push(Box::from(name));
        }
        id
    }

    /// The name of an interned region.
    fn region_name(&self, region: Option<(Day, u32)>) -> Option<String> {
        let (_, id) = region?;
        self.region_names.get(id as usize).map(|n| n.to_string())
    }

    /// The index of a customer already added.
    fn index_of(&self, customer: &str) -> Option<u32> {
        let accs = &self.accs;
        self.index
            .get(customer, |ix| accs.get(ix as usize).map_or("", |a| &*a.id))
    }

    /// Adds one cleaned transaction with the values of its extra columns (in the order given to
    /// [`Aggregator::define_attributes`]; `None` for an empty cell).
    pub fn add_with_attributes(&mut self, t: &Transaction<'_>, attrs: &[Option<AttrCell<'_>>]) {
        let ix = self.add_at(t);
        if attrs.iter().all(Option::is_none) {
            return;
        }
        if let Some(acc) = self.accs.get_mut(ix as usize) {
            note_attributes(acc, t.day, attrs);
        }
    }

    /// Adds one row of customer-level input. Returns `false` (and changes nothing) when the
    /// customer was already added: each customer must appear once.
    pub fn add_customer(&mut self, r: &CustomerRow<'_>, attrs: &[Option<AttrCell<'_>>]) -> bool {
        let Some(last_day) = r.last_day else {
            return self.add_prospect(r, attrs);
        };
        let first = r.first_day.unwrap_or(last_day).min(last_day);
        let (ix, new) = self.slot(r.customer, first);
        if !new {
            return false;
        }
        let region = r.region.map(|x| self.region_id(x));
        if let Some(acc) = self.accs.get_mut(ix as usize) {
            acc.first_day = first;
            acc.last_day = last_day;
            acc.monetary = to_micros(r.spend);
            acc.lines = 1;
            acc.region = region.map(|x| (last_day, x));
            acc.profile = Some(Profile {
                orders: r.orders,
                first_given: r.first_day.is_some(),
                prospect: false,
            });
            note_attributes(acc, last_day, attrs);
        }
        self.latest = Some(self.latest.map_or(last_day, |l| l.max(last_day)));
        true
    }

    /// A customer-level row without a purchase: kept as a prospect. Its days are placeholders
    /// until `finish` knows the earliest purchase of the file.
    fn add_prospect(&mut self, r: &CustomerRow<'_>, attrs: &[Option<AttrCell<'_>>]) -> bool {
        let (ix, new) = self.slot(r.customer, 0);
        if !new {
            return false;
        }
        let region = r.region.map(|x| self.region_id(x));
        if let Some(acc) = self.accs.get_mut(ix as usize) {
            acc.monetary = 0;
            acc.lines = 1;
            acc.region = region.map(|x| (Day::MIN, x));
            acc.profile = Some(Profile {
                orders: 0,
                first_given: false,
                prospect: true,
            });
            note_attributes(acc, Day::MIN, attrs);
        }
        true
    }

    /// Adds one cleaned transaction.
    pub fn add(&mut self, t: &Transaction<'_>) {
        self.add_at(t);
    }

    /// [`Aggregator::add`], returning the customer's index.
    fn add_at(&mut self, t: &Transaction<'_>) -> u32 {
        let (ix, _) = self.slot(t.customer, t.day);
        let micros = to_micros(t.amount);
        let region = t.region.map(|x| (self.region_id(x), x));
        let names = &self.region_names;
        if let Some(acc) = self.accs.get_mut(ix as usize) {
            acc.first_day = acc.first_day.min(t.day);
            acc.last_day = acc.last_day.max(t.day);
            acc.monetary = acc.monetary.saturating_add(micros);
            acc.lines += 1;
            if let Some((id, name)) = region {
                // Latest date wins; on the same date the smaller name, so row order never matters.
                let replace = match acc.region {
                    None => true,
                    Some((d, r)) => {
                        t.day > d
                            || (t.day == d
                                && r != id
                                && names.get(r as usize).is_some_and(|held| name < &**held))
                    }
                };
                if replace {
                    acc.region = Some((t.day, id));
                }
            }
        }
        let id_hash = t.order.map(|id| crate::hashing::hash_strs([id]));
        self.orders
            .add(order_key(ix, id_hash, t.day), ix, t.day, micros);
        self.latest = Some(self.latest.map_or(t.day, |l| l.max(t.day)));
        ix
    }

    /// Customers seen so far.
    pub fn customers(&self) -> usize {
        self.accs.len()
    }

    /// The latest transaction date seen.
    pub fn latest_day(&self) -> Option<Day> {
        self.latest
    }

    /// Ends the input: keeps the days of each customer's counted orders and frees the order
    /// table, which is by far the largest part of a load (24 bytes and more per order, against 4
    /// per counted order). Rows added after this are ignored by [`Aggregator::finish`]'s order
    /// figures, so call it once the input has ended.
    pub fn seal(&mut self) {
        if self.sealed_days.is_none() {
            let days = self.counted_order_days();
            self.orders = OrderTable::default();
            self.sealed_days = Some(days.into_iter().map(Vec::into_boxed_slice).collect());
        }
    }

    /// Sorted days of each customer's counted orders: net amount above zero, or exactly zero
    /// without a return line (see the module documentation).
    fn counted_order_days(&self) -> Vec<Vec<Day>> {
        if let Some(sealed) = &self.sealed_days {
            return sealed.iter().map(|d| d.to_vec()).collect();
        }
        let mut days: Vec<Vec<Day>> = vec![Vec::new(); self.accs.len()];
        self.orders.for_each(|order| {
            if counted(&order) {
                if let Some(v) = days.get_mut(order.customer as usize) {
                    v.push(order.day);
                }
            }
        });
        for d in &mut days {
            d.sort_unstable();
        }
        days
    }

    /// Computes the per-customer metrics. `as_of` defaults to the day after the latest date.
    pub fn finish(&self, as_of: Option<Day>) -> Customers {
        let as_of = as_of.unwrap_or_else(|| self.latest.map_or(0, |d| d + 1));
        // Prospects get the earliest purchase day of the file: the longest recency, so the lowest
        // R score, without inventing a date beyond the data (the list shows no date for them).
        let prospect_day = self
            .accs
            .iter()
            .filter(|a| !a.profile.is_some_and(|p| p.prospect))
            .map(|a| a.last_day)
            .min()
            .unwrap_or(as_of);
        let mut days = self.counted_order_days();
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
            if let Some(p) = acc.profile {
                push_profile(&mut out, acc, p, as_of, prospect_day);
                out.region.push(self.region_name(acc.region));
                continue;
            }
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
            out.prospect.push(false);
            out.region.push(self.region_name(acc.region));
        }
        out.attributes = self.attributes(&out.ids);
        out
    }

    /// The extra columns, one value per customer in `ids` order.
    fn attributes(&self, ids: &[String]) -> Vec<Attribute> {
        let order: Vec<Option<&Acc>> = ids
            .iter()
            .map(|id| self.index_of(id).and_then(|ix| self.accs.get(ix as usize)))
            .collect();
        self.attr_defs
            .iter()
            .enumerate()
            .map(|(k, (name, kind))| {
                fn value<'a>(acc: &Option<&'a Acc>, k: usize) -> Option<&'a AttrValue> {
                    acc.and_then(|a| a.attrs.get(k))
                        .and_then(Option::as_ref)
                        .map(|(_, v)| v)
                }
                let values = match kind {
                    AttributeKind::Numeric => AttributeValues::Numeric(
                        order
                            .iter()
                            .map(|a| match value(a, k) {
                                Some(AttrValue::Number(x)) => Some(*x),
                                _ => None,
                            })
                            .collect(),
                    ),
                    AttributeKind::Categorical => AttributeValues::Categorical(
                        order
                            .iter()
                            .map(|a| match value(a, k) {
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

/// Whether an order counts towards frequency: it nets above zero, or to zero with no negative
/// row (a free order, not one cancelled by its returns).
fn counted(order: &crate::orders::Order) -> bool {
    order.net > 0 || (order.net == 0 && !order.has_return)
}

fn note_attributes(acc: &mut Acc, day: Day, attrs: &[Option<AttrCell<'_>>]) {
    if acc.attrs.len() < attrs.len() {
        acc.attrs.resize(attrs.len(), None);
    }
    for (slot, cell) in acc.attrs.iter_mut().zip(attrs) {
        let Some(cell) = cell else { continue };
        let value = match cell {
            AttrCell::Number(x) => AttrValue::Number(*x),
            AttrCell::Text(t) => AttrValue::Text(Box::from(*t)),
        };
        let replace = match slot {
            None => true,
            Some((d, old)) => day > *d || (day == *d && value.smaller_than(old)),
        };
        if replace {
            *slot = Some((day, value));
        }
    }
}

/// A customer-level row: recency from its last purchase, frequency and monetary as given; the
/// mean gap is (last − first) / (orders − 1) when the first purchase date is known. (The region
/// is pushed by the caller, which holds the region names.)
fn push_profile(out: &mut Customers, acc: &Acc, p: Profile, as_of: Day, prospect_day: Day) {
    let (first_day, last_day) = if p.prospect {
        (prospect_day, prospect_day)
    } else {
        (acc.first_day, acc.last_day)
    };
    let monetary = from_micros(acc.monetary);
    out.ids.push(acc.id.to_string());
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
    fn free_orders_count_and_orders_returned_to_zero_do_not() {
        let mut a = Aggregator::new();
        // Z: a single free order (a promotion) on day 5.
        a.add(&t("Z", Some("p1"), 5, 0.0));
        // R: bought 10 on day 3 and returned it in the same order on day 4; a paid order on day 8.
        a.add(&t("R", Some("r1"), 3, 10.0));
        a.add(&t("R", Some("r1"), 4, -10.0));
        a.add(&t("R", Some("r2"), 8, 6.0));
        // N: no order id; a free line and a paid line on day 2 are one order, a lone free day 9.
        a.add(&t("N", None, 2, 0.0));
        a.add(&t("N", None, 2, 4.0));
        a.add(&t("N", None, 9, 0.0));
        let c = a.finish(Some(10));
        assert_eq!(c.ids, vec!["N", "R", "Z"]);
        assert_eq!(c.frequency, vec![2, 1, 1]);
        assert_eq!(c.monetary, vec![4.0, 6.0, 0.0]);
        assert_eq!(c.recency_days, vec![1, 2, 5]);
        assert_eq!(c.tenure_days, vec![8, 2, 5]);
        assert_eq!(c.aov, vec![2.0, 6.0, 0.0]);
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
    fn attributes_take_the_latest_row_whatever_the_order() {
        let rows = [
            (
                "A",
                5,
                Some(AttrCell::Text("web")),
                Some(AttrCell::Number(30.0)),
            ),
            ("A", 9, Some(AttrCell::Text("store")), None),
            (
                "A",
                9,
                Some(AttrCell::Text("app")),
                Some(AttrCell::Number(31.0)),
            ),
            ("B", 2, None, Some(AttrCell::Number(40.0))),
        ];
        let run = |rev: bool| {
            let mut a = Aggregator::new();
            a.define_attributes(vec![
                ("channel".into(), AttributeKind::Categorical),
                ("age".into(), AttributeKind::Numeric),
            ]);
            let mut v: Vec<_> = rows.to_vec();
            if rev {
                v.reverse();
            }
            for (c, d, x, y) in v {
                a.add_with_attributes(&t(c, None, d, 1.0), &[x, y]);
            }
            a.finish(None)
        };
        let c = run(false);
        assert_eq!(c, run(true));
        assert_eq!(
            c.attributes[0].values,
            AttributeValues::Categorical(vec![Some("app".into()), None])
        );
        assert_eq!(
            c.attributes[1].values,
            AttributeValues::Numeric(vec![Some(31.0), Some(40.0)])
        );
    }

    #[test]
    fn customer_rows_give_ready_made_figures() {
        let mut a = Aggregator::new();
        let row = |customer, last_day, first_day, orders, spend| CustomerRow {
            customer,
            last_day,
            first_day,
            orders,
            spend,
            region: None,
        };
        assert!(a.add_customer(&row("B", Some(100), Some(40), 4, 90.0), &[]));
        assert!(a.add_customer(&row("A", Some(110), None, 1, 15.5), &[]));
        assert!(!a.add_customer(&row("A", Some(120), None, 9, 1.0), &[]));
        // A prospect: no purchase yet. It takes the earliest purchase day of the file (100).
        assert!(a.add_customer(&row("P", None, None, 0, 0.0), &[]));
        let c = a.finish(None);
        assert_eq!(c.ids, vec!["A", "B", "P"]);
        assert_eq!(c.as_of, 111, "prospects do not move the default asOf");
        assert_eq!(c.recency_days, vec![1, 11, 11]);
        assert_eq!(c.frequency, vec![1, 4, 0]);
        assert_eq!(c.monetary, vec![15.5, 90.0, 0.0]);
        assert_eq!(c.tenure_days, vec![1, 71, 11]);
        assert_eq!(c.mean_gap_days, vec![None, Some(20.0), None]);
        assert_eq!(c.prospect, vec![false, false, true]);
    }

    #[test]
    fn percentile_matches_numpy_default() {
        assert_eq!(percentile_sorted(&[10, 20, 30, 40, 50], 0.8), Some(42.0));
        assert_eq!(percentile_sorted(&[7], 0.8), Some(7.0));
        assert_eq!(percentile_sorted(&[], 0.8), None);
    }
}
