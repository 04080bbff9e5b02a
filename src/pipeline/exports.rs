//! The exports of an [`Analysis`] ([`crate::export`] under [`ExportOptions`]): the customer list as
//! CSV, XLSX or JSON from one column table, and `report.json` with its export note. Here, in the
//! pipeline, because `export` sits below the pipeline and knows nothing of an analysis.

use super::Analysis;
use crate::error::Result;
use crate::export::{apply, scrub_report, write_json, write_xlsx, ExportNote, ExportOptions};
use crate::format::{write_csv, CellKind, CsvColumn};
use crate::report::{customer_columns_with, Report};

impl Analysis {
    /// The one column table every customer-list export writes, under `options`.
    pub(super) fn columns_for<'a>(
        &'a self,
        options: &'a ExportOptions,
    ) -> Result<Vec<CsvColumn<'a>>> {
        apply(self.columns(), &self.customers.ids, options)
    }

    /// The customer-list column table as it is: the classes, the clustering's columns and the
    /// CLV figures last (when there are any).
    pub(crate) fn columns(&self) -> Vec<CsvColumn<'_>> {
        let mut columns = customer_columns_with(
            &self.customers,
            &self.scores,
            &self.classes,
            self.clusters.as_ref(),
        );
        if let Some(figures) = self.clv_figures() {
            columns.extend(crate::clv::columns::columns(figures));
        }
        columns
    }

    /// The customer list as CSV under `options` (UTF-8, no BOM, CRLF); with default options
    /// byte-identical to [`Analysis::customers_csv`].
    pub fn customers_csv_for(&self, options: &ExportOptions) -> Result<Vec<u8>> {
        let columns = self.columns_for(options)?;
        Ok(write_csv(&columns, self.customers.len()))
    }

    /// The customer list as an Excel workbook under `options`: the rows and columns of
    /// [`Analysis::customers_csv_for`], text unguarded in string cells.
    pub fn customers_xlsx_for(&self, options: &ExportOptions) -> Result<Vec<u8>> {
        let columns = self.columns_for(options)?;
        write_xlsx(&columns, self.customers.len())
    }

    /// The customer list as JSON records under `options` (see [`write_json`]): the rows and
    /// columns of [`Analysis::customers_csv_for`], from the same column table.
    pub fn customers_json_for(&self, options: &ExportOptions) -> Result<Vec<u8>> {
        let columns = self.columns_for(options)?;
        Ok(write_json(&columns, self.customers.len()))
    }

    /// The customer-list columns with their kinds (`number`, `text`, `plain`), in order.
    pub fn customer_column_kinds(&self) -> Vec<(&'static str, &'static str)> {
        self.columns()
            .iter()
            .map(|c| {
                let kind = match c.kind {
                    CellKind::Number => "number",
                    CellKind::Text => "text",
                    CellKind::Plain => "plain",
                };
                (c.name, kind)
            })
            .collect()
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
        report
            .warnings
            .push(crate::warning::Warning::customer_id_variants(
                2,
                1,
                &format!("\"A1\" / {odd:?}"),
            ));
        report.input.decisions.push(
            crate::ingest::Decision::new(
                "customerIds",
                "kept",
                crate::ingest::decision::Basis::File,
                "A1, AX",
                "input.ids",
            )
            .warn(crate::warning::Warning::role_partial(
                odd,
                "customerId",
                "customer id",
            )),
        );
        let o = ExportOptions::new(Some("k"), &[]).unwrap();
        let p = o.pseudonymiser.clone().unwrap();
        let r = scrub_report(&report, &ids, &o);
        let (pa, pb) = (p.pseudonym("A1"), p.pseudonym(odd));
        let w = r.warnings.last().unwrap();
        assert!(
            w.message.contains(&format!("(e.g. \"{pa}\" / \"{pb}\")")),
            "{w}"
        );
        assert_eq!(w.params["example"], format!("\"{pa}\" / \"{pb}\""));
        let d = r.input.decisions.last().unwrap();
        assert_eq!(d.evidence, format!("{pa}, AX"));
        let w = d.warning.as_ref().unwrap();
        assert!(
            w.message
                .starts_with(&format!("\"{pb}\" is used as the customer id")),
            "{w}"
        );
        assert!(!w.params.values().any(|v| v.contains(odd)), "{w:?}");
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
