//! The preset rule sets as data (DOMAIN.md §3), and grids written as tables (`segments.table`).

use serde::{Deserialize, Serialize};

use super::{default_fallback, GridAxis, RuleSet, ScoreRange, SegmentRule};
use crate::error::{Error, Result};

/// The preset names this build knows.
pub const PRESETS: [&str; 4] = ["rfm11", "rf10", "rfm-ranges", "three-level"];

/// Rows R = 5..1, columns FM = 1..5 (DOMAIN.md §3).
const RFM11: [[&str; 5]; 5] = [
    [
        "Recent Customers",
        "Potential Loyalists",
        "Loyal Customers",
        "Champions",
        "Champions",
    ],
    [
        "Promising",
        "Potential Loyalists",
        "Potential Loyalists",
        "Loyal Customers",
        "Champions",
    ],
    [
        "Promising",
        "Need Attention",
        "Potential Loyalists",
        "Loyal Customers",
        "Loyal Customers",
    ],
    [
        "About to Sleep",
        "Need Attention",
        "Need Attention",
        "At Risk",
        "At Risk",
    ],
    [
        "Lost",
        "Hibernating",
        "At Risk",
        "Can't Lose Them",
        "Can't Lose Them",
    ],
];

/// Rows R = 5..1, columns F = 1..5 (DOMAIN.md §3, preset "rf10").
const RF10: [[&str; 5]; 5] = [
    [
        "New Customers",
        "Potential Loyalists",
        "Potential Loyalists",
        "Champions",
        "Champions",
    ],
    [
        "Promising",
        "Potential Loyalists",
        "Potential Loyalists",
        "Loyal Customers",
        "Loyal Customers",
    ],
    [
        "About to Sleep",
        "About to Sleep",
        "Need Attention",
        "Loyal Customers",
        "Loyal Customers",
    ],
    [
        "Hibernating",
        "Hibernating",
        "At Risk",
        "At Risk",
        "Can't Lose Them",
    ],
    [
        "Hibernating",
        "Hibernating",
        "At Risk",
        "At Risk",
        "Can't Lose Them",
    ],
];

/// Preset "three-level": rows R = 3..1, columns FM = 1..3 (FM = (F + M) / 2 rounded half up).
///
/// Our own table (DOMAIN.md §3 names the six groups but no cells): recent buyers are split by value
/// (Recent → Loyal → Champions), middling recency needs attention unless value is high (Loyal), and
/// the least recent are Inactive when low value and At Risk when worth winning back.
const THREE_LEVEL: [[&str; 3]; 3] = [
    ["Recent", "Loyal", "Champions"],
    ["Needs Attention", "Needs Attention", "Loyal"],
    ["Inactive", "At Risk", "At Risk"],
];

/// Preset "rfm-ranges": (segment, R, F, M) ranges, first match wins (R package `rfm` v0.3 example).
const RFM_RANGES: [(&str, ScoreRange, ScoreRange, ScoreRange); 10] = [
    ("Champions", [5, 5], [5, 5], [5, 5]),
    ("Potential Loyalist", [3, 5], [3, 5], [2, 5]),
    ("Loyal Customers", [2, 4], [2, 4], [2, 4]),
    ("Promising", [3, 4], [1, 3], [3, 5]),
    ("New Customers", [4, 5], [1, 3], [1, 5]),
    ("Can't Lose Them", [1, 2], [3, 4], [4, 5]),
    ("At Risk", [1, 2], [2, 5], [4, 5]),
    ("Need Attention", [1, 3], [3, 5], [3, 5]),
    ("About To Sleep", [2, 3], [1, 3], [1, 4]),
    ("Lost", [1, 1], [1, 5], [1, 5]),
];

pub(super) fn table<const N: usize>(t: &[[&str; N]; N]) -> Vec<Vec<String>> {
    t.iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect()
}

/// Expands a grid (rows R = N..1, columns 1..N of `axis`) into one rule per cell.
pub fn grid_rules(name: &str, axis: GridAxis, rows: &[Vec<String>]) -> Result<RuleSet> {
    let bins =
        u8::try_from(rows.len()).map_err(|_| Error::SegmentTableRows { rows: rows.len() })?;
    let mut rules = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if row.len() != rows.len() {
            return Err(Error::SegmentTableRow {
                row: i + 1,
                cells: row.len(),
                bins: rows.len(),
            });
        }
        let r = bins - u8::try_from(i).unwrap_or(0);
        for (j, segment) in row.iter().enumerate() {
            let c = u8::try_from(j + 1).unwrap_or(bins);
            let (f, fm) = match axis {
                GridAxis::Fm => (None, Some([c, c])),
                GridAxis::F => (Some([c, c]), None),
            };
            rules.push(SegmentRule {
                segment: segment.clone(),
                r: Some([r, r]),
                f,
                m: None,
                fm,
            });
        }
    }
    Ok(RuleSet {
        name: name.to_string(),
        bins,
        rules,
        fallback: default_fallback(),
        grid: Some(axis),
    })
}

/// A named preset.
pub fn preset(name: &str) -> Result<RuleSet> {
    match name {
        "rfm11" => grid_rules("rfm11", GridAxis::Fm, &table(&RFM11)),
        "rf10" => grid_rules("rf10", GridAxis::F, &table(&RF10)),
        "three-level" => grid_rules("three-level", GridAxis::Fm, &table(&THREE_LEVEL)),
        "rfm-ranges" => Ok(RuleSet {
            name: "rfm-ranges".into(),
            bins: 5,
            rules: RFM_RANGES
                .iter()
                .map(|&(segment, r, f, m)| SegmentRule {
                    segment: segment.to_string(),
                    r: Some(r),
                    f: Some(f),
                    m: Some(m),
                    fm: None,
                })
                .collect(),
            fallback: default_fallback(),
            grid: None,
        }),
        other => Err(Error::SegmentPreset {
            name: other.to_string(),
            known: PRESETS.join(", "),
        }),
    }
}

/// A rule set written as a table: rows R = N..1, columns 1..N of `axis` — the easy way to edit a grid
/// preset (recipe `segments.table`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GridTable {
    /// Name of the rule set (default `"custom"`).
    #[serde(default = "custom_name")]
    pub name: String,
    /// Column axis: `fm` (default) or `f`.
    #[serde(default = "fm_axis")]
    pub axis: GridAxis,
    /// Segment names, one row per R score from N down to 1.
    pub rows: Vec<Vec<String>>,
}

fn custom_name() -> String {
    "custom".into()
}

fn fm_axis() -> GridAxis {
    GridAxis::Fm
}

impl GridTable {
    /// Expands the table into a rule set.
    pub fn rule_set(&self) -> Result<RuleSet> {
        if !(2..=10).contains(&self.rows.len()) {
            return Err(Error::SegmentTableRows {
                rows: self.rows.len(),
            });
        }
        grid_rules(&self.name, self.axis, &self.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfm11_covers_every_cell_once() {
        let p = preset("rfm11").unwrap();
        p.validate().unwrap();
        let c = p.coverage();
        assert_eq!(c.cells, 125);
        assert!(c.unassigned.is_empty());
        assert!(c.overlapping.is_empty());
        assert_eq!(p.segment_names().len(), 11);
    }

    #[test]
    fn rfm11_cells_match_the_domain_table() {
        let p = preset("rfm11").unwrap();
        assert_eq!(p.segment_for(5, 5, 5), "Champions");
        assert_eq!(p.segment_for(5, 1, 1), "Recent Customers");
        assert_eq!(p.segment_for(1, 1, 1), "Lost");
        assert_eq!(p.segment_for(1, 5, 4), "Can't Lose Them"); // FM = 4.5 → 5
        assert_eq!(p.segment_for(1, 2, 1), "Hibernating"); // FM = 1.5 → 2
        assert_eq!(p.segment_for(2, 3, 4), "At Risk"); // FM = 3.5 → 4
        assert_eq!(p.segment_for(3, 2, 1), "Need Attention"); // FM = 1.5 → 2
        assert_eq!(p.segment_for(4, 1, 2), "Potential Loyalists"); // FM = 1.5 → 2
    }

    #[test]
    fn presets_cover_their_cells() {
        for name in PRESETS {
            let p = preset(name).unwrap();
            p.validate().unwrap();
            let c = p.coverage();
            assert_eq!(c.cells, usize::from(p.bins).pow(3), "{name}");
            assert!(c.overlapping.is_empty() || name == "rfm-ranges", "{name}");
            let expected_gaps = if name == "rfm-ranges" { 10 } else { 0 };
            assert_eq!(c.unassigned.len(), expected_gaps, "{name}");
        }
        assert_eq!(preset("rf10").unwrap().segment_names().len(), 10);
        assert_eq!(preset("three-level").unwrap().segment_names().len(), 6);
    }

    #[test]
    fn tables_round_trip_and_are_checked() {
        let t = preset("rfm11").unwrap().table().unwrap();
        assert_eq!(t.rows[0][0], "Recent Customers");
        assert_eq!(t.rows[4][4], "Can't Lose Them");
        let back = t.rule_set().unwrap();
        for r in 1..=5 {
            for f in 1..=5 {
                for m in 1..=5 {
                    assert_eq!(
                        back.segment_for(r, f, m),
                        preset("rfm11").unwrap().segment_for(r, f, m)
                    );
                }
            }
        }
        assert!(preset("rfm-ranges").unwrap().table().is_none());
        let bad = GridTable {
            name: "x".into(),
            axis: GridAxis::F,
            rows: vec![vec!["A".into(), "B".into()], vec!["C".into()]],
        };
        assert!(bad
            .rule_set()
            .unwrap_err()
            .to_string()
            .contains("row 2 has 1 cells"));
    }
}
