//! Workbooks with several sheets (issue 10, case 7): sheets that share the first sheet's header
//! are read together, with continuing row numbers; other sheets are named in a warning; the
//! recipe's `input.sheet` takes a name, a position, a list or `"*"`.
//!
//! The fixture `tests/fixtures/realworld/quarterly.xlsx` is written by the ignored test
//! `write_quarterly_fixture` (`cargo test --test sheets -- --ignored`); its expected per-customer
//! figures, `quarterly.expected.csv`, come from `oracle_sheets.py`, an independent reader of the
//! XLSX (python3 standard library: zipfile and xml.etree) that knows nothing of tierlens.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::float_cmp
)]

use std::collections::BTreeMap;

use tierlens::{Analysis, Recipe};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/realworld");

/// One order: customer id, (year, month, day), amount.
type Order = (String, (u16, u8, u8), f64);

/// The eight quarters of 2023 and 2024, each a sheet `Q1`…`Q8` with the header
/// 客户ID, 订单日期, 实付金额 and these orders (no order id: one order per customer and day):
/// - C001 on the 5th of each quarter's first month, 100;
/// - C002 on the 12th of the second month in quarters 1, 3, 5 and 7, 250;
/// - one new customer per quarter, C003 … C010, on the 20th of the third month, 10 × quarter.
///
/// A ninth sheet `Notes` has another layout.
fn quarterly_rows() -> Vec<Vec<Order>> {
    (0..8u8)
        .map(|q| {
            let year = 2023 + u16::from(q / 4);
            let month = 3 * (q % 4) + 1;
            let mut rows = vec![("C001".to_string(), (year, month, 5), 100.0)];
            if q % 2 == 0 {
                rows.push(("C002".to_string(), (year, month + 1, 12), 250.0));
            }
            rows.push((
                format!("C{:03}", q + 3),
                (year, month + 2, 20),
                10.0 * f64::from(q + 1),
            ));
            rows
        })
        .collect()
}

/// The quarterly workbook: dates as date cells (or as ISO text), and optionally the amount of
/// one (sheet index, row) replaced by `"n/a"`.
fn write_quarters(date_cells: bool, bad: Option<(usize, u32)>) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (q, rows) in quarterly_rows().iter().enumerate() {
        let ws = wb.add_worksheet();
        ws.set_name(format!("Q{}", q + 1)).unwrap();
        ws.write(0, 0, "客户ID").unwrap();
        ws.write(0, 1, "订单日期").unwrap();
        ws.write(0, 2, "实付金额").unwrap();
        for (r, (id, (y, m, d), amount)) in (1u32..).zip(rows) {
            ws.write(r, 0, id.as_str()).unwrap();
            if date_cells {
                let dt = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                ws.write_datetime_with_format(r, 1, &dt, &date).unwrap();
            } else {
                ws.write(r, 1, format!("{y:04}-{m:02}-{d:02}").as_str())
                    .unwrap();
            }
            if bad == Some((q, r)) {
                ws.write(r, 2, "n/a").unwrap();
            } else {
                ws.write(r, 2, *amount).unwrap();
            }
        }
    }
    let notes = wb.add_worksheet();
    notes.set_name("Notes").unwrap();
    notes.write(0, 0, "说明").unwrap();
    notes.write(1, 0, "每季度一张表，金额单位：元").unwrap();
    wb.save_to_buffer().unwrap()
}

/// The committed quarterly.xlsx is what `write_quarters` makes: read both, the figures agree. With
/// `TIERLENS_BLESS=1` the fixture is rewritten first (after changing `quarterly_rows`). The bytes are
/// not compared because an XLSX carries its creation time.
#[test]
fn committed_fixture_is_the_generators() {
    let fresh = write_quarters(true, None);
    if std::env::var_os("TIERLENS_BLESS").is_some() {
        std::fs::write(format!("{DIR}/quarterly.xlsx"), &fresh).unwrap();
    }
    let recipe = Recipe::from_json("{}").unwrap();
    let from_file = tierlens::segment(&quarterly(), &recipe).unwrap();
    let from_generator = tierlens::segment(&fresh, &recipe).unwrap();
    assert_eq!(figures(&from_file), figures(&from_generator));
    assert!(!figures(&from_file).is_empty());
}

fn quarterly() -> Vec<u8> {
    std::fs::read(format!("{DIR}/quarterly.xlsx")).unwrap()
}

fn run(recipe: &str) -> Analysis {
    tierlens::segment(&quarterly(), &Recipe::from_json(recipe).unwrap()).unwrap()
}

/// customer → (recency days, frequency, monetary)
fn figures(a: &Analysis) -> BTreeMap<String, (i32, u32, f64)> {
    let c = &a.customers;
    (0..c.len())
        .map(|i| {
            (
                c.ids[i].clone(),
                (c.recency_days[i], c.frequency[i], c.monetary[i]),
            )
        })
        .collect()
}

/// The oracle's figures (quarterly.expected.csv: customer_id,recency_days,frequency,monetary).
fn expected() -> BTreeMap<String, (i32, u32, f64)> {
    let text = std::fs::read_to_string(format!("{DIR}/quarterly.expected.csv")).unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[0].to_string(),
                (
                    f[1].parse().unwrap(),
                    f[2].parse().unwrap(),
                    f[3].parse().unwrap(),
                ),
            )
        })
        .collect()
}

#[test]
fn quarterly_sheets_are_read_together_and_the_notes_sheet_is_named() {
    let a = run("{}");
    // 20 orders over eight sheets: today's reader took only Q1's 3 (15 %).
    assert_eq!(a.report.rows_used, 20);
    assert_eq!(figures(&a), expected());
    // By hand: as of 2024-12-21 (the day after C010's order on 2024-12-20), C001's last order is
    // 2024-10-05 (77 days), C002's 2024-08-12 (131 days).
    let f = figures(&a);
    assert_eq!(f["C001"], (77, 8, 800.0));
    assert_eq!(f["C002"], (131, 4, 1000.0));
    assert_eq!(f["C010"], (1, 1, 80.0));
    assert_eq!(a.report.as_of, "2024-12-21");

    let d = a.report.input.detected.as_ref().unwrap();
    let names: Vec<&str> = d.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8"]);
    // Continuing row numbers: Q1 is rows 1–4 (header and three orders), Q2 (header and two
    // orders) starts after it at 5, and so on; the offset maps back to the sheet's own rows.
    let spans: Vec<(u64, u64, u64)> = d
        .sheets
        .iter()
        .map(|s| (s.first_row, s.last_row, s.row_offset))
        .collect();
    assert_eq!(
        spans,
        [
            (1, 4, 0),
            (5, 7, 4),
            (8, 11, 7),
            (12, 14, 11),
            (15, 18, 14),
            (19, 21, 18),
            (22, 25, 21),
            (26, 28, 25)
        ]
    );
    let decision = a
        .report
        .input
        .decisions
        .iter()
        .find(|d| d.code == "sheets")
        .unwrap();
    assert_eq!(decision.key, "input.sheet");
    assert_eq!(
        decision.evidence,
        "9 sheets; 8 share the header of 'Q1'; 'Notes' has another layout and was not read"
    );
    let warning = decision
        .warning
        .as_ref()
        .map(|w| w.message.as_str())
        .unwrap();
    assert!(a.report.warnings.iter().any(|w| w.message == warning));
    assert!(warning.contains("'Notes' not read"), "{warning}");
}

#[test]
fn row_numbers_identify_rows_across_sheets() {
    // Amounts that cannot be read are set aside with their row: an amount of "n/a" in Q3's
    // third order (sheet row 4) is continuing row 7 + 4 = 11. Made from the fixture's rows by
    // writing a new workbook with one cell changed.
    let bytes = write_quarters(false, Some((2, 3)));
    let a = tierlens::segment(&bytes, &Recipe::default()).unwrap();
    assert_eq!(a.report.rows_used, 19);
    assert_eq!(a.report.rows_rejected["bad_amount"].rows, [11]);
    // The header rows of sheets 2..4 are counted too, at their continuing numbers.
    assert_eq!(a.report.rows_rejected["preamble"].rows, [5, 8, 12, 15, 19]);
}

#[test]
fn the_recipe_chooses_sheets() {
    // One sheet by name: only Q2's two orders (C001 on 2023-04-05, C004 on 2023-06-20).
    let a = run(r#"{"input": {"sheet": "Q2"}}"#);
    assert_eq!(a.report.rows_used, 2);
    assert_eq!(a.customers.ids, ["C001", "C004"]);
    assert_eq!(a.report.as_of, "2023-06-21");
    let d = a.report.input.detected.as_ref().unwrap();
    assert_eq!(d.sheets[0].row_offset, 0);
    // A list by position and name: Q1 and Q8 (3 + 2 orders), numbered in the order given.
    let a = run(r#"{"input": {"sheet": [8, "Q1"]}}"#);
    assert_eq!(a.report.rows_used, 5);
    let d = a.report.input.detected.as_ref().unwrap();
    assert_eq!(d.sheets[0].name, "Q8");
    assert_eq!(d.sheets[1].name, "Q1");
    assert_eq!(d.sheets[1].row_offset, 3);
    assert!(a
        .report
        .warnings
        .iter()
        .all(|w| !w.message.contains("sheet")));
    // "*" must share one header: Notes does not.
    let e = tierlens::segment(
        &quarterly(),
        &Recipe::from_json(r#"{"input": {"sheet": "*"}}"#).unwrap(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_recipe");
    assert!(e.to_string().contains("input.sheet"), "{e}");
    assert!(e.to_string().contains("'Notes'"), "{e}");
    // The notes sheet alone has no customer column.
    let e = tierlens::segment(
        &quarterly(),
        &Recipe::from_json(r#"{"input": {"sheet": 9}}"#).unwrap(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "missing_column", "{e}");
}

/// Everything the reader hands on, to check the sink calls themselves.
#[derive(Default)]
struct Calls {
    header: Vec<String>,
    records: Vec<u64>,
    preamble: Vec<(u64, Vec<String>)>,
}

impl tierlens::ingest::RecordSink for Calls {
    fn header(&mut self, names: Vec<String>) -> tierlens::Result<()> {
        self.header = names;
        Ok(())
    }
    fn record(&mut self, row: u64, _fields: &[&str]) -> tierlens::Result<()> {
        self.records.push(row);
        Ok(())
    }
    fn preamble(&mut self, row: u64, fields: &[&str]) -> tierlens::Result<()> {
        self.preamble
            .push((row, fields.iter().map(|s| s.to_string()).collect()));
        Ok(())
    }
}

#[test]
fn later_headers_are_preamble_rows_and_records_carry_continuing_numbers() {
    let mut ingestor = tierlens::ingest::Ingestor::new(Default::default());
    let mut calls = Calls::default();
    ingestor.push(&quarterly(), &mut calls).unwrap();
    ingestor.finish(&mut calls).unwrap();
    assert_eq!(calls.header, ["客户ID", "订单日期", "实付金额"]);
    // The header rows of Q2…Q8 (their own row 1) at their continuing numbers (offset + 1).
    let rows: Vec<u64> = calls.preamble.iter().map(|(r, _)| *r).collect();
    assert_eq!(rows, [5, 8, 12, 15, 19, 22, 26]);
    assert!(calls.preamble.iter().all(|(_, f)| f == &calls.header));
    // Every other row of the spans is a record: 28 rows, 8 headers.
    let mut all: Vec<u64> = calls.records.clone();
    all.extend(&rows);
    all.push(1);
    all.sort_unstable();
    assert_eq!(all, (1..=28).collect::<Vec<u64>>());
}
