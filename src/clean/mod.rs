//! Cleaning rules and row accounting: every data row is either used or rejected with a reason.
//!
//! The invariant, checked in tests and shown to the user:
//! `rows_read == rows_used + Σ rows_rejected[reason].count`.

use rustc_hash::FxHashSet;

use crate::prescan::PrescanResult;

use crate::error::{Error, Result};
use crate::ingest::roles::{ColumnMap, Role, Shape};
use crate::ingest::values::evidence::integral_float_len;
use crate::ingest::values::{DateParser, Day, NumberParser};
use crate::ingest::{Decision, InputOptions};

mod accounting;
mod customers;
mod decide;
mod first_pass;
mod options;
mod prologue;
pub mod rows;
mod transactions;

pub use accounting::{RejectReason, Rejection, RowAccounting, EXAMPLE_ROWS};
use first_pass::outlier_threshold;
pub use first_pass::Prescanner;
pub use options::{CleanOptions, DropDuplicates, OutlierPolicy, ReturnsPolicy};
pub use prologue::total_word;
use prologue::{check_repeat, flag_repeat, row_hash};

pub use rows::{AttrCell, AttributeKind, CleanRow, CustomerRow, Transaction};
pub mod ids;
pub use decide::{decide, EvidenceColumns, ValueChoice, ValueScan, MAX_ATTRIBUTES};

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
            // The page says so before the worded evidence (`evidenceFirstRows`).
            d.evidence_params.insert("firstRows", rows.to_string());
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
        let (code, params): (&'static str, Vec<(&'static str, String)>) = match (option, order) {
            (DropDuplicates::No, _) => ("duplicates_unchecked", vec![]),
            (DropDuplicates::Yes, _) => (
                "duplicates_dropped_recipe",
                vec![("dropped", dropped.to_string())],
            ),
            (DropDuplicates::Auto, Some(column)) => (
                "duplicates_order_id",
                vec![
                    ("column", column.to_string()),
                    ("dropped", dropped.to_string()),
                ],
            ),
            (DropDuplicates::Auto, None) => {
                ("duplicates_no_order_id", vec![("kept", kept.to_string())])
            }
        };
        let decision =
            Decision::new("duplicates", value, basis, evidence, key).because(code, params);
        if matches!((option, order), (DropDuplicates::Auto, None)) && kept > 0 {
            // Kept, as the file says; but a reader who expected them dropped must see it.
            decision.warn(crate::warning::Warning::duplicates_kept(kept))
        } else {
            decision
        }
    }
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
