//! Cleaning rules and row accounting: every data row is either used or rejected with a reason.
//!
//! The invariant, checked in tests and shown to the user:
//! `rows_read == rows_used + Σ rows_rejected[reason].count`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::ingest::roles::{ColumnMap, Role};
use crate::ingest::values::{DateParser, Day, NumberParser};

/// How many example row numbers are kept per rejection reason.
pub const EXAMPLE_ROWS: usize = 5;

/// Cleaning settings of the recipe.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct CleanOptions {
    /// Rows whose amount is exactly zero: `true` rejects them (reason `zero_amount`).
    pub drop_zero_amounts: bool,
}

/// Why a row was not used. The `code` strings are stable and appear in `report.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum RejectReason {
    /// The customer id cell is empty.
    MissingCustomerId,
    /// The date cell is empty or not a date.
    BadDate,
    /// The amount (or quantity / unit price) cell is empty or not a number.
    BadAmount,
    /// The row has non-empty cells beyond the header's columns.
    ExtraFields,
    /// The row's date is after the analysis date `as_of`.
    AfterAsOf,
    /// The amount is zero and the recipe drops zero amounts.
    ZeroAmount,
}

impl RejectReason {
    /// Stable code, used as the key in `rows_rejected`.
    pub fn code(self) -> &'static str {
        match self {
            RejectReason::MissingCustomerId => "missing_customer_id",
            RejectReason::BadDate => "bad_date",
            RejectReason::BadAmount => "bad_amount",
            RejectReason::ExtraFields => "extra_fields",
            RejectReason::AfterAsOf => "after_as_of",
            RejectReason::ZeroAmount => "zero_amount",
        }
    }

    /// One-line explanation for people.
    pub fn message(self) -> &'static str {
        match self {
            RejectReason::MissingCustomerId => "customer id is empty",
            RejectReason::BadDate => "date is empty or cannot be read as a date",
            RejectReason::BadAmount => "amount is empty or cannot be read as a number",
            RejectReason::ExtraFields => "row has more non-empty cells than the header has columns",
            RejectReason::AfterAsOf => "date is after the analysis date (as_of)",
            RejectReason::ZeroAmount => "amount is zero (dropped by the recipe)",
        }
    }
}

/// Count and first examples of one rejection reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rejection {
    /// Rows rejected for this reason.
    pub count: u64,
    /// What the reason means.
    pub message: String,
    /// The first few row numbers (header = row 1).
    pub rows: Vec<u64>,
    /// The offending cell values of those rows (same order), where there is one.
    pub examples: Vec<String>,
}

/// The row accounting of one input.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RowAccounting {
    /// Data rows read (header excluded; blank lines are not rows).
    pub rows_read: u64,
    /// Rows that went into the analysis.
    pub rows_used: u64,
    /// Rejected rows by reason code.
    pub rows_rejected: BTreeMap<String, Rejection>,
    /// Used rows with a negative amount (returns, netted against their customer).
    pub returns: u64,
}

impl RowAccounting {
    /// Records a rejected row.
    pub fn reject(&mut self, reason: RejectReason, row: u64, value: &str) {
        let entry = self
            .rows_rejected
            .entry(reason.code().to_string())
            .or_insert_with(|| Rejection {
                count: 0,
                message: reason.message().to_string(),
                rows: Vec::new(),
                examples: Vec::new(),
            });
        entry.count += 1;
        if entry.rows.len() < EXAMPLE_ROWS {
            entry.rows.push(row);
            entry.examples.push(value.chars().take(80).collect());
        }
    }

    /// Total rejected rows over all reasons.
    pub fn rejected_total(&self) -> u64 {
        self.rows_rejected.values().map(|r| r.count).sum()
    }

    /// The most frequent reason and its first row, for error messages.
    pub fn top_reason(&self) -> String {
        self.rows_rejected
            .iter()
            .max_by_key(|(_, r)| r.count)
            .map(|(code, r)| {
                let first = r
                    .rows
                    .first()
                    .map(|n| format!(", first at row {n}"))
                    .unwrap_or_default();
                format!("{code}: {} ({} rows{first})", r.message, r.count)
            })
            .unwrap_or_else(|| "no reason recorded".into())
    }
}

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

/// Turns records into transactions, applying the cleaning rules and counting every row.
#[derive(Debug, Clone)]
pub struct RowCleaner {
    map: ColumnMap,
    options: CleanOptions,
    /// Date parser of the date column (order and serials decided from the sample).
    pub dates: DateParser,
    /// Number parser of the amount columns.
    pub numbers: NumberParser,
    as_of: Option<Day>,
    /// The accounting so far.
    pub accounting: RowAccounting,
}

impl RowCleaner {
    /// Builds a cleaner for `map`, deciding value parsers from `sample` (the first records).
    pub fn new(
        map: ColumnMap,
        options: CleanOptions,
        as_of: Option<Day>,
        forced_order: Option<crate::ingest::values::DateOrder>,
        sample: &[Vec<String>],
    ) -> Self {
        let cell = |row: &Vec<String>, role: Role| -> Option<String> {
            map.index(role).and_then(|i| row.get(i)).cloned()
        };
        let date_samples: Vec<String> = sample.iter().filter_map(|r| cell(r, Role::Date)).collect();
        let amount_role = if map.index(Role::Amount).is_some() {
            Role::Amount
        } else {
            Role::UnitPrice
        };
        let amount_samples: Vec<String> =
            sample.iter().filter_map(|r| cell(r, amount_role)).collect();
        let dates = DateParser::from_samples(date_samples.iter().map(String::as_str), forced_order);
        let numbers = NumberParser::from_samples(amount_samples.iter().map(String::as_str));
        RowCleaner {
            map,
            options,
            dates,
            numbers,
            as_of,
            accounting: RowAccounting::default(),
        }
    }

    /// The column map in use.
    pub fn map(&self) -> &ColumnMap {
        &self.map
    }

    /// Cleans one record: `Some` when used (already counted as used), `None` when rejected.
    pub fn clean<'a>(&mut self, row: u64, fields: &[&'a str]) -> Result<Option<Transaction<'a>>> {
        self.accounting.rows_read += 1;
        let get = |role: Role| -> Option<&'a str> {
            self.map
                .index(role)
                .and_then(|i| fields.get(i))
                .map(|s| s.trim())
        };
        let width = self.map.header.len();
        if let Some(extra) = fields.iter().skip(width).find(|f| !f.trim().is_empty()) {
            self.accounting
                .reject(RejectReason::ExtraFields, row, extra);
            return Ok(None);
        }
        let customer = get(Role::CustomerId).unwrap_or("");
        if customer.is_empty() {
            self.accounting
                .reject(RejectReason::MissingCustomerId, row, "");
            return Ok(None);
        }
        let date_cell = get(Role::Date).unwrap_or("");
        let Some(day) = self.dates.parse(date_cell) else {
            self.accounting
                .reject(RejectReason::BadDate, row, date_cell);
            return Ok(None);
        };
        let amount = if self.map.index(Role::Amount).is_some() {
            let cell = get(Role::Amount).unwrap_or("");
            match self.numbers.parse(cell) {
                Some(v) => v,
                None => {
                    self.accounting.reject(RejectReason::BadAmount, row, cell);
                    return Ok(None);
                }
            }
        } else {
            let q_cell = get(Role::Quantity).unwrap_or("");
            let p_cell = get(Role::UnitPrice).unwrap_or("");
            match (self.numbers.parse(q_cell), self.numbers.parse(p_cell)) {
                (Some(q), Some(p)) => q * p,
                _ => {
                    self.accounting.reject(
                        RejectReason::BadAmount,
                        row,
                        &format!("{q_cell} × {p_cell}"),
                    );
                    return Ok(None);
                }
            }
        };
        if self.as_of.is_some_and(|a| day > a) {
            self.accounting
                .reject(RejectReason::AfterAsOf, row, date_cell);
            return Ok(None);
        }
        if amount == 0.0 && self.options.drop_zero_amounts {
            self.accounting.reject(RejectReason::ZeroAmount, row, "0");
            return Ok(None);
        }
        if amount < 0.0 {
            self.accounting.returns += 1;
        }
        self.accounting.rows_used += 1;
        Ok(Some(Transaction {
            row,
            customer,
            order: get(Role::OrderId).filter(|s| !s.is_empty()),
            day,
            amount,
            region: get(Role::Region).filter(|s| !s.is_empty()),
        }))
    }
}
