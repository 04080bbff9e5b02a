//! Every counted order with its day and value, for the CLV models (issue 14), which need each
//! purchase's value; the sealed aggregate keeps only the days. The pipeline asks for it only when
//! the recipe's `clv` section is on, before sealing, so a load without CLV keeps no more memory.

use super::{counted, from_micros, Aggregator};
use crate::ingest::values::Day;

impl Aggregator {
    /// Every counted order (see the module documentation of `features`) as (customer position in
    /// [`Aggregator::finish`]'s order, day, net amount), sorted by customer, day and amount so the
    /// result does not depend on row order. Empty once [`Aggregator::seal`] has freed the orders.
    pub fn counted_orders(&self) -> Vec<(u32, Day, f64)> {
        // finish() lists customers sorted by id; the rank of each first-seen index in that order.
        let perm = self.by_id();
        let mut rank = vec![0u32; self.ids.len()];
        for (pos, &ix) in perm.iter().enumerate() {
            if let Some(r) = rank.get_mut(ix) {
                *r = u32::try_from(pos).unwrap_or(u32::MAX);
            }
        }
        let mut out: Vec<(u32, Day, i64)> = Vec::new();
        self.orders.for_each(|order| {
            if counted(&order) {
                if let Some(&r) = rank.get(order.customer as usize) {
                    out.push((r, order.day, order.net));
                }
            }
        });
        out.sort_unstable();
        out.into_iter()
            .map(|(c, d, net)| (c, d, from_micros(net)))
            .collect()
    }
}
