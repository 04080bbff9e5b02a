//! Segment rules as data: presets, user-defined rule sets, and the coverage check.
//!
//! A rule set is an ordered list of rules over the scores R, F, M and FM (= (F + M) / 2 rounded half
//! up); the first rule that matches names the segment, and a customer no rule matches is in the
//! fallback segment ("Others"). Grids (rows R, columns FM or F) are written as tables and expanded to one
//! rule per cell.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

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

fn default_fallback() -> String {
    "Others".to_string()
}

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

fn table<const N: usize>(t: &[[&str; N]; N]) -> Vec<Vec<String>> {
    t.iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect()
}

/// Expands a grid (rows R = N..1, columns 1..N of `axis`) into one rule per cell.
pub fn grid_rules(name: &str, axis: GridAxis, rows: &[Vec<String>]) -> Result<RuleSet> {
    let bins =
        u8::try_from(rows.len()).map_err(|_| Error::recipe("segments.grid", "too many rows"))?;
    let mut rules = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if row.len() != rows.len() {
            return Err(Error::recipe(
                "segments.grid",
                format!(
                    "row {} has {} cells; a {bins}×{bins} grid needs {bins}",
                    i + 1,
                    row.len()
                ),
            ));
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
        other => Err(Error::recipe(
            "segments.preset",
            format!(
                "unknown preset {other:?}; known presets: {}",
                PRESETS.join(", ")
            ),
        )),
    }
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
            return Err(Error::recipe("segments.bins", "must be between 2 and 10"));
        }
        for (i, rule) in self.rules.iter().enumerate() {
            for (axis, range) in [("r", rule.r), ("f", rule.f), ("m", rule.m), ("fm", rule.fm)] {
                if let Some([lo, hi]) = range {
                    if lo < 1 || hi > self.bins || lo > hi {
                        return Err(Error::recipe(
                            format!("segments.rules[{i}].{axis}"),
                            format!(
                                "range [{lo}, {hi}] must lie within 1..={} with low ≤ high",
                                self.bins
                            ),
                        ));
                    }
                }
            }
            if rule.segment.trim().is_empty() {
                return Err(Error::recipe(
                    format!("segments.rules[{i}].segment"),
                    "segment name is empty",
                ));
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
            return Err(Error::recipe(
                "segments.table.rows",
                format!(
                    "{} rows: a table needs 2 to 10 (one per R score)",
                    self.rows.len()
                ),
            ));
        }
        grid_rules(&self.name, self.axis, &self.rows)
    }
}

impl RuleSet {
    /// The rule set as a table, when every grid cell has one segment (grid presets do; range rules
    /// over M do not).
    pub fn table(&self) -> Option<GridTable> {
        let grid = self.grid(&[], &[], &[], &[]);
        let width = usize::from(self.bins);
        let names: Option<Vec<String>> = grid.cells.into_iter().map(|c| c.segment).collect();
        let rows = names?.chunks(width).map(<[String]>::to_vec).collect();
        Some(GridTable {
            name: self.name.clone(),
            axis: grid.axis,
            rows,
        })
    }
}

/// One cell of the drawable segment grid (rows R, columns FM or F).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridCell {
    /// Recency score (row).
    pub r: u8,
    /// Column score (FM or F, per [`SegmentGrid::axis`]).
    pub col: u8,
    /// The segment of the cell when the rules give one segment for every score behind it; `None`
    /// when the cell mixes segments (range rules over M, for example).
    pub segment: Option<String>,
    /// Every segment the rules give inside the cell, in rule order.
    pub segments: Vec<String>,
    /// Customers whose scores fall in the cell.
    pub customers: usize,
    /// Their mean monetary (0 for an empty cell).
    pub mean_monetary: f64,
}

/// The segment rules drawn as an R × FM (or R × F) grid with counts, for the page's heatmap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentGrid {
    /// Column axis: the rule set's own, or FM for range rules.
    pub axis: GridAxis,
    /// Scores per axis.
    pub bins: u8,
    /// Cells row by row, R = N..1, columns 1..N.
    pub cells: Vec<GridCell>,
}

impl RuleSet {
    /// The grid of segments with customer counts and mean monetary per cell.
    pub fn grid(&self, r: &[u8], f: &[u8], m: &[u8], monetary: &[f64]) -> SegmentGrid {
        let axis = self.grid.unwrap_or(GridAxis::Fm);
        let n = self.bins;
        let col_of = |f: u8, m: u8| match axis {
            GridAxis::Fm => fm(f, m),
            GridAxis::F => f,
        };
        let width = usize::from(n);
        let slot = |r: u8, c: u8| -> Option<usize> {
            let row = usize::from(n.checked_sub(r)?);
            let col = usize::from(c.checked_sub(1)?);
            (row < width && col < width).then_some(row * width + col)
        };
        let mut count = vec![0usize; width * width];
        let mut sum = vec![0.0f64; width * width];
        for (((&r, &f), &m), &v) in r.iter().zip(f).zip(m).zip(monetary) {
            if let Some(i) = slot(r, col_of(f, m)) {
                if let (Some(c), Some(s)) = (count.get_mut(i), sum.get_mut(i)) {
                    *c += 1;
                    *s += v;
                }
            }
        }
        let mut cells = Vec::with_capacity(width * width);
        for r in (1..=n).rev() {
            for c in 1..=n {
                let mut segments: Vec<String> = Vec::new();
                for f in 1..=n {
                    for m in 1..=n {
                        if col_of(f, m) != c {
                            continue;
                        }
                        let name = self.segment_for(r, f, m);
                        if !segments.iter().any(|s| s == name) {
                            segments.push(name.to_string());
                        }
                    }
                }
                let i = slot(r, c).unwrap_or(0);
                let customers = count.get(i).copied().unwrap_or(0);
                #[allow(clippy::cast_precision_loss)]
                let mean_monetary = if customers > 0 {
                    sum.get(i).copied().unwrap_or(0.0) / customers as f64
                } else {
                    0.0
                };
                cells.push(GridCell {
                    r,
                    col: c,
                    segment: (segments.len() == 1)
                        .then(|| segments.first().cloned())
                        .flatten(),
                    segments,
                    customers,
                    mean_monetary,
                });
            }
        }
        SegmentGrid {
            axis,
            bins: n,
            cells,
        }
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
    fn grid_counts_customers_per_cell() {
        let p = preset("rf10").unwrap();
        let g = p.grid(&[5, 5, 1], &[5, 4, 1], &[1, 1, 1], &[10.0, 30.0, 1.0]);
        assert_eq!(g.cells.len(), 25);
        let top_right = g.cells.iter().find(|c| c.r == 5 && c.col == 5).unwrap();
        assert_eq!(top_right.segment.as_deref(), Some("Champions"));
        assert_eq!(top_right.customers, 1);
        let c54 = g.cells.iter().find(|c| c.r == 5 && c.col == 4).unwrap();
        assert_eq!(c54.mean_monetary, 30.0);
        let ranges = preset("rfm-ranges").unwrap().grid(&[], &[], &[], &[]);
        assert!(ranges.cells.iter().any(|c| c.segment.is_none()));
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
