//! Distinct orders per customer, kept compactly: the one per-order structure of a load.
//!
//! Frequency counts distinct orders, and an order that nets to a negative amount is a pure return
//! (not counted), so every order's net amount and earliest day must be known until the input ends —
//! rows of one order may be anywhere in the file. For an order-line file this table is the largest
//! thing a load holds (the 1 GB benchmark file has 5 M orders), so it is built to be small:
//!
//! - **one 64-bit key per order**: the customer and the order together. Without an order id the key
//!   is exact (customer index and day packed side by side); with one it is a hash of the customer
//!   index and the order-id hash, so two orders merge only if 63-bit hashes collide (about one in
//!   10⁶ for a file of 5 M orders);
//! - **24 bytes an entry** (key, customer index, day, net) instead of 32 for a `(u32, u64)` key;
//! - **64 shards**: a hash table doubles when it grows, and for one big table the old and new
//!   arrays are both alive during the copy — the peak was 1.5× the table. Shards grow one at a
//!   time, so the copy is at most 1/64 of the whole;
//! - **the current order is accumulated outside the table**: exports list an order's lines
//!   together, so consecutive rows of the same order cost no table lookup at all.

use rustc_hash::FxHashMap;

use crate::hashing::mix64 as mix;
use crate::ingest::values::Day;

/// Money as integer millionths (see `features`).
pub type Micros = i64;

/// What is known about one order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Order {
    /// Index of the customer (in the aggregator's first-seen order).
    pub customer: u32,
    /// Earliest day of the order's rows.
    pub day: Day,
    /// Net amount of the order's rows.
    pub net: Micros,
    /// Some row of the order has a negative amount (a return or cancellation line).
    pub has_return: bool,
}

/// An order as stored: the return flag in the top bit of the customer index (customer indices
/// stay below 2^31, see [`order_key`]), so an entry stays 24 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Packed {
    customer: u32,
    day: Day,
    net: Micros,
}

const RETURN_BIT: u32 = 1 << 31;

impl Packed {
    fn row(customer: u32, day: Day, amount: Micros) -> Packed {
        let flag = if amount < 0 { RETURN_BIT } else { 0 };
        Packed {
            customer: (customer & !RETURN_BIT) | flag,
            day,
            net: amount,
        }
    }

    fn absorb(&mut self, o: Packed) {
        self.day = self.day.min(o.day);
        self.net = self.net.saturating_add(o.net);
        self.customer |= o.customer & RETURN_BIT;
    }

    fn order(self) -> Order {
        Order {
            customer: self.customer & !RETURN_BIT,
            day: self.day,
            net: self.net,
            has_return: self.customer & RETURN_BIT != 0,
        }
    }
}

const SHARDS: usize = 64;

/// The orders of a load; see the module documentation.
#[derive(Debug, Clone)]
pub struct OrderTable {
    shards: Vec<FxHashMap<u64, Packed>>,
    /// The order of the previous row, not yet in `shards`.
    pending: Option<(u64, Packed)>,
}

impl Default for OrderTable {
    fn default() -> Self {
        OrderTable {
            shards: vec![FxHashMap::default(); SHARDS],
            pending: None,
        }
    }
}

/// The key of an order: `order_hash` is the hash of the order id, or `None` when the input has
/// no order id and the order is the customer's purchase day.
pub fn order_key(customer: u32, order_hash: Option<u64>, day: Day) -> u64 {
    match order_hash {
        // Top bit set: never equal to a day key, whose top bit is clear (customer < 2^31).
        Some(h) => mix(h ^ mix(u64::from(customer))) | (1 << 63),
        None => (u64::from(customer & 0x7fff_ffff) << 32) | u64::from(day.cast_unsigned()),
    }
}

impl OrderTable {
    /// Adds one row of an order.
    pub fn add(&mut self, key: u64, customer: u32, day: Day, amount: Micros) {
        let row = Packed::row(customer, day, amount);
        match &mut self.pending {
            Some((k, o)) if *k == key => o.absorb(row),
            _ => {
                if let Some((k, o)) = self.pending.replace((key, row)) {
                    self.merge(k, o);
                }
            }
        }
    }

    fn merge(&mut self, key: u64, o: Packed) {
        let Some(map) = self.shards.get_mut(Self::shard_of(key)) else {
            return;
        };
        map.entry(key).and_modify(|e| e.absorb(o)).or_insert(o);
    }

    fn shard_of(key: u64) -> usize {
        // The top bits pick the shard; hashbrown uses the low bits (after its own hash) inside it.
        usize::try_from(mix(key) >> 58).unwrap_or(0)
    }

    /// Calls `f` once for every order, in no particular order (callers must not depend on it).
    pub fn for_each(&self, mut f: impl FnMut(Order)) {
        // The pending order may continue one already in a shard (lines of an order that are not
        // together in the file): that order is reported once, combined.
        let pending = self.pending.map(|(key, o)| {
            let stored = self
                .shards
                .get(Self::shard_of(key))
                .and_then(|m| m.get(&key));
            let mut combined = o;
            if let Some(s) = stored {
                combined.absorb(*s);
            }
            (key, combined)
        });
        for map in &self.shards {
            for (k, o) in map {
                if pending.is_none_or(|(pk, _)| pk != *k) {
                    f(o.order());
                }
            }
        }
        if let Some((_, o)) = pending {
            f(o.order());
        }
    }

    /// Number of distinct orders.
    pub fn len(&self) -> usize {
        let mut n = 0;
        self.for_each(|_| n += 1);
        n
    }
    /// True when no row was added.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(t: &OrderTable) -> Vec<Order> {
        let mut v = Vec::new();
        t.for_each(|o| v.push(o));
        v.sort_by_key(|o| (o.customer, o.day, o.net));
        v
    }

    #[test]
    fn lines_of_one_order_merge_wherever_they_are() {
        let mut t = OrderTable::default();
        let a = order_key(0, Some(11), 5);
        let b = order_key(0, Some(12), 5);
        // A, B, A: the second A line comes back after the first went into a shard.
        t.add(a, 0, 5, 100);
        t.add(b, 0, 6, 7);
        t.add(a, 0, 3, -40);
        assert_eq!(t.len(), 2);
        let want = vec![
            Order {
                customer: 0,
                day: 3,
                net: 60,
                has_return: true,
            },
            Order {
                customer: 0,
                day: 6,
                net: 7,
                has_return: false,
            },
        ];
        assert_eq!(collect(&t), want);
        // One more row of B moves A into its shard: the same orders.
        t.add(b, 0, 6, 0);
        assert_eq!(collect(&t), want);
    }

    #[test]
    fn keys_separate_customers_ids_and_days() {
        assert_ne!(order_key(1, Some(7), 0), order_key(2, Some(7), 0));
        assert_ne!(order_key(1, None, 3), order_key(2, None, 3));
        assert_ne!(order_key(1, None, 3), order_key(1, None, 4));
        assert_eq!(order_key(1, Some(7), 3), order_key(1, Some(7), 9));
        assert!(order_key(5, Some(7), 0) >> 63 == 1 && order_key(5, None, 0) >> 63 == 0);
        assert!(OrderTable::default().is_empty());
    }
}
