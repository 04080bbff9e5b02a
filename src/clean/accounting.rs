//! Row accounting: every data row is either used or rejected with a reason, and kept rows worth
//! a look are flagged. The invariant: `rows_read == rows_used + Σ rows_rejected[reason].count`.

use std::collections::BTreeMap;

use serde::Serialize;

/// How many example row numbers are kept per rejection reason.
pub const EXAMPLE_ROWS: usize = 5;

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
    /// Every cell equals an earlier used row.
    DuplicateRow,
    /// The order id marks a cancellation (`cleanOptions.cancelledPrefix`).
    Cancelled,
    /// A return (negative amount or quantity) and the recipe drops returns.
    Return,
    /// The amount is extreme and the recipe drops outliers.
    OutlierAmount,
    /// Customer-level input: the order count is not a whole number ≥ 0.
    BadOrderCount,
    /// Customer-level input: the customer id already had a row.
    DuplicateCustomer,
    /// A row above the header (a title, an empty row) or a repeated header.
    Preamble,
    /// A total or subtotal row (`合计`, `Total`, ...): a sum of other rows, not a customer.
    TotalRow,
    /// Delimited text: a quoted field ran to the end of the file or across more physical lines
    /// than a field may span; the row's first line was taken literally and set aside.
    UnclosedQuote,
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
            RejectReason::DuplicateRow => "duplicate_row",
            RejectReason::Cancelled => "cancelled",
            RejectReason::Return => "return",
            RejectReason::OutlierAmount => "outlier_amount",
            RejectReason::BadOrderCount => "bad_order_count",
            RejectReason::DuplicateCustomer => "duplicate_customer",
            RejectReason::Preamble => "preamble",
            RejectReason::TotalRow => "total_row",
            RejectReason::UnclosedQuote => "unclosed_quote",
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
            RejectReason::DuplicateRow => "exact duplicate of an earlier row",
            RejectReason::Cancelled => "order id marks a cancelled order",
            RejectReason::Return => "return (negative amount or quantity), dropped by the recipe",
            RejectReason::OutlierAmount => "amount is extreme (dropped by the recipe)",
            RejectReason::BadOrderCount => "order count is empty or not a whole number ≥ 0",
            RejectReason::DuplicateCustomer => {
                "customer id already had a row (customer-level input has one row per customer)"
            }
            RejectReason::Preamble => "row above the header (a title or an empty row), not data",
            RejectReason::TotalRow => {
                "total or subtotal row (合计, 总计, 小计, Total, Subtotal): a sum of other rows"
            }
            RejectReason::UnclosedQuote => {
                "a quoted field is never closed (it runs to the end of the file or across too many lines): the line was set aside and reading went on at the next line"
            }
        }
    }
}

/// Count and first examples of one rejection reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rejection {
    /// Rows rejected for this reason.
    pub count: u64,
    /// What the reason means.
    pub message: String,
    /// The first few row numbers (header = row 1).
    pub rows: Vec<u64>,
    /// The physical lines (1-based) on which those rows start, same order, for text input (a
    /// quoted field with line breaks makes rows and lines differ); empty for other formats.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<u64>,
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
    /// Used rows worth a second look, by flag code (`outlier_amount`): counted, not rejected.
    pub flags: BTreeMap<String, Rejection>,
    /// Physical line on which the row being cleaned starts (set by the loader before each row of
    /// text input), recorded beside the row number by `reject` and `flag`.
    #[serde(skip)]
    pub current_line: Option<u64>,
}

impl RowAccounting {
    /// Records a rejected row.
    pub fn reject(&mut self, reason: RejectReason, row: u64, value: &str) {
        let line = self.current_line;
        count_in(
            &mut self.rows_rejected,
            reason.code(),
            reason.message(),
            (row, line),
            value,
        );
    }

    /// Flags customer ids that differ only by case, full-width forms or invisible characters
    /// (see [`ids`]): flag `customer_id_variant`, counting the ids involved, one example per
    /// group. Returns the warning to show, if any.
    pub fn flag_id_variants(&mut self, customer_ids: &[String]) -> Option<crate::warning::Warning> {
        let groups = super::ids::variant_groups(customer_ids);
        if groups.is_empty() {
            return None;
        }
        let examples: Vec<String> = groups
            .iter()
            .take(EXAMPLE_ROWS)
            .map(|g| {
                g.iter()
                    .map(|id| format!("{id:?}"))
                    .collect::<Vec<_>>()
                    .join(" / ")
            })
            .collect();
        let count: usize = groups.iter().map(Vec::len).sum();
        let first = examples.first().cloned().unwrap_or_default();
        self.flags.insert(
            "customer_id_variant".into(),
            Rejection {
                count: count as u64,
                message: "customer ids that differ only by letter case, full-width forms or invisible characters: kept as different customers".into(),
                rows: Vec::new(),
                lines: Vec::new(),
                examples,
            },
        );
        Some(crate::warning::Warning::customer_id_variants(
            count,
            groups.len(),
            &first,
        ))
    }

    /// Records a row that is read but set aside before cleaning (a `preamble` row above the
    /// header, an `unclosed_quote` line the reader could not split): counted in `rows_read` so that
    /// `rows_read == rows_used + Σ rejected` still holds.
    pub fn set_aside(&mut self, reason: RejectReason, row: u64, value: &str) {
        self.rows_read += 1;
        self.reject(reason, row, value);
    }

    /// Records a flag on a used row (it stays used).
    pub fn flag(&mut self, code: &str, message: &str, row: u64, value: &str) {
        let line = self.current_line;
        count_in(&mut self.flags, code, message, (row, line), value);
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

fn count_in(
    map: &mut BTreeMap<String, Rejection>,
    code: &str,
    message: &str,
    (row, line): (u64, Option<u64>),
    value: &str,
) {
    let entry = map.entry(code.to_string()).or_insert_with(|| Rejection {
        count: 0,
        message: message.to_string(),
        rows: Vec::new(),
        lines: Vec::new(),
        examples: Vec::new(),
    });
    entry.count += 1;
    if entry.rows.len() < EXAMPLE_ROWS {
        entry.rows.push(row);
        entry.lines.extend(line);
        entry.examples.push(value.chars().take(80).collect());
    }
}
