//! Hostile inputs of issue 10 ("Bounds on hostile input"): each is a clear error within seconds
//! and far under 1 GB, never an abort. The XLSX files are committed, made by
//! `tests/fixtures/realworld/make_hostile.py --fixtures`; the JSON and recipe shapes are built
//! here. Time and peak memory of the full-size versions (`make_hostile.py DIR`) are measured by
//! hand with `/usr/bin/time -v target/release/tierlens segment …`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::Write;
use std::time::{Duration, Instant};

use tierlens::{Plan, Recipe};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/realworld");

/// Debug builds on a machine shared by several engineers: loose, but far below the minutes (or
/// aborts) these inputs took before.
const QUICK: Duration = Duration::from_secs(20);

fn refused(bytes: &[u8], recipe: &Recipe) -> tierlens::Error {
    let t = Instant::now();
    let e = tierlens::segment(bytes, recipe).unwrap_err();
    assert!(t.elapsed() < QUICK, "took {:?}: {e}", t.elapsed());
    e
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}/{name}")).unwrap()
}

#[test]
fn a_cell_at_xfd1048576_is_refused_before_anything_is_allocated() {
    // 2 KB; calamine's dense range of it was 550 GB (an abort with a backtrace, exit 134).
    let e = refused(&fixture("hostile_xfd.xlsx"), &Recipe::default());
    assert_eq!(e.code(), "unsupported_format");
    let text = e.to_string();
    assert!(text.contains("cell XFD1048576"), "{text}");
    assert!(text.contains("beyond column AMJ"), "{text}");
}

#[test]
fn parts_that_inflate_past_their_cap_are_refused_from_the_zip_directory() {
    // One shared string of 136 MiB (140 KB on disk): over the 128 MiB held-in-memory cap.
    let e = refused(&fixture("hostile_sst_136m.xlsx"), &Recipe::default());
    assert_eq!(e.code(), "unsupported_format");
    assert!(
        e.to_string()
            .contains("\"xl/sharedStrings.xml\" inflates to 136 MiB"),
        "{e}"
    );
    // A worksheet of 24 MiB of empty cells in 62 KB: under the size cap, over the ratio cap.
    let e = refused(&fixture("hostile_sheet_ratio.xlsx"), &Recipe::default());
    assert!(e.to_string().contains("zip bomb"), "{e}");
    assert!(e.to_string().contains("xl/worksheets/sheet1.xml"), "{e}");
}

/// A one-sheet XLSX around `sheet_data` (the inside of `<sheetData>`), stored uncompressed.
fn xlsx(sheet_data: &str) -> Vec<u8> {
    let parts = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
        ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>{sheet_data}</sheetData></worksheet>"#)),
    ];
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in parts {
        w.start_file(name, opts).unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn row(r: u32, cells: &[(&str, &str)]) -> String {
    let cells: String = cells
        .iter()
        .map(|(col, v)| match v.parse::<f64>() {
            Ok(_) => format!(r#"<c r="{col}{r}"><v>{v}</v></c>"#),
            Err(_) => format!(r#"<c r="{col}{r}" t="inlineStr"><is><t>{v}</t></is></c>"#),
        })
        .collect();
    format!(r#"<row r="{r}">{cells}</row>"#)
}

#[test]
fn a_declared_range_of_the_whole_sheet_costs_nothing() {
    // The dimension says A1:XFD1048576, the cells fill B1:D4 (the data starts in column B, as
    // when the first column was deleted): read as before, from the leftmost used column, with
    // the sheet's own row numbers.
    let data = [
        row(1, &[("B", "customer"), ("C", "date"), ("D", "amount")]),
        row(2, &[("B", "a"), ("C", "2024-01-02"), ("D", "10")]),
        row(3, &[("B", "b"), ("C", "2024-01-03"), ("D", "x")]),
        row(4, &[("B", "a"), ("C", "2024-01-04"), ("D", "5")]),
    ]
    .concat();
    let a = tierlens::segment(&xlsx(&data), &Recipe::default()).unwrap();
    assert_eq!(a.customers.ids, ["a"]);
    assert_eq!(a.customers.monetary, [15.0]);
    let rows: Vec<u64> = a
        .report
        .rows_rejected
        .values()
        .flat_map(|r| r.rows.iter().copied())
        .collect();
    assert_eq!(rows, [3]);
}

#[test]
fn rows_stored_out_of_order_are_read_in_row_order() {
    // The XML allows rows in any order; the data comes out as if sorted. Row 3 is stored first.
    let data = [
        row(3, &[("A", "b"), ("B", "2024-01-03"), ("C", "7")]),
        row(1, &[("A", "customer"), ("B", "date"), ("C", "amount")]),
        row(2, &[("A", "a"), ("B", "2024-01-02"), ("C", "10")]),
        row(4, &[("A", "a"), ("B", "2024-01-09"), ("C", "n/a")]),
    ]
    .concat();
    let a = tierlens::segment(&xlsx(&data), &Recipe::default()).unwrap();
    assert_eq!(a.customers.ids, ["a", "b"]);
    assert_eq!(a.customers.monetary, [10.0, 7.0]);
    assert_eq!(a.report.input.header, ["customer", "date", "amount"]);
    let rows: Vec<u64> = a
        .report
        .rows_rejected
        .values()
        .flat_map(|r| r.rows.iter().copied())
        .collect();
    assert_eq!(rows, [4]);
}

#[test]
fn ndjson_with_a_new_key_on_every_line_is_refused_at_the_key_past_the_cap() {
    // 60 000 lines each with its own key (quadratic before: 35 s and 1.4 GB). Line n has the
    // keys customer, date, amount and extra{n}: 3 + n distinct keys after it, so line 1 022
    // brings the 1 025th.
    let mut text = String::new();
    for i in 1..=60_000 {
        text.push_str(&format!(
            "{{\"customer\":\"c{}\",\"date\":\"2024-01-02\",\"amount\":10,\"extra{i}\":{i}}}\n",
            i % 100
        ));
    }
    let e = refused(text.as_bytes(), &Recipe::default());
    assert_eq!(e.code(), "bad_row");
    assert_eq!(e.row(), Some(1022), "{e}");
    assert!(e.to_string().contains("line 1022"), "{e}");
    assert!(e.to_string().contains("\"extra1022\""), "{e}");
}

#[test]
fn a_flat_chain_of_50000_terms_is_a_recipe_error() {
    // Stack overflow before (exit 134): the chain is refused when the recipe is checked.
    let when = vec!["recency > 1"; 50_000].join(" or ");
    let recipe = format!(r#"{{"customTiers": {{"rules": [{{"when": "{when}", "tier": "A"}}]}}}}"#);
    let e = Plan::from_json(&recipe).unwrap_err();
    assert_eq!(e.code(), "invalid_expression");
    assert!(e.to_string().contains("customTiers.rules[0].when"), "{e}");
    // Shorter but still too many terms: 1 500 × "true or".
    let when = vec!["true"; 1_500].join(" or ");
    let recipe = format!(r#"{{"customTiers": {{"rules": [{{"when": "{when}", "tier": "A"}}]}}}}"#);
    let e = Plan::from_json(&recipe).unwrap_err();
    assert!(e.to_string().contains("more than 1024"), "{e}");
}

#[test]
fn a_1_mb_code_template_is_a_recipe_error() {
    // 3.5 GB of codes before (39 s and 7.2 GB peak for 3 500 customers).
    let template = format!("{}{{seq}}", "X".repeat(1 << 20));
    let recipe = format!(r#"{{"codes": {{"template": "{template}"}}}}"#);
    let e = Plan::from_json(&recipe).unwrap_err();
    assert_eq!(e.code(), "invalid_code_template");
    assert!(e.to_string().contains("codes.template"), "{e}");
    let recipe = r#"{"codes": {"maps": {"tier": {"Gold": "GGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGG"}}}}"#;
    let e = Plan::from_json(recipe).unwrap_err();
    assert!(e.to_string().contains("codes.maps.tier"), "{e}");
}
