//! Result assembly: the per-segment summary, the report document and the customer-list CSV.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::clean::Rejection;
use crate::config::Recipe;
use crate::features::Customers;
use crate::ingest::roles::RoleMatch;
use crate::ingest::values::{date_of, DateParser, NumberParser};
use crate::ingest::Detected;
use crate::score::{Coverage, RuleSet, Scores, Thresholds};

/// Summary of one group of customers (a segment, later a tier, stage or cluster).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSummary {
    /// Group name.
    pub name: String,
    /// Customers in the group.
    pub customers: usize,
    /// Share of all customers (0..1).
    pub share: f64,
    /// Net revenue of the group.
    pub revenue: f64,
    /// Share of all net revenue (0..1; 0 when total revenue is not positive).
    pub revenue_share: f64,
    /// Mean recency in days.
    pub mean_recency_days: f64,
    /// Mean frequency.
    pub mean_frequency: f64,
    /// Mean monetary.
    pub mean_monetary: f64,
}

/// Summarises customers grouped by `labels` (index into `names`), in `names` order; empty groups kept.
pub fn summarise(customers: &Customers, labels: &[u16], names: &[String]) -> Vec<GroupSummary> {
    let k = names.len();
    let mut count = vec![0usize; k];
    let mut revenue = vec![0.0f64; k];
    let mut rec = vec![0.0f64; k];
    let mut freq = vec![0.0f64; k];
    for (i, &g) in labels.iter().enumerate() {
        let g = usize::from(g);
        if g >= k {
            continue;
        }
        if let Some(c) = count.get_mut(g) {
            *c += 1;
        }
        if let (Some(slot), Some(v)) = (revenue.get_mut(g), customers.monetary.get(i)) {
            *slot += v;
        }
        if let (Some(slot), Some(v)) = (rec.get_mut(g), customers.recency_days.get(i)) {
            *slot += f64::from(*v);
        }
        if let (Some(slot), Some(v)) = (freq.get_mut(g), customers.frequency.get(i)) {
            *slot += f64::from(*v);
        }
    }
    let total_customers = labels.len().max(1);
    let total_revenue: f64 = revenue.iter().sum();
    names
        .iter()
        .enumerate()
        .map(|(g, name)| {
            let n = count.get(g).copied().unwrap_or(0);
            let rev = revenue.get(g).copied().unwrap_or(0.0);
            #[allow(clippy::cast_precision_loss)]
            let (nf, tf) = (n.max(1) as f64, total_customers as f64);
            #[allow(clippy::cast_precision_loss)]
            let share = n as f64 / tf;
            GroupSummary {
                name: name.clone(),
                customers: n,
                share,
                revenue: rev,
                revenue_share: if total_revenue > 0.0 {
                    rev / total_revenue
                } else {
                    0.0
                },
                mean_recency_days: rec.get(g).copied().unwrap_or(0.0) / nf,
                mean_frequency: freq.get(g).copied().unwrap_or(0.0) / nf,
                mean_monetary: rev / nf,
            }
        })
        .collect()
}

/// What was understood about the input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputReport {
    /// Format, encoding, delimiter.
    pub detected: Option<Detected>,
    /// Column roles found, with confidence.
    pub columns: Vec<RoleMatch>,
    /// Header names as in the file.
    pub header: Vec<String>,
    /// How dates were read.
    pub dates: DateParser,
    /// How amounts were read.
    pub numbers: NumberParser,
    /// First and last transaction date used (`YYYY-MM-DD`).
    pub date_range: Option<[String; 2]>,
    /// Transactions or customer-level input.
    pub shape: crate::ingest::roles::Shape,
}

/// The segment rules applied, with their coverage check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentsReport {
    /// The rule set.
    pub rules: RuleSet,
    /// Its coverage over all score cells.
    pub coverage: Coverage,
    /// Per-segment summary, in rule order.
    pub summary: Vec<GroupSummary>,
}

/// `report.json`: everything about a run except the per-customer rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// tierlens version that produced the report.
    pub tierlens_version: String,
    /// Data rows read (header excluded).
    pub rows_read: u64,
    /// Rows used in the analysis.
    pub rows_used: u64,
    /// Rejected rows by reason, each with count, message and example rows.
    pub rows_rejected: BTreeMap<String, Rejection>,
    /// Used rows that were returns (negative amounts), netted against their customer.
    pub returns: u64,
    /// Used rows worth a second look (e.g. `outlier_amount`), by flag, with count and example rows.
    pub flags: BTreeMap<String, Rejection>,
    /// Customers analysed.
    pub customers: usize,
    /// The analysis date (`YYYY-MM-DD`).
    pub as_of: String,
    /// What was understood about the input.
    pub input: InputReport,
    /// Score cut points per metric.
    pub thresholds: Vec<Thresholds>,
    /// Segments: rules, coverage and summary.
    pub segments: SegmentsReport,
    /// Things the user should know (ambiguous dates, collapsed bins, ...).
    pub warnings: Vec<String>,
    /// The resolved recipe.
    pub recipe: Recipe,
}

/// Neutralises spreadsheet formula injection: a text cell starting with `=`, `+`, `-`, `@`, tab or CR
/// gets a leading apostrophe, unless the whole cell is a number (e.g. `-12.5`).
pub fn safe_cell(s: &str) -> std::borrow::Cow<'_, str> {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && s.parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Formats a float for CSV: integers without a fraction, others with up to 6 decimals, no trailing zeros.
pub fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// The customer list as CSV (UTF-8, no BOM; the page adds one for Excel), columns per DESIGN.md §3.
pub fn customers_csv(customers: &Customers, scores: &Scores) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let header = [
        "customer_id",
        "recency_days",
        "frequency",
        "monetary",
        "r_score",
        "f_score",
        "m_score",
        "segment",
        "aov",
        "tenure_days",
        "first_purchase",
        "last_purchase",
        "region",
    ];
    // Writing into a Vec cannot fail; errors are ignored rather than unwrapped.
    let _ = w.write_record(header);
    for i in 0..customers.len() {
        let seg = scores
            .segment
            .get(i)
            .and_then(|&s| scores.segment_names.get(usize::from(s)))
            .map_or("", String::as_str);
        let get_u8 = |v: &Vec<u8>| v.get(i).map_or(String::new(), u8::to_string);
        let record = [
            safe_cell(customers.ids.get(i).map_or("", String::as_str)).into_owned(),
            customers
                .recency_days
                .get(i)
                .map_or(String::new(), i32::to_string),
            customers
                .frequency
                .get(i)
                .map_or(String::new(), u32::to_string),
            customers
                .monetary
                .get(i)
                .map_or(String::new(), |v| fmt_num(*v)),
            get_u8(&scores.r),
            get_u8(&scores.f),
            get_u8(&scores.m),
            safe_cell(seg).into_owned(),
            customers.aov.get(i).map_or(String::new(), |v| fmt_num(*v)),
            customers
                .tenure_days
                .get(i)
                .map_or(String::new(), i32::to_string),
            customers
                .first_day
                .get(i)
                .map_or(String::new(), |d| date_of(*d).to_string()),
            customers
                .last_day
                .get(i)
                .map_or(String::new(), |d| date_of(*d).to_string()),
            safe_cell(
                customers
                    .region
                    .get(i)
                    .and_then(Option::as_deref)
                    .unwrap_or(""),
            )
            .into_owned(),
        ];
        let _ = w.write_record(&record);
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_but_numbers_kept() {
        assert_eq!(safe_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_cell("+86 138"), "'+86 138");
        assert_eq!(safe_cell("-12.5"), "-12.5");
        assert_eq!(safe_cell("C001"), "C001");
    }

    #[test]
    fn numbers_are_formatted_compactly() {
        assert_eq!(fmt_num(12.0), "12");
        assert_eq!(fmt_num(12.5), "12.5");
        assert_eq!(fmt_num(-0.0000001), "0");
        assert_eq!(fmt_num(1.0 / 3.0), "0.333333");
    }
}
