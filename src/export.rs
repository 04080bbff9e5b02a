//! Exports of a run: the customer list as CSV or as an Excel workbook (`.xlsx`), and `report.json`,
//! each optionally with chosen columns dropped and the customer id replaced by a keyed pseudonym
//! ([`ExportOptions`]).
//!
//! Every face exports through here, so the CLI's and the page's files agree byte for byte under the
//! same options. The workbook holds exactly the rows and columns of the CSV: numeric columns become
//! number cells, every other cell a string cell. A string cell is never evaluated as a formula, so
//! text is written as it is (an id `-2+3` or `=SUM(A1)` stays intact); the CSV, which a spreadsheet
//! does evaluate on opening, keeps the leading-apostrophe guard of [`crate::report::safe_cell`].

use std::collections::BTreeSet;

use rust_xlsxwriter::{Format, Workbook};

use crate::error::{Error, Result};
use crate::format::{CellKind, CsvColumn};
use crate::pseudonym::{scrub_text, Pseudonymiser};
use crate::report::Report;

/// How an export is written. The default writes everything as it is.
///
/// Neither the passphrase nor the options are kept in the recipe or in `report.json`; a
/// pseudonymised `report.json` says only that it is (`export.pseudonymised`) and which columns were
/// dropped.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Replace `customer_id` by its keyed pseudonym (in the list and in `report.json`).
    pub pseudonymiser: Option<Pseudonymiser>,
    /// Customer-list columns left out, by their `customers.csv` names.
    pub drop_columns: Vec<String>,
}

impl ExportOptions {
    /// Options from a passphrase (`None`: no pseudonyms; an empty one is refused) and column names
    /// to drop. Names are trimmed, empty ones ignored, and kept sorted and once each, so the same
    /// choice gives the same `report.json` on every face whatever order it was made in.
    pub fn new(passphrase: Option<&str>, drop_columns: &[String]) -> Result<ExportOptions> {
        let pseudonymiser = passphrase.map(Pseudonymiser::new).transpose()?;
        let drop_columns: Vec<String> = drop_columns
            .iter()
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect::<BTreeSet<String>>()
            .into_iter()
            .collect();
        Ok(ExportOptions {
            pseudonymiser,
            drop_columns,
        })
    }

    /// Whether the export is written as it is.
    pub fn is_plain(&self) -> bool {
        self.pseudonymiser.is_none() && self.drop_columns.is_empty()
    }
}

/// Applies `options` to the customer-list columns: refuses a dropped name that is not a column
/// (naming the columns there are), leaves dropped columns out, and writes `customer_id` as its
/// pseudonym.
pub fn apply<'a>(
    columns: Vec<CsvColumn<'a>>,
    ids: &'a [String],
    options: &'a ExportOptions,
) -> Result<Vec<CsvColumn<'a>>> {
    for name in &options.drop_columns {
        if !columns.iter().any(|c| c.name == name) {
            let names: Vec<&str> = columns.iter().map(|c| c.name).collect();
            return Err(Error::InvalidExport {
                option: "dropColumns".into(),
                message: format!(
                    "the customer list has no column {name:?} (its columns: {})",
                    names.join(", ")
                ),
            });
        }
    }
    if let Some(p) = &options.pseudonymiser {
        p.check_unique(ids)?;
    }
    Ok(columns
        .into_iter()
        .filter(|c| !options.drop_columns.iter().any(|d| d == c.name))
        .map(|c| match (&options.pseudonymiser, c.name) {
            (Some(p), "customer_id") => CsvColumn {
                name: c.name,
                kind: c.kind,
                cell: Box::new(move |i| ids.get(i).map_or(String::new(), |id| p.pseudonym(id))),
            },
            _ => c,
        })
        .collect())
}

fn xlsx_error(e: &rust_xlsxwriter::XlsxError) -> Error {
    Error::InvalidState(format!("cannot write the workbook: {e}"))
}

/// Writes `rows` rows of `columns` as XLSX bytes: one sheet named `customers`, a bold frozen header
/// row, [`CellKind::Number`] cells as numbers, every other cell a string cell exactly as its text
/// (no apostrophe: a string cell is never a formula). Empty cells are left blank.
pub fn write_xlsx(columns: &[CsvColumn<'_>], rows: usize) -> Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet.set_name("customers").map_err(|e| xlsx_error(&e))?;
    for (col, c) in (0u16..).zip(columns) {
        sheet
            .write_string_with_format(0, col, c.name, &bold)
            .map_err(|e| xlsx_error(&e))?;
    }
    sheet.set_freeze_panes(1, 0).map_err(|e| xlsx_error(&e))?;
    for (row, i) in (1u32..).zip(0..rows) {
        for (col, c) in (0u16..).zip(columns) {
            let cell = (c.cell)(i);
            if cell.is_empty() {
                continue;
            }
            match (c.kind, cell.parse::<f64>()) {
                (CellKind::Number, Ok(v)) if v.is_finite() => sheet.write_number(row, col, v),
                _ => sheet.write_string(row, col, &cell),
            }
            .map_err(|e| xlsx_error(&e))?;
        }
    }
    if !columns.is_empty() {
        sheet.set_column_width(0, 18).map_err(|e| xlsx_error(&e))?;
    }
    workbook.save_to_buffer().map_err(|e| xlsx_error(&e))
}

/// Writes `rows` rows of `columns` as JSON records, one object a line: the rows and columns of
/// the CSV from the same column table, [`CellKind::Number`] cells as JSON numbers (an empty one as
/// `null`), every other cell a string exactly as its text (JSON is never evaluated, so no
/// apostrophe guard).
pub fn write_json(columns: &[CsvColumn<'_>], rows: usize) -> Vec<u8> {
    let mut out = String::from("[");
    for i in 0..rows {
        let mut record = serde_json::Map::new();
        for c in columns {
            let cell = (c.cell)(i);
            let value = match c.kind {
                CellKind::Number if cell.is_empty() => serde_json::Value::Null,
                // Integers as integers (`12`, not `12.0`), as the CSV writes them.
                CellKind::Number => cell
                    .parse::<i64>()
                    .ok()
                    .map(serde_json::Number::from)
                    .or_else(|| {
                        cell.parse::<f64>()
                            .ok()
                            .and_then(serde_json::Number::from_f64)
                    })
                    .map_or(serde_json::Value::String(cell), serde_json::Value::Number),
                CellKind::Text | CellKind::Plain => serde_json::Value::String(cell),
            };
            record.insert(c.name.to_string(), value);
        }
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str(&serde_json::Value::Object(record).to_string());
    }
    out.push_str("\n]\n");
    out.into_bytes()
}

/// `report.json` under `options`: without pseudonyms, the report as it is plus the dropped columns.
/// With pseudonyms no raw customer id is left in it: the moved customers of `codes.changes` carry
/// pseudonyms, the example cell values of `rows_rejected` and `flags` are removed (their row numbers
/// stay: they point into the user's own file), and an id quoted as a whole token in a warning or a
/// decision's evidence is replaced by its pseudonym.
pub fn scrub_report(report: &Report, ids: &[String], options: &ExportOptions) -> Report {
    let mut r = report.clone();
    let Some(p) = &options.pseudonymiser else {
        return r;
    };
    let known: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
    // Messages quote values with `{:?}`, which escapes quotes, backslashes and invisible characters
    // (`"a\u{200b}b"`): such an id is not a plain token in the text, so its quoted form is replaced.
    let escaped: Vec<(String, String)> = ids
        .iter()
        .filter_map(|id| {
            let debug = format!("{id:?}");
            (debug != format!("\"{id}\"")).then(|| (debug, format!("\"{}\"", p.pseudonym(id))))
        })
        .collect();
    let scrub = |text: &str| -> String {
        let mut out = scrub_text(text, &known, p);
        for (from, to) in &escaped {
            if out.contains(from.as_str()) {
                out = out.replace(from.as_str(), to);
            }
        }
        out
    };
    for m in &mut r.codes.changes.moved_examples {
        m.customer_id = p.pseudonym(&m.customer_id);
    }
    for rejection in r.rows_rejected.values_mut().chain(r.flags.values_mut()) {
        rejection.examples.clear();
    }
    for w in &mut r.warnings {
        *w = w.map_text(scrub);
    }
    for d in &mut r.input.decisions {
        d.evidence = scrub(&d.evidence);
        for v in d.evidence_params.values_mut() {
            *v = scrub(v);
        }
        d.value = scrub(&d.value);
        if let Some(w) = &mut d.warning {
            *w = w.map_text(scrub);
        }
    }
    r
}

/// What `report.json` says about the export options it was written under: its last key, `export`,
/// absent when the export is plain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportNote {
    /// Customer ids are keyed pseudonyms (HMAC-SHA-256, see [`crate::pseudonym`]).
    pub pseudonymised: bool,
    /// Customer-list columns left out.
    pub dropped_columns: Vec<String>,
}
