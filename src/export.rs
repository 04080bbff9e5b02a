//! Spreadsheet export: the customer list as an Excel workbook (`.xlsx`).
//!
//! The workbook holds exactly the rows and columns of `customers.csv` (so every face exports the same
//! list): numeric columns become numbers, every other cell a text cell. Text cells are never formulas
//! in XLSX, and they keep the CSV's formula-injection guard (a leading apostrophe) so the two exports
//! agree cell by cell.

use rust_xlsxwriter::{Format, Workbook};

use crate::error::{Error, Result};

/// Columns of `customers.csv` written as numbers rather than text.
const NUMERIC: [&str; 10] = [
    "recency_days",
    "frequency",
    "monetary",
    "r_score",
    "f_score",
    "m_score",
    "aov",
    "tenure_days",
    "cluster",
    "mean_gap_days",
];

fn xlsx_error(e: &rust_xlsxwriter::XlsxError) -> Error {
    Error::InvalidState(format!("cannot write the workbook: {e}"))
}

/// Converts the customer-list CSV (as written by [`crate::report::customers_csv`]) into XLSX bytes:
/// one sheet named `customers`, a bold frozen header row, numeric columns as numbers.
pub fn customers_xlsx(csv_bytes: &[u8]) -> Result<Vec<u8>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(csv_bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| Error::InvalidState(format!("customer list: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let numeric: Vec<bool> = header
        .iter()
        .map(|h| NUMERIC.contains(&h.as_str()))
        .collect();
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet.set_name("customers").map_err(|e| xlsx_error(&e))?;
    for (col, name) in (0u16..).zip(&header) {
        sheet
            .write_string_with_format(0, col, name, &bold)
            .map_err(|e| xlsx_error(&e))?;
    }
    sheet.set_freeze_panes(1, 0).map_err(|e| xlsx_error(&e))?;
    for (row, record) in (1u32..).zip(reader.records()) {
        let record = record.map_err(|e| Error::InvalidState(format!("customer list: {e}")))?;
        for ((col, cell), is_number) in (0u16..).zip(record.iter()).zip(&numeric) {
            if cell.is_empty() {
                continue;
            }
            match cell.parse::<f64>() {
                Ok(v) if *is_number => sheet.write_number(row, col, v),
                _ => sheet.write_string(row, col, cell),
            }
            .map_err(|e| xlsx_error(&e))?;
        }
    }
    sheet.set_column_width(0, 16).map_err(|e| xlsx_error(&e))?;
    workbook.save_to_buffer().map_err(|e| xlsx_error(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_list_becomes_a_zip_workbook() {
        let csv = b"customer_id,recency_days,segment\r\nA,3,Champions\r\n'=1+1,4,Lost\r\n";
        let bytes = customers_xlsx(csv).unwrap();
        assert_eq!(&bytes[..2], b"PK");
        assert!(bytes.len() > 1000);
    }
}
