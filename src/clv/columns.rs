//! The customers.csv columns of the CLV figures: `p_alive`, `expected_orders`, `expected_spend`
//! and `clv`, after the existing columns. A customer without a figure has an empty cell (never
//! NaN); when the fit is not identifiable there are no figures and the pipeline adds no columns.

use crate::format::{col, fmt_num, CsvColumn};

use super::CustomerClv;

/// The four columns over `figures` (one entry per customer, in the customer list's order).
pub fn columns(figures: &[Option<CustomerClv>]) -> Vec<CsvColumn<'_>> {
    let cell = move |i: usize, f: fn(&CustomerClv) -> Option<f64>| {
        figures
            .get(i)
            .copied()
            .flatten()
            .as_ref()
            .and_then(f)
            .map_or(String::new(), fmt_num)
    };
    vec![
        col("p_alive", move |i| cell(i, |c| Some(c.p_alive))),
        col("expected_orders", move |i| cell(i, |c| c.expected_orders)),
        col("expected_spend", move |i| cell(i, |c| c.expected_spend)),
        col("clv", move |i| cell(i, |c| c.clv)),
    ]
}
