//! The first rows of a file as the engine reads it, for the page's column preview.
//!
//! The same [`Ingestor`] as a load reads the bytes with the recipe's `input` settings, so the
//! preview shows the cells the load sees: format, encoding, delimiter, `sep=` line and workbook
//! sheet decided once, in Rust. A face passes the head of a large text file (`at_end` false);
//! workbooks and JSON are read whole, so for those it must pass every byte ([`Preview::needs_whole`]
//! says when it did not).

use serde::Serialize;

use crate::error::{Error, Result};
use crate::ingest::{Detected, Ingestor, InputFormat, InputOptions, RecordSink, Unreadable};

/// At most this many data rows are returned, whatever is asked.
pub const MAX_PREVIEW_ROWS: usize = 200;

/// What the preview read.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    /// How the bytes were read (`None` when they were too few to tell).
    pub detected: Option<Detected>,
    /// Rows above the header (titles, blank-celled rows), as cells.
    pub preamble: Vec<Vec<String>>,
    /// The header's cells (empty when no header was read).
    pub header: Vec<String>,
    /// Up to the requested number of data rows, as cells.
    pub rows: Vec<Vec<String>>,
    /// The format is read whole and only a head of the file was given: pass every byte.
    pub needs_whole: bool,
}

/// Collects rows until it has enough, then stops the reader with a marker error.
struct Collect {
    limit: usize,
    preamble: Vec<Vec<String>>,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    full: bool,
}

fn cells(fields: &[&str]) -> Vec<String> {
    fields.iter().map(|f| (*f).to_string()).collect()
}

impl Collect {
    fn stop(&mut self) -> Result<()> {
        if self.rows.len() >= self.limit {
            self.full = true;
            return Err(Error::InvalidState("preview complete".into()));
        }
        Ok(())
    }
}

impl RecordSink for Collect {
    fn header(&mut self, names: Vec<String>) -> Result<()> {
        self.header = names;
        self.stop()
    }
    fn record(&mut self, _row: u64, fields: &[&str]) -> Result<()> {
        self.rows.push(cells(fields));
        self.stop()
    }
    fn preamble(&mut self, _row: u64, fields: &[&str]) -> Result<()> {
        // A repeated header of a later sheet comes after data rows: only titles above the header.
        if self.header.is_empty() && self.preamble.len() < self.limit {
            self.preamble.push(cells(fields));
        }
        Ok(())
    }
    fn unreadable(&mut self, _row: u64, _why: Unreadable, text: &str) -> Result<()> {
        // The load sets such a row aside; the preview shows its first line as one cell.
        self.rows.push(vec![text.to_string()]);
        self.stop()
    }
}

/// Reads the first `rows` data rows of `bytes` (the whole file when `at_end`, else its head) with
/// the recipe's `input` settings.
pub fn preview(bytes: &[u8], at_end: bool, input: &InputOptions, rows: usize) -> Result<Preview> {
    let mut sink = Collect {
        limit: rows.min(MAX_PREVIEW_ROWS),
        preamble: Vec::new(),
        header: Vec::new(),
        rows: Vec::new(),
        full: false,
    };
    let mut ingestor = Ingestor::new(input.clone());
    let mut result = ingestor.push(bytes, &mut sink);
    let whole_format = |d: Option<&Detected>| d.is_some_and(|d| d.format != InputFormat::Delimited);
    let mut needs_whole = false;
    if result.is_ok() {
        if at_end {
            result = ingestor.finish(&mut sink);
        } else if whole_format(ingestor.detected()) {
            needs_whole = true;
        } else if ingestor.detected().is_none() {
            // Fewer bytes than the sniffer wants and more to come: read what there is as if it
            // ended here; the last row may be cut, so it is left out.
            result = ingestor.finish(&mut sink);
            if !sink.full {
                sink.rows.pop();
            }
        }
    }
    match result {
        Err(_) if sink.full => {}
        Err(e) => return Err(e),
        Ok(()) => {}
    }
    Ok(Preview {
        detected: ingestor.detected().cloned(),
        preamble: sink.preamble,
        header: sink.header,
        rows: sink.rows,
        needs_whole,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_semicolons_and_quotes_like_the_load() {
        let csv = "id;name;amount\n1;\"A; B\";\"3,5\"\n2;C;4\n3;D;5\n";
        let p = preview(csv.as_bytes(), true, &InputOptions::default(), 2)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.header, ["id", "name", "amount"]);
        assert_eq!(p.rows, [vec!["1", "A; B", "3,5"], vec!["2", "C", "4"]]);
        assert_eq!(p.detected.and_then(|d| d.delimiter), Some(';'));
        assert!(!p.needs_whole);
    }

    #[test]
    fn a_cut_head_drops_its_last_row() {
        let csv = "id,amount\n1,2\n2,3\n3,4";
        let p = preview(csv.as_bytes(), false, &InputOptions::default(), 10)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.rows, [vec!["1", "2"], vec!["2", "3"]]);
    }
}
