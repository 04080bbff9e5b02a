//! Cells into row text: what a CSV export of a sheet would hold, and rows as wide as the sheet.

use calamine::Data;

use super::Scan;
use crate::error::Result;

/// True for a cell that holds nothing a CSV export would show.
pub(super) fn cell_is_blank_ref(value: &calamine::DataRef<'_>) -> bool {
    match value {
        calamine::DataRef::Empty => true,
        calamine::DataRef::String(s)
        | calamine::DataRef::DateTimeIso(s)
        | calamine::DataRef::DurationIso(s) => s.is_empty(),
        calamine::DataRef::SharedString(s) => s.is_empty(),
        _ => false,
    }
}

/// Groups cells arriving in row order into rows as wide as the sheet.
pub(super) struct RowBuilder<'f> {
    f: &'f mut dyn FnMut(u32, Vec<String>) -> Result<bool>,
    row: Option<u32>,
    cells: Vec<String>,
    min_col: u32,
    width: usize,
    stopped: bool,
}

impl<'f> RowBuilder<'f> {
    pub(super) fn new(scan: &Scan, f: &'f mut dyn FnMut(u32, Vec<String>) -> Result<bool>) -> Self {
        RowBuilder {
            f,
            row: None,
            cells: Vec::new(),
            min_col: scan.min_col,
            width: scan.width(),
            stopped: false,
        }
    }

    /// Adds a cell; false once `f` asked to stop.
    pub(super) fn push(&mut self, row: u32, col: u32, text: String) -> Result<bool> {
        if text.is_empty() {
            return Ok(!self.stopped);
        }
        if self.row != Some(row) {
            self.flush()?;
            self.row = Some(row);
        }
        if self.stopped {
            return Ok(false);
        }
        let Some(ix) = col.checked_sub(self.min_col).map(|c| c as usize) else {
            return Ok(true);
        };
        if self.cells.is_empty() {
            self.cells = vec![String::new(); self.width];
        }
        if let Some(slot) = self.cells.get_mut(ix) {
            *slot = text;
        }
        Ok(true)
    }

    fn flush(&mut self) -> Result<()> {
        let cells = std::mem::take(&mut self.cells);
        if let Some(row) = self.row.take() {
            if !self.stopped && cells.iter().any(|c| !c.trim().is_empty()) && !(self.f)(row, cells)?
            {
                self.stopped = true;
            }
        }
        Ok(())
    }

    pub(super) fn finish(mut self) -> Result<()> {
        self.flush()
    }
}

pub(super) fn trim_trailing_empty(mut cells: Vec<String>) -> Vec<String> {
    while cells.last().is_some_and(|c| c.trim().is_empty()) {
        cells.pop();
    }
    cells
}

/// A cell as the text a CSV export of it would hold. Date cells become ISO dates so that the
/// date column needs no guessing; plain numbers keep full precision.
pub(super) fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
            if (hh, mm, ss) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")
            }
        }
        Data::DateTime(dt) => float_text(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

fn float_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.0}")
    } else {
        f.to_string()
    }
}
