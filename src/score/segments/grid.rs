//! The segment rules drawn as an R × FM (or R × F) grid with counts, and a grid rule set as a table.

use serde::Serialize;

use super::{fm, GridAxis, GridTable, RuleSet};

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
#[serde(rename_all = "camelCase")]
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
#[serde(rename_all = "camelCase")]
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
    use crate::score::segments::preset;

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
}
