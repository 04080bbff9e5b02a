//! Formats read whole at `finish`: spreadsheets (XLSX, XLS, XLSB, ODS via calamine) and JSON (an
//! array of objects, or newline-delimited objects). Both hand a header and records to the same
//! [`RecordSink`] as delimited text, so cleaning and row accounting are shared.

use std::fmt;
use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Ods, Reader, Sheets, Xls, Xlsb, Xlsx};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::RecordSink;
use crate::error::{Error, Result};

/// Which sheet was read and which others the workbook has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SheetChoice {
    /// Name of the sheet read.
    pub name: String,
    /// Every sheet of the workbook, in workbook order.
    pub all: Vec<String>,
}

/// Reads one sheet of a workbook: `sheet` is a sheet name or a 1-based position; the first sheet
/// with data when not set.
pub(super) fn read_spreadsheet(
    bytes: &[u8],
    xls: bool,
    sheet: Option<&str>,
    sink: &mut dyn RecordSink,
) -> Result<SheetChoice> {
    let (all, name, range) = guarded(|| open_sheet(bytes, xls, sheet))?;
    // Spreadsheet row numbers: the range starts at its first used cell.
    let first_row = u64::from(range.start().map_or(0, |(r, _)| r)) + 1;
    let mut rows = range.rows().enumerate().map(|(i, cells)| {
        let row = first_row + i as u64;
        let texts: Vec<String> = cells.iter().map(cell_text).collect();
        (row, texts)
    });
    // Leading empty rows are skipped; the first non-empty row is the header.
    let header = rows
        .by_ref()
        .find(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
    let Some((header_row, header)) = header else {
        return Err(Error::EmptyInput);
    };
    // A sheet's lines are its rows: the sink numbers a title row above the header by it.
    sink.at_line(header_row);
    sink.header(
        trim_trailing_empty(header)
            .into_iter()
            .map(|h| h.trim().to_string())
            .collect(),
    )?;
    for (row, cells) in rows {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        sink.at_line(row);
        sink.record(row, &refs)?;
    }
    Ok(SheetChoice { name, all })
}

/// Runs the spreadsheet parser. calamine 0.38 can panic on some damaged XLS files (found by the
/// fuzz target: an overflow in MULRK parsing with overflow checks on — release builds wrap and
/// return an error; a slice out of range in its CFB reader, now refused first by
/// [`check_container`]). Natively any panic left is turned into an error; on wasm32 panics abort
/// and cannot be caught (the page's worker catches the trap and restarts the engine).
fn guarded<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        GUARDED.with(|g| g.set(true));
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        GUARDED.with(|g| g.set(false));
        result.unwrap_or_else(|_| {
            Err(Error::UnsupportedFormat(
                "the workbook is damaged: the spreadsheet reader could not parse it".into(),
            ))
        })
    }
    #[cfg(target_arch = "wasm32")]
    {
        f()
    }
}

#[cfg(not(target_arch = "wasm32"))]
thread_local! {
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// True while a spreadsheet parser runs under [`guarded`]: a panic hook (the CLI's) can then stay
/// quiet, because the panic becomes an ordinary `unsupported_format` error with its own message.
pub fn in_guarded_parser() -> bool {
    #[cfg(not(target_arch = "wasm32"))]
    {
        GUARDED.with(std::cell::Cell::get)
    }
    #[cfg(target_arch = "wasm32")]
    {
        false
    }
}

type Sheet = (Vec<String>, String, calamine::Range<Data>);

/// Opens the workbook with the reader its signature calls for: the XLS (CFB) reader never sees a
/// zip file, so a damaged XLSX cannot reach the XLS parser's bugs (calamine's own auto-detection
/// tries XLS first on everything).
/// Signature of a Compound File Binary container: `.xls` workbooks, and password-protected `.xlsx`.
const CFB_SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Checks a CFB container with the `cfb` crate, which validates its allocation tables and
/// follows sector chains with loop detection, and reads every stream once. calamine 0.38's own
/// CFB reader trusts the tables: a cyclic sector chain made it grow a buffer until allocation
/// failed (an abort, natively and in Wasm), and a bad table index panicked. Both files of
/// `fuzz/known-calamine/` are refused here with a clear message instead.
fn check_container(bytes: &[u8]) -> Result<()> {
    let damaged = |e: std::io::Error| {
        Error::UnsupportedFormat(format!(
            "the workbook is damaged: its container is not valid ({e})"
        ))
    };
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(damaged)?;
    let streams: Vec<std::path::PathBuf> = file
        .walk()
        .filter(|e| e.is_stream())
        .map(|e| e.path().to_path_buf())
        .collect();
    for path in streams {
        let mut stream = file.open_stream(&path).map_err(damaged)?;
        std::io::copy(&mut stream, &mut std::io::sink()).map_err(damaged)?;
    }
    Ok(())
}

fn open_book(bytes: &[u8], xls: bool) -> Result<Sheets<Cursor<&[u8]>>> {
    if bytes.starts_with(&CFB_SIGNATURE) {
        check_container(bytes)?;
    }
    let c = || Cursor::new(bytes);
    let opened = if xls {
        open_workbook_from_rs::<Xls<_>, _>(c())
            .map(Sheets::Xls)
            .map_err(|e| e.to_string())
    } else {
        open_workbook_from_rs::<Xlsx<_>, _>(c())
            .map(Sheets::Xlsx)
            .or_else(|_| open_workbook_from_rs::<Xlsb<_>, _>(c()).map(Sheets::Xlsb))
            .or_else(|_| open_workbook_from_rs::<Ods<_>, _>(c()).map(Sheets::Ods))
            .map_err(|e| e.to_string())
    };
    opened.map_err(|e| {
        Error::UnsupportedFormat(format!("cannot open the workbook ({e}); is it damaged?"))
    })
}

fn open_sheet(bytes: &[u8], xls: bool, sheet: Option<&str>) -> Result<Sheet> {
    let mut book = open_book(bytes, xls)?;
    let all = book.sheet_names();
    let name = match sheet {
        Some(wanted) => all
            .iter()
            .find(|n| *n == wanted)
            .or_else(|| {
                all.iter()
                    .find(|n| n.trim().eq_ignore_ascii_case(wanted.trim()))
            })
            .or_else(|| {
                let pos: usize = wanted.trim().parse().ok()?;
                all.get(pos.checked_sub(1)?)
            })
            .cloned()
            .ok_or_else(|| {
                Error::recipe(
                    "input.sheet",
                    format!(
                        "the workbook has no sheet {wanted:?}; its sheets are {}",
                        quoted_list(&all)
                    ),
                )
            })?,
        None => all
            .first()
            .cloned()
            .ok_or_else(|| Error::UnsupportedFormat("the workbook has no sheets".into()))?,
    };
    let range = book.worksheet_range(&name).map_err(|e| {
        Error::UnsupportedFormat(format!("cannot read sheet {name:?} of the workbook ({e})"))
    })?;
    Ok((all, name, range))
}

fn quoted_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn trim_trailing_empty(mut cells: Vec<String>) -> Vec<String> {
    while cells.last().is_some_and(|c| c.trim().is_empty()) {
        cells.pop();
    }
    cells
}

/// A cell as the text a CSV export of it would hold. Date cells become ISO dates so that the
/// date column needs no guessing; plain numbers keep full precision.
fn cell_text(cell: &Data) -> String {
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

/// One JSON object with its keys in file order (serde_json's own map sorts them).
struct Object(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Object {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Object;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object (one record)")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Object, A::Error> {
                let mut fields = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Value>()? {
                    fields.push((k, v));
                }
                Ok(Object(fields))
            }
        }
        d.deserialize_map(V)
    }
}

/// A top-level JSON value: an array of records or one record.
enum Top {
    Array(Vec<Object>),
    One(Object),
}

impl<'de> Deserialize<'de> for Top {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Top;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of objects or an object per line")
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Top, A::Error> {
                let mut out = Vec::new();
                while let Some(o) = seq.next_element::<Object>()? {
                    out.push(o);
                }
                Ok(Top::Array(out))
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Top, A::Error> {
                let mut fields = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Value>()? {
                    fields.push((k, v));
                }
                Ok(Top::One(Object(fields)))
            }
        }
        d.deserialize_any(V)
    }
}

/// Whether the JSON was one array or a sequence of objects (NDJSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum JsonShape {
    /// `[{...}, {...}]`
    Array,
    /// One object per line.
    Lines,
}

/// Reads JSON records: the header is every key in order of first appearance.
pub(super) fn read_json(text: &str, sink: &mut dyn RecordSink) -> Result<JsonShape> {
    let mut objects: Vec<Object> = Vec::new();
    let mut shape = None;
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Top>();
    loop {
        let offset = stream.byte_offset();
        let Some(next) = stream.next() else { break };
        let top = next.map_err(|e| json_error(text, offset, &e))?;
        match (top, shape) {
            (Top::Array(list), None) => {
                objects = list;
                shape = Some(JsonShape::Array);
            }
            (Top::One(o), None | Some(JsonShape::Lines)) => {
                objects.push(o);
                shape = Some(JsonShape::Lines);
            }
            (_, Some(_)) => {
                return Err(Error::UnsupportedFormat(
                    "the JSON has more than one top-level array; expected one array of objects or one object per line".into(),
                ))
            }
        }
    }
    let Some(shape) = shape else {
        return Err(Error::EmptyInput);
    };
    let mut header: Vec<String> = Vec::new();
    let mut index: rustc_hash::FxHashMap<String, usize> = rustc_hash::FxHashMap::default();
    for o in &objects {
        for (k, _) in &o.0 {
            if !index.contains_key(k) {
                index.insert(k.clone(), header.len());
                header.push(k.clone());
            }
        }
    }
    if header.is_empty() {
        return Err(if objects.is_empty() {
            Error::EmptyInput
        } else {
            Error::UnsupportedFormat("the JSON objects have no keys".into())
        });
    }
    sink.header(header.iter().map(|h| h.trim().to_string()).collect())?;
    let mut cells = vec![String::new(); header.len()];
    for (i, o) in objects.iter().enumerate() {
        cells.iter_mut().for_each(String::clear);
        for (k, v) in &o.0 {
            if let Some(cell) = index.get(k).and_then(|&ix| cells.get_mut(ix)) {
                *cell = value_text(v);
            }
        }
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        // Numbered as a sheet would show them: the keys are row 1, the first object row 2.
        sink.record(i as u64 + 2, &refs)?;
    }
    Ok(shape)
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// A JSON syntax error as a row error: the line of the problem, as the user's editor shows it.
fn json_error(text: &str, offset: usize, e: &serde_json::Error) -> Error {
    let line = if e.line() > 0 {
        e.line()
    } else {
        text.get(..offset)
            .map_or(1, |t| t.matches('\n').count() + 1)
    };
    Error::BadRow {
        row: line as u64,
        column: None,
        message: format!("invalid JSON: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Collect {
        header: Vec<String>,
        rows: Vec<(u64, Vec<String>)>,
    }

    impl RecordSink for Collect {
        fn header(&mut self, names: Vec<String>) -> Result<()> {
            self.header = names;
            Ok(())
        }
        fn record(&mut self, row: u64, fields: &[&str]) -> Result<()> {
            self.rows
                .push((row, fields.iter().map(|s| s.to_string()).collect()));
            Ok(())
        }
    }

    #[test]
    fn json_array_keeps_key_order_and_fills_gaps() {
        let mut c = Collect::default();
        let shape = read_json(
            r#"[{"id":"A","amount":1.5,"date":"2024-01-02"},{"id":"B","date":"2024-01-03","vip":true,"amount":null}]"#,
            &mut c,
        )
        .unwrap();
        assert_eq!(shape, JsonShape::Array);
        assert_eq!(c.header, ["id", "amount", "date", "vip"]);
        assert_eq!(
            c.rows[0],
            (
                2,
                vec!["A".into(), "1.5".into(), "2024-01-02".into(), String::new()]
            )
        );
        assert_eq!(c.rows[1].1, ["B", "", "2024-01-03", "true"]);
    }

    #[test]
    fn ndjson_and_errors() {
        let mut c = Collect::default();
        let shape = read_json("{\"a\":1}\n\n{\"a\":2,\"b\":\"x\"}\n", &mut c).unwrap();
        assert_eq!(shape, JsonShape::Lines);
        assert_eq!(c.header, ["a", "b"]);
        assert_eq!(c.rows.len(), 2);
        let e = read_json("{\"a\":1}\n{\"a\":2,}\n", &mut Collect::default()).unwrap_err();
        assert_eq!(e.row(), Some(2), "{e}");
        let e = read_json("[1,2]", &mut Collect::default()).unwrap_err();
        assert_eq!(e.code(), "bad_row");
        let e = read_json("[]", &mut Collect::default()).unwrap_err();
        assert_eq!(e, Error::EmptyInput);
    }
}
