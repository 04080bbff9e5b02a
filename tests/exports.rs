//! Exports: the XLSX keeps text intact (no CSV apostrophe), pseudonyms and dropped columns in the
//! CLI, and a pseudonymised report.json without raw ids.
//!
//! Fixture: tests/fixtures/realworld/page_export_ids.csv (8 rows; ids that a spreadsheet would take
//! for formulas, a phone number, Chinese names; one unreadable date and one cancelled order).
//! Expected pseudonyms come from Python's standard library, an independent implementation:
//! `"p_" + hmac.new("月光 test passphrase".encode(), id.encode(), "sha256").hexdigest()[:16]`.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, Xlsx};
use tierlens::export::ExportOptions;

const FIXTURE: &str = "tests/fixtures/realworld/page_export_ids.csv";
const PASSPHRASE: &str = "月光 test passphrase";
/// (raw id, pseudonym from Python's hmac), in the list's order (ids sorted).
const PSEUDONYMS: [(&str, &str); 5] = [
    ("-2+3", "p_09c96a5648919092"),
    ("13800138000", "p_d979cf4a4b1a5f3d"),
    ("=SUM(A1)", "p_910fefa763a1aa64"),
    ("@王五", "p_5d6a0cd4765d6838"),
    ("张三", "p_c8ad2509bafd1c6a"),
];

fn analysis() -> tierlens::Analysis {
    let bytes = std::fs::read(FIXTURE).unwrap();
    tierlens::segment(&bytes, &tierlens::Recipe::default()).unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tierlens-exports-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn column(csv: &str, name: &str) -> Vec<String> {
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let at = r.headers().unwrap().iter().position(|h| h == name).unwrap();
    r.records().map(|x| x.unwrap()[at].to_string()).collect()
}

fn cli(args: &[&str], passphrase: Option<&str>) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tierlens"));
    c.args(args).env_remove("TIERLENS_PASSPHRASE");
    if let Some(p) = passphrase {
        c.env("TIERLENS_PASSPHRASE", p);
    }
    c.stdin(std::process::Stdio::null()).output().unwrap()
}

fn segment_args<'a>(out: &'a Path, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["segment", FIXTURE, "--out", out.to_str().unwrap()];
    v.extend_from_slice(extra);
    v
}

#[test]
fn xlsx_keeps_formula_like_text_intact_and_numbers_as_numbers() {
    let a = analysis();
    let csv = String::from_utf8(a.customers_csv()).unwrap();
    // The CSV neutralises: a spreadsheet evaluates CSV cells on opening.
    assert_eq!(
        column(&csv, "customer_id"),
        ["'-2+3", "13800138000", "'=SUM(A1)", "'@王五", "张三"]
    );
    let bytes = a.customers_xlsx_for(&ExportOptions::default()).unwrap();
    let mut wb = Xlsx::new(Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range("customers").unwrap();
    let formulas = wb.worksheet_formula("customers").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no cell may be a formula"
    );
    let header: Vec<String> = (0..range.width())
        .map(|c| range.get((0, c)).unwrap().to_string())
        .collect();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let ids: Vec<&Data> = (1..range.height())
        .map(|r| range.get((r, at("customer_id"))).unwrap())
        .collect();
    // String cells, exactly the ids of the input.
    assert_eq!(
        ids,
        [
            &Data::String("-2+3".into()),
            &Data::String("13800138000".into()),
            &Data::String("=SUM(A1)".into()),
            &Data::String("@王五".into()),
            &Data::String("张三".into()),
        ]
    );
    // Hand-computed from the fixture: as of 2024-02-04 (day after 2024-02-03); -2+3 bought once on
    // 2024-01-10 for 20 → recency 25; 13800138000 bought 100 + 50 → monetary 150, aov 75.
    let row = |r: usize, name: &str| range.get((r, at(name))).unwrap().clone();
    assert_eq!(row(1, "recency_days"), Data::Float(25.0));
    assert_eq!(row(2, "monetary"), Data::Float(150.0));
    assert_eq!(row(2, "aov"), Data::Float(75.0));
    assert_eq!(row(2, "frequency"), Data::Float(2.0));
    assert_eq!(row(4, "monetary"), Data::Float(45.5));
    // Dates and class names are text.
    assert_eq!(row(1, "first_purchase"), Data::String("2024-01-10".into()));
    assert_eq!(row(2, "region"), Data::String("Shanghai".into()));
    // An empty CSV cell is an empty XLSX cell (mean_gap_days of a one-order customer).
    assert_eq!(row(1, "mean_gap_days"), Data::Empty);
    assert_eq!(range.height(), 6);
}

#[test]
fn pseudonyms_replace_ids_in_list_and_workbook() {
    let a = analysis();
    let o = ExportOptions::new(Some(PASSPHRASE), &["region".into(), "action".into()]).unwrap();
    let csv = String::from_utf8(a.customers_csv_for(&o).unwrap()).unwrap();
    let want: Vec<&str> = PSEUDONYMS.iter().map(|p| p.1).collect();
    assert_eq!(column(&csv, "customer_id"), want);
    let header = csv.lines().next().unwrap();
    assert!(
        !header.split(',').any(|h| h == "region" || h == "action"),
        "{header}"
    );
    // The other columns are untouched: the plain list without the two columns.
    assert_eq!(
        column(&csv, "monetary"),
        column(&String::from_utf8(a.customers_csv()).unwrap(), "monetary")
    );
    let mut wb = Xlsx::new(Cursor::new(a.customers_xlsx_for(&o).unwrap())).unwrap();
    let range = wb.worksheet_range("customers").unwrap();
    assert_eq!(range.get((1, 0)), Some(&Data::String(want[0].into())));
    assert_eq!(range.width(), header.split(',').count());
}

#[test]
fn cli_pseudonymises_drops_columns_and_leaks_no_raw_id() {
    let out = scratch("pseudo");
    let o = cli(
        &segment_args(
            &out,
            &[
                "--pseudonymise",
                "--drop-columns",
                "region,action",
                "--xlsx",
            ],
        ),
        Some(PASSPHRASE),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = std::fs::read_to_string(out.join("customers.csv")).unwrap();
    let report = std::fs::read_to_string(out.join("report.json")).unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    let want: Vec<&str> = PSEUDONYMS.iter().map(|p| p.1).collect();
    assert_eq!(column(&csv, "customer_id"), want);
    for (raw, _) in PSEUDONYMS {
        for (what, text) in [("customers.csv", &csv), ("report.json", &report)] {
            assert!(!text.contains(raw), "{what} leaks {raw:?}");
        }
        assert!(!stderr.contains(raw), "stderr leaks {raw:?}");
    }
    // The phone number is also the `mobile` attribute; the row examples are gone, their rows stay.
    assert!(!report.contains("13800138000"));
    let r: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(
        r["rowsRejected"]["bad_date"]["rows"],
        serde_json::json!([8])
    );
    assert_eq!(
        r["rowsRejected"]["bad_date"]["examples"],
        serde_json::json!([])
    );
    assert_eq!(r["export"]["pseudonymised"], serde_json::json!(true));
    assert_eq!(
        r["export"]["droppedColumns"],
        serde_json::json!(["action", "region"])
    );
    // Never the passphrase, in any output.
    for text in [&csv, &report] {
        assert!(!text.contains("月光"));
    }
    assert!(out.join("customers.xlsx").exists());
}

#[test]
fn cli_pseudonyms_are_stable_and_previous_still_joins() {
    let first = scratch("prev1");
    let second = scratch("prev2");
    let o = cli(&segment_args(&first, &["--pseudonymise"]), Some(PASSPHRASE));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let prev = first.join("customers.csv");
    let o = cli(
        &segment_args(
            &second,
            &["--pseudonymise", "--previous", prev.to_str().unwrap()],
        ),
        Some(PASSPHRASE),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let a = std::fs::read_to_string(prev).unwrap();
    let b = std::fs::read_to_string(second.join("customers.csv")).unwrap();
    assert_eq!(column(&a, "customer_id"), column(&b, "customer_id"));
    // All five customers found in the pseudonymised previous list: kept, none new or departed.
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(second.join("report.json")).unwrap())
            .unwrap();
    let ch = &r["codes"]["changes"];
    assert_eq!(
        (
            ch["kept"].as_u64(),
            ch["new"].as_u64(),
            ch["departed"].as_u64()
        ),
        (Some(5), Some(0), Some(0))
    );
    assert_eq!(column(&b, "code_change"), ["kept"; 5]);
}

#[test]
fn a_moved_customer_is_named_by_its_pseudonym_in_the_report() {
    let first = scratch("moved1");
    let second = scratch("moved2");
    let o = cli(&segment_args(&first, &["--pseudonymise"]), Some(PASSPHRASE));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The same file plus three big recent orders of "-2+3" (Lost, Bronze before): its class changes.
    let mut text = std::fs::read_to_string(FIXTURE).unwrap();
    text.push_str("-2+3,O9,2024-02-01,900,Beijing,\r\n-2+3,O10,2024-02-02,900,Beijing,\r\n-2+3,O11,2024-02-03,900,Beijing,\r\n");
    let input = second.join("more.csv");
    std::fs::write(&input, text).unwrap();
    let prev = first.join("customers.csv");
    let out = second.join("out");
    let o = cli(
        &[
            "segment",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--pseudonymise",
            "--previous",
            prev.to_str().unwrap(),
        ],
        Some(PASSPHRASE),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report = std::fs::read_to_string(out.join("report.json")).unwrap();
    let r: serde_json::Value = serde_json::from_str(&report).unwrap();
    let moved: Vec<&str> = r["codes"]["changes"]["movedExamples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["customerId"].as_str().unwrap())
        .collect();
    assert!(moved.contains(&PSEUDONYMS[0].1), "{moved:?}");
    assert_eq!(r["codes"]["changes"]["new"], serde_json::json!(0));
    for (raw, _) in PSEUDONYMS {
        assert!(
            !report.contains(&format!("\"{raw}\"")),
            "report.json leaks {raw:?}"
        );
    }
}

#[test]
fn cli_without_a_passphrase_refuses_in_one_line() {
    let out = scratch("nopass");
    let o = cli(&segment_args(&out, &["--pseudonymise"]), None);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("TIERLENS_PASSPHRASE"), "{err}");
    assert!(!out.join("customers.csv").exists());
    let o = cli(&segment_args(&out, &["--pseudonymise"]), Some(""));
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("passphrase is empty"));
}

#[test]
fn cli_refuses_an_unknown_column_to_drop() {
    let out = scratch("dropbad");
    let o = cli(&segment_args(&out, &["--drop-columns", "phone"]), None);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("dropColumns") && err.contains("\"phone\""),
        "{err}"
    );
    assert!(!out.join("customers.csv").exists());
}
