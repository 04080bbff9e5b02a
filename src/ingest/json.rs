//! JSON read whole at `finish`: an array of objects, or newline-delimited objects (NDJSON). The
//! header is every key in order of first appearance; records go to the same [`RecordSink`] as
//! delimited text.
//!
//! Bounds: at most [`MAX_COLUMNS`] distinct keys. Every record is written out over the whole
//! header, so a file with a new key on every line cost lines × keys (quadratic: 60 000 lines took
//! 35 s and 1.4 GB); with the cap the cost is linear in the file, and a file past it is refused
//! with the line where the key that crossed it appears.

use std::fmt;

use rustc_hash::FxHashMap;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::RecordSink;
use crate::error::{Error, Result};

/// Most distinct keys (columns) a JSON input may have.
pub const MAX_COLUMNS: usize = 1024;

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

/// Counts lines incrementally: each byte of the text is looked at once over the whole read.
struct LineCounter<'a> {
    text: &'a str,
    at: usize,
    line: usize,
}

impl LineCounter<'_> {
    /// The 1-based line of the first non-blank character at or after byte `offset` (offsets only
    /// grow).
    fn line_at(&mut self, offset: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut end = offset.max(self.at);
        while bytes.get(end).is_some_and(u8::is_ascii_whitespace) {
            end += 1;
        }
        if let Some(gap) = bytes.get(self.at..end) {
            self.line += gap.iter().filter(|&&b| b == b'\n').count();
        }
        self.at = end;
        self.line
    }
}

/// Reads JSON records: the header is every key in order of first appearance.
pub(super) fn read_json(text: &str, sink: &mut dyn RecordSink) -> Result<JsonShape> {
    let mut objects: Vec<Object> = Vec::new();
    // For NDJSON, the line each object starts on (for errors about that object).
    let mut lines: Vec<usize> = Vec::new();
    let mut counter = LineCounter {
        text,
        at: 0,
        line: 1,
    };
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
                lines.push(counter.line_at(offset));
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
    let mut index: FxHashMap<&str, usize> = FxHashMap::default();
    for (i, o) in objects.iter().enumerate() {
        for (k, _) in &o.0 {
            if index.contains_key(k.as_str()) {
                continue;
            }
            if header.len() >= MAX_COLUMNS {
                return Err(too_many_keys(shape, i, lines.get(i).copied(), k));
            }
            index.insert(k.as_str(), header.len());
            header.push(k.clone());
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
            if let Some(cell) = index.get(k.as_str()).and_then(|&ix| cells.get_mut(ix)) {
                *cell = value_text(v);
            }
        }
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        // Numbered as a sheet would show them: the keys are row 1, the first object row 2.
        sink.record(i as u64 + 2, &refs)?;
    }
    Ok(shape)
}

/// The error for the key that takes the header past [`MAX_COLUMNS`]: for NDJSON its line in the
/// file (as JSON syntax errors are), for an array its record's row.
fn too_many_keys(shape: JsonShape, record: usize, line: Option<usize>, key: &str) -> Error {
    let (row, place) = match (shape, line) {
        (JsonShape::Lines, Some(line)) => (line as u64, format!("line {line}")),
        _ => (
            record as u64 + 2,
            format!("record {} of the array", record + 1),
        ),
    };
    Error::BadRow {
        row,
        column: None,
        message: format!(
            "too many columns: key {key:?} on {place} is the JSON's {}th distinct key; at most {MAX_COLUMNS} are read (is a value used as a key?)",
            MAX_COLUMNS + 1
        ),
    }
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

    /// NDJSON whose line `n` (1-based) has the keys `id` and `k{n}`, after `blank` empty lines.
    fn new_key_lines(n: usize, blank: usize) -> String {
        let mut text = "\n".repeat(blank);
        for i in 1..=n {
            text.push_str(&format!("{{\"id\":\"c{i}\",\"k{i}\":{i}}}\n"));
        }
        text
    }

    #[test]
    fn distinct_keys_are_capped_naming_the_line() {
        // id plus 1 023 new keys is exactly the cap: read, every record over 1 024 columns.
        let mut c = Collect::default();
        read_json(&new_key_lines(MAX_COLUMNS - 1, 0), &mut c).unwrap();
        assert_eq!(c.header.len(), MAX_COLUMNS);
        assert_eq!(c.rows.len(), MAX_COLUMNS - 1);
        assert_eq!(c.rows[5].1[6], "6", "k6 is the 7th column");
        // One more line is one key too many: the error names that line, counted past two blank
        // lines at the top (line = blank lines + 1 024).
        let e = read_json(&new_key_lines(MAX_COLUMNS, 2), &mut Collect::default()).unwrap_err();
        assert_eq!(e.code(), "bad_row");
        assert_eq!(e.row(), Some(MAX_COLUMNS as u64 + 2), "{e}");
        assert!(e.to_string().contains("line 1026"), "{e}");
        assert!(e.to_string().contains("\"k1024\""), "{e}");
        // In an array, the record is named.
        let arr = format!(
            "[{}]",
            (0..=MAX_COLUMNS)
                .map(|i| format!("{{\"k{i}\":1}}"))
                .collect::<Vec<_>>()
                .join(",")
        );
        let e = read_json(&arr, &mut Collect::default()).unwrap_err();
        assert!(e.to_string().contains("record 1025 of the array"), "{e}");
    }

    #[test]
    fn sixty_thousand_new_keys_fail_fast() {
        // The hostile case of issue 10: quadratic before (35 s, 1.4 GB); now refused at line 1 024
        // after one linear parse. Timed loosely: debug builds on a shared machine.
        let text = new_key_lines(60_000, 0);
        let t = std::time::Instant::now();
        let e = read_json(&text, &mut Collect::default()).unwrap_err();
        assert!(e.to_string().contains("line 1024"), "{e}");
        assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
    }
}
