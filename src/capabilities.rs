//! What this build of the engine knows, as one document for the page: presets and their bins, tier
//! presets with their bands, built-in cluster features and the default set, column roles, code
//! slots with their aliases and default tokens, lifecycle stages, and the input formats it reads.
//!
//! Everything here is read from the engine's own tables (the preset functions, the role list, the
//! feature list, the default recipe), so the page never keeps a second copy that could drift. The
//! placeholder aliases are checked against the template parser by the tests below.

use serde::Serialize;

use crate::config::Recipe;
use crate::error::Result;
use crate::ingest::roles::Role;
use crate::score::codes::{stage_token, Slot, Template};
use crate::score::lifecycle::{FIXED_STAGES, PROBABILISTIC_STAGES, RELATIVE_STAGES};
use crate::score::segments::{self, PRESETS};
use crate::score::tiers::{TierBand, TierOptions, TIER_PRESETS};

/// A segment rule preset: its name, the score bins it is written for, and whether it is a grid
/// (drawable as an R × F or R × FM table) or range rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SegmentPreset {
    /// Preset name (`segments.preset`).
    pub name: String,
    /// The `score.bins` values a recipe may combine it with.
    pub bins: Vec<u8>,
    /// Whether the preset is a grid (`segmentPreset(name).table` is not null).
    pub grid: bool,
    /// Its segment names, in rule order (the fallback last).
    pub segments: Vec<String>,
}

/// A value-tier preset with its bands, top first.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TierPreset {
    /// Preset name (`valueTiers.preset`).
    pub name: String,
    /// Its bands, top first (shares of spending customers in percent).
    pub bands: Vec<TierBand>,
}

/// A code template placeholder: its canonical name, every spelling the template accepts, and
/// the class (`tier`, `stage`, …) whose values become its tokens.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeSlot {
    /// Canonical name (`codes.maps` key where there is one).
    pub slot: &'static str,
    /// Every name the template accepts for it, canonical first.
    pub aliases: Vec<&'static str>,
}

/// A lifecycle stage name and its default code token.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StageToken {
    /// Stage name.
    pub name: &'static str,
    /// Default token in codes (`codes.maps.stage` overrides it).
    pub token: String,
}

/// A column role: the recipe key (`input.columns.<key>`) and whether only a customer-level input
/// (one row per customer) has it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleInfo {
    /// Recipe key.
    pub key: &'static str,
    /// Only in customer-level inputs.
    pub customer_level: bool,
}

/// Everything the page needs to know about this build.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Capabilities {
    /// The engine version.
    pub version: &'static str,
    /// Segment rule presets.
    pub presets: Vec<SegmentPreset>,
    /// The `score.bins` values the engine accepts.
    pub bins: Vec<u8>,
    /// Value-tier presets.
    pub tier_presets: Vec<TierPreset>,
    /// Cluster features built from the RFM metrics (`cluster.features` also accepts a file's
    /// extra columns, listed per analysis by `Analysis.attributes()`).
    pub builtin_features: Vec<&'static str>,
    /// The default `cluster.features`.
    pub default_features: Vec<String>,
    /// Column roles, in reporting order.
    pub roles: Vec<RoleInfo>,
    /// Code template placeholders (besides `{seq}` / `{seq:0N}`).
    pub code_slots: Vec<CodeSlot>,
    /// Lifecycle stages of the fixed mode with their default tokens.
    pub fixed_stages: Vec<StageToken>,
    /// Lifecycle stages of the relative mode with their default tokens.
    pub relative_stages: Vec<StageToken>,
    /// Lifecycle stages of the probabilistic mode (P(alive) from the `clv` model) with their
    /// default tokens.
    pub probabilistic_stages: Vec<StageToken>,
    /// Input formats this build reads (`input.format` values).
    pub input_formats: Vec<&'static str>,
    /// Export formats of the customer list.
    pub exports: Vec<&'static str>,
}

/// Every placeholder the template parser accepts, canonical name first. The tests parse each one,
/// so a spelling the parser drops fails here instead of on the page.
const CODE_SLOTS: [(&str, &[&str]); 8] = [
    ("region", &["region"]),
    ("tier", &["tier", "value_tier"]),
    ("stage", &["stage", "lifecycle"]),
    ("segment", &["segment"]),
    ("custom", &["custom", "custom_tier"]),
    ("r", &["r"]),
    ("f", &["f"]),
    ("m", &["m"]),
];

fn stages(names: &[&'static str]) -> Vec<StageToken> {
    names
        .iter()
        .map(|&name| StageToken {
            name,
            token: stage_token(name),
        })
        .collect()
}

/// The capabilities of this build.
pub fn capabilities() -> Result<Capabilities> {
    let mut presets = Vec::new();
    for name in PRESETS {
        let rules = segments::preset(name)?;
        let mut names: Vec<String> = rules.rules.iter().map(|r| r.segment.clone()).collect();
        let fallback = rules.fallback.clone();
        if !names.contains(&fallback) {
            names.push(fallback);
        }
        let mut seen = std::collections::HashSet::new();
        names.retain(|n| seen.insert(n.clone()));
        presets.push(SegmentPreset {
            name: name.to_string(),
            bins: vec![rules.bins],
            grid: rules.table().is_some(),
            segments: names,
        });
    }
    let mut tier_presets = Vec::new();
    for name in TIER_PRESETS {
        let options = TierOptions {
            preset: name.to_string(),
            ..TierOptions::default()
        };
        tier_presets.push(TierPreset {
            name: name.to_string(),
            bands: options.resolved_bands()?,
        });
    }
    // Which bins the engine accepts: asked of the score settings' own check.
    let bins = (1..=12u8)
        .filter(|&b| {
            let score = crate::score::ScoreOptions {
                bins: b,
                ..crate::score::ScoreOptions::default()
            };
            // Any error but the bins' own means the bins are accepted (the default rule set may
            // want other bins).
            !matches!(
                crate::score::ScorePlan::check(&score, &crate::score::SegmentOptions::default()),
                Err(crate::error::Error::ScoreBins { .. })
            )
        })
        .collect();
    Ok(Capabilities {
        version: env!("CARGO_PKG_VERSION"),
        presets,
        bins,
        tier_presets,
        builtin_features: crate::cluster::features::KNOWN.to_vec(),
        default_features: Recipe::default().cluster.features,
        roles: Role::ALL
            .iter()
            .map(|&r| RoleInfo {
                key: r.key(),
                customer_level: Role::CUSTOMER_LEVEL.contains(&r),
            })
            .collect(),
        code_slots: CODE_SLOTS
            .iter()
            .map(|&(slot, aliases)| CodeSlot {
                slot,
                aliases: aliases.to_vec(),
            })
            .collect(),
        fixed_stages: stages(&FIXED_STAGES),
        relative_stages: stages(&RELATIVE_STAGES),
        probabilistic_stages: stages(&PROBABILISTIC_STAGES),
        input_formats: vec!["delimited", "xlsx", "xls", "json"],
        exports: vec!["csv", "json", "xlsx", "report"],
    })
}

/// The slot a placeholder name stands for, as the template parser reads it (`None`: unknown).
pub fn slot_of(name: &str) -> Option<Slot> {
    Template::parse(&format!("{{{name}}}{{seq}}"))
        .ok()?
        .slots()
        .first()
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_alias_is_one_slot_of_the_parser() {
        for (slot, aliases) in CODE_SLOTS {
            let canonical = slot_of(slot);
            assert!(canonical.is_some(), "{slot}");
            for a in aliases {
                assert_eq!(slot_of(a), canonical, "{a}");
            }
        }
        assert_eq!(slot_of("tiers"), None);
        assert_eq!(slot_of("value_tier"), Some(Slot::Tier));
    }

    /// Within one lifecycle mode no two stages share a default code token (a code could not tell
    /// them apart). Expected by hand from `stage_token`'s table (Prospect P, New N, Active A,
    /// At Risk R) and its first-letter rule for the rest (Unscored U).
    #[test]
    fn stage_tokens_are_distinct_within_each_mode() {
        let tokens = |names: &[&'static str]| -> Vec<String> {
            stages(names).into_iter().map(|s| s.token).collect()
        };
        assert_eq!(tokens(&PROBABILISTIC_STAGES), ["P", "N", "A", "R", "U"]);
        for names in [
            &FIXED_STAGES[..],
            &RELATIVE_STAGES[..],
            &PROBABILISTIC_STAGES[..],
        ] {
            let mut t = tokens(names);
            t.sort();
            t.dedup();
            assert_eq!(t.len(), names.len(), "{names:?}");
        }
    }
}
