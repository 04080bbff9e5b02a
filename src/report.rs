//! Result assembly: the per-segment summary, the report document and the customer-list CSV.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::clean::Rejection;
use crate::config::Recipe;
use crate::features::Customers;
use crate::ingest::roles::RoleMatch;
use crate::ingest::values::{date_of, DateParser, NumberParser};
use crate::ingest::Detected;
use crate::score::tiers::TierBand;
use crate::score::{
    ActionBasis, Classes, CodeChanges, Coverage, LifecycleOptions, Pareto, RuleSet, Scores,
    SegmentGrid, Thresholds,
};

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
    /// Median recency in days (0 for an empty group; mean of the middle two for an even count).
    pub median_recency_days: f64,
    /// Median frequency.
    pub median_frequency: f64,
    /// Median monetary.
    pub median_monetary: f64,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return 0.0;
    }
    let hi = v.get(n / 2).copied().unwrap_or(0.0);
    if n % 2 == 1 {
        hi
    } else {
        (v.get(n / 2 - 1).copied().unwrap_or(hi) + hi) / 2.0
    }
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
    let mut values: Vec<[Vec<f64>; 3]> = vec![[Vec::new(), Vec::new(), Vec::new()]; k];
    for (i, &g) in labels.iter().enumerate() {
        if let Some([r, f, m]) = values.get_mut(usize::from(g)) {
            r.extend(customers.recency_days.get(i).map(|&v| f64::from(v)));
            f.extend(customers.frequency.get(i).map(|&v| f64::from(v)));
            m.extend(customers.monetary.get(i).copied());
        }
    }
    let mut medians = values
        .into_iter()
        .map(|[r, f, m]| [median(r), median(f), median(m)]);
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
            let [median_recency_days, median_frequency, median_monetary] =
                medians.next().unwrap_or([0.0; 3]);
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
                median_recency_days,
                median_frequency,
                median_monetary,
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
    /// Every decision about reading the input that can change the figures, with its evidence and
    /// override (see [`crate::ingest::decision`]).
    pub decisions: Vec<crate::ingest::Decision>,
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
    /// The rules drawn as an R × FM (or R × F) grid with customer count and mean monetary per cell.
    pub grid: SegmentGrid,
}

/// Value tiers: bands, summary and revenue concentration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TiersReport {
    /// Bands in force, top first (the zero-spend tier is outside them).
    pub bands: Vec<TierBand>,
    /// Name of the zero-spend tier.
    pub zero_spend: String,
    /// Per-tier summary, top first, zero-spend last.
    pub summary: Vec<GroupSummary>,
    /// Share of revenue from the top customers (default top 20 %), and the curve.
    pub pareto: Pareto,
}

/// Lifecycle: thresholds and summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LifecycleReport {
    /// Settings in force.
    pub options: LifecycleOptions,
    /// Per-stage summary.
    pub summary: Vec<GroupSummary>,
}

/// Classification codes: the template and what changed against a previous code map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodesReport {
    /// Template in force.
    pub template: String,
    /// Kept / moved / new / departed against the previous map (all 0 without one).
    pub changes: CodeChanges,
}

/// One row of the action table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionRow {
    /// Class name (segment, tier, stage or custom tier).
    pub class: String,
    /// Recommended action.
    pub action: String,
}

/// Recommended actions per class of the basis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionsReport {
    /// The class the `action` column follows.
    pub basis: ActionBasis,
    /// One row per class.
    pub table: Vec<ActionRow>,
}

/// Cross-tabulation of a class (rows) by a categorical attribute (columns): segment × region,
/// segment × value tier and segment × lifecycle stage in `report.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossTab {
    /// Row variable (e.g. `segment`).
    pub rows_by: String,
    /// Column variable (e.g. `region`).
    pub columns_by: String,
    /// Row labels.
    pub rows: Vec<String>,
    /// Column labels: the most frequent values (at most 50), then `(other)` and `(none)` if any.
    pub columns: Vec<String>,
    /// Customers per cell, `counts[row][column]`.
    pub counts: Vec<Vec<usize>>,
    /// Lift per cell: P(row and column) / (P(row) · P(column)); 1 = independent, 0 for an empty
    /// row or column.
    pub lift: Vec<Vec<f64>>,
}

/// Most attribute values kept as separate cross-tab columns.
const CROSSTAB_COLUMNS: usize = 50;

/// Cross-tabulates `labels` (index into `names`) by a categorical `attribute`.
pub fn crosstab(
    rows_by: &str,
    labels: &[u16],
    names: &[String],
    columns_by: &str,
    attribute: &[Option<&str>],
) -> CrossTab {
    let mut freq: BTreeMap<&str, usize> = BTreeMap::new();
    for a in attribute.iter().flatten() {
        *freq.entry(a).or_insert(0) += 1;
    }
    let mut by_count: Vec<(&str, usize)> = freq.into_iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut columns: Vec<String> = by_count
        .iter()
        .take(CROSSTAB_COLUMNS)
        .map(|(v, _)| v.to_string())
        .collect();
    let index: BTreeMap<&str, usize> = by_count
        .iter()
        .take(CROSSTAB_COLUMNS)
        .enumerate()
        .map(|(i, (v, _))| (*v, i))
        .collect();
    let other = columns.len();
    let none = other + 1;
    columns.push("(other)".into());
    columns.push("(none)".into());
    let mut counts = vec![vec![0usize; columns.len()]; names.len()];
    for (i, &g) in labels.iter().enumerate() {
        let col = match attribute.get(i).copied().flatten() {
            Some(v) => index.get(v).copied().unwrap_or(other),
            None => none,
        };
        if let Some(c) = counts.get_mut(usize::from(g)).and_then(|r| r.get_mut(col)) {
            *c += 1;
        }
    }
    // Drop the catch-all columns when nobody is in them.
    let keep: Vec<bool> = (0..columns.len())
        .map(|j| j < other || counts.iter().any(|r| r.get(j).copied().unwrap_or(0) > 0))
        .collect();
    let filter = |row: Vec<usize>| -> Vec<usize> {
        row.into_iter()
            .zip(&keep)
            .filter_map(|(c, &k)| k.then_some(c))
            .collect()
    };
    let columns: Vec<String> = columns
        .into_iter()
        .zip(&keep)
        .filter_map(|(c, &k)| k.then_some(c))
        .collect();
    let counts: Vec<Vec<usize>> = counts.into_iter().map(filter).collect();
    let total: usize = counts.iter().flatten().sum();
    let col_totals: Vec<usize> = (0..columns.len())
        .map(|j| counts.iter().map(|r| r.get(j).copied().unwrap_or(0)).sum())
        .collect();
    #[allow(clippy::cast_precision_loss)]
    let lift = counts
        .iter()
        .map(|row| {
            let row_total: usize = row.iter().sum();
            row.iter()
                .zip(&col_totals)
                .map(|(&c, &ct)| {
                    if row_total == 0 || ct == 0 {
                        0.0
                    } else {
                        (c as f64 * total as f64) / (row_total as f64 * ct as f64)
                    }
                })
                .collect()
        })
        .collect();
    CrossTab {
        rows_by: rows_by.into(),
        columns_by: columns_by.into(),
        rows: names.to_vec(),
        columns,
        counts,
        lift,
    }
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
    /// Value tiers: bands, summary, Pareto figure.
    pub value_tiers: TiersReport,
    /// Lifecycle stages: thresholds and summary.
    pub lifecycle: LifecycleReport,
    /// Custom rule tiers summary (empty without rules).
    pub custom_tiers: Vec<GroupSummary>,
    /// Classification codes.
    pub codes: CodesReport,
    /// Recommended actions.
    pub actions: ActionsReport,
    /// Segment × region (and other categorical attributes) cross-tabs; empty without a region column.
    pub crosstabs: Vec<CrossTab>,
    /// Things the user should know (ambiguous dates, collapsed bins, ...).
    pub warnings: Vec<String>,
    /// The resolved recipe.
    pub recipe: Recipe,
    /// Clusters: chosen k with the per-k curves, centroids, names, summary, cross-tab.
    pub clusters: Option<crate::cluster::ClusterReport>,
    /// Decision-tree rules for clusters, segments and value tiers (and the supervised mode).
    pub rules: crate::explain::RulesReport,
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

/// How a customer-list column is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// Free text (ids, class names, actions): guarded with [`safe_cell`] in the CSV, a string cell in
    /// XLSX (never a formula there, so written as it is).
    Text,
    /// A number (or empty): a number cell in XLSX.
    Number,
    /// Text tierlens writes itself (dates, `kept`/`moved`): neither a number nor at risk.
    Plain,
}

/// One column of the customer list: a header, how it is written and a cell by customer index.
pub struct CsvColumn<'a> {
    /// Header name.
    pub name: &'static str,
    /// How the cell is written.
    pub kind: CellKind,
    /// Cell text of customer `i`, as it is (the CSV writer guards [`CellKind::Text`] cells).
    pub cell: Box<dyn Fn(usize) -> String + 'a>,
}

fn typed<'a>(
    name: &'static str,
    kind: CellKind,
    cell: impl Fn(usize) -> String + 'a,
) -> CsvColumn<'a> {
    CsvColumn {
        name,
        kind,
        cell: Box::new(cell),
    }
}

fn col<'a>(name: &'static str, cell: impl Fn(usize) -> String + 'a) -> CsvColumn<'a> {
    typed(name, CellKind::Number, cell)
}

fn plain_col<'a>(name: &'static str, cell: impl Fn(usize) -> String + 'a) -> CsvColumn<'a> {
    typed(name, CellKind::Plain, cell)
}

fn text_col<'a>(name: &'static str, cell: impl Fn(usize) -> &'a str + 'a) -> CsvColumn<'a> {
    typed(name, CellKind::Text, move |i| cell(i).to_string())
}

/// The customer-list columns in order (DESIGN.md §3): to add a column, insert one entry here.
pub fn customer_columns<'a>(
    customers: &'a Customers,
    scores: &'a Scores,
    classes: &'a Classes,
) -> Vec<CsvColumn<'a>> {
    let c = customers;
    let name = Classes::name_of;
    let int = |v: Option<&i32>| v.map_or(String::new(), i32::to_string);
    let mut cols = vec![
        text_col("customer_id", move |i| {
            c.ids.get(i).map_or("", String::as_str)
        }),
        col("recency_days", move |i| int(c.recency_days.get(i))),
        col("frequency", move |i| {
            c.frequency.get(i).map_or(String::new(), u32::to_string)
        }),
        col("monetary", move |i| {
            c.monetary.get(i).map_or(String::new(), |v| fmt_num(*v))
        }),
        col("r_score", move |i| {
            scores.r.get(i).map_or(String::new(), u8::to_string)
        }),
        col("f_score", move |i| {
            scores.f.get(i).map_or(String::new(), u8::to_string)
        }),
        col("m_score", move |i| {
            scores.m.get(i).map_or(String::new(), u8::to_string)
        }),
        text_col("segment", move |i| {
            name(&scores.segment, &scores.segment_names, i)
        }),
        text_col("value_tier", move |i| {
            name(&classes.tier, &classes.tier_names, i)
        }),
        text_col("lifecycle", move |i| {
            name(&classes.lifecycle, &classes.lifecycle_names, i)
        }),
        text_col("code", move |i| {
            classes.codes.get(i).map_or("", String::as_str)
        }),
        text_col("action", move |i| {
            name(&classes.action, &classes.action_texts, i)
        }),
        col("aov", move |i| {
            c.aov.get(i).map_or(String::new(), |v| fmt_num(*v))
        }),
        col("tenure_days", move |i| int(c.tenure_days.get(i))),
        plain_col("first_purchase", move |i| {
            let prospect = c.prospect.get(i).copied().unwrap_or(false);
            c.first_day
                .get(i)
                .filter(|_| !prospect)
                .map_or(String::new(), |d| date_of(*d).to_string())
        }),
        plain_col("last_purchase", move |i| {
            let prospect = c.prospect.get(i).copied().unwrap_or(false);
            c.last_day
                .get(i)
                .filter(|_| !prospect)
                .map_or(String::new(), |d| date_of(*d).to_string())
        }),
        text_col("region", move |i| {
            c.region.get(i).and_then(Option::as_deref).unwrap_or("")
        }),
        col("mean_gap_days", move |i| {
            c.mean_gap_days
                .get(i)
                .copied()
                .flatten()
                .map_or(String::new(), fmt_num)
        }),
    ];
    if !classes.custom_names.is_empty() {
        cols.push(text_col("custom_tier", move |i| {
            name(&classes.custom, &classes.custom_names, i)
        }));
    }
    if classes.code_changes.previous {
        cols.push(text_col("previous_code", move |i| {
            classes
                .previous_code
                .get(i)
                .and_then(Option::as_deref)
                .unwrap_or("")
        }));
        cols.push(plain_col("code_change", move |i| {
            classes
                .code_change
                .get(i)
                .map_or("", |c| c.label())
                .to_string()
        }));
    }
    cols
}

/// Writes `rows` rows of `columns` as CSV (UTF-8, no BOM, CRLF); text cells are guarded with
/// [`safe_cell`] against formula injection.
pub fn write_csv(columns: &[CsvColumn<'_>], rows: usize) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing into a Vec cannot fail; errors are ignored rather than unwrapped.
    let _ = w.write_record(columns.iter().map(|c| c.name));
    for i in 0..rows {
        let _ = w.write_record(columns.iter().map(|c| {
            let cell = (c.cell)(i);
            match c.kind {
                CellKind::Text => safe_cell(&cell).into_owned(),
                CellKind::Number | CellKind::Plain => cell,
            }
        }));
    }
    w.into_inner().unwrap_or_default()
}

/// The customer list as CSV (UTF-8, no BOM; the page adds one for Excel), columns per DESIGN.md §3.
pub fn customers_csv(customers: &Customers, scores: &Scores, classes: &Classes) -> Vec<u8> {
    write_csv(
        &customer_columns(customers, scores, classes),
        customers.len(),
    )
}

/// [`customers_csv`] plus the clustering: `cluster` (1-based number) between `lifecycle` and `code`,
/// and `cluster_name` last.
pub fn customers_csv_with(
    customers: &Customers,
    scores: &Scores,
    classes: &Classes,
    clusters: Option<&crate::cluster::Clustering>,
) -> Vec<u8> {
    write_csv(
        &customer_columns_with(customers, scores, classes, clusters),
        customers.len(),
    )
}

/// The columns of [`customers_csv_with`]: [`customer_columns`] plus the clustering's.
pub fn customer_columns_with<'a>(
    customers: &'a Customers,
    scores: &'a Scores,
    classes: &'a Classes,
    clusters: Option<&'a crate::cluster::Clustering>,
) -> Vec<CsvColumn<'a>> {
    let mut columns = customer_columns(customers, scores, classes);
    if let Some(cl) = clusters {
        let at = columns
            .iter()
            .position(|c| c.name == "code")
            .unwrap_or(columns.len());
        columns.insert(
            at,
            col("cluster", move |i| {
                cl.labels
                    .get(i)
                    .map_or(String::new(), |&l| (u32::from(l) + 1).to_string())
            }),
        );
        columns.push(text_col("cluster_name", move |i| {
            cl.labels
                .get(i)
                .and_then(|&l| cl.names.get(usize::from(l)))
                .map_or("", String::as_str)
        }));
    }
    columns
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

    #[test]
    fn medians_and_crosstab_lift() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(vec![]), 0.0);
        let names = vec!["A".to_string(), "B".to_string()];
        let region = Some;
        // A: x, x, y; B: y, none. N = 5.
        let attr = vec![region("x"), region("x"), region("y"), region("y"), None];
        let t = crosstab("segment", &[0, 0, 0, 1, 1], &names, "region", &attr);
        assert_eq!(t.columns, vec!["x", "y", "(none)"]);
        assert_eq!(t.counts, vec![vec![2, 1, 0], vec![0, 1, 1]]);
        // lift(A, x) = 2·5 / (3·2) = 5/3; lift(B, none) = 1·5 / (2·1) = 2.5.
        assert!((t.lift[0][0] - 5.0 / 3.0).abs() < 1e-12);
        assert!((t.lift[1][2] - 2.5).abs() < 1e-12);
    }
}
