//! The page's multi-sheet fixture, made with rust_xlsxwriter (openpyxl is not on the machine):
//! tests/fixtures/realworld/page_sheets.xlsx has two sheets of one layout (`2024-Q1`, `2024-Q2`) and a
//! `Notes` sheet of free text, the shape of issue 10 case 7. The e2e test tests/e2e/exports.test.mjs
//! opens it on the page and expects the `sheets` decision's warning to name `Notes`.
//!
//! The test checks the committed file holds exactly these cells (read back with calamine); run it with
//! `TIERLENS_WRITE_FIXTURES=1` to write the file again (the bytes carry a creation time, so they are
//! compared by content, not byte for byte).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::Workbook;

const PATH: &str = "tests/fixtures/realworld/page_sheets.xlsx";
const HEADER: [&str; 4] = ["customer_id", "order_id", "date", "amount"];

/// (sheet, rows of customer id, order id, date, amount).
fn sheets() -> Vec<(&'static str, Vec<[&'static str; 4]>)> {
    vec![
        (
            "2024-Q1",
            vec![
                ["C001", "O1", "2024-01-05", "120"],
                ["C002", "O2", "2024-02-09", "80"],
                ["C003", "O3", "2024-03-11", "60"],
            ],
        ),
        (
            "2024-Q2",
            vec![
                ["C001", "O4", "2024-04-02", "200"],
                ["C004", "O5", "2024-05-20", "40"],
                ["C002", "O6", "2024-06-28", "90"],
            ],
        ),
    ]
}

const NOTES: [&str; 2] = [
    "Exported from the shop's CRM; amounts in CNY.",
    "Q3 not closed yet.",
];

fn make() -> Vec<u8> {
    let mut wb = Workbook::new();
    for (name, rows) in sheets() {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        for (c, h) in (0u16..).zip(HEADER) {
            ws.write_string(0, c, h).unwrap();
        }
        for (r, row) in (1u32..).zip(&rows) {
            for (c, v) in (0u16..).zip(row) {
                // Amounts as numbers, everything else text (dates as ISO text, as many CRMs export).
                match v.parse::<f64>() {
                    Ok(n) if c == 3 => ws.write_number(r, c, n),
                    _ => ws.write_string(r, c, *v),
                }
                .unwrap();
            }
        }
    }
    let notes = wb.add_worksheet();
    notes.set_name("Notes").unwrap();
    for (r, line) in (0u32..).zip(NOTES) {
        notes.write_string(r, 0, line).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

fn cells(bytes: Vec<u8>) -> Vec<(String, Vec<Vec<String>>)> {
    let mut wb = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    wb.sheet_names()
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).unwrap();
            let rows = range
                .rows()
                .map(|r| {
                    r.iter()
                        .map(|c| match c {
                            Data::Float(f) => f.to_string(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect();
            (name, rows)
        })
        .collect()
}

#[test]
fn page_sheets_fixture_is_current() {
    let made = make();
    if std::env::var_os("TIERLENS_WRITE_FIXTURES").is_some() || !std::path::Path::new(PATH).exists()
    {
        std::fs::write(PATH, &made).unwrap();
    }
    let committed = std::fs::read(PATH).unwrap();
    assert_eq!(cells(committed), cells(made));
    // Independent of the generator: the layout the e2e test relies on.
    let c = cells(std::fs::read(PATH).unwrap());
    let names: Vec<&str> = c.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["2024-Q1", "2024-Q2", "Notes"]);
    assert_eq!(c[0].1[0], HEADER);
    assert_eq!(c[1].1[0], HEADER);
    assert_eq!(c[0].1.len() + c[1].1.len(), 8);
}
