//! [`Dataset::analyze_with`]: the analysis stages in order (scores, classes, value-tier bands,
//! clusters, rules); the report is then assembled from their results (see `assemble`).

use super::assemble::{self, Stages};
use super::{Analysis, Dataset};
use crate::config::{AsPlan, Plan};
use crate::error::{Error, Result};
use crate::features::Customers;
use crate::ingest::values::{date_of, day_of};
use crate::score::{self, Classes, CodeMap, Scores};

impl Dataset {
    /// [`Dataset::analyze`], re-applying a previous code map (customer id → code, e.g. read with
    /// [`score::codes::previous_from_bytes`]): customers whose class is unchanged keep their codes.
    pub fn analyze_with(
        &self,
        recipe: &impl AsPlan,
        previous: Option<&CodeMap>,
    ) -> Result<Analysis> {
        let plan = recipe.as_plan()?;
        let recipe = plan.recipe();
        let as_of = recipe.as_of.map(day_of);
        let customers = if as_of == self.load_as_of {
            self.customers.clone()
        } else {
            let latest = self.agg.latest_day().unwrap_or(0);
            if let Some(a) = as_of {
                if a < latest {
                    return Err(Error::AsOfBeforeData {
                        as_of: date_of(a).to_string(),
                        latest: date_of(latest).to_string(),
                    });
                }
            }
            self.agg.finish(as_of)
        };
        let scores = score::score(&customers, plan.score())?;
        let probabilistic = recipe.lifecycle.mode == score::LifecycleMode::Probabilistic;
        let clv = match plan.clv() {
            Some(settings) => Some((
                self.clv_stage(&customers, settings, probabilistic)?,
                settings.p_alive_threshold,
            )),
            None => None,
        };
        let alive = clv.as_ref().map(|(stage, threshold)| score::Alive {
            p: &stage.alive_now,
            threshold: *threshold,
        });
        let classes = score::classify_with(&customers, &scores, plan.classes(), previous, alive);
        let bands = plan.classes().tiers().bands().to_vec();
        let clusters = if recipe.cluster.enabled {
            Some(self.cluster_cache.run(
                as_of,
                &customers,
                (&scores.segment, &scores.segment_names),
                plan.cluster(),
            )?)
        } else {
            None
        };
        let rules = explain_all(&customers, &scores, &classes, clusters.as_ref(), &plan)?;
        let mut report = assemble::report(
            self,
            recipe,
            Stages {
                customers: &customers,
                scores: &scores,
                classes: &classes,
                clusters: clusters.as_ref(),
                bands,
                rules,
            },
        );
        let clv = clv.map(|(stage, _)| stage.outcome);
        if let Some(outcome) = &clv {
            report.warnings.extend(outcome.warnings.iter().cloned());
            report.clv = outcome.report.clone().map(|mut r| {
                let figures = &outcome.customers;
                r.by_segment =
                    crate::clv::groups::groups(&scores.segment, &scores.segment_names, figures);
                r.by_tier = crate::clv::groups::groups(&classes.tier, &classes.tier_names, figures);
                r
            });
        }
        Ok(Analysis {
            customers,
            scores,
            classes,
            report,
            clusters,
            clv,
        })
    }
}

/// Decision-tree rules for the clusters, the segments, the value tiers and (with `explain.target`) a
/// label column.
fn explain_all(
    customers: &Customers,
    scores: &Scores,
    classes: &Classes,
    clusters: Option<&crate::cluster::Clustering>,
    plan: &Plan,
) -> Result<crate::explain::RulesReport> {
    if !plan.explain().enabled || customers.is_empty() {
        return Ok(crate::explain::RulesReport::default());
    }
    let built;
    let matrix = match clusters {
        Some(c) => &c.matrix,
        None => {
            let o = plan.cluster();
            built =
                crate::cluster::features::build(customers, &o.features, o.transform, o.scaling)?;
            &built
        }
    };
    crate::explain::report(
        customers,
        matrix,
        clusters.map(|c| (c.labels.as_slice(), c.names.as_slice())),
        (&scores.segment, &scores.segment_names),
        Some((&classes.tier, &classes.tier_names)),
        plan.explain(),
    )
}

impl Analysis {
    /// The code preview: customers grouped by their classes in the code template's slots, the
    /// `top` largest groups with the code of each one's first customer (see
    /// [`score::codes::code_groups`]).
    pub fn code_groups(&self, top: usize) -> score::codes::CodeGroups {
        let (s, c) = (&self.scores, &self.classes);
        let slots: Vec<score::codes::Slot> = c
            .code_tokens
            .iter()
            .filter_map(|t| score::codes::Slot::from_key(t.slot))
            .collect();
        let classes = score::codes::CodeClasses {
            region: &self.customers.region,
            tier: (&c.tier, &c.tier_names),
            stage: (&c.lifecycle, &c.lifecycle_names),
            segment: (&s.segment, &s.segment_names),
            custom: (&c.custom, &c.custom_names),
            r: &s.r,
            f: &s.f,
            m: &s.m,
        };
        score::codes::code_groups(&slots, &classes, &c.codes, top)
    }
}
