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

mod finish;
mod keys;
mod purchases;
#[cfg(test)]
mod tests;

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

/// What every row of a customer updates, and nothing else: 32 bytes, so a row's random access to
/// its customer touches one cache line (the id, extra columns and ready-made figures, which rows
/// do not touch, are kept beside it in [`Aggregator`]). At 600k customers and more, this access
/// is a cache miss per row and was a tenth of a load (issue 12).
#[derive(Debug, Clone, Copy, Default)]
struct Acc {
    first_day: Day,
    last_day: Day,
    monetary: Micros,
    /// Day and interned name ([`Aggregator::region_names`]) of the latest row with a region.
    region: Option<(Day, u32)>,
}

/// Latest value of each extra column (see [`Aggregator::define_attributes`]).
type Attrs = Vec<Option<(Day, AttrValue)>>;

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
    /// Customer key → index and running figures.
    index: keys::KeyTable<Acc>,
    /// Customer ids, by index.
    ids: Vec<Box<str>>,
    /// Extra-column values by customer index; shorter than `ids` when the last customers have
    /// none (empty without extra columns).
    attrs: Vec<Attrs>,
    /// Ready-made figures of customer-level input, by customer index (empty for transactions).
    profiles: Vec<Option<Profile>>,
    /// Region names, each once: a customer holds an index, so a row compares integers instead of
    /// following a pointer to the name (a cache miss per row at scale) and nothing is allocated.
    regions: keys::KeyTable<()>,
    region_names: Vec<Box<str>>,
    orders: OrderTable,
    /// Set by [`Aggregator::seal`]: the sorted days of each customer's counted orders, which is
    /// all `finish` needs of the order table.
    sealed_days: Option<finish::OrderDays>,
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

    /// The index of `customer` (added when new, `true`) and its running figures.
    fn slot<'s>(
        index: &'s mut keys::KeyTable<Acc>,
        ids: &mut Vec<Box<str>>,
        customer: &str,
        day: Day,
    ) -> (u32, bool, &'s mut Acc) {
        let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
        let held = &*ids;
        let long = |ix: u32| held.get(ix as usize).map_or("", |id| &**id);
        let (ix, new, acc) = index.get_or_insert(customer, next, long, || Acc {
            first_day: day,
            last_day: day,
            monetary: 0,
            region: None,
        });
        if new {
            ids.push(Box::from(customer));
        }
        (ix, new, acc)
    }

    /// The running figures of a customer already added.
    fn acc_mut(&mut self, customer: &str) -> Option<&mut Acc> {
        let ids = &self.ids;
        let long = |ix: u32| ids.get(ix as usize).map_or("", |id| &**id);
        self.index.get_mut(customer, long).map(|(_, acc)| acc)
    }

    /// The interned index of a region name (added when new).
    fn region_id(&mut self, name: &str) -> u32 {
        let next = u32::try_from(self.region_names.len()).unwrap_or(u32::MAX);
        let names = &self.region_names;
        let long = |ix: u32| names.get(ix as usize).map_or("", |n| &**n);
        let (id, new, ()) = self.regions.get_or_insert(name, next, long, || ());
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

    /// Adds one cleaned transaction with the values of its extra columns (in the order given to
    /// [`Aggregator::define_attributes`]; `None` for an empty cell).
    pub fn add_with_attributes(&mut self, t: &Transaction<'_>, attrs: &[Option<AttrCell<'_>>]) {
        let ix = self.add_at(t);
        if attrs.iter().all(Option::is_none) {
            return;
        }
        self.note_attributes(ix, t.day, attrs);
    }

    /// Adds one row of customer-level input. Returns `false` (and changes nothing) when the
    /// customer was already added: each customer must appear once.
    pub fn add_customer(&mut self, r: &CustomerRow<'_>, attrs: &[Option<AttrCell<'_>>]) -> bool {
        let Some(last_day) = r.last_day else {
            return self.add_prospect(r, attrs);
        };
        let first = r.first_day.unwrap_or(last_day).min(last_day);
        let (ix, new, _) = Self::slot(&mut self.index, &mut self.ids, r.customer, first);
        if !new {
            return false;
        }
        let region = r.region.map(|x| self.region_id(x));
        if let Some(acc) = self.acc_mut(r.customer) {
            acc.first_day = first;
            acc.last_day = last_day;
            acc.monetary = to_micros(r.spend);
            acc.region = region.map(|x| (last_day, x));
        }
        self.set_profile(
            ix,
            Profile {
                orders: r.orders,
                first_given: r.first_day.is_some(),
                prospect: false,
            },
        );
        self.note_attributes(ix, last_day, attrs);
        self.latest = Some(self.latest.map_or(last_day, |l| l.max(last_day)));
        true
    }

    /// A customer-level row without a purchase: kept as a prospect. Its days are placeholders
    /// until `finish` knows the earliest purchase of the file.
    fn add_prospect(&mut self, r: &CustomerRow<'_>, attrs: &[Option<AttrCell<'_>>]) -> bool {
        let (ix, new, _) = Self::slot(&mut self.index, &mut self.ids, r.customer, 0);
        if !new {
            return false;
        }
        let region = r.region.map(|x| self.region_id(x));
        if let Some(acc) = self.acc_mut(r.customer) {
            acc.monetary = 0;
            acc.region = region.map(|x| (Day::MIN, x));
        }
        self.set_profile(
            ix,
            Profile {
                orders: 0,
                first_given: false,
                prospect: true,
            },
        );
        self.note_attributes(ix, Day::MIN, attrs);
        true
    }

    /// Adds one cleaned transaction.
    pub fn add(&mut self, t: &Transaction<'_>) {
        self.add_at(t);
    }

    /// [`Aggregator::add`], returning the customer's index.
    fn add_at(&mut self, t: &Transaction<'_>) -> u32 {
        // The region first: interning it needs the aggregator, the customer's slot is held below.
        let region = t.region.map(|x| (self.region_id(x), x));
        let micros = to_micros(t.amount);
        let (ix, _, acc) = Self::slot(&mut self.index, &mut self.ids, t.customer, t.day);
        let names = &self.region_names;
        {
            acc.first_day = acc.first_day.min(t.day);
            acc.last_day = acc.last_day.max(t.day);
            acc.monetary = acc.monetary.saturating_add(micros);
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
        self.ids.len()
    }

    /// The latest transaction date seen.
    pub fn latest_day(&self) -> Option<Day> {
        self.latest
    }

    fn set_profile(&mut self, ix: u32, p: Profile) {
        let ix = ix as usize;
        if self.profiles.len() <= ix {
            self.profiles.resize(ix + 1, None);
        }
        if let Some(slot) = self.profiles.get_mut(ix) {
            *slot = Some(p);
        }
    }

    /// The ready-made figures of customer `ix`, for customer-level input.
    fn profile(&self, ix: usize) -> Option<Profile> {
        self.profiles.get(ix).copied().flatten()
    }

    /// Keeps the latest value of each extra column of customer `ix`.
    fn note_attributes(&mut self, ix: u32, day: Day, attrs: &[Option<AttrCell<'_>>]) {
        if attrs.is_empty() {
            return;
        }
        let ix = ix as usize;
        if self.attrs.len() <= ix {
            self.attrs.resize_with(ix + 1, Vec::new);
        }
        if let Some(held) = self.attrs.get_mut(ix) {
            note_attributes(held, day, attrs);
        }
    }
}

/// Whether an order counts towards frequency: it nets above zero, or to zero with no negative
/// row (a free order, not one cancelled by its returns).
fn counted(order: &crate::orders::Order) -> bool {
    order.net > 0 || (order.net == 0 && !order.has_return)
}

fn note_attributes(held: &mut Attrs, day: Day, attrs: &[Option<AttrCell<'_>>]) {
    if held.len() < attrs.len() {
        held.resize(attrs.len(), None);
    }
    for (slot, cell) in held.iter_mut().zip(attrs) {
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
