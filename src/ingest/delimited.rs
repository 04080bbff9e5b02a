//! Streaming reader for delimited text: bytes → (encoding_rs) UTF-8 → (csv-core) records.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};
use encoding_rs::{CoderResult, Decoder};

use super::{Detected, RecordSink};
use crate::error::{Error, Result};

/// Size of the decoded-text buffer handed to the CSV state machine per step.
const DECODE_CHUNK: usize = 64 * 1024;
/// A single record larger than this is an error rather than an unbounded allocation.
const MAX_RECORD_BYTES: usize = 64 * 1024 * 1024;

pub(super) struct DelimitedReader {
    decoder: Decoder,
    csv: Reader,
    /// Decoded UTF-8 not yet consumed by `csv`.
    pending: Vec<u8>,
    /// Field bytes of the record being read.
    out: Vec<u8>,
    out_len: usize,
    /// Field end offsets of the record being read.
    ends: Vec<usize>,
    ends_len: usize,
    /// Records seen so far, the header included.
    records: u64,
    /// `Some` when fields are separated by runs of white space instead of one delimiter byte.
    spaces: Option<SpaceSplit>,
    /// The file starts with Excel's `sep=X` line, to be skipped (not a header, not a row).
    skip_sep_line: bool,
}

/// How a space-aligned export is split, decided on its header line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SpaceSplit {
    /// Not decided yet (no header line seen).
    Undecided,
    /// Two or more spaces (or a tab) separate fields; single spaces are part of a value
    /// (`Customer ID`, `2024-03-05 13:45`).
    Wide,
    /// Any run of white space separates fields.
    Any,
}

impl DelimitedReader {
    pub(super) fn new(detected: &Detected) -> Self {
        let delimiter = detected
            .delimiter
            .map_or(b',', |c| u8::try_from(u32::from(c)).unwrap_or(b','));
        DelimitedReader {
            // BOM sniffing stays on: a BOM is removed, never read as part of the first header name.
            decoder: detected.encoding_rs().new_decoder(),
            csv: ReaderBuilder::new().delimiter(delimiter).build(),
            pending: Vec::with_capacity(DECODE_CHUNK),
            out: vec![0; 4096],
            out_len: 0,
            ends: vec![0; 64],
            ends_len: 0,
            records: 0,
            spaces: (delimiter == b' ').then_some(SpaceSplit::Undecided),
            skip_sep_line: detected.sep_line,
        }
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
            let (result, read, written, _) = self.decoder.decode_to_utf8(input, tail, last);
            self.pending.truncate(start + written);
            input = input.get(read..).unwrap_or_default();
            if self.spaces.is_some() {
                self.drain_lines(false, sink)?;
            } else {
                self.drain(false, sink)?;
            }
            if result == CoderResult::InputEmpty {
                break;
            }
        }
        if last {
            if self.spaces.is_some() {
                self.drain_lines(true, sink)?;
            } else {
                self.drain(true, sink)?;
            }
        }
        Ok(())
    }

    /// Space-aligned text: one record per line, no quoting.
    fn drain_lines(&mut self, eof: bool, sink: &mut dyn RecordSink) -> Result<()> {
        let mut consumed = 0usize;
        loop {
            let rest = self.pending.get(consumed..).unwrap_or_default();
            let (line, next) = match rest.iter().position(|&b| b == b'\n') {
                Some(i) => (rest.get(..i).unwrap_or_default(), consumed + i + 1),
                None if eof && !rest.is_empty() => (rest, self.pending.len()),
                None => break,
            };
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            // Decoded text is UTF-8 and lines are cut at '\n' only, so this cannot fail.
            let text = std::str::from_utf8(line).unwrap_or_default();
            if !text.trim().is_empty() {
                let mode = match self.spaces {
                    Some(SpaceSplit::Undecided) | None => {
                        let wide = text.trim().contains("  ") || text.contains('\t');
                        let mode = if wide {
                            SpaceSplit::Wide
                        } else {
                            SpaceSplit::Any
                        };
                        self.spaces = Some(mode);
                        mode
                    }
                    Some(mode) => mode,
                };
                let fields = split_spaces(text, mode);
                emit_fields(&mut self.records, &fields, sink)?;
            }
            consumed = next;
        }
        if !eof && self.pending.len() - consumed > MAX_RECORD_BYTES {
            return Err(Error::BadRow {
                row: self.records + 1,
                column: None,
                message: format!(
                    "a single line is longer than {} MiB",
                    MAX_RECORD_BYTES >> 20
                ),
            });
        }
        self.pending.drain(..consumed.min(self.pending.len()));
        Ok(())
    }

    /// Runs the CSV state machine over `pending`; `eof` feeds the final empty input.
    fn drain(&mut self, eof: bool, sink: &mut dyn RecordSink) -> Result<()> {
        let mut consumed = 0usize;
        loop {
            let input = if eof && consumed >= self.pending.len() {
                &[][..]
            } else {
                self.pending.get(consumed..).unwrap_or_default()
            };
            if input.is_empty() && !eof {
                break;
            }
            let out = self.out.get_mut(self.out_len..).unwrap_or_default();
            let ends = self.ends.get_mut(self.ends_len..).unwrap_or_default();
            let (res, nin, nout, nend) = self.csv.read_record(input, out, ends);
            consumed += nin;
            // csv-core reports field ends as offsets into the whole record, across calls.
            self.out_len += nout;
            self.ends_len += nend;
            match res {
                ReadRecordResult::InputEmpty => {
                    if !eof {
                        break;
                    }
                }
                ReadRecordResult::OutputFull => {
                    if self.out.len() >= MAX_RECORD_BYTES {
                        return Err(Error::BadRow {
                            row: self.records + 1,
                            column: None,
                            message: format!(
                                "a single row is longer than {} MiB (an unclosed quote?)",
                                MAX_RECORD_BYTES >> 20
                            ),
                        });
                    }
                    let n = self.out.len() * 2;
                    self.out.resize(n, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                ReadRecordResult::Record => {
                    self.emit(sink)?;
                }
                ReadRecordResult::End => break,
            }
        }
        self.pending.drain(..consumed.min(self.pending.len()));
        Ok(())
    }

    fn emit(&mut self, sink: &mut dyn RecordSink) -> Result<()> {
        let data = self.out.get(..self.out_len).unwrap_or_default();
        if std::mem::take(&mut self.skip_sep_line) && self.records == 0 {
            // Split by its own delimiter, the line `sep=;` arrives as the cells `sep=` and ``.
            let text = std::str::from_utf8(data).unwrap_or_default();
            if text.trim_start_matches('\u{FEFF}').trim() == "sep=" && self.ends_len <= 2 {
                self.out_len = 0;
                self.ends_len = 0;
                return Ok(());
            }
        }
        self.records += 1;
        let data = self.out.get(..self.out_len).unwrap_or_default();
        let mut fields: Vec<&str> = Vec::with_capacity(self.ends_len);
        let mut start = 0usize;
        for &end in self.ends.iter().take(self.ends_len) {
            let bytes = data.get(start..end).unwrap_or_default();
            // Decoded text is UTF-8 and csv-core splits only at ASCII bytes, so this cannot fail;
            // an empty field is the safe answer if it ever did.
            fields.push(std::str::from_utf8(bytes).unwrap_or_default());
            start = end;
        }
        let result = if self.records == 1 {
            sink.header(fields.iter().map(|f| clean_header(f)).collect())
        } else {
            sink.record(self.records, &fields)
        };
        self.out_len = 0;
        self.ends_len = 0;
        result
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

fn split_spaces(line: &str, mode: SpaceSplit) -> Vec<&str> {
    let line = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    match mode {
        SpaceSplit::Any | SpaceSplit::Undecided => line.split_whitespace().collect(),
        SpaceSplit::Wide => {
            let mut out = Vec::new();
            let mut start = 0usize;
            let mut gap_start: Option<usize> = None;
            let mut gap_len = 0usize;
            for (i, c) in line.char_indices() {
                if c == ' ' || c == '\t' || c == '\u{3000}' {
                    if gap_start.is_none() {
                        gap_start = Some(i);
                        gap_len = 0;
                    }
                    gap_len += if c == '\t' { 2 } else { 1 };
                } else if let Some(g) = gap_start.take() {
                    if gap_len >= 2 {
                        out.push(line.get(start..g).unwrap_or_default());
                        start = i;
                    }
                }
            }
            out.push(line.get(start..).unwrap_or_default().trim_end());
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_space_aligned_lines() {
        assert_eq!(
            split_spaces("Customer ID   Order Date         Amount", SpaceSplit::Wide),
            ["Customer ID", "Order Date", "Amount"]
        );
        assert_eq!(
            split_spaces(
                "  C1            2024-03-05 13:45   12.50  ",
                SpaceSplit::Wide
            ),
            ["C1", "2024-03-05 13:45", "12.50"]
        );
        assert_eq!(split_spaces("a\tb c", SpaceSplit::Wide), ["a", "b c"]);
        assert_eq!(split_spaces("a  b c", SpaceSplit::Any), ["a", "b", "c"]);
    }
}
