//! Segment rules as data: presets, user-defined rule sets, and the coverage check.
//!
//! A rule set is an ordered list of rules over the scores R, F, M and FM (= (F + M) / 2 rounded half
//! up); the first rule that matches names the segment, and a customer no rule matches is in the
//! fallback segment ("Others"). Grids (rows R, columns FM or F) are written as tables and expanded to one
//! rule per cell.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

mod grid;
mod presets;

pub use grid::{GridCell, SegmentGrid};
pub use presets::{grid_rules, preset, GridTable, PRESETS};

/// An inclusive score range, written `[lo, hi]` in JSON.
pub type ScoreRange = [u8; 2];

/// One rule: every given range must contain the customer's score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SegmentRule {
    /// Segment name given to matching customers.
    pub segment: String,
    /// Recency score range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r: Option<ScoreRange>,
    /// Frequency score range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub f: Option<ScoreRange>,
    /// Monetary score range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub m: Option<ScoreRange>,
    /// FM (mean of F and M, rounded half up) range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fm: Option<ScoreRange>,
}

/// The column axis of a grid rule set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GridAxis {
    /// Columns are FM = (F + M) / 2 rounded half up.
    Fm,
    /// Columns are F.
    F,
}

/// An ordered rule set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleSet {
    /// Name of the rule set (`"rfm11"`, or the user's).
    pub name: String,
    /// Number of score bins the rules are written for.
    pub bins: u8,
    /// Rules, first match wins.
    pub rules: Vec<SegmentRule>,
    /// Segment of customers no rule matches.
    #[serde(default = "default_fallback")]
    pub fallback: String,
    /// For drawing: the grid axes the rules were written on (rows are always R).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid: Option<GridAxis>,
}

pub(super) fn default_fallback() -> String {
    "Others".to_string()
}

/// FM score: mean of F and M rounded half up.
pub fn fm(f: u8, m: u8) -> u8 {
    (f + m).div_ceil(2)
}

impl SegmentRule {
    fn matches(&self, r: u8, f: u8, m: u8) -> bool {
        let within =
            |range: Option<ScoreRange>, v: u8| range.is_none_or(|[lo, hi]| lo <= v && v <= hi);
        within(self.r, r) && within(self.f, f) && within(self.m, m) && within(self.fm, fm(f, m))
    }
}

/// Coverage of a rule set over every (R, F, M) cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Coverage {
    /// Cells in total (N³).
    pub cells: usize,
    /// Cells no rule matches, as `[r, f, m]`.
    pub unassigned: Vec<[u8; 3]>,
    /// Cells more than one rule matches (first match wins), with the matching segments in order.
    pub overlapping: Vec<([u8; 3], Vec<String>)>,
}

impl RuleSet {
    /// Checks the rule set's shape: bins 2..=10, ranges inside 1..=bins and not reversed.
    pub fn validate(&self) -> Result<()> {
        if !(2..=10).contains(&self.bins) {
            return Err(Error::SegmentRuleBins { bins: self.bins });
        }
        for (i, rule) in self.rules.iter().enumerate() {
            for (axis, range) in [("r", rule.r), ("f", rule.f), ("m", rule.m), ("fm", rule.fm)] {
                if let Some([lo, hi]) = range {
                    if lo < 1 || hi > self.bins || lo > hi {
                        return Err(Error::SegmentRange {
                            field: format!("segments.rules[{i}].{axis}"),
                            lo,
                            hi,
                            bins: self.bins,
                        });
                    }
                }
            }
            if rule.segment.trim().is_empty() {
                return Err(Error::SegmentName {
                    field: format!("segments.rules[{i}].segment"),
                });
            }
        }
        Ok(())
    }

    /// Index of the first matching rule.
    pub fn rule_for(&self, r: u8, f: u8, m: u8) -> Option<usize> {
        self.rules.iter().position(|rule| rule.matches(r, f, m))
    }

    /// Segment name for the scores.
    pub fn segment_for(&self, r: u8, f: u8, m: u8) -> &str {
        self.rule_for(r, f, m)
            .and_then(|i| self.rules.get(i))
            .map_or(self.fallback.as_str(), |rule| rule.segment.as_str())
    }

    /// Segment names in first-appearance order, fallback last if any cell falls through.
    pub fn segment_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for rule in &self.rules {
            if !names.contains(&rule.segment) {
                names.push(rule.segment.clone());
            }
        }
        if !self.coverage().unassigned.is_empty() && !names.contains(&self.fallback) {
            names.push(self.fallback.clone());
        }
        names
    }

    /// Checks every score cell: which are unassigned, which are claimed by more than one rule.
    pub fn coverage(&self) -> Coverage {
        let n = self.bins;
        let mut unassigned = Vec::new();
        let mut overlapping = Vec::new();
        for r in 1..=n {
            for f in 1..=n {
                for m in 1..=n {
                    let hits: Vec<String> = self
                        .rules
                        .iter()
                        .filter(|rule| rule.matches(r, f, m))
                        .map(|rule| rule.segment.clone())
                        .collect();
                    match hits.len() {
                        0 => unassigned.push([r, f, m]),
                        1 => {}
                        _ => overlapping.push(([r, f, m], hits)),
                    }
                }
            }
        }
        Coverage {
            cells: usize::from(n).pow(3),
            unassigned,
            overlapping,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_and_overlaps_are_reported() {
        let rules = RuleSet {
            name: "mine".into(),
            bins: 3,
            rules: vec![
                SegmentRule {
                    segment: "Top".into(),
                    r: Some([3, 3]),
                    f: None,
                    m: None,
                    fm: None,
                },
                SegmentRule {
                    segment: "Big".into(),
                    r: None,
                    f: None,
                    m: Some([3, 3]),
                    fm: None,
                },
            ],
            fallback: "Others".into(),
            grid: None,
        };
        let c = rules.coverage();
        assert_eq!(c.unassigned.len(), 2 * 3 * 2); // r in 1..2, any f, m in 1..2
        assert_eq!(c.overlapping.len(), 3); // r = 3, m = 3, any f
        assert_eq!(rules.segment_for(3, 1, 3), "Top");
        assert_eq!(rules.segment_for(1, 1, 1), "Others");
        let bad = RuleSet {
            bins: 3,
            rules: vec![SegmentRule {
                segment: "X".into(),
                r: Some([2, 4]),
                f: None,
                m: None,
                fm: None,
            }],
            ..rules
        };
        assert!(bad
            .validate()
            .unwrap_err()
            .to_string()
            .contains("segments.rules[0].r"));
    }
}
