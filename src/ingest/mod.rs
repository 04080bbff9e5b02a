//! Reading bytes into records: format, encoding and delimiter sniffing, then a streaming reader.
//!
//! The [`Ingestor`] is push-based: callers hand it chunks of bytes as they arrive (a `File.stream()`
//! in the browser, 1 MiB reads in the CLI) and it hands complete records to a [`RecordSink`]. Memory
//! therefore follows the size of one record plus whatever the sink keeps, not the file size.
//! Formats that cannot be read incrementally (XLSX, JSON) are collected whole and read at `finish`.

pub mod decision;
pub mod delimited;
mod json;
pub mod roles;
pub mod sheets;
pub mod sniff;
pub mod spaces;
mod textdecode;
pub mod values;
mod whole;
mod zipcap;
pub use whole::in_guarded_parser;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
pub use decision::{Basis, Decision};
use delimited::DelimitedReader;
pub use sniff::{Detected, InputFormat};

/// How many bytes are collected before sniffing the format, encoding and delimiter.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// Input options of the recipe: everything is detected unless set here.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct InputOptions {
    /// Force a format instead of detecting it.
    pub format: Option<InputFormat>,
    /// Force a text encoding by its WHATWG label (`"utf-8"`, `"gbk"`, `"gb18030"`, `"utf-16le"`, ...).
    pub encoding: Option<String>,
    /// Force the field delimiter (one ASCII character, e.g. `";"` or `"\t"`).
    pub delimiter: Option<char>,
    /// Day/month order for dates such as `03/04/2024`; detected from the column when not set.
    pub date_order: Option<values::DateOrder>,
    /// A strftime pattern for the date column(s) (`"%d.%m.%Y %H:%M"`), for spellings the
    /// built-in readers do not know; when set, dates are read with it only. Checked when the
    /// recipe is read.
    pub date_format: Option<String>,
    /// The decimal separator of the amount column(s), `"."` or `","`; decided from every value
    /// when not set (a column of values such as `3.500` alone cannot settle it: the run refuses).
    pub decimal_separator: Option<values::evidence::DecimalSeparator>,
    /// Customer ids written as integral floats (`12346.0`): `"integers"` reads them as `12346`,
    /// `"asWritten"` keeps them; when not set, they are integers when every id of the column is
    /// an integer or an integral float.
    pub customer_ids: Option<values::evidence::IdReading>,
    /// Column role overrides: role → header name as it appears in the file.
    pub columns: roles::RoleOverrides,
    /// Workbook sheets to read: a name, a 1-based position (`2` or `"2"`), a list of them, or
    /// `"*"` for every sheet; by default the first sheet and every sheet with its header (see
    /// [`sheets`]).
    pub sheet: Option<sheets::SheetSelection>,
    /// The header's row number (1-based, as a spreadsheet shows it); rows above it are set aside as
    /// preamble. Found when not set: the first row whose names match the customer id and a date or
    /// an amount (see [`roles::locate_header`]).
    pub header_row: Option<u64>,
    /// `"transactions"` (one row per order line) or `"customers"` (one row per customer with
    /// ready-made figures); detected from the column roles when not set.
    pub shape: Option<roles::Shape>,
}

impl InputOptions {
    /// Checks the options that can be checked before reading any byte.
    pub fn validate(&self) -> Result<()> {
        if let Some(sheet) = &self.sheet {
            sheet.validate()?;
        }
        if let Some(label) = &self.encoding {
            if encoding_rs::Encoding::for_label(label.as_bytes()).is_none() {
                return Err(Error::recipe(
                    "input.encoding",
                    format!("unknown encoding label {label:?}"),
                ));
            }
        }
        if let Some(p) = &self.date_format {
            values::format::DateFormat::new(p)?;
        }
        if self.header_row == Some(0) {
            return Err(Error::recipe(
                "input.headerRow",
                "row numbers start at 1 (the first row of the file or sheet)",
            ));
        }
        if let Some(d) = self.delimiter {
            if !d.is_ascii() || d == '"' || d == '\n' || d == '\r' {
                return Err(Error::recipe(
                    "input.delimiter",
                    format!("{d:?} cannot be a delimiter: use one ASCII character other than a quote or newline"),
                ));
            }
        }
        Ok(())
    }
}

/// Receives what the [`Ingestor`] reads.
pub trait RecordSink {
    /// Called once, first, with the header names (trimmed).
    fn header(&mut self, names: Vec<String>) -> Result<()>;
    /// Called for every data record. `row` is 1-based as a spreadsheet shows it (the header is row 1).
    fn record(&mut self, row: u64, fields: &[&str]) -> Result<()>;
    /// A row that is read but is neither the header nor data: a title or blank-celled row above the
    /// header, or the repeated header of a later workbook sheet. The sink counts it (reason
    /// `preamble`) so that every row is accounted for.
    fn preamble(&mut self, _row: u64, _fields: &[&str]) -> Result<()> {
        Ok(())
    }
    /// The physical line (1-based) on which the next header, record or preamble row starts, for
    /// text formats where a quoted field may span lines. Called just before that row.
    fn at_line(&mut self, _line: u64) {}
    /// A row the reader read but could not split into cells (`why`), given as its first physical
    /// line taken literally. The default refuses the input; the loader sets the row aside under
    /// its own reason and goes on.
    fn unreadable(&mut self, row: u64, why: Unreadable, _text: &str) -> Result<()> {
        Err(Error::BadRow {
            row,
            column: None,
            message: why.message().into(),
        })
    }
}

/// Why the reader could not split a row into cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unreadable {
    /// A quoted field ran to the end of the file, or across more than
    /// [`delimited::MAX_QUOTED_LINES`] lines: the row's first line is taken literally.
    UnclosedQuote,
}

impl Unreadable {
    /// One line for people.
    pub fn message(self) -> &'static str {
        match self {
            Unreadable::UnclosedQuote => {
                "a quoted field is never closed (it runs to the end of the file or across too many lines)"
            }
        }
    }
}

enum State {
    /// Collecting the first bytes to sniff from.
    Sniffing(Vec<u8>),
    /// Streaming delimited text.
    Delimited(Box<DelimitedReader>),
    /// Collecting a format that is read whole at the end.
    Whole(InputFormat, Vec<u8>),
    /// `finish` was called.
    Done,
}

/// Push-based reader of one input file.
pub struct Ingestor {
    options: InputOptions,
    state: State,
    bytes_seen: u64,
    detected: Option<Detected>,
}

impl Ingestor {
    /// Creates an ingestor; call [`Ingestor::push`] for each chunk, then [`Ingestor::finish`].
    pub fn new(options: InputOptions) -> Self {
        Ingestor {
            options,
            state: State::Sniffing(Vec::new()),
            bytes_seen: 0,
            detected: None,
        }
    }

    /// Bytes pushed so far (for progress reporting).
    pub fn bytes_seen(&self) -> u64 {
        self.bytes_seen
    }

    /// What was detected about the input, once enough bytes have been seen.
    pub fn detected(&self) -> Option<&Detected> {
        self.detected.as_ref()
    }

    /// Feeds the next chunk of the file.
    pub fn push(&mut self, chunk: &[u8], sink: &mut dyn RecordSink) -> Result<()> {
        self.bytes_seen += chunk.len() as u64;
        match &mut self.state {
            State::Sniffing(buf) => {
                buf.extend_from_slice(chunk);
                if buf.len() >= SNIFF_BYTES {
                    let buf = std::mem::take(buf);
                    self.start(buf, false, sink)?;
                }
                Ok(())
            }
            State::Delimited(reader) => {
                let result = reader.push(chunk, false, sink);
                self.note_reader();
                result
            }
            State::Whole(_, buf) => {
                buf.extend_from_slice(chunk);
                Ok(())
            }
            State::Done => Err(Error::InvalidState("push after finish".into())),
        }
    }

    /// Signals the end of the file and flushes the last records.
    pub fn finish(&mut self, sink: &mut dyn RecordSink) -> Result<()> {
        match std::mem::replace(&mut self.state, State::Done) {
            State::Sniffing(buf) => {
                self.start(buf, true, sink)?;
                self.finish(sink)
            }
            State::Delimited(mut reader) => {
                let result = reader.push(&[], true, sink);
                let lines = reader.lines();
                self.state = State::Delimited(reader);
                self.note_reader();
                self.state = State::Done;
                if let Some(d) = self.detected.as_mut() {
                    d.lines = Some(lines);
                }
                result
            }
            State::Whole(format, buf) => self.read_whole(format, &buf, sink),
            State::Done => Err(Error::InvalidState("finish called twice".into())),
        }
    }

    /// Moves a decision the reader made while reading (the encoding, at the first non-ASCII
    /// byte) into what was detected.
    fn note_reader(&mut self) {
        let State::Delimited(reader) = &mut self.state else {
            return;
        };
        let (Some(decision), Some(detected)) =
            (reader.take_encoding_decision(), self.detected.as_mut())
        else {
            return;
        };
        detected.encoding = decision.value.clone();
        match detected
            .decisions
            .iter_mut()
            .find(|d| d.code == decision.code)
        {
            Some(d) => *d = decision,
            None => detected.decisions.insert(0, decision),
        }
    }

    fn start(&mut self, head: Vec<u8>, at_end: bool, sink: &mut dyn RecordSink) -> Result<()> {
        // Sniff exactly the first SNIFF_BYTES, whatever the chunk sizes, so that detection (and so
        // the whole result) never depends on how the file was split into chunks.
        let window = head.get(..SNIFF_BYTES).unwrap_or(&head);
        let detected = sniff::sniff(window, at_end, &self.options)?;
        self.state = match detected.format {
            InputFormat::Delimited => {
                let mut reader = Box::new(DelimitedReader::new(&detected));
                self.detected = Some(detected);
                let result = reader.push(&head, false, sink);
                self.state = State::Delimited(reader);
                self.note_reader();
                return result;
            }
            other => State::Whole(other, head),
        };
        self.detected = Some(detected);
        Ok(())
    }

    fn read_whole(
        &mut self,
        format: InputFormat,
        bytes: &[u8],
        sink: &mut dyn RecordSink,
    ) -> Result<()> {
        match format {
            InputFormat::Delimited => Err(Error::InvalidState(
                "delimited text is streamed, not read whole".into(),
            )),
            InputFormat::Xlsx | InputFormat::Xls => {
                let read = whole::read_spreadsheet(
                    bytes,
                    format == InputFormat::Xls,
                    self.options.sheet.as_ref(),
                    &self.options.columns,
                    sink,
                )?;
                if let Some(d) = self.detected.as_mut() {
                    let names: Vec<&str> = read.spans.iter().map(|s| s.name.as_str()).collect();
                    d.notes.push(format!(
                        "sheet{} {} read (workbook sheets: {})",
                        if names.len() == 1 { "" } else { "s" },
                        names.join(", "),
                        read.all.join(", ")
                    ));
                    d.sheet = names.first().map(|n| n.to_string());
                    d.sheets = read.spans;
                    d.decisions.push(read.decision);
                }
                Ok(())
            }
            InputFormat::Json => {
                if let Some(d) = self.detected.as_mut().filter(|d| d.encoding_open) {
                    // As for delimited text: decided at the first non-ASCII byte, wherever it is.
                    let decision = textdecode::decide_whole(bytes);
                    d.encoding = decision.value.clone();
                    match d.decisions.iter_mut().find(|x| x.code == decision.code) {
                        Some(x) => *x = decision,
                        None => d.decisions.insert(0, decision),
                    }
                }
                let encoding = self
                    .detected
                    .as_ref()
                    .map_or(encoding_rs::UTF_8, Detected::encoding_rs);
                let (text, _, _) = encoding.decode(bytes);
                let shape = json::read_json(&text, sink)?;
                if let Some(d) = self.detected.as_mut() {
                    d.notes.push(
                        match shape {
                            json::JsonShape::Array => "JSON array of objects",
                            json::JsonShape::Lines => {
                                "newline-delimited JSON (one object per line)"
                            }
                        }
                        .into(),
                    );
                }
                Ok(())
            }
        }
    }
}
