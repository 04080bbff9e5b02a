//! Evidence for the reading decisions that one value cannot settle, counted over every value of a
//! column (in the first pass of a two-pass load, or over the buffered rows of a one-time stream),
//! and the decisions made from it.
//!
//! Counts do not depend on row order, and the one example kept is the smallest value of its kind,
//! so a decision and its evidence are the same for every order of the rows.
//!
//! One file per decision: [`dates`] (day/month order, Excel serials), [`decimal`] (the decimal
//! separator), [`ids`] (float-written ids).

mod dates;
mod decimal;
mod ids;

pub use dates::{decide_dates, DateChoice, DateEvidence};
pub use decimal::{decide_decimal, DecimalSeparator, NumberChoice, NumberEvidence};
pub use ids::{decide_ids, integral_float_len, IdEvidence, IdReading};

/// Keeps the smallest of the values offered (an order-independent example).
fn keep_min(slot: &mut Option<String>, value: &str) {
    if slot.as_deref().is_none_or(|s| value < s) {
        *slot = Some(value.chars().take(40).collect());
    }
}

fn shown(v: Option<&String>) -> String {
    v.map_or_else(|| "none".to_string(), |s| format!("{s:?}"))
}
