//! Cleaning rules and row accounting: every data row is either used or rejected with a reason.
//!
//! The invariant, checked in tests and shown to the user:
//! `rows_read == rows_used + Σ rows_rejected[reason].count`.

use std::collections::BTreeMap;

use rustc_hash::FxHashSet;

use crate::prescan::PrescanResult;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ingest::roles::{ColumnMap, Role, Shape};
use crate::ingest::values::evidence::integral_float_len;
use crate::ingest::values::{DateParser, Day, NumberParser};
use crate::ingest::{Decision, InputOptions};

mod decide;
pub mod rows;

pub use rows::{AttrCell, AttributeKind, CleanRow, CustomerRow, Transaction};
pub mod ids;
pub use decide::{decide, EvidenceColumns, ValueChoice, ValueScan, MAX_ATTRIBUTES};

/// How many example row numbers are kept per rejection reason.
pub const EXAMPLE_ROWS: usize = 5;

/// Cleaning settings of the recipe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct CleanOptions {
    /// Rows whose amount is exactly zero: `true` rejects them (reason `zero_amount`). Default `false`.
    pub drop_zero_amounts: bool,
    /// Exact duplicate rows (every cell equal to an earlier used row): `true` keeps the first and
    /// rejects the others (reason `duplicate_row`); `false` keeps them all unchecked; `"auto"`
    /// (default) drops them when the rows carry an order id (one order line exported twice) and
    /// otherwise keeps them as repeat purchases, flagged (`flags.duplicate_row`). Rows are
    /// remembered as 64-bit hashes, 8–16 bytes per used row.
    pub drop_duplicates: DropDuplicates,
    /// Order ids made of this prefix followed only by digits are cancellations and are set aside
    /// (reason `cancelled`), as `C536379` in the UCI Online Retail export. Default `"C"`; `null` or
    /// `""` turns the rule off, and cancellation lines (negative quantity or amount) are then netted
    /// like any return. Ids such as `C01-7` or `CN1` never match: only digits may follow the prefix.
    pub cancelled_prefix: Option<String>,
    /// Rows with a negative amount or quantity: netted against their customer (default) or dropped.
    pub returns: ReturnsPolicy,
    /// Extreme amounts: flagged in the report (default), dropped, or not checked.
    pub outliers: OutlierPolicy,
    /// An amount is extreme when `log10(|amount|)` exceeds Q3 + `outlierIqr` × IQR of the log
    /// amounts of every row (of the first 500 rows for a one-time stream) (the IQR taken as at least 0.25, a factor of 1.8). Default 3.
    pub outlier_iqr: f64,
}

impl Default for CleanOptions {
    fn default() -> Self {
        CleanOptions {
            drop_zero_amounts: false,
            drop_duplicates: DropDuplicates::Auto,
            cancelled_prefix: Some("C".into()),
            returns: ReturnsPolicy::Net,
            outliers: OutlierPolicy::Flag,
            outlier_iqr: 3.0,
        }
    }
}

impl CleanOptions {
    /// Checks the settings.
    pub fn validate(&self) -> Result<()> {
        if !(self.outlier_iqr.is_finite() && self.outlier_iqr > 0.0) {
            return Err(crate::error::Error::recipe(
                "clean.outlierIqr",
                "must be a positive number (3 is Tukey's \"far out\")",
            ));
        }
        Ok(())
    }
}

/// `clean.dropDuplicates`: `true`, `false` or `"auto"` (see [`CleanOptions::drop_duplicates`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DropDuplicates {
    /// Drop exact repeats when the rows carry an order id, else keep and flag them.
    #[default]
    Auto,
    /// Always drop exact repeats.
    Yes,
    /// Never look for them.
    No,
}

impl DropDuplicates {
    /// Whether rows are checked for repeats at all (they are, to flag them, unless `false`).
    pub fn checks(self) -> bool {
        self != DropDuplicates::No
    }

    /// Whether repeats are dropped, given whether the rows carry an order id.
    pub fn drops(self, has_order_id: bool) -> bool {
        match self {
            DropDuplicates::Auto => has_order_id,
            DropDuplicates::Yes => true,
            DropDuplicates::No => false,
        }
    }
}

impl From<bool> for DropDuplicates {
    fn from(b: bool) -> Self {
        if b {
            DropDuplicates::Yes
        } else {
            DropDuplicates::No
        }
    }
}

impl Serialize for DropDuplicates {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            DropDuplicates::Auto => s.serialize_str("auto"),
            DropDuplicates::Yes => s.serialize_bool(true),
            DropDuplicates::No => s.serialize_bool(false),
        }
    }
}

impl<'de> Deserialize<'de> for DropDuplicates {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Bool(bool),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Bool(b) => Ok(b.into()),
            Raw::Text(t) if t == "auto" => Ok(DropDuplicates::Auto),
            Raw::Text(t) => Err(serde::de::Error::custom(format!(
                "clean.dropDuplicates must be true, false or \"auto\", not {t:?}"
            ))),
        }
    }
}

/// What to do with returns (rows with a negative amount or quantity).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReturnsPolicy {
    /// Subtract them from the customer's spend (counted in `returns`).
    #[default]
    Net,
    /// Reject them (reason `return`).
    Drop,
}

/// What to do with extreme amounts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OutlierPolicy {
    /// Use them, and list them under `flags.outlier_amount`.
    #[default]
    Flag,
    /// Reject them (reason `outlier_amount`).
    Drop,
    /// Do not check.
    Off,
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
    pub fn flag_id_variants(&mut self, customer_ids: &[String]) -> Option<String> {
        let groups = ids::variant_groups(customer_ids);
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
        Some(format!(
            "{count} customer ids in {} groups differ from another only by letter case, full-width forms or invisible characters (e.g. {first}): they are kept as different customers; check the export (flags.customer_id_variant)",
            groups.len()
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
    /// Amounts above this (in absolute value) are outliers; `None` when not checked.
    pub outlier_threshold: Option<f64>,
    dedupe: crate::prescan::Dedupe,
    /// Where the outlier threshold came from, for the flag message.
    outlier_basis: &'static str,
    /// Transactions or customer-level rows.
    pub shape: Shape,
    /// Columns without a role, kept per customer: column index, kind, parser.
    attrs: Vec<(usize, AttributeKind, NumberParser)>,
    /// The customer-level row just returned repeats an earlier row (flagged once it is used).
    pending_repeat: bool,
    /// `12346.0` is read as the customer id `12346` (decided from the id column).
    pub integer_ids: bool,
    /// The value decisions in force, with their evidence.
    value_decisions: Vec<Decision>,
    /// A decision the rows seen so far cannot settle (see [`RowCleaner::take_undecided`]).
    undecided: Option<Error>,
    /// The columns whose values decide how values are read.
    evidence: EvidenceColumns,
    /// The input settings (forced date order, decimal separator, id reading, date pattern).
    input: InputOptions,
    /// The compiled `input.dateFormat`.
    format: Option<crate::ingest::values::format::DateFormat>,
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
        let shape = map.shape();
        let input = InputOptions {
            date_order: forced_order,
            ..InputOptions::default()
        };
        Self::build(map, options, as_of, &input, shape, None, sample)
    }

    /// Like [`RowCleaner::new`] with the recipe's input settings: the shape (`None`: detected from
    /// the roles), the forced date order, date pattern, decimal separator and id reading.
    pub fn with_shape(
        map: ColumnMap,
        options: CleanOptions,
        as_of: Option<Day>,
        input: &InputOptions,
        sample: &[Vec<String>],
    ) -> Result<Self> {
        let shape = input.shape.unwrap_or_else(|| map.shape());
        map.check_required_for(shape)?;
        let format = input
            .date_format
            .as_deref()
            .map(crate::ingest::values::format::DateFormat::new)
            .transpose()?;
        Ok(Self::build(
            map, options, as_of, input, shape, format, sample,
        ))
    }

    fn build(
        map: ColumnMap,
        options: CleanOptions,
        as_of: Option<Day>,
        input: &InputOptions,
        shape: Shape,
        format: Option<crate::ingest::values::format::DateFormat>,
        sample: &[Vec<String>],
    ) -> Self {
        let evidence = EvidenceColumns::of(&map, shape);
        let mut scan = ValueScan::default();
        for row in sample {
            let refs: Vec<&str> = row.iter().map(String::as_str).collect();
            scan.add(&evidence, &refs, format.as_ref());
        }
        let choice = decide(&map, &evidence, &scan, input, format.as_ref());
        let mut cleaner = RowCleaner {
            map,
            options,
            dates: DateParser::default(),
            numbers: NumberParser::default(),
            as_of,
            accounting: RowAccounting::default(),
            outlier_threshold: None,
            dedupe: crate::prescan::Dedupe::default(),
            outlier_basis: "the first rows",
            shape,
            attrs: Vec::new(),
            pending_repeat: false,
            integer_ids: false,
            value_decisions: Vec::new(),
            undecided: None,
            evidence,
            input: input.clone(),
            format,
        };
        cleaner.use_choice(choice);
        if cleaner.options.outliers != OutlierPolicy::Off && shape == Shape::Transactions {
            let amounts: Vec<f64> = sample
                .iter()
                .filter_map(|r| {
                    let refs: Vec<&str> = r.iter().map(String::as_str).collect();
                    cleaner.amount_of(&refs).ok()
                })
                .collect();
            cleaner.outlier_threshold = outlier_threshold(&amounts, cleaner.options.outlier_iqr);
        }
        cleaner
    }

    /// Reads values as `choice` says from now on.
    fn use_choice(&mut self, choice: ValueChoice) {
        // The value fit of each role over the rows the choice saw (every row in two passes),
        // replacing the one the column map measured on its first rows.
        for &(k, fit) in &choice.fits {
            if let Some(m) = self.map.roles.get_mut(k) {
                m.value_fit = Some(fit);
            }
        }
        self.dates = choice.dates;
        self.numbers = choice.numbers;
        self.attrs = choice.attributes;
        self.integer_ids = choice.integer_ids;
        self.value_decisions = choice.decisions;
        self.undecided = choice.undecided;
    }

    /// The error of a decision the rows could not settle (ambiguous dates or decimal separator),
    /// once. A load that has seen every row refuses with it; a one-time stream that decided from
    /// its first rows goes on with the default its decision states, and a warning.
    pub fn take_undecided(&mut self) -> Option<Error> {
        self.undecided.take()
    }

    /// Notes that the value decisions come from the first `rows` rows of a one-time stream, not
    /// from the whole input.
    pub fn decided_from_first_rows(&mut self, rows: usize) {
        for d in &mut self.value_decisions {
            d.evidence = format!("first {rows} rows only (read once): {}", d.evidence);
        }
    }

    /// The customer id as the load reads it: `12346.0` is `12346` when the id column is integral.
    fn customer_id<'a>(&self, raw: &'a str) -> &'a str {
        if self.integer_ids {
            if let Some(n) = integral_float_len(raw) {
                return raw.get(..n).unwrap_or(raw);
            }
        }
        raw
    }

    /// The row's amount: the amount cell, or quantity × unit price. `Err` holds the bad cell text.
    fn amount_of(&self, fields: &[&str]) -> std::result::Result<f64, String> {
        self.amount_with(fields, self.numbers)
    }

    /// [`RowCleaner::amount_of`] with another number parser.
    fn amount_with(
        &self,
        fields: &[&str],
        numbers: NumberParser,
    ) -> std::result::Result<f64, String> {
        let get = |role: Role| -> &str {
            self.map
                .index(role)
                .and_then(|i| fields.get(i))
                .map_or("", |s| s.trim())
        };
        if self.map.index(Role::Amount).is_some() {
            let cell = get(Role::Amount);
            return numbers.parse(cell).ok_or_else(|| cell.to_string());
        }
        let (q_cell, p_cell) = (get(Role::Quantity), get(Role::UnitPrice));
        match (numbers.parse(q_cell), numbers.parse(p_cell)) {
            (Some(q), Some(p)) => Ok(q * p),
            _ => Err(format!("{q_cell} × {p_cell}")),
        }
    }

    /// First pass of a two-pass load: notes the row's value evidence (date order, decimal
    /// separator, ids, attribute kinds), its hash for duplicate detection and its amount for the
    /// outlier threshold. Counts nothing; the second pass does the cleaning.
    pub fn prescan(&self, fields: &[&str], scan: &mut Prescanner) {
        scan.rows += 1;
        // A total row is set aside in the second pass: its sum is no amount and no repeat.
        if self.total_cell(fields).is_some() {
            return;
        }
        scan.values
            .add(&self.evidence, fields, self.format.as_ref());
        if let Some(d) = scan.duplicates.as_mut() {
            // Every row, even one the second pass rejects before its duplicate check: the
            // candidates only need to include every repeat, extra ones cost a few bytes.
            d.add(row_hash(fields));
        }
        let Some(amounts) = scan.amounts.as_mut() else {
            return;
        };
        let id = self
            .map
            .index(Role::CustomerId)
            .and_then(|i| fields.get(i))
            .map_or("", |s| s.trim());
        if id.is_empty() {
            return;
        }
        // The separator is decided only at the end of this pass: the amount is counted under both
        // readings (once when it has no separator, so both agree).
        let dot = NumberParser::default();
        let comma = NumberParser {
            decimal_comma: true,
        };
        let [by_dot, by_comma] = &mut **amounts;
        match self.amount_with(fields, dot) {
            Ok(a) => {
                let separated = self.amount_has_separator(fields);
                by_dot.add(a);
                if !separated {
                    by_comma.add(a);
                } else if let Ok(b) = self.amount_with(fields, comma) {
                    by_comma.add(b);
                }
            }
            Err(_) => {
                if let Ok(b) = self.amount_with(fields, comma) {
                    by_comma.add(b);
                }
            }
        }
    }

    /// Whether an amount cell of the row has a `,` or `.` (only then do the two readings differ).
    fn amount_has_separator(&self, fields: &[&str]) -> bool {
        [Role::Amount, Role::Quantity, Role::UnitPrice]
            .into_iter()
            .filter_map(|r| self.map.index(r))
            .filter_map(|i| fields.get(i))
            .any(|c| c.contains([',', '.']))
    }

    /// Ends the first pass: decides how values are read from every row's evidence and hands the
    /// second pass what it needs. Refuses (an [`Error::Ambiguous`]) when the whole input cannot
    /// settle the date order or the decimal separator.
    pub fn finish_prescan(&self, scan: Prescanner) -> Result<(PrescanResult, ValueChoice)> {
        let mut choice = decide(
            &self.map,
            &self.evidence,
            &scan.values,
            &self.input,
            self.format.as_ref(),
        );
        if let Some(e) = choice.undecided.take() {
            return Err(e);
        }
        let amounts = scan.amounts.map(|h| {
            let [dot, comma] = *h;
            if choice.numbers.decimal_comma {
                comma
            } else {
                dot
            }
        });
        let found = PrescanResult {
            duplicate_candidates: scan
                .duplicates
                .map(crate::prescan::DuplicateScan::into_candidates),
            amounts,
            rows: scan.rows,
        };
        Ok((found, choice))
    }

    /// Starts the second pass of a two-pass load with what the first found.
    pub fn apply_prescan(&mut self, found: PrescanResult, choice: ValueChoice) {
        self.use_choice(choice);
        if let Some(candidates) = found.duplicate_candidates {
            self.dedupe = crate::prescan::Dedupe::Candidates {
                candidates,
                seen: FxHashSet::default(),
            };
        }
        if let Some(h) = found.amounts {
            if self.options.outliers != OutlierPolicy::Off && self.shape == Shape::Transactions {
                self.outlier_threshold = outlier_threshold_of(&h, self.options.outlier_iqr);
                self.outlier_basis = "all rows";
            }
        }
    }

    /// A first-pass scanner: value evidence always, and what this cleaner's rules need.
    pub fn prescanner(&self, expected_rows: Option<u64>) -> Prescanner {
        let duplicates = self
            .options
            .drop_duplicates
            .checks()
            .then(|| crate::prescan::DuplicateScan::with_expected_rows(expected_rows));
        let amounts = (self.options.outliers != OutlierPolicy::Off
            && self.shape == Shape::Transactions)
            .then(Box::default);
        Prescanner {
            duplicates,
            amounts,
            values: ValueScan::default(),
            rows: 0,
        }
    }

    /// The value-reading decisions of this cleaner (date order, decimal separator, customer ids,
    /// Excel serials, date pattern), with evidence.
    pub fn decisions(&self) -> Vec<Decision> {
        self.value_decisions.clone()
    }

    /// The column map in use.
    pub fn map(&self) -> &ColumnMap {
        &self.map
    }

    /// Extra columns kept per customer: header name and kind.
    pub fn attribute_defs(&self) -> Vec<(String, AttributeKind)> {
        self.attrs
            .iter()
            .map(|&(i, kind, _)| (self.map.name(i).to_string(), kind))
            .collect()
    }

    fn attr_cells<'a>(&self, fields: &[&'a str]) -> Vec<Option<AttrCell<'a>>> {
        self.attrs
            .iter()
            .map(|&(i, kind, numbers)| {
                let cell = fields.get(i).map(|s| s.trim()).filter(|s| !s.is_empty())?;
                match kind {
                    AttributeKind::Numeric => numbers.parse(cell).map(AttrCell::Number),
                    AttributeKind::Categorical => Some(AttrCell::Text(cell)),
                }
            })
            .collect()
    }

    /// Cleans one record of either shape: `Some` when used, with its extra-column cells, for the
    /// caller to hand to the aggregator. A transaction row is counted as used here; a
    /// customer-level row once the aggregator has taken it ([`RowCleaner::settle_customer`]).
    pub fn clean_row<'a>(&mut self, row: u64, fields: &[&'a str]) -> Result<Option<CleanRow<'a>>> {
        if self.shape == Shape::Customers {
            return Ok(self
                .clean_customer(row, fields)?
                .map(|r| CleanRow::Customer(r, self.attr_cells(fields))));
        }
        Ok(self.clean(row, fields)?.map(|t| {
            let cells = if self.attrs.is_empty() {
                Vec::new()
            } else {
                self.attr_cells(fields)
            };
            CleanRow::Transaction(t, cells)
        }))
    }

    /// Counts a customer-level row returned by [`RowCleaner::clean_row`]: used when the
    /// aggregator took it (`added`), else rejected as a second row of the same customer.
    pub fn settle_customer(&mut self, row: u64, fields: &[&str], customer: &str, added: bool) {
        if !added {
            self.accounting
                .reject(RejectReason::DuplicateCustomer, row, customer);
            return;
        }
        if std::mem::take(&mut self.pending_repeat) {
            flag_repeat(&mut self.accounting, row, fields);
        }
        self.accounting.rows_used += 1;
    }

    /// Rejects a row with non-empty cells beyond the header's columns (trailing empty cells, which
    /// spreadsheet exports often add, are fine).
    fn rejects_extra_fields(&mut self, row: u64, fields: &[&str]) -> bool {
        let width = self.map.header.len();
        match fields.iter().skip(width).find(|f| !f.trim().is_empty()) {
            Some(extra) => {
                self.accounting
                    .reject(RejectReason::ExtraFields, row, extra);
                true
            }
            None => false,
        }
    }

    /// Rejects a total or subtotal row (reason `total_row`): its customer id cell, or its first
    /// cell, is exactly one of the [`crate::clean::total_word`] words.
    fn rejects_total_row(&mut self, row: u64, fields: &[&str]) -> bool {
        match self.total_cell(fields) {
            Some(cell) => {
                let cell = cell.to_string();
                self.accounting.reject(RejectReason::TotalRow, row, &cell);
                true
            }
            None => false,
        }
    }

    /// The cell that makes `fields` a total row, if any.
    fn total_cell<'a>(&self, fields: &[&'a str]) -> Option<&'a str> {
        let id = self.map.index(Role::CustomerId).and_then(|i| fields.get(i));
        id.into_iter()
            .chain(fields.first())
            .copied()
            .find(|c| total_word(c))
    }

    /// Whether exact repeats are dropped: `clean.dropDuplicates`, and for `"auto"` whether the
    /// rows carry an order id.
    pub fn drops_duplicates(&self) -> bool {
        self.options
            .drop_duplicates
            .drops(self.map.index(Role::OrderId).is_some())
    }

    /// The `duplicates` decision: what was done with exact repeats, and why.
    pub fn duplicates_decision(&self) -> crate::ingest::Decision {
        use crate::ingest::{Basis, Decision};
        let key = "clean.dropDuplicates";
        let option = self.options.drop_duplicates;
        let dropped = self
            .accounting
            .rows_rejected
            .get(RejectReason::DuplicateRow.code())
            .map_or(0, |r| r.count);
        let kept = self
            .accounting
            .flags
            .get("duplicate_row")
            .map_or(0, |r| r.count);
        let order = self.map.index(Role::OrderId).map(|i| self.map.name(i));
        let (value, basis, evidence) = match (option, order) {
            (DropDuplicates::No, _) => (
                "keep",
                Basis::Recipe,
                "not checked (clean.dropDuplicates: false)".to_string(),
            ),
            (DropDuplicates::Yes, _) => (
                "drop",
                Basis::Recipe,
                format!("{dropped} exact repeats dropped (clean.dropDuplicates: true)"),
            ),
            (DropDuplicates::Auto, Some(column)) => (
                "drop",
                Basis::File,
                format!(
                    "the rows carry an order id (column {column:?}): an exact repeat is one order line exported twice; {dropped} dropped"
                ),
            ),
            (DropDuplicates::Auto, None) => (
                "keep",
                Basis::File,
                format!(
                    "no order id column: identical lines are repeat purchases; {kept} kept and flagged (flags.duplicate_row)"
                ),
            ),
        };
        let decision = Decision::new("duplicates", value, basis, evidence, key);
        if matches!((option, order), (DropDuplicates::Auto, None)) && kept > 0 {
            // Kept, as the file says; but a reader who expected them dropped must see it.
            decision.warn(format!(
                "{kept} rows repeat an earlier row exactly and, without an order id, are kept as repeat purchases; set clean.dropDuplicates to true if they are the same line exported twice"
            ))
        } else {
            decision
        }
    }

    /// One row of customer-level input.
    fn clean_customer<'a>(
        &mut self,
        row: u64,
        fields: &[&'a str],
    ) -> Result<Option<CustomerRow<'a>>> {
        self.accounting.rows_read += 1;
        if self.rejects_total_row(row, fields) || self.rejects_extra_fields(row, fields) {
            return Ok(None);
        }
        let get = |role: Role| -> Option<&'a str> {
            self.map
                .index(role)
                .and_then(|i| fields.get(i))
                .map(|s| s.trim())
        };
        let customer = self.customer_id(get(Role::CustomerId).unwrap_or(""));
        if customer.is_empty() {
            self.accounting
                .reject(RejectReason::MissingCustomerId, row, "");
            return Ok(None);
        }
        // An empty purchase date (or recency) is a prospect — a contact without a purchase — as
        // long as the row has no orders and no spend either; checked below.
        let last_day = if self.map.index(Role::LastPurchase).is_some() {
            let cell = get(Role::LastPurchase).unwrap_or("");
            match self.dates.parse(cell) {
                Some(d) => Some(d),
                None if cell.is_empty() => None,
                None => {
                    self.accounting.reject(RejectReason::BadDate, row, cell);
                    return Ok(None);
                }
            }
        } else {
            let Some(as_of) = self.as_of else {
                return Err(crate::error::Error::recipe(
                    "asOf",
                    "this customer file gives recency in days but no purchase dates: set asOf to the date the export was made",
                ));
            };
            let cell = get(Role::Recency).unwrap_or("");
            match NumberParser::default()
                .parse(cell)
                .filter(|v| *v >= 0.0 && *v < 1e6)
            {
                // Bounded above, so the conversion is exact.
                #[allow(clippy::cast_possible_truncation)]
                Some(days) => Some(as_of - days.round() as Day),
                None if cell.is_empty() => None,
                None => {
                    self.accounting.reject(RejectReason::BadDate, row, cell);
                    return Ok(None);
                }
            }
        };
        let prospect = last_day.is_none();
        let first_day = get(Role::FirstPurchase).and_then(|c| self.dates.parse(c));
        let orders = match get(Role::Orders) {
            None if prospect => 0,
            None => 1,
            Some("") if prospect => 0,
            Some(cell) => match NumberParser::default()
                .parse(cell)
                .filter(|v| *v >= 0.0 && v.fract() == 0.0 && *v <= f64::from(u32::MAX))
            {
                // Checked to be a whole number in u32 range.
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                Some(v) => v as u32,
                None => {
                    self.accounting
                        .reject(RejectReason::BadOrderCount, row, cell);
                    return Ok(None);
                }
            },
        };
        let spend_role = [Role::TotalSpend, Role::Amount]
            .into_iter()
            .find(|r| self.map.index(*r).is_some());
        let spend = match spend_role {
            None => 0.0,
            Some(role) => {
                let cell = get(role).unwrap_or("");
                match self.numbers.parse(cell) {
                    Some(v) => v,
                    None if prospect && cell.is_empty() => 0.0,
                    None => {
                        self.accounting.reject(RejectReason::BadAmount, row, cell);
                        return Ok(None);
                    }
                }
            }
        };
        if prospect && (orders > 0 || spend != 0.0) {
            // Orders or spend without a purchase date: recency cannot be known.
            self.accounting.reject(RejectReason::BadDate, row, "");
            return Ok(None);
        }
        let drops = self.drops_duplicates();
        let repeat =
            self.options.drop_duplicates.checks() && self.dedupe.is_repeat(row_hash(fields));
        if repeat && drops {
            self.accounting
                .reject(RejectReason::DuplicateRow, row, &fields.join(","));
            return Ok(None);
        }
        if self.as_of.is_some_and(|a| last_day.is_some_and(|d| d > a)) {
            let cell = get(Role::LastPurchase).unwrap_or("");
            self.accounting.reject(RejectReason::AfterAsOf, row, cell);
            return Ok(None);
        }
        // A prospect has no purchase at all, not a zero-amount one.
        if spend == 0.0 && !prospect && self.options.drop_zero_amounts {
            self.accounting.reject(RejectReason::ZeroAmount, row, "0");
            return Ok(None);
        }
        self.pending_repeat = repeat;
        Ok(Some(CustomerRow {
            customer,
            last_day,
            first_day,
            orders,
            spend,
            region: get(Role::Region).filter(|s| !s.is_empty()),
        }))
    }

    /// Cleans one record: `Some` when used (already counted as used), `None` when rejected.
    pub fn clean<'a>(&mut self, row: u64, fields: &[&'a str]) -> Result<Option<Transaction<'a>>> {
        self.accounting.rows_read += 1;
        if self.rejects_total_row(row, fields) || self.rejects_extra_fields(row, fields) {
            return Ok(None);
        }
        let get = |role: Role| -> Option<&'a str> {
            self.map
                .index(role)
                .and_then(|i| fields.get(i))
                .map(|s| s.trim())
        };
        let customer = self.customer_id(get(Role::CustomerId).unwrap_or(""));
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
        let amount = match self.amount_of(fields) {
            Ok(v) => v,
            Err(cell) => {
                self.accounting.reject(RejectReason::BadAmount, row, &cell);
                return Ok(None);
            }
        };
        let drops = self.drops_duplicates();
        let repeat =
            self.options.drop_duplicates.checks() && self.dedupe.is_repeat(row_hash(fields));
        if repeat && drops {
            self.accounting
                .reject(RejectReason::DuplicateRow, row, &fields.join(","));
            return Ok(None);
        }
        let order = get(Role::OrderId).filter(|s| !s.is_empty());
        if let (Some(id), Some(prefix)) = (order, self.options.cancelled_prefix.as_deref()) {
            let cancelled = !prefix.is_empty()
                && id.strip_prefix(prefix).is_some_and(|rest| {
                    !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())
                });
            if cancelled {
                self.accounting.reject(RejectReason::Cancelled, row, id);
                return Ok(None);
            }
        }
        if self.as_of.is_some_and(|a| day > a) {
            self.accounting
                .reject(RejectReason::AfterAsOf, row, date_cell);
            return Ok(None);
        }
        if amount == 0.0 && self.options.drop_zero_amounts {
            self.accounting.reject(RejectReason::ZeroAmount, row, "0");
            return Ok(None);
        }
        let negative_qty = get(Role::Quantity)
            .and_then(|q| self.numbers.parse(q))
            .is_some_and(|q| q < 0.0);
        if (amount < 0.0 || negative_qty) && self.options.returns == ReturnsPolicy::Drop {
            let cell = if amount < 0.0 {
                crate::report::fmt_num(amount)
            } else {
                get(Role::Quantity).unwrap_or("").to_string()
            };
            self.accounting.reject(RejectReason::Return, row, &cell);
            return Ok(None);
        }
        if let Some(limit) = self.outlier_threshold {
            if amount.abs() > limit {
                let text = crate::report::fmt_num(amount);
                if self.options.outliers == OutlierPolicy::Drop {
                    self.accounting
                        .reject(RejectReason::OutlierAmount, row, &text);
                    return Ok(None);
                }
                let message = format!(
                    "amount beyond {} (Q3 + {}×IQR of the log amounts of {}); used, worth a check",
                    crate::report::fmt_num(limit),
                    self.options.outlier_iqr,
                    self.outlier_basis
                );
                self.accounting.flag("outlier_amount", &message, row, &text);
            }
        }
        if amount < 0.0 {
            self.accounting.returns += 1;
        }
        if repeat {
            flag_repeat(&mut self.accounting, row, fields);
        }
        self.accounting.rows_used += 1;
        Ok(Some(Transaction {
            row,
            customer,
            order,
            day,
            amount,
            region: get(Role::Region).filter(|s| !s.is_empty()),
        }))
    }
}

/// Flags a kept exact repeat (once the row is used).
fn flag_repeat(accounting: &mut RowAccounting, row: u64, fields: &[&str]) {
    accounting.flag(
        "duplicate_row",
        "exact repeat of an earlier row, kept: without an order id identical lines are usually repeat purchases (clean.dropDuplicates: true drops them)",
        row,
        &fields.join(","),
    );
}

/// Whether a cell marks a total or subtotal row: exactly `合计`, `总计`, `小计`, `共计`, `Total`,
/// `Totals`, `Grand total`, `Subtotal` or `Sub-total` after trimming, case-insensitively, with
/// inner spaces (`合　计`) and a trailing `:`/`：` ignored. `Total Fitness Ltd` is a customer.
pub fn total_word(cell: &str) -> bool {
    let t = cell.trim().trim_end_matches([':', '：']);
    if t.len() > 16 {
        return false;
    }
    let squeezed: String = t
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    matches!(
        squeezed.as_str(),
        "合计"
            | "总计"
            | "小计"
            | "共计"
            | "总合计"
            | "total"
            | "totals"
            | "grandtotal"
            | "subtotal"
    )
}

/// 64-bit hash of the record's cells (lengths included, so `a,bc` ≠ `ab,c`); trailing empty cells
/// are ignored so a row with an extra empty column still equals its twin. rustc-hash 2 hashes
/// byte strings with a wyhash-style function: well mixed, fast, the same on every platform.
fn row_hash(fields: &[&str]) -> u64 {
    let used = fields
        .iter()
        .rposition(|f| !f.trim().is_empty())
        .map_or(0, |i| i + 1);
    crate::hashing::hash_strs(fields.iter().take(used).map(|f| f.trim()))
}

/// What a first pass collects (see [`crate::prescan`]).
#[derive(Debug, Clone)]
pub struct Prescanner {
    duplicates: Option<crate::prescan::DuplicateScan>,
    /// Log-amount histograms under a decimal point and under a decimal comma.
    amounts: Option<Box<[crate::prescan::LogHistogram; 2]>>,
    values: ValueScan,
    /// Data rows seen.
    pub rows: u64,
}

/// The outlier threshold from a whole-input histogram: as [`outlier_threshold`], with the
/// quartiles read from the histogram.
fn outlier_threshold_of(h: &crate::prescan::LogHistogram, factor: f64) -> Option<f64> {
    if h.len() < 20 {
        return None;
    }
    let (q1, q3) = (h.quantile(0.25)?, h.quantile(0.75)?);
    Some(10f64.powf(q3 + factor * (q3 - q1).max(0.25)))
}

/// Q3 + factor × IQR over `log10(|amount|)` of the non-zero sample amounts, back in amount units.
fn outlier_threshold(amounts: &[f64], factor: f64) -> Option<f64> {
    let mut logs: Vec<f64> = amounts
        .iter()
        .filter(|a| a.is_finite() && **a != 0.0)
        .map(|a| a.abs().log10())
        .collect();
    // Too few rows to say what is normal.
    if logs.len() < 20 {
        return None;
    }
    logs.sort_by(f64::total_cmp);
    let q = |p: f64| crate::score::quantiles::quantile_sorted(&logs, p);
    let (q1, q3) = (q(0.25)?, q(0.75)?);
    let limit = q3 + factor * (q3 - q1).max(0.25);
    Some(10f64.powf(limit))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::roles::RoleOverrides;

    fn cleaner(header: &[&str], options: CleanOptions, sample: &[&[&str]]) -> RowCleaner {
        let header: Vec<String> = header.iter().map(|s| s.to_string()).collect();
        let map = ColumnMap::infer(&header, &RoleOverrides::new()).unwrap();
        let sample: Vec<Vec<String>> = sample
            .iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect();
        RowCleaner::new(map, options, None, None, &sample)
    }

    #[test]
    fn duplicates_cancellations_and_returns() {
        let h = ["invoice", "customer", "date", "quantity", "unit price"];
        let mut c = cleaner(&h, CleanOptions::default(), &[]);
        let rows: [&[&str]; 6] = [
            &["536365", "A", "2024-01-01", "2", "3.5"],
            &["536365", "A", "2024-01-01", "2", "3.5"], // duplicate
            &["C536366", "A", "2024-01-02", "-1", "3.5"], // cancelled
            &["CN1", "B", "2024-01-02", "1", "4"],      // prefix not followed by a digit
            &["536367", "B", "2024-01-03", "-1", "4"],  // return, netted
            &["536368", "B", "2024-01-03", "2", "4", ""], // trailing empty cell
        ];
        let used: Vec<bool> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| c.clean(i as u64 + 2, r).unwrap().is_some())
            .collect();
        assert_eq!(used, [true, false, false, true, true, true]);
        let a = &c.accounting;
        assert_eq!((a.rows_read, a.rows_used, a.returns), (6, 4, 1));
        assert_eq!(a.rows_rejected["duplicate_row"].rows, vec![3]);
        assert_eq!(a.rows_rejected["cancelled"].examples, vec!["C536366"]);
        assert_eq!(a.rows_read, a.rows_used + a.rejected_total());

        let drop = CleanOptions {
            returns: ReturnsPolicy::Drop,
            drop_duplicates: DropDuplicates::No,
            cancelled_prefix: None,
            ..CleanOptions::default()
        };
        let mut c = cleaner(&h, drop, &[]);
        for (i, r) in rows.iter().enumerate() {
            c.clean(i as u64 + 2, r).unwrap();
        }
        let a = &c.accounting;
        assert_eq!(a.rows_rejected["return"].rows, vec![4, 6]);
        assert_eq!(a.rows_used, 4);
        assert_eq!(a.returns, 0);
    }

    #[test]
    fn total_words_are_exact_cells_not_prefixes() {
        for t in [
            "合计",
            "总计",
            "小计",
            " 合　计 ",
            "合计：",
            "Total",
            "TOTAL:",
            "Grand total",
            "Sub-total",
            "subtotal",
        ] {
            assert!(total_word(t), "{t:?}");
        }
        for t in [
            "Total Fitness Ltd",
            "合计金额",
            "C001",
            "",
            "Totally",
            "总计划",
        ] {
            assert!(!total_word(t), "{t:?}");
        }
    }

    #[test]
    fn extreme_amounts_are_flagged_not_dropped_by_default() {
        let h = ["customer", "date", "amount"];
        let sample: Vec<Vec<String>> = (0..40)
            .map(|i| vec!["A".into(), "2024-01-01".into(), format!("{}", 10 + i)])
            .collect();
        let refs: Vec<Vec<&str>> = sample
            .iter()
            .map(|r| r.iter().map(String::as_str).collect())
            .collect();
        let refs: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
        let mut c = cleaner(&h, CleanOptions::default(), &refs);
        // Type-7 quartiles of log10(10..=49): between the 10th/11th and 30th/31st values.
        let l = |v: f64| v.log10();
        let q1 = l(19.0) + 0.75 * (l(20.0) - l(19.0));
        let q3 = l(39.0) + 0.25 * (l(40.0) - l(39.0));
        let expected = 10f64.powf(q3 + 3.0 * (q3 - q1)); // about 308
        let limit = c.outlier_threshold.unwrap();
        assert!((limit - expected).abs() < 1e-9, "{limit} vs {expected}");
        assert!(c.clean(2, &["A", "2024-01-02", "200"]).unwrap().is_some());
        assert!(c.clean(3, &["B", "2024-01-02", "5000"]).unwrap().is_some());
        assert_eq!(c.accounting.flags["outlier_amount"].rows, vec![3]);
        assert_eq!(c.accounting.rows_used, 2);

        let drop = CleanOptions {
            outliers: OutlierPolicy::Drop,
            ..CleanOptions::default()
        };
        let mut c = cleaner(&h, drop, &refs);
        assert!(c.clean(3, &["B", "2024-01-02", "-5000"]).unwrap().is_none());
        assert_eq!(c.accounting.rows_rejected["outlier_amount"].count, 1);
    }
}
