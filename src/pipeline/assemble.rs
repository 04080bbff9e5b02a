//! Report assembly: the report document (summaries, grid, cross-tabs, warnings) built from the
//! results of the analysis stages. Nothing here can fail: every stage has run.

use super::Dataset;
use crate::cluster::Clustering;
use crate::config::Recipe;
use crate::explain::RulesReport;
use crate::features::Customers;
use crate::ingest::values::date_of;
use crate::report::{self, Report, SegmentsReport};
use crate::report::{ActionRow, ActionsReport, CodesReport, LifecycleReport, TiersReport};
use crate::score::tiers::TierBand;
use crate::score::{Classes, Scores};
use crate::warning::Warning;

/// What the analysis stages produced, for [`report`].
pub(super) struct Stages<'a> {
    /// Per-customer metrics at the analysis's `asOf`.
    pub customers: &'a Customers,
    /// Scores and segments.
    pub scores: &'a Scores,
    /// Value tiers, lifecycle stages, custom tiers, codes and actions.
    pub classes: &'a Classes,
    /// The clustering, when enabled.
    pub clusters: Option<&'a Clustering>,
    /// The value-tier bands as resolved.
    pub bands: Vec<TierBand>,
    /// Decision-tree rules.
    pub rules: RulesReport,
}

/// The report of one analysis of `dataset` with `recipe`.
pub(super) fn report(dataset: &Dataset, recipe: &Recipe, stages: Stages<'_>) -> Report {
    let Stages {
        customers,
        scores,
        classes,
        clusters,
        bands,
        rules,
    } = stages;
    let mut warnings = dataset.warnings.clone();
    for t in &scores.thresholds {
        if t.collapsed {
            warnings.push(Warning::bins_collapsed(
                &t.metric.to_string(),
                recipe.score.bins,
                &t.scores_used,
                &t.cuts,
            ));
        }
    }
    if !scores.coverage.unassigned.is_empty() {
        warnings.push(Warning::rules_unassigned(
            &scores.rules.name,
            scores.coverage.unassigned.len(),
            scores.coverage.cells,
            &scores.rules.fallback,
        ));
    }
    let summary = report::summarise(customers, &scores.segment, &scores.segment_names);
    let grid = scores
        .rules
        .grid(&scores.r, &scores.f, &scores.m, &customers.monetary);
    let tier_summary = report::summarise(customers, &classes.tier, &classes.tier_names);
    if let Some(empty) = tier_summary
        .iter()
        .take(bands.len())
        .find(|g| g.customers == 0)
    {
        warnings.push(Warning::tier_empty(&empty.name));
    }
    if let Some(c) = clusters {
        warnings.extend(c.warnings.iter().cloned());
    }
    let accounting = &dataset.accounting;
    Report {
        tierlens_version: env!("CARGO_PKG_VERSION").to_string(),
        rows_read: accounting.rows_read,
        rows_used: accounting.rows_used,
        rows_rejected: accounting.rows_rejected.clone(),
        returns: accounting.returns,
        flags: accounting.flags.clone(),
        customers: customers.len(),
        as_of: date_of(customers.as_of).to_string(),
        input: dataset.input.clone(),
        thresholds: scores.thresholds.clone(),
        segments: SegmentsReport {
            rules: scores.rules.clone(),
            coverage: scores.coverage.clone(),
            summary,
            grid,
        },
        value_tiers: TiersReport {
            bands,
            zero_spend: recipe.value_tiers.zero_spend.clone(),
            summary: tier_summary,
            pareto: classes.pareto.clone(),
            floors: None,
        },
        lifecycle: LifecycleReport {
            options: recipe.lifecycle.clone(),
            summary: report::summarise(customers, &classes.lifecycle, &classes.lifecycle_names),
        },
        custom_tiers: report::summarise(customers, &classes.custom, &classes.custom_names),
        codes: CodesReport {
            template: recipe.codes.template.clone(),
            changes: classes.code_changes.clone(),
        },
        actions: ActionsReport {
            basis: recipe.actions.basis,
            table: classes
                .action_classes
                .iter()
                .zip(&classes.action_texts)
                .map(|(class, action)| ActionRow {
                    class: class.clone(),
                    action: action.clone(),
                })
                .collect(),
        },
        crosstabs: crosstabs(customers, scores, classes),
        warnings,
        recipe: recipe.clone(),
        clusters: clusters.map(|c| c.report.without_points()),
        rules,
        migration: None,
        clv: None,
    }
}

/// Segment × region (when the input has regions), segment × value tier, segment × lifecycle stage.
fn crosstabs(customers: &Customers, scores: &Scores, classes: &Classes) -> Vec<report::CrossTab> {
    let mut crosstabs = Vec::new();
    if customers.region.iter().any(Option::is_some) {
        let region: Vec<Option<&str>> = customers.region.iter().map(Option::as_deref).collect();
        crosstabs.push(report::crosstab(
            "segment",
            &scores.segment,
            &scores.segment_names,
            "region",
            &region,
        ));
    }
    for (by, labels, names) in [
        ("value_tier", &classes.tier, &classes.tier_names),
        ("lifecycle", &classes.lifecycle, &classes.lifecycle_names),
    ] {
        let attribute: Vec<Option<&str>> = (0..customers.len())
            .map(|i| Some(Classes::name_of(labels, names, i)))
            .collect();
        crosstabs.push(report::crosstab(
            "segment",
            &scores.segment,
            &scores.segment_names,
            by,
            &attribute,
        ));
    }
    crosstabs
}
