//! The delimited-text reader on the exports that misled it (issue 10, cases 4, 6 and 9, title lines
//! above the header, physical lines, and the bounds on hostile lines). Fixtures are made by
//! tests/fixtures/make_reader_fixtures.py; figures are computed by hand (in the comments) or, for
//! the files with many rows, by that script independently of tierlens (`*.expected.json`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::float_cmp
)]

use std::collections::BTreeMap;

use tierlens::ingest::{sniff, Basis, InputOptions};
use tierlens::{Analysis, Recipe};

#[path = "common/fixtures.rs"]
mod fixtures;

fn fixture(name: &str) -> Vec<u8> {
    fixtures::read("realworld", name)
}

fn run(name: &str) -> Analysis {
    tierlens::segment(&fixture(name), &Recipe::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Loads `bytes` pushed in chunks of `step` bytes (both passes).
fn run_chunked(bytes: &[u8], step: usize) -> Analysis {
    let recipe = Recipe::default();
    let source = &mut tierlens::Bytes::new(bytes).chunked(step);
    tierlens::load(source, &recipe, &mut |_| {})
        .unwrap()
        .analyze(&recipe)
        .unwrap()
}

/// id → (frequency, monetary, recency)
fn figures(a: &Analysis) -> BTreeMap<String, (u32, f64, i64)> {
    let c = &a.customers;
    (0..c.ids.len())
        .map(|i| {
            (
                c.ids[i].to_string(),
                (c.frequency[i], c.monetary[i], c.recency_days[i] as i64),
            )
        })
        .collect()
}

/// reason → (count, rows, lines)
fn rejected(a: &Analysis) -> BTreeMap<String, (u64, Vec<u64>, Vec<u64>)> {
    a.report
        .rows_rejected
        .iter()
        .map(|(k, r)| (k.clone(), (r.count, r.rows.clone(), r.lines.clone())))
        .collect()
}

fn invariant(a: &Analysis) {
    let rejected: u64 = a.report.rows_rejected.values().map(|r| r.count).sum();
    assert_eq!(a.report.rows_read, a.report.rows_used + rejected);
}

fn decision<'a>(a: &'a Analysis, code: &str) -> &'a tierlens::ingest::Decision {
    a.report
        .input
        .decisions
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} decision"))
}

fn expected(name: &str) -> serde_json::Value {
    serde_json::from_slice(&fixture(name)).unwrap()
}

fn check_expected(a: &Analysis, exp: &serde_json::Value) {
    let got = figures(a);
    let customers = exp["customers"].as_object().unwrap();
    assert_eq!(got.len(), customers.len());
    for (id, e) in customers {
        let (f, m, _) = got
            .get(id)
            .unwrap_or_else(|| panic!("customer {id} missing"));
        assert_eq!(u64::from(*f), e["frequency"].as_u64().unwrap(), "{id}");
        assert!(
            (m - e["monetary"].as_f64().unwrap()).abs() < 1e-9,
            "{id}: {m}"
        );
    }
    assert_eq!(a.report.rows_used, exp["rows_used"].as_u64().unwrap());
}

#[test]
fn a_quote_open_to_the_end_of_the_file_costs_one_row() {
    // Before: row 4's quote swallowed rows 5 and 6 into one cell (C1 = 10, C2 = 20, silently).
    let a = run("reader_unclosed_eof.csv");
    invariant(&a);
    assert_eq!((a.report.rows_read, a.report.rows_used), (5, 4));
    let expected: BTreeMap<_, _> = [("unclosed_quote".to_string(), (1, vec![4], vec![4]))].into();
    assert_eq!(rejected(&a), expected);
    assert_eq!(
        a.report.rows_rejected["unclosed_quote"].examples,
        ["\"C3,2024-03-03,30"]
    );
    // as_of 2024-03-06: C1 bought on 03-01 and 03-04 (10 + 5), C2 on 03-02 and 03-05 (20 + 7).
    let want: BTreeMap<String, (u32, f64, i64)> = [
        ("C1".to_string(), (2, 15.0, 2)),
        ("C2".to_string(), (2, 27.0, 1)),
    ]
    .into();
    assert_eq!(figures(&a), want);
    assert!(
        a.report.warnings.iter().any(|w| w.code == "unclosed_quote"
            && w.params.get("row").map(String::as_str) == Some("4")
            && w.params.get("line").map(String::as_str) == Some("4")
            && w.message.contains("never closed")),
        "{:?}",
        a.report.warnings
    );
    assert_eq!(a.report.input.detected.as_ref().unwrap().lines, Some(6));
}

#[test]
fn a_quote_open_across_more_than_a_hundred_lines_costs_one_row() {
    // Before: lines 11-130 were read as one row (119 orders vanished).
    let exp = expected("reader_unclosed_long.expected.json");
    let bytes = fixture("reader_unclosed_long.csv");
    for step in [1 << 20, 4096, 17] {
        let a = run_chunked(&bytes, step);
        invariant(&a);
        assert_eq!(a.report.rows_read, 150, "step {step}");
        let r = &a.report.rows_rejected["unclosed_quote"];
        assert_eq!((r.count, &r.rows, &r.lines), (1, &vec![11], &vec![11]));
        check_expected(&a, &exp);
    }
}

#[test]
fn the_header_with_an_open_quote_is_refused() {
    let err = tierlens::segment(
        b"\"customer_id,date,amount\nC1,2024-01-01,3\n",
        &Recipe::default(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "bad_row");
    assert!(err.to_string().contains("line 1"), "{err}");
}

#[test]
fn a_legitimate_three_line_address_still_reads_and_lines_are_physical() {
    for name in [
        "reader_quoted_address.csv",
        "reader_quoted_address_crlf.csv",
    ] {
        let a = run(name);
        invariant(&a);
        // Rows 2, 3, 4 start on lines 2, 5 and 6: row 4's amount "x" is rejected there.
        let expected: BTreeMap<_, _> = [("bad_amount".to_string(), (1, vec![4], vec![6]))].into();
        assert_eq!(rejected(&a), expected, "{name}");
        let want: BTreeMap<String, (u32, f64, i64)> = [
            ("C1".to_string(), (1, 10.0, 2)),
            ("C2".to_string(), (1, 20.0, 1)),
        ]
        .into();
        assert_eq!(figures(&a), want, "{name}");
        let address = a
            .customers
            .attributes
            .iter()
            .find(|x| x.name == "address")
            .unwrap();
        let tierlens::features::AttributeValues::Categorical(v) = &address.values else {
            panic!("{address:?}");
        };
        let sep = if name.contains("crlf") { "\r\n" } else { "\n" };
        assert_eq!(
            v[0].as_deref(),
            Some(format!("Room 5{sep}88 Nanjing Rd{sep}Shanghai").as_str())
        );
        assert_eq!(a.report.input.detected.as_ref().unwrap().lines, Some(6));
    }
}

#[test]
fn gbk_after_64_kib_of_ascii_is_decided_at_the_first_chinese_byte() {
    // Before: decoded as UTF-8; 张三, 李四 and 王五 became one id "����" (3 orders, 65.5).
    let exp = expected("reader_gbk_after_64k.expected.json");
    let offset = exp["first_non_ascii"].as_u64().unwrap();
    assert!(offset > 64 * 1024);
    let bytes = fixture("reader_gbk_after_64k.csv");
    for step in [1 << 20, 65_536, 4093, 333] {
        let a = run_chunked(&bytes, step);
        invariant(&a);
        check_expected(&a, &exp);
        let d = decision(&a, "encoding");
        assert_eq!(d.value, "gb18030");
        assert_eq!(d.basis, Basis::File);
        let grouped = {
            let s = offset.to_string();
            format!("{} {}", &s[..s.len() - 3], &s[s.len() - 3..])
        };
        assert_eq!(
            d.evidence,
            format!("first non-ASCII byte at offset {grouped}: the bytes from there to the end are valid GB18030 (GBK), not UTF-8")
        );
        assert_eq!(
            a.report.input.detected.as_ref().unwrap().encoding,
            "gb18030"
        );
    }
    // The recipe still overrides: read as UTF-8, the three ids become one replacement id.
    let recipe = Recipe::from_json(r#"{"input": {"encoding": "utf-8"}}"#).unwrap();
    let a = tierlens::segment(&bytes, &recipe).unwrap();
    assert_eq!(decision(&a, "encoding").basis, Basis::Recipe);
    assert_eq!(a.customers.len(), 51);
}

#[test]
fn a_title_line_does_not_choose_the_delimiter() {
    // Before: the first line has no delimiter, so ',' was taken for both files.
    let opts = InputOptions::default();
    let d = sniff::sniff(&fixture("reader_title_semicolon.csv"), true, &opts).unwrap();
    assert_eq!(d.delimiter, Some(';'));
    let delim = d.decisions.iter().find(|x| x.code == "delimiter").unwrap();
    // Four lines after the title; the last line of a short window is not held back.
    assert_eq!(delim.evidence, "4 of 5 lines have 2 semicolons");
    let d = sniff::sniff(&fixture("reader_title_tab.tsv"), true, &opts).unwrap();
    assert_eq!(d.delimiter, Some('\t'));
    let delim = d.decisions.iter().find(|x| x.code == "delimiter").unwrap();
    assert_eq!(delim.evidence, "4 of 5 lines have 3 tabs");
    // The Excel title row written with the file's own delimiter still gives that delimiter.
    let titled =
        "客户交易明细,,,,\n,,,,\n订单号,客户ID,日期,金额,地区\nO1,张三,2024-03-01,10,北京\n";
    let d = sniff::sniff(titled.as_bytes(), true, &opts).unwrap();
    assert_eq!(d.delimiter, Some(','));
}

#[test]
fn single_spaced_header_over_rows_split_by_runs() {
    // Before: no delimiter found, ',' taken, one column: "missing required column".
    let a = run("reader_spaces_runs.txt");
    invariant(&a);
    assert_eq!(
        a.report.input.detected.as_ref().unwrap().delimiter,
        Some(' ')
    );
    assert_eq!(
        a.report.input.header,
        ["CustomerID", "OrderDate", "Amount", "Name"]
    );
    assert_eq!(a.report.rows_used, 4);
    // as_of 2024-03-07: C1 on 03-01 and 03-05 (12.50 + 7.50), C2 03-01 (8), C3 03-06 (100).
    let want: BTreeMap<String, (u32, f64, i64)> = [
        ("C1".to_string(), (2, 20.0, 2)),
        ("C2".to_string(), (1, 8.0, 6)),
        ("C3".to_string(), (1, 100.0, 1)),
    ]
    .into();
    assert_eq!(figures(&a), want);
    assert!(decision(&a, "delimiter")
        .evidence
        .contains("runs of two or more spaces"));
}

#[test]
fn fixed_width_columns_by_the_header_positions() {
    // Before: no delimiter found, ',' taken, one column: "missing required column". (Splitting
    // the header on its runs of spaces would merge "CustomerID OrderDate" and "Amount Name".)
    let a = run("reader_fixed_width.txt");
    invariant(&a);
    assert_eq!(
        a.report.input.header,
        ["CustomerID", "OrderDate", "Amount", "Name"]
    );
    assert_eq!(a.report.rows_used, 4);
    // as_of 2024-03-07: C1 on 03-01 and 03-05 (12.50 + 7.50), C22 03-02 (123), C3 03-06 (100).
    let want: BTreeMap<String, (u32, f64, i64)> = [
        ("C1".to_string(), (2, 20.0, 2)),
        ("C22".to_string(), (1, 123.0, 5)),
        ("C3".to_string(), (1, 100.0, 1)),
    ]
    .into();
    assert_eq!(figures(&a), want);
    let evidence = &decision(&a, "delimiter").evidence;
    assert!(
        evidence.contains("fields start at characters 1, 12, 29, 36"),
        "{evidence}"
    );
}

#[test]
fn a_line_of_a_million_fields_is_refused_quickly() {
    // Before: 25 M fields on one line took 2 min 40 s and 4.8 GB; here 1 M fields, one error.
    let mut text = String::from("customer_id,date,amount\n");
    text.push_str(&"a,".repeat(1_000_000));
    text.push('\n');
    let start = std::time::Instant::now();
    let err = tierlens::segment(text.as_bytes(), &Recipe::default()).unwrap_err();
    assert_eq!(err.code(), "bad_row");
    let message = err.to_string();
    assert!(
        message.starts_with("row 2: line 2: more than 16 384 fields"),
        "{message}"
    );
    assert!(start.elapsed().as_secs() < 20);
}

#[test]
fn a_space_separated_line_longer_than_64_mib_is_refused() {
    let mut text = String::from("Customer ID   Date   Amount\nC1   2024-01-01   3\n");
    text.push_str(&"x".repeat(65 * 1024 * 1024));
    let err = tierlens::segment(text.as_bytes(), &Recipe::default()).unwrap_err();
    assert_eq!(err.code(), "bad_row");
    assert!(
        err.to_string()
            .starts_with("row 3: line 3: a single line is longer than 64 MiB"),
        "{err}"
    );
    // And with many fields on one line (the delimiter set to a space): the field cap first.
    let mut text = String::from("Customer ID   Date   Amount\nC1  2024-01-01  3\n");
    text.push_str(&"x  ".repeat(20_000));
    text.push('\n');
    let recipe = Recipe::from_json(r#"{"input": {"delimiter": " "}}"#).unwrap();
    let err = tierlens::segment(text.as_bytes(), &recipe).unwrap_err();
    assert!(err.to_string().contains("more than 16 384 fields"), "{err}");
}
