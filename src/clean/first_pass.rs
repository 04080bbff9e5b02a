//! The first of two passes: what the cleaner collects from every row (value evidence, duplicates,
//! the amount distribution) and the decisions made from it before the second pass.

use super::*;

impl RowCleaner {
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
    pub(super) fn amount_has_separator(&self, fields: &[&str]) -> bool {
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
pub(super) fn outlier_threshold(amounts: &[f64], factor: f64) -> Option<f64> {
    let mut logs: Vec<f64> = amounts
        .iter()
        .filter(|a| a.is_finite() && **a != 0.0)
        .map(|a| a.abs().log10())
        .collect();
    // Too few rows to say what is normal.
    if logs.len() < 20 {
        return None;
    }
    crate::stats::sort_total(&mut logs);
    let q = |p: f64| crate::stats::quantile_sorted(&logs, p);
    let (q1, q3) = (q(0.25)?, q(0.75)?);
    let limit = q3 + factor * (q3 - q1).max(0.25);
    Some(10f64.powf(limit))
}
