//! The checked recipe: what [`crate::config::Recipe::check`] returns and every stage takes.
//!
//! A [`Plan`] can only be made by checking, so "forgot to validate" does not compile: loading
//! ([`crate::Loader`]) and analysis ([`crate::Dataset::analyze`]) take a plan and check nothing
//! again, and the scoring stages take its compiled parts ([`ScorePlan`], [`ClassPlan`]). They also
//! take a bare [`Recipe`] (see [`AsPlan`]) and check it there, once, so a caller that has only a
//! recipe needs no extra step; a caller that loads and analyses, or analyses again, checks once with
//! [`Recipe::check`] and passes the plan.

use std::borrow::Cow;

use chrono::NaiveDate;

use super::Recipe;
use crate::clean::CleanOptions;
use crate::cluster::CheckedCluster;
use crate::error::Result;
use crate::explain::CheckedExplain;
use crate::ingest::InputOptions;
use crate::score::{ClassPlan, ScorePlan};

/// A recipe checked once: the recipe as given (echoed by `report.json`) with its compiled parts —
/// the segment rule set, custom tier expressions, code template, resolved tier bands and the
/// checked lifecycle, score and action settings; the input, clean, cluster and explain settings
/// were checked by their own modules.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    recipe: Recipe,
    score: ScorePlan,
    classes: ClassPlan,
    cluster: CheckedCluster,
    explain: CheckedExplain,
    clv: Option<crate::clv::Settings>,
}

impl Plan {
    /// Checks every setting of `recipe` (see [`Recipe::check`]).
    pub fn check(recipe: &Recipe) -> Result<Plan> {
        recipe.input.validate()?;
        recipe.clean.validate()?;
        let score = ScorePlan::check(&recipe.score, &recipe.segments)?;
        let cluster = recipe.cluster.check()?;
        let explain = recipe.explain.check()?;
        let classes = ClassPlan::check(&recipe.class_options())?;
        recipe.compare.check(recipe.as_of)?;
        let clv = recipe.clv.check(recipe.as_of)?;
        if recipe.lifecycle.mode == crate::score::LifecycleMode::Probabilistic && clv.is_none() {
            return Err(crate::error::Error::LifecycleNeedsClv);
        }
        Ok(Plan {
            recipe: recipe.clone(),
            score,
            classes,
            cluster,
            explain,
            clv,
        })
    }

    /// This plan scoring the RFM metrics with an earlier period's cut points (see
    /// [`ScorePlan::reusing`]) and assigning value tiers by that period's tier floors (see
    /// [`crate::score::TierPlan::reusing`]; `None` keeps the shares); everything else unchanged.
    pub fn reusing_cuts(
        &self,
        thresholds: &[crate::score::Thresholds],
        floors: Option<Vec<crate::score::TierFloor>>,
    ) -> Plan {
        Plan {
            score: self.score.reusing(thresholds),
            classes: self.classes.reusing_floors(floors),
            recipe: self.recipe.clone(),
            cluster: self.cluster.clone(),
            explain: self.explain.clone(),
            clv: self.clv.clone(),
        }
    }

    /// Parses and checks a recipe: [`Recipe::from_json`], then [`Recipe::check`].
    pub fn from_json(json: &str) -> Result<Plan> {
        Recipe::from_json(json)?.check()
    }

    /// The recipe as given.
    pub fn recipe(&self) -> &Recipe {
        &self.recipe
    }

    /// The analysis date, when the recipe sets one.
    pub fn as_of(&self) -> Option<NaiveDate> {
        self.recipe.as_of
    }

    /// Reading the input (checked).
    pub fn input(&self) -> &InputOptions {
        &self.recipe.input
    }

    /// Cleaning rules (checked).
    pub fn clean(&self) -> &CleanOptions {
        &self.recipe.clean
    }

    /// Scores and the segment rule set.
    pub fn score(&self) -> &ScorePlan {
        &self.score
    }

    /// Value tiers, lifecycle, custom tiers, codes and actions.
    pub fn classes(&self) -> &ClassPlan {
        &self.classes
    }

    /// Clustering (checked).
    pub fn cluster(&self) -> &CheckedCluster {
        &self.cluster
    }

    /// The CLV settings (checked), `None` when the `clv` section is off.
    pub fn clv(&self) -> Option<&crate::clv::Settings> {
        self.clv.as_ref()
    }

    /// Explanations (checked).
    pub fn explain(&self) -> &CheckedExplain {
        &self.explain
    }
}

/// What loading and analysis accept: a [`Plan`] (already checked: nothing is checked again) or a
/// [`Recipe`] (checked on the spot, once per call).
pub trait AsPlan {
    /// The plan: borrowed, or checked from the recipe.
    fn as_plan(&self) -> Result<Cow<'_, Plan>>;
}

impl AsPlan for Plan {
    fn as_plan(&self) -> Result<Cow<'_, Plan>> {
        Ok(Cow::Borrowed(self))
    }
}

impl AsPlan for Recipe {
    fn as_plan(&self) -> Result<Cow<'_, Plan>> {
        self.check().map(Cow::Owned)
    }
}

impl<T: AsPlan + ?Sized> AsPlan for &T {
    fn as_plan(&self) -> Result<Cow<'_, Plan>> {
        (**self).as_plan()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::codes::PARSES;
    use crate::score::custom::COMPILES;
    use crate::{Dataset, Loader};

    const CSV: &str = "customer_id,date,amount\nA,2024-01-01,10\nB,2024-01-05,30\nA,2024-01-09,5\n";

    fn counts() -> (usize, usize) {
        (
            COMPILES.with(std::cell::Cell::get),
            PARSES.with(std::cell::Cell::get),
        )
    }

    fn with_rule(when: &str) -> Recipe {
        Recipe::from_json(&format!(
            r#"{{"customTiers": {{"rules": [{{"when": "{when}", "tier": "VIP"}}]}}}}"#
        ))
        .unwrap()
    }

    #[test]
    fn expressions_and_the_template_are_compiled_once_per_recipe() {
        let recipe = with_rule("monetary >= 15");
        let before = counts();
        let analysis = crate::segment(CSV.as_bytes(), &recipe).unwrap();
        assert_eq!(analysis.classes.custom_names, ["VIP", "Other"]);
        let after = counts();
        assert_eq!((after.0 - before.0, after.1 - before.1), (1, 1));

        // Loading and analysing with the plan, twice, compiles nothing.
        let plan = recipe.check().unwrap();
        let checked = counts();
        let mut loader = Loader::two_pass(&plan, None).unwrap();
        loader.push(CSV.as_bytes()).unwrap();
        loader.end_first_pass().unwrap();
        loader.push(CSV.as_bytes()).unwrap();
        let dataset = loader.finish().unwrap();
        let first = dataset.analyze(&plan).unwrap();
        let again = Dataset::from_bytes(CSV.as_bytes(), &plan)
            .unwrap()
            .analyze(&plan)
            .unwrap();
        assert_eq!(counts(), checked);
        assert_eq!(first.report, again.report);
        assert_eq!(first.report, analysis.report);
    }

    /// How often the explain and cluster settings were validated on this thread.
    fn validations() -> (usize, usize) {
        (
            crate::explain::VALIDATIONS.with(std::cell::Cell::get),
            crate::cluster::options::VALIDATIONS.with(std::cell::Cell::get),
        )
    }

    #[test]
    fn the_explain_and_cluster_stages_take_the_checked_settings() {
        let recipe = Recipe::default();
        assert!(recipe.explain.enabled && recipe.cluster.enabled);
        let before = validations();
        let analysis = crate::segment(CSV.as_bytes(), &recipe).unwrap();
        assert!(analysis.report.rules.segments.is_some(), "the rules ran");
        assert!(analysis.clusters.is_some(), "the clustering ran");
        let after = validations();
        // Once each, by the check; not again in the stages (three trees, the fit).
        assert_eq!((after.0 - before.0, after.1 - before.1), (1, 1));
        let plan = recipe.check().unwrap();
        let checked = validations();
        let dataset = Dataset::from_bytes(CSV.as_bytes(), &plan).unwrap();
        dataset.analyze(&plan).unwrap();
        assert_eq!(
            validations(),
            checked,
            "loading and analysing with the plan"
        );
        // Another k forces a new fit (no cache) with the same plan: still nothing checked.
        let mut other = recipe.clone();
        other.cluster.k = crate::cluster::KChoice::Fixed(2);
        let other = other.check().unwrap();
        let checked_other = validations();
        assert_eq!(
            (checked_other.0 - checked.0, checked_other.1 - checked.1),
            (1, 1)
        );
        dataset.analyze(&other).unwrap();
        assert_eq!(validations(), checked_other);
    }

    #[test]
    fn an_invalid_setting_is_the_same_error_on_every_path() {
        let bad = with_rule("monetary >= 15 andd frequency > 1");
        let checked = bad.check().unwrap_err();
        assert_eq!(checked.code(), "invalid_expression");
        assert_eq!(checked.field(), Some("customTiers.rules[0].when"));
        assert_eq!(checked.position(), Some(16));
        let json = serde_json::to_string(&bad).unwrap();
        assert_eq!(Plan::from_json(&json).unwrap_err(), checked);
        assert_eq!(
            crate::segment(CSV.as_bytes(), &bad).unwrap_err(),
            checked,
            "segment checks the same way"
        );
        assert_eq!(Loader::new(&bad).err(), Some(checked.clone()));
        assert_eq!(Loader::two_pass(&bad, None).err(), Some(checked.clone()));
        assert_eq!(
            Dataset::from_bytes(CSV.as_bytes(), &bad).err(),
            Some(checked.clone())
        );
        let dataset = Dataset::from_bytes(CSV.as_bytes(), &Recipe::default()).unwrap();
        assert_eq!(dataset.analyze(&bad).unwrap_err(), checked);
        assert_eq!(dataset.analyze_with(&bad, None).unwrap_err(), checked);
    }

    #[test]
    fn a_recipe_handed_to_a_stage_is_checked_there_once() {
        let recipe = with_rule("monetary >= 15");
        let dataset = Dataset::from_bytes(CSV.as_bytes(), &recipe).unwrap();
        let before = counts();
        dataset.analyze(&recipe).unwrap();
        let after = counts();
        assert_eq!((after.0 - before.0, after.1 - before.1), (1, 1));
    }

    #[test]
    fn each_invalid_setting_has_its_own_code_and_field() {
        let cases = [
            (r#"{"score": {"bins": 7}}"#, "score_bins", "score.bins"),
            (
                r#"{"score": {"cuts": {"monetary": [1, 2]}}}"#,
                "cut_count",
                "score.cuts.monetary",
            ),
            (
                r#"{"score": {"cuts": {"recency": [4, 3, 2, 1]}}}"#,
                "cut_order",
                "score.cuts.recency",
            ),
            (
                r#"{"segments": {"preset": "rfm12"}}"#,
                "unknown_segment_preset",
                "segments.preset",
            ),
            (
                r#"{"segments": {"preset": "three-level"}}"#,
                "segment_bins_mismatch",
                "segments",
            ),
            (
                r#"{"segments": {"table": {"rows": [["A"]]}}}"#,
                "segment_table_rows",
                "segments.table.rows",
            ),
            (
                r#"{"segments": {"table": {"rows": [["A", "B"], ["C"]]}}}"#,
                "segment_table_row",
                "segments.table.rows",
            ),
            (
                r#"{"segments": {"rules": {"name": "x", "bins": 5, "rules": [{"segment": "A", "r": [0, 9]}]}}}"#,
                "segment_range",
                "segments.rules[0].r",
            ),
            (
                r#"{"segments": {"rules": {"name": "x", "bins": 5, "rules": [{"segment": " "}]}}}"#,
                "segment_name_empty",
                "segments.rules[0].segment",
            ),
            (
                r#"{"segments": {"rules": {"name": "x", "bins": 11, "rules": []}}}"#,
                "segment_rule_bins",
                "segments.bins",
            ),
            (
                r#"{"valueTiers": {"preset": "gold"}}"#,
                "unknown_tier_preset",
                "valueTiers.preset",
            ),
            (
                r#"{"valueTiers": {"bands": []}}"#,
                "tier_bands_empty",
                "valueTiers.bands",
            ),
            (
                r#"{"valueTiers": {"bands": [{"name": "A", "percent": -1}]}}"#,
                "tier_percent",
                "valueTiers.bands[0].percent",
            ),
            (
                r#"{"valueTiers": {"bands": [{"name": "", "percent": 100}]}}"#,
                "tier_name_empty",
                "valueTiers.bands[0].name",
            ),
            (
                r#"{"valueTiers": {"zeroSpend": ""}}"#,
                "tier_name_empty",
                "valueTiers.zeroSpend",
            ),
            (
                r#"{"valueTiers": {"bands": [{"name": "A", "percent": 60}, {"name": "A", "percent": 40}]}}"#,
                "tier_name_twice",
                "valueTiers.bands[1].name",
            ),
            (
                r#"{"valueTiers": {"bands": [{"name": "A", "percent": 60}]}}"#,
                "tier_total",
                "valueTiers.bands",
            ),
            (
                r#"{"valueTiers": {"paretoPercent": 101}}"#,
                "pareto_percent",
                "valueTiers.paretoPercent",
            ),
            (
                r#"{"lifecycle": {"dueDays": -1}}"#,
                "negative_days",
                "lifecycle.dueDays",
            ),
            (
                r#"{"lifecycle": {"dueDays": 10}}"#,
                "lifecycle_order",
                "lifecycle",
            ),
            (
                r#"{"customTiers": {"rules": [{"when": "true", "tier": ""}]}}"#,
                "custom_tier_name_empty",
                "customTiers.rules[0].tier",
            ),
            (
                r#"{"customTiers": {"rules": [{"when": "tru", "tier": "A"}]}}"#,
                "invalid_expression",
                "customTiers.rules[0].when",
            ),
            (
                r#"{"codes": {"template": "{tier}"}}"#,
                "invalid_code_template",
                "codes.template",
            ),
            (
                r#"{"codes": {"maps": {"region": {"x": "0123456789012345678901234567890123"}}}}"#,
                "code_token_too_long",
                "codes.maps.region",
            ),
            (
                r#"{"actions": {"basis": "custom"}}"#,
                "actions_need_custom_tiers",
                "actions.basis",
            ),
            (r#"{"clv": {"model": "pareto"}}"#, "clv_model", "clv.model"),
            (
                r#"{"clv": {"timeUnit": "year"}}"#,
                "clv_time_unit",
                "clv.timeUnit",
            ),
            (r#"{"clv": {"horizon": 0}}"#, "clv_horizon", "clv.horizon"),
            (r#"{"clv": {"horizon": 2.5}}"#, "clv_horizon", "clv.horizon"),
            (
                r#"{"clv": {"horizon": 3661}}"#,
                "clv_horizon",
                "clv.horizon",
            ),
            (
                r#"{"asOf": "1997-06-01", "clv": {"calibrationEnd": "1997-06-01"}}"#,
                "clv_calibration_end",
                "clv.calibrationEnd",
            ),
            (
                r#"{"clv": {"discountRate": -0.1}}"#,
                "clv_discount_rate",
                "clv.discountRate",
            ),
            (
                r#"{"clv": {"spendModel": "lognormal"}}"#,
                "clv_spend_model",
                "clv.spendModel",
            ),
            (
                r#"{"clv": {"pAliveThreshold": 1.5}}"#,
                "clv_p_alive_threshold",
                "clv.pAliveThreshold",
            ),
            (
                r#"{"clv": {"enabled": false, "pAliveThreshold": -1}}"#,
                "clv_p_alive_threshold",
                "clv.pAliveThreshold",
            ),
            (
                r#"{"lifecycle": {"mode": "probabilistic"}}"#,
                "lifecycle_needs_clv",
                "lifecycle.mode",
            ),
        ];
        for (json, code, field) in cases {
            let e = Plan::from_json(json).unwrap_err();
            assert_eq!((e.code(), e.field()), (code, Some(field)), "{json}: {e}");
            let params = e.params();
            assert_eq!(
                params.first(),
                Some(&("field", field.to_string())),
                "{json}"
            );
            assert!(e.to_string().starts_with("invalid "), "{json}: {e}");
        }
    }

    #[test]
    fn the_clv_section_is_off_by_default_and_on_when_written() {
        use crate::clv::{Model, TimeUnit};
        assert_eq!(Plan::from_json("{}").unwrap().clv(), None);
        let on = Plan::from_json(r#"{"clv": {}}"#).unwrap();
        let s = on
            .clv()
            .expect("an empty section turns CLV on with the defaults");
        assert_eq!(s, &crate::clv::Settings::default());
        let off = Plan::from_json(r#"{"clv": {"enabled": false, "horizon": 10}}"#).unwrap();
        assert_eq!(off.clv(), None);
        let p = Plan::from_json(
            r#"{"clv": {"model": "mbgnbd", "timeUnit": "day", "horizon": 365,
                "calibrationEnd": "1997-09-30", "discountRate": 0.1, "pAliveThreshold": 0.5}}"#,
        )
        .unwrap();
        let s = p.clv().unwrap();
        assert_eq!(
            (s.model, s.time_unit, s.horizon),
            (Model::MbgNbd, TimeUnit::Day, 365)
        );
        assert_eq!(s.discount_rate, Some(0.1));
        assert_eq!(s.p_alive_threshold, 0.5);
        let end = NaiveDate::from_ymd_opt(1997, 9, 30).unwrap();
        assert_eq!(s.calibration_end, Some(crate::ingest::values::day_of(end)));
        // Unknown keys are refused as in every section.
        let e = Recipe::from_json(r#"{"clv": {"horizn": 5}}"#).unwrap_err();
        assert_eq!(e.code(), "recipe_syntax");
        // The echo leaves the default (off) section out and round-trips a written one.
        assert!(!Recipe::default().to_json().contains("clv"));
        let r = p.recipe();
        assert_eq!(&Recipe::from_json(&r.to_json()).unwrap(), r);
        let shown = serde_json::to_value(crate::clv::ClvOptions::default()).unwrap();
        assert_eq!(shown["enabled"], false);
        let back: Recipe = Recipe::from_json(&format!("{{\"clv\": {shown}}}")).unwrap();
        assert_eq!(back, Recipe::default(), "the shown default section is off");
    }

    #[test]
    fn as_of_errors_name_the_setting() {
        let plan = Plan::from_json(r#"{"asOf": "2024-01-02"}"#).unwrap();
        let dataset =
            Dataset::from_bytes(CSV.as_bytes(), &Recipe::default().check().unwrap()).unwrap();
        let e = dataset.analyze(&plan).unwrap_err();
        assert_eq!((e.code(), e.field()), ("as_of_before_data", Some("asOf")));
        assert!(e.params().contains(&("latest", "2024-01-09".to_string())));
        assert!(e.to_string().contains("load the file again"), "{e}");
    }
}
