//! Streaming reader for delimited text: bytes → UTF-8 ([`TextDecoder`]) → records (csv-core, or
//! the space-separated layout of [`super::spaces`]).
//!
//! Besides splitting, the reader keeps three promises:
//!
//! - **Physical lines.** Every row is announced with `at_line` (the 1-based line it starts on:
//!   a quoted field with line breaks makes rows and lines differ) and the lines read are counted.
//! - **No row swallows the file.** A quoted field that is still open at the end of the file, or
//!   that runs across more than [`MAX_QUOTED_LINES`] physical lines (or past [`MAX_QUOTED_BYTES`]
//!   across a line break), is not a field: the row's first line is taken literally and set aside
//!   (`unreadable`, reason `unclosed_quote`) and reading goes on at the next line, so a stray `"`
//!   costs one row, shown with its row and line, instead of the 50 000 rows after it. Tools differ
//!   here (pandas stops with an error; DuckDB's `strict_mode` too); tierlens goes on because one
//!   bad line should not make the other rows unreadable, and says so in a warning.
//! - **Bounded memory.** One record holds at most [`MAX_RECORD_BYTES`] of text and [`MAX_FIELDS`]
//!   fields; beyond either the run stops with a `bad_row` error naming the row and line, before
//!   anything larger is allocated. The reader itself keeps the current record, one decoded chunk
//!   and, until the encoding is decided, a 64 KiB window.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

use super::spaces::{SpaceLayout, MAX_FIELDS};
use super::textdecode::TextDecoder;
use super::{Decision, Detected, RecordSink, Unreadable};
use crate::error::{Error, Result};
use crate::format::grouped;

/// Records with at most this many fields are handed on from an array on the stack.
const FEW_FIELDS: usize = 32;
/// Size of the decoded-text buffer handed to the CSV state machine per step.
const DECODE_CHUNK: usize = 64 * 1024;
/// A single record larger than this is an error rather than an unbounded allocation.
const MAX_RECORD_BYTES: usize = 64 * 1024 * 1024;
/// A quoted field still open after this many line breaks is taken to be an unclosed quote.
/// Legitimate multi-line cells (addresses, notes) span a handful of lines.
pub const MAX_QUOTED_LINES: u64 = 100;
/// A record that crossed a line break and grew past this is taken to be an unclosed quote.
pub const MAX_QUOTED_BYTES: usize = 1024 * 1024;

/// Where the record being read began, in `pending` and in physical lines.
#[derive(Debug, Clone, Copy)]
struct Span {
    /// Offset in `pending` of its first byte that is not a line break (csv-core skips blank
    /// lines), once seen.
    content: Option<usize>,
    /// Physical line of that byte.
    line: u64,
    /// Line breaks seen since `content` (a record still being read has them inside quotes).
    breaks: u64,
}

pub(super) struct DelimitedReader {
    text: TextDecoder,
    csv: Reader,
    delimiter: u8,
    /// Decoded UTF-8: from the start of the record being read to what is decoded so far.
    pending: Vec<u8>,
    /// Bytes of `pending` already handed to csv-core (or scanned for a line break).
    fed: usize,
    /// Offset in `pending` just after the last complete record.
    rec_start: usize,
    /// Physical line at `rec_start`.
    line_at_start: u64,
    span: Span,
    /// Field bytes of the record being read.
    out: Vec<u8>,
    out_len: usize,
    /// Field end offsets of the record being read.
    ends: Vec<usize>,
    ends_len: usize,
    /// Records seen so far, the header included (rows set aside too).
    records: u64,
    /// Line breaks decoded so far, and whether the last decoded byte was one (for the line count).
    breaks: u64,
    ends_in_break: bool,
    any_text: bool,
    /// `Some` when fields are separated by white space instead of one delimiter byte.
    spaces: Option<SpaceLayout>,
    /// The file starts with Excel's `sep=X` line, to be skipped (not a header, not a row).
    skip_sep_line: bool,
}

impl DelimitedReader {
    pub(super) fn new(detected: &Detected) -> Self {
        let delimiter = detected
            .delimiter
            .map_or(b',', |c| u8::try_from(u32::from(c)).unwrap_or(b','));
        let text = if detected.encoding_open {
            TextDecoder::open()
        } else {
            TextDecoder::fixed(detected.encoding_rs())
        };
        DelimitedReader {
            text,
            csv: ReaderBuilder::new().delimiter(delimiter).build(),
            delimiter,
            pending: Vec::with_capacity(DECODE_CHUNK),
            fed: 0,
            rec_start: 0,
            line_at_start: 1,
            span: Span {
                content: None,
                line: 1,
                breaks: 0,
            },
            out: vec![0; 4096],
            out_len: 0,
            ends: vec![0; 64],
            ends_len: 0,
            records: 0,
            breaks: 0,
            ends_in_break: false,
            any_text: false,
            spaces: if delimiter == b' ' {
                detected.spaces.clone()
            } else {
                None
            },
            skip_sep_line: detected.sep_line,
        }
    }

    /// The encoding decision made at the first non-ASCII byte, once.
    pub(super) fn take_encoding_decision(&mut self) -> Option<Decision> {
        self.text.take_decision()
    }

    /// Physical lines decoded so far (a last line without a line break counts).
    pub(super) fn lines(&self) -> u64 {
        self.breaks + u64::from(self.any_text && !self.ends_in_break)
    }

    /// Decodes `chunk` and hands every completed record to `sink`. With `last`, flushes the end.
    pub(super) fn push(
        &mut self,
        chunk: &[u8],
        last: bool,
        sink: &mut dyn RecordSink,
    ) -> Result<()> {
        let mut input = chunk;
        loop {
            // Decode straight into the tail of `pending`: no temporary buffer, no second copy.
            let start = self.pending.len();
            self.pending.resize(start + DECODE_CHUNK, 0);
            let tail = self.pending.get_mut(start..).unwrap_or_default();
            let (read, written, full) = self.text.decode(input, tail, last);
            self.pending.truncate(start + written);
            if let Some(new) = self.pending.get(start..) {
                self.breaks += new.iter().filter(|&&b| b == b'\n').count() as u64;
                if let Some(&b) = new.last() {
                    self.ends_in_break = b == b'\n';
                    self.any_text = true;
                }
            }
            input = input.get(read..).unwrap_or_default();
            self.drain(false, sink)?;
            if !full && input.is_empty() {
                break;
            }
        }
        if last {
            self.drain(true, sink)?;
        }
        Ok(())
    }

    fn drain(&mut self, eof: bool, sink: &mut dyn RecordSink) -> Result<()> {
        if self.spaces.is_some() {
            self.drain_lines(eof, sink)?;
        } else {
            self.drain_csv(eof, sink)?;
        }
        // Keep only the record being read.
        let keep = self.rec_start.min(self.pending.len());
        self.pending.drain(..keep);
        self.fed -= keep.min(self.fed);
        self.span.content = self.span.content.map(|c| c - keep.min(c));
        self.rec_start = 0;
        Ok(())
    }

    /// Notes the bytes `pending[from..to]` just handed to csv-core: where the record's content
    /// starts and how many line breaks it has crossed.
    fn track(&mut self, from: usize, to: usize) {
        let bytes = self.pending.get(from..to).unwrap_or_default();
        let mut rest = bytes;
        if self.span.content.is_none() {
            let lead = rest
                .iter()
                .take_while(|&&b| b == b'\n' || b == b'\r')
                .count();
            let lead_breaks = rest
                .get(..lead)
                .unwrap_or_default()
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            // Breaks before the content belong to the blank lines csv-core skips.
            self.span.line += lead_breaks;
            if lead < rest.len() {
                self.span.content = Some(from + lead);
            }
            rest = rest.get(lead..).unwrap_or_default();
        }
        if self.span.content.is_some() {
            self.span.breaks += rest.iter().filter(|&&b| b == b'\n').count() as u64;
        }
    }

    /// True when the record being read has spanned too many lines or bytes to be a quoted field.
    fn too_long_for_a_field(&self, breaks: u64) -> bool {
        let Some(content) = self.span.content else {
            return false;
        };
        breaks >= MAX_QUOTED_LINES || (breaks >= 1 && self.fed - content > MAX_QUOTED_BYTES)
    }

    /// Runs the CSV state machine over `pending`; `eof` feeds the final empty input.
    fn drain_csv(&mut self, eof: bool, sink: &mut dyn RecordSink) -> Result<()> {
        loop {
            let input = self.pending.get(self.fed..).unwrap_or_default();
            if input.is_empty() && !eof {
                break;
            }
            let out = self.out.get_mut(self.out_len..).unwrap_or_default();
            let ends = self.ends.get_mut(self.ends_len..).unwrap_or_default();
            let (res, nin, nout, nend) = self.csv.read_record(input, out, ends);
            self.track(self.fed, self.fed + nin);
            self.fed += nin;
            // csv-core reports field ends as offsets into the whole record, across calls.
            self.out_len += nout;
            self.ends_len += nend;
            match res {
                ReadRecordResult::InputEmpty => {
                    if self.too_long_for_a_field(self.span.breaks) {
                        self.set_aside_first_line(sink)?;
                        continue;
                    }
                    if !eof {
                        break;
                    }
                }
                ReadRecordResult::OutputFull => {
                    if self.out.len() >= MAX_RECORD_BYTES {
                        return Err(self.bad_row(format!(
                            "a single row is longer than {} MiB",
                            MAX_RECORD_BYTES >> 20
                        )));
                    }
                    let n = self.out.len() * 2;
                    self.out.resize(n, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    if self.ends.len() >= MAX_FIELDS {
                        return Err(self.too_many_fields());
                    }
                    let n = (self.ends.len() * 2).min(MAX_FIELDS);
                    self.ends.resize(n, 0);
                }
                ReadRecordResult::Record => {
                    let raw = self
                        .span
                        .content
                        .and_then(|c| self.pending.get(c..self.fed))
                        .unwrap_or_default();
                    // The line break that ends the record is not inside it.
                    let inside = self
                        .span
                        .breaks
                        .saturating_sub(u64::from(raw.last() == Some(&b'\n')));
                    let unclosed = self.too_long_for_a_field(inside)
                        || (eof && nin == 0 && ends_inside_quotes(raw, self.delimiter));
                    if unclosed {
                        self.set_aside_first_line(sink)?;
                        continue;
                    }
                    self.emit(sink)?;
                    self.next_record();
                }
                ReadRecordResult::End => break,
            }
        }
        Ok(())
    }

    /// The record being read is complete: the next starts at `fed`.
    fn next_record(&mut self) {
        // `span` has counted the record's line breaks: the blank lines before it and those in it.
        self.line_at_start = if self.span.content.is_some() {
            self.span.line + self.span.breaks
        } else {
            self.span.line
        };
        self.rec_start = self.fed;
        self.span = Span {
            content: None,
            line: self.line_at_start,
            breaks: 0,
        };
        self.out_len = 0;
        self.ends_len = 0;
    }

    /// Takes the first physical line of the record being read literally, hands it to the sink as
    /// unreadable (`unclosed_quote`), and restarts reading on the line after it.
    fn set_aside_first_line(&mut self, sink: &mut dyn RecordSink) -> Result<()> {
        let Some(content) = self.span.content else {
            return Ok(());
        };
        let rest = self.pending.get(content..).unwrap_or_default();
        let (line_end, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (content + i, content + i + 1),
            None => (self.pending.len(), self.pending.len()),
        };
        let line = self.span.line;
        self.records += 1;
        let text = self.pending.get(content..line_end).unwrap_or_default();
        let text = String::from_utf8_lossy(text.strip_suffix(b"\r").unwrap_or(text));
        if self.records == 1 {
            return Err(Error::BadRow {
                row: 1,
                column: None,
                message: format!(
                    "line {line}: the header opens a quoted field that is never closed; fix the quote (or double it: \"\" inside a quoted field)"
                ),
            });
        }
        sink.at_line(line);
        sink.unreadable(self.records, Unreadable::UnclosedQuote, &text)?;
        // Read again from the next line, with a fresh state machine.
        self.csv.reset();
        self.fed = next;
        self.rec_start = next;
        self.line_at_start = line + 1;
        self.span = Span {
            content: None,
            line: line + 1,
            breaks: 0,
        };
        self.out_len = 0;
        self.ends_len = 0;
        Ok(())
    }

    fn bad_row(&self, message: String) -> Error {
        let line = if self.span.content.is_some() {
            self.span.line
        } else {
            self.line_at_start
        };
        Error::BadRow {
            row: self.records + 1,
            column: None,
            message: format!("line {line}: {message}"),
        }
    }

    fn too_many_fields(&self) -> Error {
        self.bad_row(format!(
            "more than {} fields in one row; check the delimiter (input.delimiter)",
            grouped(MAX_FIELDS as u64)
        ))
    }

    /// Space-separated text: one record per line, no quoting.
    fn drain_lines(&mut self, eof: bool, sink: &mut dyn RecordSink) -> Result<()> {
        loop {
            // `fed` is how far the current line has been scanned for its end: each byte once.
            let scanned = self.pending.get(self.fed..).unwrap_or_default();
            let (end, next) = match scanned.iter().position(|&b| b == b'\n') {
                Some(i) => (self.fed + i, self.fed + i + 1),
                None if eof && self.rec_start < self.pending.len() => {
                    (self.pending.len(), self.pending.len())
                }
                None => {
                    self.fed = self.pending.len();
                    break;
                }
            };
            let line = self.pending.get(self.rec_start..end).unwrap_or_default();
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            // Decoded text is UTF-8 and lines are cut at '\n' only, so this cannot fail.
            let text = std::str::from_utf8(line).unwrap_or_default();
            if !text.trim().is_empty() {
                let fields = match &self.spaces {
                    Some(layout) if self.records == 0 => layout.header(text),
                    Some(layout) => layout.row(text),
                    None => Vec::new(),
                };
                if fields.len() > MAX_FIELDS {
                    return Err(self.too_many_fields());
                }
                sink.at_line(self.line_at_start);
                emit_fields(&mut self.records, &fields, sink)?;
            }
            self.line_at_start += 1;
            self.rec_start = next;
            self.fed = next;
        }
        if !eof && self.pending.len() - self.rec_start > MAX_RECORD_BYTES {
            return Err(self.bad_row(format!(
                "a single line is longer than {} MiB",
                MAX_RECORD_BYTES >> 20
            )));
        }
        Ok(())
    }

    fn emit(&mut self, sink: &mut dyn RecordSink) -> Result<()> {
        let data = self.out.get(..self.out_len).unwrap_or_default();
        if std::mem::take(&mut self.skip_sep_line) && self.records == 0 {
            // Split by its own delimiter, the line `sep=;` arrives as the cells `sep=` and ``.
            let text = std::str::from_utf8(data).unwrap_or_default();
            if text.trim_start_matches('\u{FEFF}').trim() == "sep=" && self.ends_len <= 2 {
                return Ok(());
            }
        }
        // Decoded text is UTF-8 and csv-core removes and splits at ASCII bytes only, so the record
        // is valid UTF-8 and every field end is a character boundary: one check for the whole
        // record. Should either ever fail, the field alone is checked, and an empty field is the
        // safe answer (as `get` gives for a cut inside a character).
        let text = std::str::from_utf8(data).ok();
        let field = |start: usize, end: usize| -> &str {
            match text {
                Some(t) => t.get(start..end).unwrap_or_default(),
                None => std::str::from_utf8(data.get(start..end).unwrap_or_default())
                    .unwrap_or_default(),
            }
        };
        let ends = self.ends.get(..self.ends_len).unwrap_or_default();
        sink.at_line(self.span.line);
        // Nearly every record has few fields: they live on the stack, no allocation per row.
        let mut few = [""; FEW_FIELDS];
        if ends.len() <= FEW_FIELDS {
            let mut start = 0usize;
            for (slot, &end) in few.iter_mut().zip(ends) {
                *slot = field(start, end);
                start = end;
            }
            let fields = few.get(..ends.len()).unwrap_or_default();
            return emit_fields(&mut self.records, fields, sink);
        }
        let mut fields: Vec<&str> = Vec::with_capacity(ends.len());
        let mut start = 0usize;
        for &end in ends {
            fields.push(field(start, end));
            start = end;
        }
        emit_fields(&mut self.records, &fields, sink)
    }
}

fn clean_header(name: &str) -> String {
    name.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}')
        .to_string()
}

fn emit_fields(records: &mut u64, fields: &[&str], sink: &mut dyn RecordSink) -> Result<()> {
    *records += 1;
    if *records == 1 {
        sink.header(fields.iter().map(|f| clean_header(f)).collect())
    } else {
        sink.record(*records, fields)
    }
}

/// True when `raw` (one record's text as csv-core reads it: a quote opens a quoted field only at
/// the start of a field, `""` inside one is a quote) ends inside a quoted field.
fn ends_inside_quotes(raw: &[u8], delimiter: u8) -> bool {
    #[derive(PartialEq)]
    enum S {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut s = S::FieldStart;
    for &b in raw {
        let ends_field = b == delimiter || b == b'\n' || b == b'\r';
        s = match s {
            S::FieldStart if b == b'"' => S::Quoted,
            S::FieldStart | S::Unquoted if ends_field => S::FieldStart,
            S::FieldStart | S::Unquoted => S::Unquoted,
            S::Quoted if b == b'"' => S::QuoteInQuoted,
            S::Quoted => S::Quoted,
            S::QuoteInQuoted if b == b'"' => S::Quoted,
            S::QuoteInQuoted if ends_field => S::FieldStart,
            S::QuoteInQuoted => S::Unquoted,
        };
    }
    s == S::Quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_open_quotes() {
        assert!(ends_inside_quotes(b"\"ACME,2024-01-01,5", b','));
        assert!(ends_inside_quotes(b"C1,\"a\nb", b','));
        assert!(!ends_inside_quotes(b"C1,\"a\nb\",3", b','));
        assert!(!ends_inside_quotes(b"C1,5\" pipe,3", b','));
        assert!(!ends_inside_quotes(b"\"say \"\"hi\"\"\",3", b','));
        assert!(ends_inside_quotes(b"\"say \"\"hi,3", b','));
        assert!(!ends_inside_quotes(b"\"a\"b,3", b','));
    }
}
