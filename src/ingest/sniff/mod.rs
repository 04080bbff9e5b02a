//! Detecting format, text encoding and delimiter from the first bytes of a file.

use encoding_rs::{CoderResult, Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use serde::{Deserialize, Serialize};

use super::decision::Evidence;
use super::spaces::{self, SpaceLayout};
use super::{Basis, Decision, InputOptions};
use crate::error::{Error, Result};
use delimiter::{detect_delimiter, window_lines};

mod delimiter;

/// The container format of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    /// CSV, TSV and other delimited text.
    Delimited,
    /// Excel 2007+ workbook (also XLSB and OpenDocument spreadsheets, which are zip files too).
    Xlsx,
    /// Excel 97–2003 workbook.
    Xls,
    /// A JSON array of objects, or newline-delimited JSON.
    Json,
}

impl InputFormat {
    /// Human-readable name.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Delimited => "delimited text",
            InputFormat::Xlsx => "XLSX",
            InputFormat::Xls => "XLS",
            InputFormat::Json => "JSON",
        }
    }
}

/// What sniffing found; echoed in the report so the user sees what was understood.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Detected {
    /// Container format.
    pub format: InputFormat,
    /// Encoding name (WHATWG), for text formats.
    pub encoding: String,
    /// Whether a byte-order mark was present.
    pub bom: bool,
    /// Field delimiter, for delimited text.
    pub delimiter: Option<char>,
    /// How each was decided: `"detected"` or `"recipe"`, per property.
    pub notes: Vec<String>,
    /// The workbook sheet read, for spreadsheets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Every sheet read, in order, with its rows in the continuing row numbers (see
    /// [`super::sheets`]); empty for text formats.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sheets: Vec<super::sheets::SheetSpan>,
    /// The text starts with Excel's `sep=X` delimiter line, which is skipped.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub sep_line: bool,
    /// Physical lines read (delimited text): line breaks, plus one for a last line without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<u64>,
    /// Reading decisions made here (format, encoding, delimiter, sheets), with their evidence.
    #[serde(skip)]
    pub decisions: Vec<super::Decision>,
    /// The encoding was guessed from the content (no BOM, no recipe, not UTF-16): the reader of
    /// delimited text decides it again at the first non-ASCII byte, wherever that is.
    #[serde(skip)]
    pub encoding_open: bool,
    /// How a space-separated file (delimiter `' '`) is split, decided from the sniff window.
    #[serde(skip)]
    pub spaces: Option<SpaceLayout>,
}

impl Detected {
    /// The `encoding_rs` encoding for [`Detected::encoding`].
    pub fn encoding_rs(&self) -> &'static Encoding {
        Encoding::for_label(self.encoding.as_bytes()).unwrap_or(UTF_8)
    }
}

/// Sniffs `head` (the first bytes of the file; `at_end` when that is the whole file).
pub fn sniff(head: &[u8], at_end: bool, options: &InputOptions) -> Result<Detected> {
    if head.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::EmptyInput);
    }
    let mut notes = Vec::new();
    let (encoding, bom, by_content) = match &options.encoding {
        Some(label) => {
            let enc = Encoding::for_label(label.as_bytes()).ok_or_else(|| {
                Error::recipe(
                    "input.encoding",
                    format!("unknown encoding label {label:?}"),
                )
            })?;
            notes.push(format!("encoding {} set by the recipe", enc.name()));
            (enc, Encoding::for_bom(head).is_some(), false)
        }
        None => detect_encoding(head, at_end),
    };
    let format = match options.format {
        Some(f) => {
            notes.push(format!("format {} set by the recipe", f.name()));
            f
        }
        None => detect_format(head, encoding),
    };
    let encoding_decision = Decision::new(
        "encoding",
        encoding.name(),
        if options.encoding.is_some() {
            Basis::Recipe
        } else {
            Basis::File
        },
        if options.encoding.is_some() {
            "set by the recipe".to_string()
        } else if bom {
            "byte-order mark".to_string()
        } else {
            format!(
                "the bytes of the first {} KiB decode cleanly",
                head.len().div_ceil(1024)
            )
        },
        "input.encoding",
    );
    let encoding_decision = match (options.encoding.is_some(), bom) {
        (true, _) => encoding_decision.because("encoding_recipe", []),
        (false, true) => encoding_decision.because("encoding_bom", []),
        (false, false) => encoding_decision.because(
            "encoding_head",
            [("kib", head.len().div_ceil(1024).to_string())],
        ),
    };
    if format != InputFormat::Delimited {
        let decisions = if format == InputFormat::Json {
            vec![encoding_decision]
        } else {
            Vec::new()
        };
        return Ok(Detected {
            format,
            encoding: encoding.name().to_string(),
            bom,
            delimiter: None,
            notes,
            sheet: None,
            sheets: Vec::new(),
            sep_line: false,
            lines: None,
            decisions,
            encoding_open: by_content && format == InputFormat::Json,
            spaces: None,
        });
    }
    let (text, had_errors) = decode_window(encoding, head, at_end);
    if looks_binary(&text, had_errors && encoding != WINDOWS_1252) {
        return Err(Error::UnsupportedFormat(
            "this looks like binary data, not a CSV/TSV text file, XLSX workbook or JSON".into(),
        ));
    }
    // Excel writes `sep=;` as a first line to name the delimiter; it is not the header.
    let sep_hint = sep_line(&text);
    let lines = window_lines(&text, sep_hint.is_some(), at_end);
    let mut layout = None;
    let (delimiter, basis, evidence) = match (options.delimiter, sep_hint) {
        (Some(d), _) => {
            notes.push(format!("delimiter {d:?} set by the recipe"));
            let why = Evidence::new("delimiter_recipe", [], "set by the recipe".to_string());
            (d, Basis::Recipe, why)
        }
        (None, Some(d)) => {
            notes.push(format!(
                "delimiter {d:?} named by the file's first line \"sep={d}\""
            ));
            let why = Evidence::new(
                "delimiter_sep_line",
                [("delimiter", d.to_string())],
                format!("the file's first line \"sep={d}\""),
            );
            (d, Basis::File, why)
        }
        (None, None) => {
            let (d, evidence, l) = detect_delimiter(&lines);
            layout = l;
            (d, Basis::File, evidence)
        }
    };
    if delimiter == ' ' && layout.is_none() {
        // Set by the recipe (or `sep= `): the layout still comes from the window.
        layout = spaces::layout(&lines).or_else(|| {
            Some(SpaceLayout {
                wide_header: false,
                rows: spaces::RowSplit::Any,
                fields: 0,
                evidence: Evidence::default(),
                agreeing: 0,
            })
        });
    }
    let delimiter_decision = Decision::evidenced(
        "delimiter",
        delimiter.to_string(),
        basis,
        evidence,
        "input.delimiter",
    );
    if sep_hint.is_some() {
        notes.push("first line \"sep=…\" skipped".into());
    }
    Ok(Detected {
        format,
        encoding: encoding.name().to_string(),
        bom,
        delimiter: Some(delimiter),
        notes,
        sheet: None,
        sheets: Vec::new(),
        sep_line: sep_hint.is_some(),
        lines: None,
        decisions: vec![encoding_decision, delimiter_decision],
        encoding_open: by_content,
        spaces: layout,
    })
}

/// The delimiter named by an Excel `sep=X` first line, if the text starts with one.
pub(super) fn sep_line(text: &str) -> Option<char> {
    let first = text.trim_start_matches('\u{FEFF}').lines().next()?;
    let rest = first.trim_end().strip_prefix("sep=")?;
    let mut chars = rest.chars();
    let d = chars.next()?;
    (chars.next().is_none() && d.is_ascii() && d != '"').then_some(d)
}

fn detect_format(head: &[u8], encoding: &'static Encoding) -> InputFormat {
    if head.starts_with(b"PK\x03\x04") {
        return InputFormat::Xlsx;
    }
    if head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return InputFormat::Xls;
    }
    // JSON may come in any text encoding (UTF-16 from Windows tools): look at decoded text.
    let sample = head.get(..head.len().min(1024)).unwrap_or(head);
    let (text, _, _) = encoding.decode(sample);
    let mut chars = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{FEFF}');
    match (chars.next(), chars.next()) {
        // `[{` or `[]` opens an array of records, `{"` an object; a CSV header such as
        // `[id],[amount]` does not look like either.
        (Some('['), Some('{' | ']') | None) | (Some('{'), Some('"' | '}') | None) => {
            InputFormat::Json
        }
        _ => InputFormat::Delimited,
    }
}

/// BOM first; then UTF-16 without BOM (NULs in alternate bytes); then valid UTF-8; then GB18030
/// (a superset of GBK, what Chinese Excel writes as "CSV"); then Windows-1252 as the last resort.
/// Returns the encoding, whether a BOM named it, and whether it was guessed from the content
/// (which the reader of delimited text decides again at the first non-ASCII byte).
fn detect_encoding(head: &[u8], at_end: bool) -> (&'static Encoding, bool, bool) {
    if let Some((enc, _)) = Encoding::for_bom(head) {
        return (enc, true, false);
    }
    let sample = head.get(..head.len().min(4096)).unwrap_or(head);
    let nul_even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let nul_odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|b| **b == 0)
        .count();
    let half = sample.len() / 2;
    if half > 0 && nul_odd * 3 > half && nul_even * 10 < half {
        return (UTF_16LE, false, false);
    }
    if half > 0 && nul_even * 3 > half && nul_odd * 10 < half {
        return (UTF_16BE, false, false);
    }
    (content_encoding(head, at_end), false, true)
}

/// Valid UTF-8, else valid GB18030 (a superset of GBK, what Chinese Excel writes as "CSV"), else
/// Windows-1252 as the last resort. `at_end`: `bytes` runs to the end of the file (else a
/// character cut by its end is not an error).
pub(super) fn content_encoding(bytes: &[u8], at_end: bool) -> &'static Encoding {
    if is_utf8_prefix(bytes, at_end) {
        UTF_8
    } else if decodes_cleanly(GB18030, bytes, at_end) {
        GB18030
    } else {
        WINDOWS_1252
    }
}

/// Decodes the sniff window; a character cut by its end is held back, not replaced.
fn decode_window(encoding: &'static Encoding, head: &[u8], at_end: bool) -> (String, bool) {
    let mut decoder = encoding.new_decoder();
    let mut text = String::with_capacity(head.len() + 16);
    let mut input = head;
    let mut errors = false;
    loop {
        let (result, read, replaced) = decoder.decode_to_string(input, &mut text, at_end);
        errors |= replaced;
        input = input.get(read..).unwrap_or_default();
        match result {
            CoderResult::InputEmpty => return (text, errors),
            CoderResult::OutputFull => text.reserve(input.len().max(64) * 3),
        }
    }
}

/// True when `head` decodes without errors, a character cut by the end of the sniff window
/// included: a streaming decoder (`last = false`) holds an incomplete tail back instead of calling
/// it malformed. (GB18030's four-byte sequences have ASCII digits as their 2nd and 4th bytes, so
/// trimming high bytes off the end is not enough.)
fn decodes_cleanly(encoding: &'static Encoding, head: &[u8], at_end: bool) -> bool {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = vec![0u8; 64 * 1024];
    let mut input = head;
    loop {
        let (result, read, _) = decoder.decode_to_utf8_without_replacement(input, &mut out, at_end);
        match result {
            encoding_rs::DecoderResult::InputEmpty => return true,
            encoding_rs::DecoderResult::Malformed(_, _) => return false,
            encoding_rs::DecoderResult::OutputFull => {
                input = input.get(read..).unwrap_or_default();
            }
        }
    }
}

/// True when `head` is valid UTF-8, allowing a multi-byte sequence cut off by the chunk boundary.
fn is_utf8_prefix(head: &[u8], at_end: bool) -> bool {
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => !at_end && e.error_len().is_none(),
    }
}

fn looks_binary(text: &str, decode_errors: bool) -> bool {
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in text.chars().take(8192) {
        total += 1;
        if c == '\u{FFFD}' || (c.is_control() && !matches!(c, '\t' | '\r' | '\n' | '\u{FEFF}')) {
            bad += 1;
        }
    }
    total > 0 && (bad * 20 > total || (decode_errors && bad * 100 > total))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniffed(bytes: &[u8]) -> Detected {
        sniff(bytes, true, &InputOptions::default()).unwrap()
    }

    #[test]
    fn detects_delimiters() {
        assert_eq!(sniffed(b"a,b,c\n1,2,3\n").delimiter, Some(','));
        assert_eq!(sniffed(b"a;b;c\n1,5;2;3\n").delimiter, Some(';'));
        assert_eq!(sniffed(b"a\tb\tc\n1\t2\t3\n").delimiter, Some('\t'));
        assert_eq!(sniffed(b"a|b\n1|2\n").delimiter, Some('|'));
        assert_eq!(sniffed(b"sep=;\r\na;b\n1,5;2\n").delimiter, Some(';'));
        assert_eq!(
            sniffed(b"Customer ID   Date         Amount\nC1            2024-03-05   1,234.50\n")
                .delimiter,
            Some(' ')
        );
        // The comma inside quotes must not win over the semicolon.
        assert_eq!(
            sniffed(b"name;amount\n\"Li, Wei\";3\n\"Wu, Fang\";4\n").delimiter,
            Some(';')
        );
    }

    #[test]
    fn detects_encodings() {
        assert_eq!(sniffed(b"\xEF\xBB\xBFa,b\n1,2\n").encoding, "UTF-8");
        assert!(sniffed(b"\xEF\xBB\xBFa,b\n1,2\n").bom);
        let (gbk, _, _) = GB18030.encode("客户ID,金额\n张三,100\n");
        assert_eq!(sniffed(&gbk).encoding, "gb18030");
        let mut utf16: Vec<u8> = vec![0xFF, 0xFE];
        for u in "客户ID\t金额\n1\t2\n".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let d = sniffed(&utf16);
        assert_eq!(d.encoding, "UTF-16LE");
        assert_eq!(d.delimiter, Some('\t'));
        // The sniff window ends inside a four-byte GB18030 sequence (¥ = 81 30 84 36) at every
        // possible offset: still GB18030 (found by the chunk-split property test).
        let (gb, _, _) = GB18030.encode("客户,金额\n张三,¥10\n");
        let yen = gb.iter().position(|&b| b == 0x81).unwrap();
        for cut in yen + 1..yen + 4 {
            let d = sniff(&gb[..cut], false, &InputOptions::default()).unwrap();
            assert_eq!(d.encoding, "gb18030", "cut at {cut}");
        }
    }

    #[test]
    fn detects_other_formats_and_binary() {
        assert_eq!(sniffed(b"PK\x03\x04rest").format, InputFormat::Xlsx);
        assert_eq!(sniffed(b"  [{\"a\":1}]").format, InputFormat::Json);
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xffa";
        let err = sniff(png, true, &InputOptions::default()).unwrap_err();
        assert_eq!(err.code(), "unsupported_format");
        assert_eq!(
            sniff(b"  \n ", true, &InputOptions::default()).unwrap_err(),
            Error::EmptyInput
        );
    }
}
