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
use crate::pipeline::Analysis;
use crate::pseudonym::{scrub_text, Pseudonymiser};
use crate::report::{customer_columns_with, write_csv, CellKind, CsvColumn, Report};

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
        d.value = scrub(&d.value);
        if let Some(w) = &mut d.warning {
            *w = scrub(w);
        }
    }
    r
}

/// What `report.json` says about the export options it was written under: its last key, `export`,
/// absent when the export is plain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExportNote {
    /// Customer ids are keyed pseudonyms (HMAC-SHA-256, see [`crate::pseudonym`]).
    pub pseudonymised: bool,
    /// Customer-list columns left out.
    pub dropped_columns: Vec<String>,
}

impl Analysis {
    /// The customer list as CSV under `options` (UTF-8, no BOM, CRLF); with default options
    /// byte-identical to [`Analysis::customers_csv`].
    pub fn customers_csv_for(&self, options: &ExportOptions) -> Result<Vec<u8>> {
        let columns = customer_columns_with(
            &self.customers,
            &self.scores,
            &self.classes,
            self.clusters.as_ref(),
        );
        let columns = apply(columns, &self.customers.ids, options)?;
        Ok(write_csv(&columns, self.customers.len()))
    }

    /// The customer list as an Excel workbook under `options`: the rows and columns of
    /// [`Analysis::customers_csv_for`], text unguarded in string cells.
    pub fn customers_xlsx_for(&self, options: &ExportOptions) -> Result<Vec<u8>> {
        let columns = customer_columns_with(
            &self.customers,
            &self.scores,
            &self.classes,
            self.clusters.as_ref(),
        );
        let columns = apply(columns, &self.customers.ids, options)?;
        write_xlsx(&columns, self.customers.len())
    }

    /// `report.json` text under `options` (see [`scrub_report`]); with default options identical to
    /// [`Analysis::report_json`].
    pub fn report_json_for(&self, options: &ExportOptions) -> String {
        if options.is_plain() {
            return self.report_json();
        }
        /// The report with the export note as its last key.
        #[derive(serde::Serialize)]
        struct Noted<'a> {
            #[serde(flatten)]
            report: &'a Report,
            export: ExportNote,
        }
        let report = scrub_report(&self.report, &self.customers.ids, options);
        let noted = Noted {
            report: &report,
            export: ExportNote {
                pseudonymised: options.pseudonymiser.is_some(),
                dropped_columns: options.drop_columns.clone(),
            },
        };
        serde_json::to_string_pretty(&noted).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analysis(csv: &str) -> Analysis {
        crate::segment(csv.as_bytes(), &crate::Recipe::default()).unwrap()
    }

    #[test]
    fn unknown_dropped_column_is_refused_by_name() {
        let a = analysis("customer_id,date,amount\nA,2024-01-01,10\nB,2024-01-05,30\n");
        let o = ExportOptions::new(None, &["phone".into()]).unwrap();
        let e = a.customers_csv_for(&o).unwrap_err();
        assert_eq!(e.code(), "invalid_export");
        assert!(e.to_string().contains("\"phone\""), "{e}");
    }

    #[test]
    fn ids_quoted_in_warnings_and_decisions_become_pseudonyms() {
        // The ids are given as the list the report is scrubbed against (not read from a file, so the
        // test does not depend on how ingest treats invisible characters).
        let a = analysis("customer_id,date,amount\nA1,2024-01-01,10\nB,2024-01-05,30\n");
        let mut report = a.report.clone();
        let odd = "b\u{200b}c";
        let ids = vec!["A1".to_string(), odd.to_string()];
        report.warnings.push(crate::warning::Warning::decision(
            "customerIds",
            &format!("ids \"A1\" and {odd:?} look alike"),
        ));
        report.input.decisions.push(
            crate::ingest::Decision::new(
                "customerIds",
                "kept",
                crate::ingest::decision::Basis::File,
                "A1, AX",
                "input.ids",
            )
            .warn(format!("{odd:?} has an invisible character")),
        );
        let o = ExportOptions::new(Some("k"), &[]).unwrap();
        let p = o.pseudonymiser.clone().unwrap();
        let r = scrub_report(&report, &ids, &o);
        let (pa, pb) = (p.pseudonym("A1"), p.pseudonym(odd));
        assert_eq!(
            r.warnings.last().unwrap().message,
            format!("ids \"{pa}\" and \"{pb}\" look alike")
        );
        let d = r.input.decisions.last().unwrap();
        assert_eq!(d.evidence, format!("{pa}, AX"));
        assert_eq!(
            d.warning.as_deref(),
            Some(format!("\"{pb}\" has an invisible character").as_str())
        );
    }

    #[test]
    fn plain_options_give_the_plain_list_and_report() {
        let a = analysis("customer_id,date,amount\nA,2024-01-01,10\nB,2024-01-05,30\n");
        let o = ExportOptions::default();
        assert_eq!(a.customers_csv_for(&o).unwrap(), a.customers_csv());
        assert_eq!(a.report_json_for(&o), a.report_json());
        assert!(!a.report_json().contains("\"export\""));
    }
}
