//! The rows the cleaner returns: what the aggregator (`features`) adds per customer. They live
//! here, below `features`, so that the cleaner returns rows and the pipeline feeds the
//! aggregator without `clean` importing `features`.

use crate::ingest::values::Day;
use serde::Serialize;

/// A cleaned transaction row, borrowed from the record it came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transaction<'a> {
    /// Row number (header = 1).
    pub row: u64,
    /// Customer id, trimmed.
    pub customer: &'a str,
    /// Order id, trimmed, if the input has one and the cell is not empty.
    pub order: Option<&'a str>,
    /// Order date.
    pub day: Day,
    /// Net amount of the row (negative for returns).
    pub amount: f64,
    /// Region cell, if any.
    pub region: Option<&'a str>,
}

/// One row of customer-level input (one row per customer, figures ready-made).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CustomerRow<'a> {
    /// Customer id, trimmed.
    pub customer: &'a str,
    /// Day of the latest purchase; `None` for a prospect (no purchase yet: no date, no orders,
    /// no spend).
    pub last_day: Option<Day>,
    /// Day of the first purchase, when the input has it.
    pub first_day: Option<Day>,
    /// Number of orders (frequency).
    pub orders: u32,
    /// Total net spend (monetary).
    pub spend: f64,
    /// Region cell, if any.
    pub region: Option<&'a str>,
}

/// One cell of an extra column, as handed to the aggregator (`features::Aggregator`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AttrCell<'a> {
    /// A value of a numeric column.
    Number(f64),
    /// A value of a categorical column (trimmed, not empty).
    Text(&'a str),
}

/// Whether an extra column holds numbers or categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum AttributeKind {
    /// Numbers (e.g. age, discount): usable as a clustering feature.
    Numeric,
    /// Categories (e.g. channel, gender): usable in cross-tabs.
    Categorical,
}

/// A used row, cleaned: what the pipeline hands to the aggregator.
#[derive(Debug, Clone, PartialEq)]
pub enum CleanRow<'a> {
    /// A transaction row, with its extra-column cells (empty when the input has none).
    Transaction(Transaction<'a>, Vec<Option<AttrCell<'a>>>),
    /// A customer-level row, with its extra-column cells. Not counted as used until the
    /// aggregator has taken it: see [`crate::clean::RowCleaner::settle_customer`].
    Customer(CustomerRow<'a>, Vec<Option<AttrCell<'a>>>),
}
