//! The sink the reader pushes rows into: it holds the sample until column roles and value
//! parsers are fixed, then hands rows to the cleaner (second pass) or the prescanner (first pass).

use super::SAMPLE_ROWS;
use crate::clean::{CleanRow, RowCleaner};
use crate::config::Recipe;
use crate::error::Result;
use crate::features::Aggregator;
use crate::ingest::roles::ColumnMap;
use crate::ingest::values::{day_of, Day};
use crate::ingest::RecordSink;

#[derive(Default)]
pub(super) struct LoadSink {
    pub(super) recipe: Recipe,
    pub(super) header: Option<Vec<String>>,
    pub(super) sample: Vec<(u64, Vec<String>)>,
    pub(super) cleaner: Option<RowCleaner>,
    pub(super) agg: Aggregator,
    /// The cleaner's extra columns are defined in `agg` (before the first row is cleaned).
    pub(super) attributes_defined: bool,
    /// The first record was data, not names: columns are `column1`, `column2`, ...
    pub(super) headerless: bool,
    /// In the first of two passes: what it collects (set once roles are known).
    pub(super) prescanner: Option<crate::clean::Prescanner>,
    pub(super) first_pass: bool,
    /// Input size in bytes, when known, to size the first pass's filter.
    pub(super) size_hint: Option<u64>,
    /// In the second of two passes: what the first found, and how values are read.
    pub(super) found: Option<(crate::prescan::PrescanResult, crate::clean::ValueChoice)>,
    /// A one-time stream went on past its buffered rows: value decisions come from those only.
    pub(super) streamed: bool,
    /// Rows read while the header is not decided yet: the reader's first row (handed to
    /// `header`, row number 0 until known) and the records after it.
    pub(super) pending: Vec<(u64, Vec<String>)>,
    /// Physical lines of the rows in `pending`, same order.
    pub(super) pending_lines: Vec<Option<u64>>,
    /// The line the reader announced before its first row (a sheet's row number).
    pub(super) first_line: Option<u64>,
    /// The header row is decided (rows now go to the sample or the cleaner).
    pub(super) decided: bool,
    /// Preamble rows (row number, line, first non-empty cell) waiting for the cleaner's accounting.
    pub(super) preamble_rows: Vec<(u64, Option<u64>, String)>,
    /// The `headerRow` decision, once made.
    pub(super) header_decision: Option<crate::ingest::Decision>,
    /// Physical line of the row being read (text input), from `at_line`.
    pub(super) line: Option<u64>,
    /// Physical lines of the rows in `sample`, same order.
    pub(super) sample_lines: Vec<Option<u64>>,
    /// Rows the reader could not split, waiting for the cleaner's accounting: (row, line, text).
    pub(super) set_aside: Vec<(u64, Option<u64>, String)>,
}

impl LoadSink {
    pub(super) fn as_of_day(&self) -> Option<Day> {
        self.recipe.as_of.map(day_of)
    }

    /// Fixes roles and parsers from the sample, then replays the sampled rows. `whole`: the
    /// input has ended, so the sample is every row.
    pub(super) fn start(&mut self, whole: bool) -> Result<()> {
        let header = self.header.clone().unwrap_or_default();
        let rows: Vec<Vec<String>> = self.sample.iter().map(|(_, r)| r.clone()).collect();
        let map = ColumnMap::infer_with_values(&header, &self.recipe.input.columns, &rows)?;
        let cleaner = RowCleaner::with_shape(
            map,
            self.recipe.clean.clone(),
            self.as_of_day(),
            &self.recipe.input,
            &rows,
        )?;
        let mut cleaner = cleaner;
        if self.first_pass {
            // Decisions come at the end of this pass, from every row.
            self.prescanner = Some(cleaner.prescanner(self.expected_rows()));
        } else if let Some((found, choice)) = self.found.take() {
            cleaner.apply_prescan(found, choice);
        } else if whole {
            // A one-time stream that ended within its buffer has shown every row.
            if let Some(e) = cleaner.take_undecided() {
                return Err(e);
            }
        } else {
            // A one-time stream: decided from the buffered rows, and said so.
            cleaner.take_undecided();
            cleaner.decided_from_first_rows(self.sample.len());
            self.streamed = true;
        }
        for (row, line, text) in std::mem::take(&mut self.preamble_rows) {
            cleaner.accounting.current_line = line;
            cleaner
                .accounting
                .set_aside(crate::clean::RejectReason::Preamble, row, &text);
        }
        self.cleaner = Some(cleaner);
        let current = self.line;
        let lines = std::mem::take(&mut self.sample_lines);
        for (i, (row, fields)) in std::mem::take(&mut self.sample).into_iter().enumerate() {
            let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
            self.line = lines.get(i).copied().flatten();
            self.consume(row, &refs)?;
        }
        self.line = current;
        self.account_set_aside();
        Ok(())
    }

    /// Counts the rows the reader set aside, once the cleaner's accounting exists.
    pub(super) fn account_set_aside(&mut self) {
        if let Some(cleaner) = self.cleaner.as_mut() {
            for (row, line, text) in self.set_aside.drain(..) {
                cleaner.accounting.current_line = line;
                cleaner
                    .accounting
                    .set_aside(crate::clean::RejectReason::UnclosedQuote, row, &text);
            }
        }
    }

    /// Rows the input probably has: its size over the mean length of the sampled records.
    pub(super) fn expected_rows(&self) -> Option<u64> {
        let size = self.size_hint?;
        let bytes: usize = self
            .sample
            .iter()
            .map(|(_, r)| r.iter().map(|f| f.len() + 1).sum::<usize>())
            .sum();
        let per_row = (bytes / self.sample.len().max(1)).max(1) as u64;
        Some(size / per_row + 1)
    }

    pub(super) fn consume(&mut self, row: u64, fields: &[&str]) -> Result<()> {
        if self.first_pass {
            if let (Some(cleaner), Some(scan)) = (self.cleaner.as_ref(), self.prescanner.as_mut()) {
                cleaner.prescan(fields, scan);
            }
            return Ok(());
        }
        if let Some(cleaner) = self.cleaner.as_mut() {
            cleaner.accounting.current_line = self.line;
            if !self.attributes_defined {
                self.agg.define_attributes(cleaner.attribute_defs());
                self.attributes_defined = true;
            }
            // The cleaner returns rows; the pipeline feeds the aggregator.
            match cleaner.clean_row(row, fields)? {
                Some(CleanRow::Transaction(t, cells)) if cells.is_empty() => self.agg.add(&t),
                Some(CleanRow::Transaction(t, cells)) => self.agg.add_with_attributes(&t, &cells),
                Some(CleanRow::Customer(r, cells)) => {
                    let added = self.agg.add_customer(&r, &cells);
                    cleaner.settle_customer(row, fields, r.customer, added);
                }
                None => {}
            }
        }
        Ok(())
    }

    pub(super) fn rows_read(&self) -> u64 {
        let done = if self.first_pass {
            self.prescanner.as_ref().map_or(0, |p| p.rows)
        } else {
            self.cleaner.as_ref().map_or(0, |c| c.accounting.rows_read)
        };
        done + (self.sample.len() + self.pending.len() + self.preamble_rows.len()) as u64
    }
}

impl RecordSink for LoadSink {
    fn header(&mut self, names: Vec<String>) -> Result<()> {
        // Only a candidate: title rows come first in many exports (see `try_decide`).
        let row = self.first_line.unwrap_or(0);
        self.pending.push((row, names));
        self.pending_lines.push(self.line);
        self.try_decide(false)
    }

    fn record(&mut self, row: u64, fields: &[&str]) -> Result<()> {
        if !self.decided {
            if let [(first, _)] = self.pending.as_mut_slice() {
                // The first row's number: the line announced before it, or the row before this one
                // (text readers number rows from 1 and announce physical lines).
                let before = row.saturating_sub(1).max(1);
                *first = if *first == 0 {
                    before
                } else {
                    (*first).min(before)
                };
            }
            self.pending
                .push((row, fields.iter().map(|s| s.to_string()).collect()));
            self.pending_lines.push(self.line);
            return self.try_decide(false);
        }
        if self.cleaner.is_none() {
            self.sample
                .push((row, fields.iter().map(|s| s.to_string()).collect()));
            self.sample_lines.push(self.line);
            if self.sample.len() >= SAMPLE_ROWS {
                self.start(false)?;
            }
            return Ok(());
        }
        self.consume(row, fields)
    }

    fn preamble(&mut self, row: u64, fields: &[&str]) -> Result<()> {
        self.count_preamble(row, self.line, fields);
        Ok(())
    }

    fn at_line(&mut self, line: u64) {
        if self.pending.is_empty() && !self.decided {
            self.first_line = Some(line);
        }
        self.line = Some(line);
    }

    fn unreadable(&mut self, row: u64, _why: crate::ingest::Unreadable, text: &str) -> Result<()> {
        // The first of two passes only prepares checks; the second one counts the rows.
        if !self.first_pass {
            self.set_aside
                .push((row, self.line, text.chars().take(80).collect()));
            self.account_set_aside();
        }
        Ok(())
    }
}
