//! The report document types (`report.json`) and the customer-list column table (`customers.csv`,
//! and the XLSX export through the same table). Group summaries and cross-tabs live in
//! [`crate::summary`], cell formatting and the CSV writer in [`crate::format`].

use std::collections::BTreeMap;

use serde::Serialize;

use crate::clean::Rejection;
use crate::config::Recipe;
use crate::features::Customers;
use crate::format::{col, plain_col, text_col};
pub use crate::format::{fmt_num, safe_cell, write_csv, CellKind, CsvColumn};
use crate::ingest::roles::RoleMatch;
use crate::ingest::values::{date_of, DateParser, NumberParser};
use crate::ingest::Detected;
use crate::labels::LabelView;
use crate::score::tiers::TierBand;
use crate::score::{
    ActionBasis, Classes, CodeChanges, Coverage, LifecycleOptions, Pareto, RuleSet, Scores,
    SegmentGrid, Thresholds,
};
pub use crate::summary::{CrossTab, GroupSummary};

// Transitional: `pipeline.rs` (the `loading` helper's) and `export.rs`/`wasm` (the `engine`
// helper's) still reach these through `report`; once their call sites use `crate::summary` /
// `crate::format` with a `LabelView`, the re-exports above and the two wrappers below go.

/// [`crate::summary::summarise`] with the labelling as an `index`/`names` pair.
pub fn summarise(customers: &Customers, labels: &[u16], names: &[String]) -> Vec<GroupSummary> {
    crate::summary::summarise(customers, LabelView::new(labels, names))
}

/// [`crate::summary::crosstab`] with the labelling as an `index`/`names` pair.
pub fn crosstab(
    rows_by: &str,
    labels: &[u16],
    names: &[String],
    columns_by: &str,
    attribute: &[Option<&str>],
) -> CrossTab {
    crate::summary::crosstab(
        rows_by,
        LabelView::new(labels, names),
        columns_by,
        attribute,
    )
}

/// What was understood about the input.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
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
#[serde(rename_all = "camelCase")]
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
#[serde(rename_all = "camelCase")]
pub struct TiersReport {
    /// Bands in force, top first (the zero-spend tier is outside them).
    pub bands: Vec<TierBand>,
    /// Name of the zero-spend tier.
    pub zero_spend: String,
    /// Per-tier summary, top first, zero-spend last.
    pub summary: Vec<GroupSummary>,
    /// Share of revenue from the top customers (default top 20 %), and the curve.
    pub pareto: Pareto,
    /// The earlier period's band floors (amounts) the tiers were assigned by, when the recipe's
    /// `compare.cuts` is `"previous"`; absent when the tiers are shares of this period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub floors: Option<Vec<crate::score::TierFloor>>,
}

/// Lifecycle: thresholds and summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LifecycleReport {
    /// Settings in force.
    pub options: LifecycleOptions,
    /// Per-stage summary.
    pub summary: Vec<GroupSummary>,
}

/// Classification codes: the template and what changed against a previous code map.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodesReport {
    /// Template in force.
    pub template: String,
    /// Kept / moved / new / departed against the previous map (all 0 without one).
    pub changes: CodeChanges,
}

/// One row of the action table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionRow {
    /// Class name (segment, tier, stage or custom tier).
    pub class: String,
    /// Recommended action.
    pub action: String,
}

/// Recommended actions per class of the basis.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionsReport {
    /// The class the `action` column follows.
    pub basis: ActionBasis,
    /// One row per class.
    pub table: Vec<ActionRow>,
}

/// `report.json`: everything about a run except the per-customer rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
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
    pub warnings: Vec<crate::warning::Warning>,
    /// The resolved recipe.
    pub recipe: Recipe,
    /// Clusters: chosen k with the per-k curves, centroids, names, summary, cross-tab.
    pub clusters: Option<crate::cluster::ClusterReport>,
    /// Decision-tree rules for clusters, segments and value tiers (and the supervised mode).
    pub rules: crate::explain::RulesReport,
    /// Migration against an earlier period (recipe `compare` or `--previous`), in short; the
    /// matrices are in migration.json. Absent without an earlier period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub migration: Option<crate::migration::MigrationSummary>,
    /// P(alive), expected purchases, spend and CLV (recipe `clv`): the fitted models, the holdout
    /// check and the figures by segment and tier. Absent when the section is off or the fit was
    /// not identifiable (see the warnings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clv: Option<crate::clv::ClvReport>,
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
