//! The pipeline: bytes → [`Loader`] → [`Dataset`] → [`Dataset::analyze`] → [`Analysis`].
//!
//! Loading (parse, clean, aggregate) is the expensive part and depends only on the recipe's `input`,
//! `clean` and `asOf` settings; analysis (scores, segments, summaries) can be re-run on the same
//! [`Dataset`] with other settings without reading the file again.

use crate::clean::{RowAccounting, RowCleaner};
use crate::config::{AsPlan, Recipe};
use crate::error::{Error, Result};
use crate::features::{Aggregator, Customers};
use crate::ingest::roles::ColumnMap;
use crate::ingest::values::{date_of, day_of, Day};
use crate::ingest::{Ingestor, RecordSink};
use crate::report::{self, GroupSummary, InputReport, Report, SegmentsReport};
use crate::report::{ActionRow, ActionsReport, CodesReport, LifecycleReport, TiersReport};
use crate::score::{self, Classes, CodeMap, Scores};

/// Records buffered before column roles (and, for a one-time stream, value parsers) are fixed
/// from them.
const SAMPLE_ROWS: usize = 500;

/// Progress of a load, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    /// Bytes pushed so far.
    pub bytes: u64,
    /// Data rows read so far.
    pub rows: u64,
    /// Distinct customers so far.
    pub customers: usize,
    /// Which pass over the input this is (1 or 2).
    pub pass: u8,
    /// Passes the load makes: 2 when a first pass prepares duplicate and outlier checks.
    pub passes: u8,
}

#[derive(Default)]
struct LoadSink {
    recipe: Recipe,
    header: Option<Vec<String>>,
    sample: Vec<(u64, Vec<String>)>,
    cleaner: Option<RowCleaner>,
    agg: Aggregator,
    /// The first record was data, not names: columns are `column1`, `column2`, ...
    headerless: bool,
    /// In the first of two passes: what it collects (set once roles are known).
    prescanner: Option<crate::clean::Prescanner>,
    first_pass: bool,
    /// Input size in bytes, when known, to size the first pass's filter.
    size_hint: Option<u64>,
    /// In the second of two passes: what the first found, and how values are read.
    found: Option<(crate::prescan::PrescanResult, crate::clean::ValueChoice)>,
    /// A one-time stream went on past its buffered rows: value decisions come from those only.
    streamed: bool,
    /// Rows read while the header is not decided yet: the reader's first row (handed to
    /// `header`, row number 0 until known) and the records after it.
    pending: Vec<(u64, Vec<String>)>,
    /// Physical lines of the rows in `pending`, same order.
    pending_lines: Vec<Option<u64>>,
    /// The line the reader announced before its first row (a sheet's row number).
    first_line: Option<u64>,
    /// The header row is decided (rows now go to the sample or the cleaner).
    decided: bool,
    /// Preamble rows (row number, line, first non-empty cell) waiting for the cleaner's accounting.
    preamble_rows: Vec<(u64, Option<u64>, String)>,
    /// The `headerRow` decision, once made.
    header_decision: Option<crate::ingest::Decision>,
    /// Physical line of the row being read (text input), from `at_line`.
    line: Option<u64>,
    /// Physical lines of the rows in `sample`, same order.
    sample_lines: Vec<Option<u64>>,
    /// Rows the reader could not split, waiting for the cleaner's accounting: (row, line, text).
    set_aside: Vec<(u64, Option<u64>, String)>,
}

/// Rows held at most while looking for the header (empty ones included), before the first
/// non-empty row is taken.
const MAX_PENDING_ROWS: usize = 1_000;
/// Bytes of cell text held at most while looking for the header: a few huge rows decide early
/// (on their content, never on how the input was chunked).
const MAX_PENDING_BYTES: usize = 16 << 20;

impl LoadSink {
    fn as_of_day(&self) -> Option<Day> {
        self.recipe.as_of.map(day_of)
    }

    /// Fixes roles and parsers from the sample, then replays the sampled rows. `whole`: the
    /// input has ended, so the sample is every row.
    fn start(&mut self, whole: bool) -> Result<()> {
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
    fn account_set_aside(&mut self) {
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
    fn expected_rows(&self) -> Option<u64> {
        let size = self.size_hint?;
        let bytes: usize = self
            .sample
            .iter()
            .map(|(_, r)| r.iter().map(|f| f.len() + 1).sum::<usize>())
            .sum();
        let per_row = (bytes / self.sample.len().max(1)).max(1) as u64;
        Some(size / per_row + 1)
    }

    fn consume(&mut self, row: u64, fields: &[&str]) -> Result<()> {
        if self.first_pass {
            if let (Some(cleaner), Some(scan)) = (self.cleaner.as_ref(), self.prescanner.as_mut()) {
                cleaner.prescan(fields, scan);
            }
            return Ok(());
        }
        if let Some(cleaner) = self.cleaner.as_mut() {
            cleaner.accounting.current_line = self.line;
            cleaner.clean_into(row, fields, &mut self.agg)?;
        }
        Ok(())
    }

    fn rows_read(&self) -> u64 {
        let done = if self.first_pass {
            self.prescanner.as_ref().map_or(0, |p| p.rows)
        } else {
            self.cleaner.as_ref().map_or(0, |c| c.accounting.rows_read)
        };
        done + (self.sample.len() + self.pending.len() + self.preamble_rows.len()) as u64
    }

    /// Counts a row that is neither header nor data (reason `preamble`).
    fn count_preamble(&mut self, row: u64, line: Option<u64>, fields: &[&str]) {
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
    fn try_decide(&mut self, at_end: bool) -> Result<()> {
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
    fn decide(
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
            Basis::Recipe => Decision::new(
                "headerRow",
                header_row.to_string(),
                basis,
                crate::ingest::roles::header_evidence(header_row, &[], &above),
                key,
            ),
            Basis::File => Decision::new(
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
            ),
            Basis::Default => {
                let d = Decision::new(
                    "headerRow",
                    header_row.to_string(),
                    basis,
                    format!("no row among the first {} names the customer id and a date or an amount: row {header_row}, the first non-empty one, is taken as the header", crate::ingest::roles::HEADER_SEARCH_ROWS),
                    key,
                );
                let named = self
                    .header
                    .as_ref()
                    .map_or(0, |h| h.iter().filter(|c| !c.trim().is_empty()).count());
                if named < 2 {
                    d.warn(format!("row {header_row} is taken as the header but names at most one column (a title?): set input.headerRow to the row number of the real header"))
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
    fn accept_header(&mut self, row: u64, names: Vec<String>) -> Result<()> {
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

/// Push-based loader: `push` chunks of the file, then `finish` to get the [`Dataset`].
///
/// A loader made by [`Loader::two_pass`] reads the input twice: push every chunk, call
/// [`Loader::end_first_pass`], push every chunk again, then `finish`. The first pass counts the
/// evidence of every row (day/month order, decimal separator, float-written ids, attribute kinds,
/// duplicates, the outlier threshold); `end_first_pass` decides from it, or refuses when the whole
/// input cannot settle the date order or decimal separator; the second pass reads with those
/// decisions. A one-pass loader ([`Loader::new`], for a stream that can be read once) decides
/// from its first 500 rows and says so in a warning.
pub struct Loader {
    ingestor: Ingestor,
    sink: LoadSink,
    passes: u8,
}

impl Loader {
    /// Creates a one-pass loader (for input that can be read only once) for a checked recipe
    /// ([`Recipe::check`]); a bare [`Recipe`] is checked here (see [`AsPlan`]).
    pub fn new(recipe: &impl AsPlan) -> Result<Loader> {
        let plan = recipe.as_plan()?;
        Ok(Loader {
            ingestor: Ingestor::new(plan.input().clone()),
            sink: LoadSink {
                recipe: plan.recipe().clone(),
                ..LoadSink::default()
            },
            passes: 1,
        })
    }

    /// Creates a loader that reads the input twice (see [`Loader`]): every reading decision is
    /// made from the whole input. `size` is the input's length in bytes when known: it sizes the
    /// first pass's duplicate filter.
    pub fn two_pass(recipe: &impl AsPlan, size: Option<u64>) -> Result<Loader> {
        let mut loader = Loader::new(recipe)?;
        loader.passes = 2;
        loader.sink.first_pass = true;
        loader.sink.size_hint = size;
        Ok(loader)
    }

    /// How many times the input must be pushed: 1, or 2 with [`Loader::end_first_pass`] between.
    pub fn passes(&self) -> u8 {
        self.passes
    }

    /// True while the first of two passes runs.
    pub fn in_first_pass(&self) -> bool {
        self.sink.first_pass
    }

    /// Ends the first pass and makes the value decisions from every row: push the whole input
    /// again next, then `finish`. Refuses ([`Error::Ambiguous`], codes `ambiguous_dates`,
    /// `ambiguous_decimal`) when the input cannot settle the date order or decimal separator.
    pub fn end_first_pass(&mut self) -> Result<()> {
        if !self.sink.first_pass {
            return Err(Error::InvalidState(
                "end_first_pass: this load is not in its first pass".into(),
            ));
        }
        self.ingestor.finish(&mut self.sink)?;
        self.sink.try_decide(true)?;
        if self.sink.cleaner.is_none() && !self.sink.sample.is_empty() {
            self.sink.start(true)?;
        }
        let found = match (self.sink.cleaner.as_ref(), self.sink.prescanner.take()) {
            (Some(cleaner), Some(scan)) => Some(cleaner.finish_prescan(scan)?),
            _ => None,
        };
        let recipe = std::mem::take(&mut self.sink.recipe);
        self.ingestor = Ingestor::new(recipe.input.clone());
        self.sink = LoadSink {
            recipe,
            found,
            ..LoadSink::default()
        };
        Ok(())
    }

    /// Feeds the next chunk of bytes.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Progress> {
        self.ingestor.push(chunk, &mut self.sink)?;
        Ok(self.progress())
    }

    /// Progress so far.
    pub fn progress(&self) -> Progress {
        Progress {
            bytes: self.ingestor.bytes_seen(),
            rows: self.sink.rows_read(),
            customers: self.sink.agg.customers(),
            pass: if self.passes == 2 && !self.sink.first_pass {
                2
            } else {
                1
            },
            passes: self.passes,
        }
    }

    /// Ends the input and aggregates the customers.
    pub fn finish(mut self) -> Result<Dataset> {
        if self.sink.first_pass {
            return Err(Error::InvalidState(
                "finish during the first pass: call end_first_pass and push the input again".into(),
            ));
        }
        self.ingestor.finish(&mut self.sink)?;
        self.sink.try_decide(true)?;
        let detected = self.ingestor.detected().cloned();
        let mut sink = self.sink;
        if sink.header.is_none() {
            return Err(Error::EmptyInput);
        }
        if sink.cleaner.is_none() {
            if sink.sample.is_empty() {
                // A header that cannot work says so before "no rows" does.
                if let Some(header) = &sink.header {
                    ColumnMap::infer(header, &sink.recipe.input.columns)?;
                }
                return Err(Error::NoDataRows);
            }
            sink.start(true)?;
        }
        let Some(cleaner) = sink.cleaner else {
            return Err(Error::NoDataRows);
        };
        let mut accounting = cleaner.accounting.clone();
        if accounting.rows_used == 0 {
            return Err(Error::NoUsableRows {
                rows_read: accounting.rows_read,
                top_reason: accounting.top_reason(),
            });
        }
        if sink.agg.latest_day().is_none() && sink.recipe.as_of.is_none() {
            return Err(Error::AsOfRequired);
        }
        let mut warnings = Vec::new();
        if sink.streamed {
            warnings.push(format!("the input was read once (a one-time stream): date order, decimal separator, customer ids and column kinds were decided from its first {SAMPLE_ROWS} rows, not from every row; read it twice (Loader.twoPass, a file) to decide from the whole input"));
        }
        if let Some(r) = accounting.rows_rejected.get("unclosed_quote") {
            let at = match (r.rows.first(), r.lines.first()) {
                (Some(row), Some(line)) => format!(" (first: row {row}, line {line})"),
                _ => String::new(),
            };
            warnings.push(format!(
                "{} row(s) open a quoted field that is never closed{at}: each such line was set aside (reason unclosed_quote) and reading went on at the next line; fix the quote in the file",
                r.count
            ));
        }
        if sink.headerless {
            warnings.push("the first row holds values, not column names: it is read as data, columns are named column1, column2, ... and their roles are inferred from the values (see input.columns)".to_string());
        }
        for m in &cleaner.map().roles {
            if let Some(fit) = m.value_fit.filter(|f| *f < 0.5) {
                warnings.push(format!(
                    "column {:?} is used as the {} ({} match), but only {:.0} % of its values read as one; check input.columns",
                    m.column,
                    m.role.label(),
                    m.source,
                    fit * 100.0
                ));
            }
        }
        let mut decisions: Vec<crate::ingest::Decision> = detected
            .as_ref()
            .map(|d| d.decisions.clone())
            .unwrap_or_default();
        decisions.extend(sink.header_decision.take());
        decisions.extend(cleaner.map().decisions());
        decisions.extend(cleaner.decisions());
        if cleaner.shape == crate::ingest::roles::Shape::Transactions {
            decisions.push(cleaner.duplicates_decision());
        }
        let as_of = sink.recipe.as_of.map(day_of);
        sink.agg.seal();
        let customers = sink.agg.finish(as_of);
        if let Some(w) = accounting.flag_id_variants(&customers.ids) {
            // Shown beside the id decision, where the user decides what an id is.
            match decisions.iter_mut().find(|d| d.code == "customerIds") {
                Some(d) => d.warning = Some(w),
                None => decisions.push(
                    crate::ingest::Decision::new(
                        "customerIds",
                        "asWritten",
                        crate::ingest::Basis::File,
                        "ids compared as written",
                        "input.customerIds",
                    )
                    .warn(w),
                ),
            }
        }
        warnings.extend(decisions.iter().filter_map(|d| d.warning.clone()));
        Ok(Dataset {
            input: InputReport {
                detected,
                columns: cleaner.map().roles.clone(),
                header: cleaner.map().header.clone(),
                dates: cleaner.dates.clone(),
                numbers: cleaner.numbers,
                date_range: date_range(&customers),
                shape: cleaner.shape,
                decisions,
            },
            accounting,
            agg: sink.agg,
            customers,
            load_as_of: as_of,
            warnings,
        })
    }
}

fn date_range(c: &Customers) -> Option<[String; 2]> {
    let first = c.first_day.iter().min()?;
    let last = c.last_day.iter().max()?;
    Some([date_of(*first).to_string(), date_of(*last).to_string()])
}

/// A loaded input: cleaned, aggregated, ready to analyse any number of times.
pub struct Dataset {
    input: InputReport,
    accounting: RowAccounting,
    agg: Aggregator,
    customers: Customers,
    load_as_of: Option<Day>,
    warnings: Vec<String>,
}

/// Everything a run produces: per-customer columns and the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Per-customer metrics.
    pub customers: Customers,
    /// Per-customer scores and segments.
    pub scores: Scores,
    /// Per-customer value tier, lifecycle stage, custom tier, code and action.
    pub classes: Classes,
    /// The report.
    pub report: Report,
    /// Per-customer clusters, names and map coordinates (`None` when `cluster.enabled` is false).
    pub clusters: Option<crate::cluster::Clustering>,
}

impl Analysis {
    /// The customer list as CSV (see [`report::customers_csv`]).
    pub fn customers_csv(&self) -> Vec<u8> {
        report::customers_csv_with(
            &self.customers,
            &self.scores,
            &self.classes,
            self.clusters.as_ref(),
        )
    }

    /// `report.json` text.
    pub fn report_json(&self) -> String {
        serde_json::to_string_pretty(&self.report).unwrap_or_default()
    }

    /// Segment summary rows.
    pub fn segment_summary(&self) -> &[GroupSummary] {
        &self.report.segments.summary
    }
}

impl Dataset {
    /// Loads a whole input held in memory.
    pub fn from_bytes(bytes: &[u8], recipe: &impl AsPlan) -> Result<Dataset> {
        let mut loader = Loader::two_pass(recipe, Some(bytes.len() as u64))?;
        for pass in 1..=loader.passes() {
            if pass == 2 {
                loader.end_first_pass()?;
            }
            for chunk in bytes.chunks(1 << 20) {
                loader.push(chunk)?;
            }
        }
        loader.finish()
    }

    /// Per-customer metrics at the load's `as_of`.
    pub fn customers(&self) -> &Customers {
        &self.customers
    }

    /// Row accounting of the load.
    pub fn accounting(&self) -> &RowAccounting {
        &self.accounting
    }

    /// Scores, segments and summarises with a checked recipe ([`Recipe::check`]; a bare
    /// [`Recipe`] is checked here). The recipe's `input` and `clean` settings must match the load's;
    /// `asOf` may move later than the latest transaction without reloading, but an earlier `asOf`
    /// changes which rows are used and needs a new load.
    pub fn analyze(&self, recipe: &impl AsPlan) -> Result<Analysis> {
        self.analyze_with(recipe, None)
    }

    /// [`Dataset::analyze`], re-applying a previous code map (customer id → code, e.g. read with
    /// [`score::codes::previous_from_bytes`]): customers whose class is unchanged keep their codes.
    pub fn analyze_with(
        &self,
        recipe: &impl AsPlan,
        previous: Option<&CodeMap>,
    ) -> Result<Analysis> {
        let plan = recipe.as_plan()?;
        let recipe = plan.recipe();
        let as_of = recipe.as_of.map(day_of);
        let customers = if as_of == self.load_as_of {
            self.customers.clone()
        } else {
            let latest = self.agg.latest_day().unwrap_or(0);
            if let Some(a) = as_of {
                if a < latest {
                    return Err(Error::AsOfBeforeData {
                        as_of: date_of(a).to_string(),
                        latest: date_of(latest).to_string(),
                    });
                }
            }
            self.agg.finish(as_of)
        };
        let scores = score::score(&customers, plan.score())?;
        let mut warnings = self.warnings.clone();
        for t in &scores.thresholds {
            if t.collapsed {
                warnings.push(format!(
                    "{}: tied values collapse the {} bins — only scores {:?} are used (cut points {:?}); consider method \"rankFirst\" or custom cut points",
                    t.metric, recipe.score.bins, t.scores_used, t.cuts
                ));
            }
        }
        if !scores.coverage.unassigned.is_empty() {
            warnings.push(format!(
                "segment rules {:?} leave {} of {} score cells unassigned; those customers are in {:?}",
                scores.rules.name,
                scores.coverage.unassigned.len(),
                scores.coverage.cells,
                scores.rules.fallback
            ));
        }
        let summary = report::summarise(&customers, &scores.segment, &scores.segment_names);
        let classes = score::classify(&customers, &scores, plan.classes(), previous);
        let grid = scores
            .rules
            .grid(&scores.r, &scores.f, &scores.m, &customers.monetary);
        let tier_summary = report::summarise(&customers, &classes.tier, &classes.tier_names);
        let bands = plan.classes().tiers().bands().to_vec();
        if let Some(empty) = tier_summary
            .iter()
            .take(bands.len())
            .find(|g| g.customers == 0)
        {
            warnings.push(format!(
                "value tier {:?} is empty: too few spending customers for its share",
                empty.name
            ));
        }
        let mut crosstabs = Vec::new();
        if customers.region.iter().any(Option::is_some) {
            let region: Vec<Option<&str>> = customers.region.iter().map(Option::as_deref).collect();
            crosstabs.push(report::crosstab(
                "segment",
                &scores.segment,
                &scores.segment_names,
                "region",
                &region,
            ));
        }
        for (by, labels, names) in [
            ("value_tier", &classes.tier, &classes.tier_names),
            ("lifecycle", &classes.lifecycle, &classes.lifecycle_names),
        ] {
            let attribute: Vec<Option<&str>> = (0..customers.len())
                .map(|i| Some(Classes::name_of(labels, names, i)))
                .collect();
            crosstabs.push(report::crosstab(
                "segment",
                &scores.segment,
                &scores.segment_names,
                by,
                &attribute,
            ));
        }
        let clusters = if recipe.cluster.enabled {
            Some(crate::cluster::run(
                &customers,
                &scores.segment,
                &scores.segment_names,
                &recipe.cluster,
            )?)
        } else {
            None
        };
        if let Some(c) = &clusters {
            warnings.extend(c.warnings.iter().cloned());
        }
        let rules = explain_all(&customers, &scores, &classes, clusters.as_ref(), recipe)?;
        let report = Report {
            tierlens_version: env!("CARGO_PKG_VERSION").to_string(),
            rows_read: self.accounting.rows_read,
            rows_used: self.accounting.rows_used,
            rows_rejected: self.accounting.rows_rejected.clone(),
            returns: self.accounting.returns,
            flags: self.accounting.flags.clone(),
            customers: customers.len(),
            as_of: date_of(customers.as_of).to_string(),
            input: self.input.clone(),
            thresholds: scores.thresholds.clone(),
            segments: SegmentsReport {
                rules: scores.rules.clone(),
                coverage: scores.coverage.clone(),
                summary,
                grid,
            },
            value_tiers: TiersReport {
                bands,
                zero_spend: recipe.value_tiers.zero_spend.clone(),
                summary: tier_summary,
                pareto: classes.pareto.clone(),
            },
            lifecycle: LifecycleReport {
                options: recipe.lifecycle.clone(),
                summary: report::summarise(
                    &customers,
                    &classes.lifecycle,
                    &classes.lifecycle_names,
                ),
            },
            custom_tiers: report::summarise(&customers, &classes.custom, &classes.custom_names),
            codes: CodesReport {
                template: recipe.codes.template.clone(),
                changes: classes.code_changes.clone(),
            },
            actions: ActionsReport {
                basis: recipe.actions.basis,
                table: classes
                    .action_classes
                    .iter()
                    .zip(&classes.action_texts)
                    .map(|(class, action)| ActionRow {
                        class: class.clone(),
                        action: action.clone(),
                    })
                    .collect(),
            },
            crosstabs,
            warnings,
            recipe: recipe.clone(),
            clusters: clusters.as_ref().map(|c| c.report.without_points()),
            rules,
        };
        Ok(Analysis {
            customers,
            scores,
            classes,
            report,
            clusters,
        })
    }
}

/// Decision-tree rules for the clusters, the segments, the value tiers and (with `explain.target`) a
/// label column.
fn explain_all(
    customers: &Customers,
    scores: &Scores,
    classes: &Classes,
    clusters: Option<&crate::cluster::Clustering>,
    recipe: &Recipe,
) -> Result<crate::explain::RulesReport> {
    if !recipe.explain.enabled || customers.is_empty() {
        return Ok(crate::explain::RulesReport::default());
    }
    let built;
    let matrix = match clusters {
        Some(c) => &c.matrix,
        None => {
            let o = &recipe.cluster;
            built =
                crate::cluster::features::build(customers, &o.features, o.transform, o.scaling)?;
            &built
        }
    };
    crate::explain::report(
        customers,
        matrix,
        clusters.map(|c| (c.labels.as_slice(), c.names.as_slice())),
        (&scores.segment, &scores.segment_names),
        Some((&classes.tier, &classes.tier_names)),
        &recipe.explain,
    )
}

/// One call for the simple case: check `recipe` (once), load `bytes` and analyse them.
pub fn segment(bytes: &[u8], recipe: &Recipe) -> Result<Analysis> {
    let plan = recipe.check()?;
    Dataset::from_bytes(bytes, &plan)?.analyze(&plan)
}
