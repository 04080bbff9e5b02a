//! The recipe: every setting of a run in one JSON document.
//!
//! Keys are camelCase; every key is optional (defaults below) and unknown keys are rejected, so a typo
//! never silently falls back to a default. The page saves and loads recipes; the CLI takes
//! `--recipe FILE`; `report.json` echoes the resolved recipe.
//!
//! Parse, don't validate: [`Recipe::from_json`] only reads the JSON; [`Recipe::check`] checks every
//! setting once and returns a [`Plan`] (compiled rules, expressions and template, resolved bands,
//! checked stage settings), which loading and analysis take.
//!
//! ```json
//! { "asOf": "2025-01-01", "score": { "bins": 5 }, "segments": { "preset": "rfm11" } }
//! ```

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::clean::CleanOptions;
use crate::cluster::ClusterOptions;
use crate::error::{Error, Result};
use crate::explain::ExplainOptions;
use crate::ingest::InputOptions;
use crate::score::{
    ActionOptions, ClassOptions, CodeOptions, CustomTierOptions, LifecycleOptions, TierOptions,
};
use crate::score::{ScoreOptions, SegmentOptions};

mod plan;

pub use plan::{AsPlan, Plan};

/// All settings of a run. `Recipe::default()` is the documented default recipe.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Recipe {
    /// Analysis date (`YYYY-MM-DD`). Default: the day after the latest transaction date in the data.
    /// Never the wall clock, so a run is reproducible.
    pub as_of: Option<NaiveDate>,
    /// Reading the input: format, encoding, delimiter, date order, column roles.
    pub input: InputOptions,
    /// Cleaning rules.
    pub clean: CleanOptions,
    /// RFM scoring.
    pub score: ScoreOptions,
    /// Segment rules.
    pub segments: SegmentOptions,
    /// Value tiers by cumulative customer share (default Platinum/Gold/Silver/Bronze 5/15/30/50 %).
    pub value_tiers: TierOptions,
    /// Lifecycle stages (default fixed days: New ≤ 30 since first order, Active ≤ 30, Due ≤ 60,
    /// Lapsing ≤ 90, Lost beyond).
    pub lifecycle: LifecycleOptions,
    /// Custom rule tiers (default none).
    pub custom_tiers: CustomTierOptions,
    /// Classification codes (default template `{tier}{stage}-{seq:04}`).
    pub codes: CodeOptions,
    /// Recommended actions (default: by segment, English).
    pub actions: ActionOptions,
    /// Clustering: features, scaling, k-means, choice of k.
    pub cluster: ClusterOptions,
    /// Decision-tree explanations and the supervised mode.
    pub explain: ExplainOptions,
    /// Migration against an earlier period of the same file (default: none).
    #[serde(skip_serializing_if = "crate::migration::CompareOptions::is_default")]
    pub compare: crate::migration::CompareOptions,
    /// P(alive), expected purchases, spend and CLV (BG/NBD or MBG/NBD and Gamma-Gamma; default
    /// off, on when the section is written).
    #[serde(
        deserialize_with = "crate::clv::options::present",
        skip_serializing_if = "crate::clv::ClvOptions::is_default"
    )]
    pub clv: crate::clv::ClvOptions,
}

impl Recipe {
    /// Parses a recipe from JSON (an empty text is the default recipe). Only the syntax and the
    /// keys are read here (errors: `recipe_syntax`); [`Recipe::check`] checks the settings.
    pub fn from_json(json: &str) -> Result<Recipe> {
        if json.trim().is_empty() {
            return Ok(Recipe::default());
        }
        serde_json::from_str(json).map_err(|e| Error::RecipeSyntax(e.to_string()))
    }

    /// Checks every setting once, before any data is read, and returns the plan that loading and
    /// analysis take. Each invalid setting has its own error code and names its recipe path
    /// ([`Error::field`]).
    pub fn check(&self) -> Result<Plan> {
        Plan::check(self)
    }

    /// The class settings, borrowed, for [`crate::score::ClassPlan::check`].
    pub fn class_options(&self) -> ClassOptions<'_> {
        ClassOptions {
            tiers: &self.value_tiers,
            lifecycle: &self.lifecycle,
            custom: &self.custom_tiers,
            codes: &self.codes,
            actions: &self.actions,
        }
    }

    /// The recipe as pretty JSON (what the page saves and `report.json` echoes).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_default_recipes_agree() {
        assert_eq!(Recipe::from_json("").unwrap(), Recipe::default());
        assert_eq!(Recipe::from_json("{}").unwrap(), Recipe::default());
        let round = Recipe::from_json(&Recipe::default().to_json()).unwrap();
        assert_eq!(round, Recipe::default());
        assert!(Recipe::default().check().is_ok());
    }

    #[test]
    fn unknown_keys_and_bad_values_are_rejected() {
        let e = Recipe::from_json(r#"{"asof": "2024-01-01"}"#).unwrap_err();
        assert_eq!(e.code(), "recipe_syntax");
        assert!(e.to_string().contains("asof"), "{e}");
        // Parsing reads the keys only; the check names the setting.
        let r = Recipe::from_json(r#"{"score": {"bins": 7}}"#).unwrap();
        let e = r.check().unwrap_err();
        assert_eq!((e.code(), e.field()), ("score_bins", Some("score.bins")));
        let e = Plan::from_json(r#"{"score": {"bins": 3}}"#).unwrap_err();
        assert!(e.to_string().contains("5 bins"), "{e}");
        assert_eq!(e.code(), "segment_bins_mismatch");
        let r = Recipe::from_json(
            r#"{"asOf": "2024-06-30", "input": {"columns": {"customerId": "buyer"}}}"#,
        )
        .unwrap();
        assert_eq!(r.as_of, NaiveDate::from_ymd_opt(2024, 6, 30));
    }
}
