//! The header search: which of the first rows names the columns (a recipe's `headerRow`, a row
//! naming roles, or the first non-empty row), and the `headerRow` decision that says why.

use super::sink::LoadSink;
use crate::error::{Error, Result};
use crate::ingest::roles::ColumnMap;
use crate::ingest::RecordSink;

/// Rows held at most while looking for the header (empty ones included), before the first
/// non-empty row is taken.
const MAX_PENDING_ROWS: usize = 1_000;
/// Bytes of cell text held at most while looking for the header: a few huge rows decide early
/// (on their content, never on how the input was chunked).
const MAX_PENDING_BYTES: usize = 16 << 20;

impl LoadSink {
    /// Counts a row that is neither header nor data (reason `preamble`).
    pub(super) fn count_preamble(&mut self, row: u64, line: Option<u64>, fields: &[&str]) {
        let text = fields
            .iter()
            .map(|f| f.trim())
            .find(|f| !f.is_empty())
            .unwrap_or("")
            .to_string();
        match self.cleaner.as_mut() {
            Some(c) if !self.first_pass => {
                c.accounting.current_line = line;
                c.accounting
                    .set_aside(crate::clean::RejectReason::Preamble, row, &text);
            }
            _ => self.preamble_rows.push((row, line, text)),
        }
    }

    /// Decides the header row once the rows read allow it (a row naming roles, the
    /// [`HEADER_SEARCH_ROWS`] non-empty rows, or the end of the input: `at_end`), then replays the
    /// pending rows: above the header as preamble, the header, the rest as records.
    pub(super) fn try_decide(&mut self, at_end: bool) -> Result<()> {
        use crate::ingest::roles::{locate_header, HEADER_SEARCH_ROWS};
        use crate::ingest::Basis;
        if self.decided || self.pending.is_empty() {
            return Ok(());
        }
        if at_end {
            // A lone first row: its number is the line announced before it, or 1.
            if let Some(first) = self.pending.first_mut().filter(|(r, _)| *r == 0) {
                first.0 = self.first_line.unwrap_or(1).max(1);
            }
        }
        if let Some(n) = self.recipe.input.header_row {
            if let Some(pos) = self.pending.iter().position(|(r, _)| *r == n) {
                return self.decide(pos, Basis::Recipe, &[]);
            }
            let last = self.pending.last().map_or(0, |(r, _)| *r);
            if at_end || last > n {
                return Err(Error::recipe(
                    "input.headerRow",
                    format!("row {n} is not a row of this file or sheet (its rows end at {last}, empty rows are not rows)"),
                ));
            }
            // Rows above the forced header are preamble: no need to hold them.
            if self.pending.len() > HEADER_SEARCH_ROWS {
                let keep = self.pending.split_off(self.pending.len() - 1);
                let keep_lines = self
                    .pending_lines
                    .split_off(self.pending_lines.len().saturating_sub(1));
                let lines = std::mem::replace(&mut self.pending_lines, keep_lines);
                for (i, (row, fields)) in std::mem::replace(&mut self.pending, keep)
                    .into_iter()
                    .enumerate()
                {
                    let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
                    self.count_preamble(row.max(1), lines.get(i).copied().flatten(), &refs);
                }
            }
            return Ok(());
        }
        let filled: Vec<usize> = (0..self.pending.len())
            .filter(|&i| {
                self.pending
                    .get(i)
                    .is_some_and(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
            })
            .collect();
        let rows: Vec<Vec<String>> = filled
            .iter()
            .filter_map(|&i| self.pending.get(i).map(|(_, r)| r.clone()))
            .collect();
        if let Some(m) = locate_header(&rows, &self.recipe.input.columns) {
            let pos = filled.get(m.index).copied().unwrap_or(0);
            return self.decide(pos, Basis::File, &m.matched);
        }
        let held: usize = self
            .pending
            .iter()
            .map(|(_, r)| r.iter().map(String::len).sum::<usize>())
            .sum();
        if at_end
            || rows.len() >= HEADER_SEARCH_ROWS
            || self.pending.len() >= MAX_PENDING_ROWS
            || held >= MAX_PENDING_BYTES
        {
            match filled.first() {
                Some(&pos) => return self.decide(pos, Basis::Default, &[]),
                None => {
                    return Err(Error::BadRow {
                        row: self.pending.first().map_or(1, |(r, _)| (*r).max(1)),
                        column: None,
                        message: "the header row is empty".into(),
                    })
                }
            }
        }
        Ok(())
    }

    /// Takes `pending[pos]` as the header (see [`LoadSink::try_decide`]).
    pub(super) fn decide(
        &mut self,
        pos: usize,
        basis: crate::ingest::Basis,
        matched: &[(crate::ingest::roles::Role, String)],
    ) -> Result<()> {
        use crate::ingest::{Basis, Decision};
        self.decided = true;
        let rows = std::mem::take(&mut self.pending);
        let lines = std::mem::take(&mut self.pending_lines);
        let mut above = Vec::new();
        let mut header_row = 1;
        let mut replay = Vec::new();
        for (i, (row, fields)) in rows.into_iter().enumerate() {
            let row = row.max(1);
            let line = lines.get(i).copied().flatten();
            if i < pos {
                above.push(row);
                let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
                self.count_preamble(row, line, &refs);
            } else if i == pos {
                header_row = row;
                // A header that turns out to hold values is read as the first record.
                self.line = line;
                self.accept_header(row, fields)?;
            } else {
                replay.push((row, line, fields));
            }
        }
        let key = "input.headerRow";
        let width = self.header.as_ref().map_or(0, Vec::len);
        let decision = match basis {
            Basis::Recipe => Decision::evidenced(
                "headerRow",
                header_row.to_string(),
                basis,
                crate::ingest::roles::header_evidence(header_row, &[], &above),
                key,
            ),
            Basis::File => Decision::evidenced(
                "headerRow",
                header_row.to_string(),
                basis,
                crate::ingest::roles::header_evidence(header_row, matched, &above),
                key,
            ),
            Basis::Default if self.headerless => Decision::new(
                "headerRow",
                "none",
                basis,
                format!("row {header_row} holds values, not column names: the file has no header ({width} columns named column1…)"),
                key,
            )
            .because(
                "header_none",
                [("row", header_row.to_string()), ("columns", width.to_string())],
            ),
            Basis::Default => {
                let searched = crate::ingest::roles::HEADER_SEARCH_ROWS;
                let d = Decision::new(
                    "headerRow",
                    header_row.to_string(),
                    basis,
                    format!("no row among the first {searched} names the customer id and a date or an amount: row {header_row}, the first non-empty one, is taken as the header"),
                    key,
                )
                .because(
                    "header_default",
                    [("searched", searched.to_string()), ("row", header_row.to_string())],
                );
                let named = self
                    .header
                    .as_ref()
                    .map_or(0, |h| h.iter().filter(|c| !c.trim().is_empty()).count());
                if named < 2 {
                    d.warn(crate::warning::Warning::header_title_row(header_row))
                } else {
                    d
                }
            }
        };
        self.header_decision = Some(decision);
        let current = self.line;
        for (row, line, fields) in replay {
            let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
            self.line = line;
            self.record(row, &refs)?;
        }
        self.line = current;
        Ok(())
    }

    /// The header row as chosen: checked, or read as data when it holds values.
    pub(super) fn accept_header(&mut self, row: u64, names: Vec<String>) -> Result<()> {
        let names: Vec<String> = names.iter().map(|n| n.trim().to_string()).collect();
        if names.iter().all(|n| n.is_empty()) {
            return Err(Error::BadRow {
                row,
                column: None,
                message: "the header row is empty".into(),
            });
        }
        // Fail early on a header without the required columns, before any data row is read,
        // unless the first record is data (no header) or values can name the missing roles.
        match ColumnMap::infer(&names, &self.recipe.input.columns) {
            Ok(_) => {}
            Err(Error::MissingColumn { .. })
                if self.recipe.input.header_row.is_none()
                    && crate::ingest::roles::looks_like_data(&names) =>
            {
                self.header = Some(crate::ingest::roles::synthetic_header(names.len()));
                self.headerless = true;
                let refs: Vec<&str> = names.iter().map(String::as_str).collect();
                return self.record(row, &refs);
            }
            Err(Error::MissingColumn { .. }) => {}
            Err(e) => return Err(e),
        }
        self.header = Some(names);
        Ok(())
    }
}
