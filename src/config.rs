//! The recipe: every setting of a run in one JSON document.
//!
//! Keys are camelCase; every key is optional (defaults below) and unknown keys are rejected, so a typo
//! never silently falls back to a default. The page saves and loads recipes; the CLI takes
//! `--recipe FILE`; `report.json` echoes the resolved recipe.
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
}

impl Recipe {
    /// Parses a recipe from JSON and validates it.
    pub fn from_json(json: &str) -> Result<Recipe> {
        let recipe: Recipe = if json.trim().is_empty() {
            Recipe::default()
        } else {
            serde_json::from_str(json).map_err(|e| Error::RecipeSyntax(e.to_string()))?
        };
        recipe.validate()?;
        Ok(recipe)
    }

    /// Checks every setting once, before any data is read.
    pub fn validate(&self) -> Result<()> {
        self.input.validate()?;
        self.clean.validate()?;
        self.score.validate()?;
        self.cluster.validate()?;
        self.explain.validate()?;
        let rules = self.segments.rule_set()?;
        if rules.bins != self.score.bins {
            return Err(Error::recipe(
                "segments",
                format!(
                    "rule set {:?} is written for {} bins but score.bins is {}",
                    rules.name, rules.bins, self.score.bins
                ),
            ));
        }
        crate::score::validate_classes(&self.class_options())?;
        Ok(())
    }

    /// The class settings, borrowed, for [`crate::score::classify`].
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
    }

    #[test]
    fn unknown_keys_and_bad_values_are_rejected() {
        let e = Recipe::from_json(r#"{"asof": "2024-01-01"}"#).unwrap_err();
        assert_eq!(e.code(), "recipe_syntax");
        assert!(e.to_string().contains("asof"), "{e}");
        let e = Recipe::from_json(r#"{"score": {"bins": 7}}"#).unwrap_err();
        assert_eq!(e.code(), "invalid_recipe");
        let e = Recipe::from_json(r#"{"score": {"bins": 3}}"#).unwrap_err();
        assert!(e.to_string().contains("5 bins"), "{e}");
        let r = Recipe::from_json(
            r#"{"asOf": "2024-06-30", "input": {"columns": {"customerId": "buyer"}}}"#,
        )
        .unwrap();
        assert_eq!(r.as_of, NaiveDate::from_ymd_opt(2024, 6, 30));
    }
}
