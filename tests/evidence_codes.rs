//! Issue 11: every reading decision's evidence crosses as a stable code with params, so the page
//! words it in English and Chinese. Over the committed reader fixtures (CSV, TSV, space-aligned,
//! fixed-width, GBK, UTF-16, JSON, XLSX), each decision carries a code from `EVIDENCE_CODES` and
//! exactly the params that table lists; a few are checked against the fixture's bytes, read by hand.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeSet;

use tierlens::ingest::decision::EVIDENCE_CODES;
use tierlens::ingest::Decision;
use tierlens::{Analysis, Recipe};

#[path = "common/fixtures.rs"]
mod fixtures;

fn run(folder: &str, name: &str) -> tierlens::Result<Analysis> {
    let mut r = Recipe::from_json("{}").unwrap();
    r.cluster.enabled = false;
    r.explain.enabled = false;
    tierlens::segment(&fixtures::read(folder, name), &r)
}

fn decision<'a>(a: &'a Analysis, code: &str) -> &'a Decision {
    a.report
        .input
        .decisions
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} decision"))
}

fn params(d: &Decision) -> Vec<(&str, &str)> {
    d.evidence_params
        .iter()
        .map(|(k, v)| (*k, v.as_str()))
        .collect()
}

const READERS: &[(&str, &str)] = &[
    ("ingest", "utf8.csv"),
    ("ingest", "utf8_bom.csv"),
    ("ingest", "gbk.csv"),
    ("ingest", "tab.tsv"),
    ("ingest", "pipe.txt"),
    ("ingest", "space_aligned.txt"),
    ("ingest", "headerless.csv"),
    ("ingest", "utf16le.txt"),
    ("ingest", "semicolon_decimal_comma.csv"),
    ("ingest", "orders.json"),
    ("ingest", "orders.ndjson"),
    ("ingest", "orders.xlsx"),
    ("ingest", "customers.csv"),
    ("realworld", "title_rows.csv"),
    ("realworld", "reader_fixed_width.txt"),
    ("realworld", "reader_spaces_runs.txt"),
    ("realworld", "quarterly.xlsx"),
    ("realworld", "duplicates_no_order.csv"),
    ("realworld", "float_ids.csv"),
    ("realworld", "id_variants.csv"),
    ("realworld", "reader_gbk_after_64k.csv"),
];

#[test]
fn every_decision_of_every_reader_fixture_has_a_listed_code_with_its_params() {
    let mut seen = BTreeSet::new();
    for (folder, name) in READERS {
        let a = run(folder, name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!a.report.input.decisions.is_empty(), "{name}");
        for d in &a.report.input.decisions {
            let listed = EVIDENCE_CODES
                .iter()
                .find(|(c, _)| *c == d.evidence_code)
                .unwrap_or_else(|| {
                    panic!(
                        "{name}: {} decision evidence {:?} has no listed code ({:?})",
                        d.code, d.evidence, d.evidence_code
                    )
                });
            let sent: BTreeSet<&str> = d.evidence_params.keys().copied().collect();
            let want: BTreeSet<&str> = listed.1.iter().copied().collect();
            assert_eq!(sent, want, "{name}: {} params", d.evidence_code);
            seen.insert(d.evidence_code);
        }
    }
    // The readers above reach the codes this change added, not only the older ones.
    for code in [
        "delimiter_counts",
        "spaces_wide",
        "spaces_fixed",
        "header_match",
        "header_match_preamble",
        "header_none",
        "sheets_file",
    ] {
        assert!(seen.contains(code), "no fixture gave {code}: {seen:?}");
    }
}

#[test]
fn tab_delimiter_evidence_counts_the_lines_of_the_file() {
    // tab.tsv: a header and 11 rows, each with 6 fields, so 5 tabs on all 12 lines.
    let a = run("ingest", "tab.tsv").unwrap();
    let d = decision(&a, "delimiter");
    assert_eq!(d.evidence_code, "delimiter_counts");
    assert_eq!(
        params(d),
        [
            ("agreeing", "12"),
            ("count", "5"),
            ("delimiter", "\t"),
            ("lines", "12")
        ]
    );
}

#[test]
fn title_rows_above_the_header_are_named_as_preamble() {
    // title_rows.csv: a merged title, an empty row, then the header on row 3 naming four roles
    // (订单号, 客户ID, 下单时间, 实付金额) and a region (省份).
    let a = run("realworld", "title_rows.csv").unwrap();
    let d = decision(&a, "headerRow");
    assert_eq!(d.evidence_code, "header_match_preamble");
    let p = &d.evidence_params;
    assert_eq!((p["row"].as_str(), p["above"].as_str()), ("3", "1–2"));
    assert_eq!(p["roles"], "5");
}

#[test]
fn a_headerless_file_says_so_with_its_width() {
    // headerless.csv: three values per row (name, date, amount) and no header.
    let a = run("ingest", "headerless.csv").unwrap();
    let d = decision(&a, "headerRow");
    assert_eq!(d.evidence_code, "header_none");
    assert_eq!(params(d), [("columns", "3"), ("row", "1")]);
}

#[test]
fn workbook_sheets_evidence_names_the_lead_the_shared_and_the_other_layouts() {
    // quarterly.xlsx: Q1…Q8 with one header (客户ID, 订单日期, 实付金额) and a "Notes" sheet with
    // another one; no empty sheet.
    let a = run("realworld", "quarterly.xlsx").unwrap();
    let d = decision(&a, "sheets");
    assert_eq!(d.evidence_code, "sheets_file");
    assert_eq!(
        params(d),
        [
            ("empty", ""),
            ("lead", "Q1"),
            ("other", "'Notes'"),
            ("shared", "8"),
            ("sheets", "9")
        ]
    );
}
