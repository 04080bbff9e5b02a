//! Every committed ingest fixture (tests/fixtures/ingest, made by make_ingest_fixtures.py) with its
//! hand-checked role mapping, row accounting and per-customer figures.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::float_cmp
)]

use std::collections::BTreeMap;

use tierlens::features::{AttributeKind, AttributeValues};
use tierlens::ingest::roles::{Role, Shape};
use tierlens::{Analysis, Recipe};

#[path = "common/fixtures.rs"]
mod fixtures;

fn fixture(name: &str) -> Vec<u8> {
    fixtures::read("ingest", name)
}

fn run(name: &str) -> Analysis {
    run_with(name, &Recipe::default())
}

fn run_with(name: &str, recipe: &Recipe) -> Analysis {
    tierlens::segment(&fixture(name), recipe).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Column (header name) found for each role.
fn roles(a: &Analysis) -> BTreeMap<Role, String> {
    a.report
        .input
        .columns
        .iter()
        .map(|m| (m.role, m.column.clone()))
        .collect()
}

/// reason → (count, example rows)
fn rejected(a: &Analysis) -> BTreeMap<String, (u64, Vec<u64>)> {
    a.report
        .rows_rejected
        .iter()
        .map(|(k, r)| (k.clone(), (r.count, r.rows.clone())))
        .collect()
}

fn check_invariant(a: &Analysis) {
    let r = &a.report;
    let rejected: u64 = r.rows_rejected.values().map(|x| x.count).sum();
    assert_eq!(
        r.rows_read,
        r.rows_used + rejected,
        "rows_read = used + Σ rejected"
    );
}

/// The eleven order lines of the generator, read from any format: same answer everywhere.
fn check_orders(name: &str, a: &Analysis, first_data_row: u64) {
    check_invariant(a);
    let r = &a.report;
    assert_eq!((r.rows_read, r.rows_used, r.returns), (11, 6, 1), "{name}");
    let row = |i: u64| first_data_row + i;
    let expected: BTreeMap<String, (u64, Vec<u64>)> = [
        ("duplicate_row", row(5)),
        ("missing_customer_id", row(6)),
        ("bad_date", row(7)),
        ("bad_amount", row(8)),
        ("cancelled", row(9)),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_string(), (1, vec![n])))
    .collect();
    assert_eq!(rejected(a), expected, "{name}");
    assert_eq!(r.input.shape, Shape::Transactions);
    assert_eq!(r.as_of, "2024-03-29", "{name}");
    let c = &a.customers;
    assert_eq!(c.ids, ["张三", "李四", "王五"], "{name}");
    assert_eq!(c.frequency, [2, 2, 1], "{name}");
    assert_eq!(c.monetary, [165.75, 80.0, 1200.0], "{name}");
    assert_eq!(c.recency_days, [19, 9, 14], "{name}");
    assert_eq!(
        c.region,
        [
            Some("北京".into()),
            Some("上海".into()),
            Some("广州".into())
        ]
    );
}

fn check_english_roles(name: &str, a: &Analysis) {
    let m = roles(a);
    assert_eq!(m[&Role::OrderId], "order_id", "{name}");
    assert_eq!(m[&Role::CustomerId], "customer_id", "{name}");
    assert_eq!(m[&Role::Date], "order_date", "{name}");
    assert_eq!(m[&Role::Amount], "amount", "{name}");
    assert_eq!(m[&Role::Region], "region", "{name}");
    assert_eq!(m.len(), 5, "{name}: {m:?}");
    // Ten of the eleven dates and amounts read: the header names are confirmed by the values.
    for c in &a.report.input.columns {
        if matches!(c.role, Role::Date | Role::Amount) {
            assert_eq!(c.value_fit, Some(0.91), "{name}: {c:?}");
            // 1.0 × (0.5 + 0.5 × 0.91) = 0.955, kept to two decimals.
            assert!((c.confidence - 0.955).abs() <= 0.0051, "{name}: {c:?}");
        }
    }
}

fn channel(a: &Analysis) -> Vec<Option<String>> {
    let attr = a
        .customers
        .attributes
        .iter()
        .find(|x| x.name.eq_ignore_ascii_case("channel") || x.name == "渠道")
        .expect("channel kept as an attribute");
    assert_eq!(attr.kind, AttributeKind::Categorical);
    match &attr.values {
        AttributeValues::Categorical(v) => v.clone(),
        other => panic!("{other:?}"),
    }
}

fn detected(a: &Analysis) -> (String, bool, Option<char>) {
    let d = a.report.input.detected.as_ref().unwrap();
    (d.encoding.clone(), d.bom, d.delimiter)
}

#[test]
fn utf8_with_and_without_bom() {
    for (name, bom) in [("utf8.csv", false), ("utf8_bom.csv", true)] {
        let a = run(name);
        assert_eq!(detected(&a), ("UTF-8".into(), bom, Some(',')), "{name}");
        check_english_roles(name, &a);
        check_orders(name, &a, 2);
        // The channel of each customer's latest row (李四's latest is the return, "store").
        assert_eq!(
            channel(&a),
            [Some("app".into()), Some("store".into()), Some("web".into())]
        );
    }
}

#[test]
fn utf16_with_bom_tab_delimited_datetimes() {
    for (name, enc) in [("utf16le.txt", "UTF-16LE"), ("utf16be.txt", "UTF-16BE")] {
        let a = run(name);
        assert_eq!(detected(&a), (enc.into(), true, Some('\t')), "{name}");
        check_english_roles(name, &a);
        check_orders(name, &a, 2);
    }
}

#[test]
fn gbk_with_chinese_headers_dates_and_fullwidth_yen() {
    let a = run("gbk.csv");
    assert_eq!(detected(&a), ("gb18030".into(), false, Some(',')));
    let m = roles(&a);
    assert_eq!(m[&Role::OrderId], "订单号");
    assert_eq!(m[&Role::CustomerId], "客户ID");
    assert_eq!(m[&Role::Date], "下单时间");
    assert_eq!(m[&Role::Amount], "实付金额");
    assert_eq!(m[&Role::Region], "省份");
    check_orders("gbk.csv", &a, 2);
    assert_eq!(channel(&a)[0].as_deref(), Some("app"));
}

#[test]
fn semicolon_decimal_comma_day_first() {
    let a = run("semicolon_decimal_comma.csv");
    assert_eq!(detected(&a).2, Some(';'));
    assert!(a.report.input.numbers.decimal_comma);
    assert!(!a.report.input.dates.order_ambiguous);
    check_english_roles("semicolon", &a);
    check_orders("semicolon_decimal_comma.csv", &a, 2);
}

#[test]
fn tab_pipe_mdy_and_serial_spellings() {
    for name in ["tab.tsv", "pipe.txt", "mdy.csv", "serial.csv"] {
        let a = run(name);
        let delim = match name {
            "tab.tsv" => '\t',
            "pipe.txt" => '|',
            _ => ',',
        };
        assert_eq!(detected(&a).2, Some(delim), "{name}");
        check_english_roles(name, &a);
        check_orders(name, &a, 2);
    }
    assert!(run("serial.csv").report.input.dates.excel_serial);
    let mdy = run("mdy.csv");
    assert_eq!(
        mdy.report.input.dates.order,
        tierlens::ingest::values::DateOrder::Mdy
    );
}

#[test]
fn space_aligned_legacy_export() {
    let a = run("space_aligned.txt");
    assert_eq!(detected(&a).2, Some(' '));
    let m = roles(&a);
    assert_eq!(m[&Role::OrderId], "Order No");
    assert_eq!(m[&Role::CustomerId], "Customer ID");
    assert_eq!(m[&Role::Date], "Order Date");
    assert_eq!(m[&Role::Amount], "Amount");
    // The row without a customer id cannot be written space-aligned: ten rows, not eleven.
    check_invariant(&a);
    assert_eq!((a.report.rows_read, a.report.rows_used), (10, 6));
    let expected: BTreeMap<String, (u64, Vec<u64>)> = [
        ("duplicate_row", 7),
        ("bad_date", 8),
        ("bad_amount", 9),
        ("cancelled", 10),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_string(), (1, vec![n])))
    .collect();
    assert_eq!(rejected(&a), expected);
    assert_eq!(a.customers.monetary, [165.75, 80.0, 1200.0]);
    assert_eq!(a.customers.frequency, [2, 2, 1]);
}

#[test]
fn quoted_fields_with_delimiters_and_newlines() {
    let a = run("quoted_newlines.csv");
    check_english_roles("quoted", &a);
    // Row numbers count records, not physical lines.
    check_orders("quoted_newlines.csv", &a, 2);
    assert_eq!(
        channel(&a),
        [
            Some("app\nios".into()),
            Some("store \"main\"\r\nfloor 2".into()),
            Some("web, desktop".into())
        ]
    );
}

#[test]
fn json_array_and_ndjson() {
    for name in ["orders.json", "orders.ndjson"] {
        let a = run(name);
        let d = a.report.input.detected.as_ref().unwrap();
        assert_eq!(d.format, tierlens::ingest::InputFormat::Json, "{name}");
        check_english_roles(name, &a);
        check_orders(name, &a, 2);
        assert_eq!(channel(&a)[1].as_deref(), Some("store"));
    }
}

#[test]
fn xlsx_first_sheet_by_default_with_date_cells() {
    let a = run("orders.xlsx");
    let d = a.report.input.detected.as_ref().unwrap();
    assert_eq!(d.format, tierlens::ingest::InputFormat::Xlsx);
    assert_eq!(d.sheet.as_deref(), Some("Orders"));
    check_english_roles("orders.xlsx", &a);
    check_orders("orders.xlsx", &a, 2);
    // Real date cells, not serials read from text.
    assert!(!a.report.input.dates.excel_serial);
}

#[test]
fn xls_97_2003_workbook_with_date_cells() {
    let a = run("orders.xls");
    let d = a.report.input.detected.as_ref().unwrap();
    assert_eq!(d.format, tierlens::ingest::InputFormat::Xls);
    assert_eq!(d.sheet.as_deref(), Some("Orders"));
    check_english_roles("orders.xls", &a);
    check_orders("orders.xls", &a, 2);
    assert!(!a.report.input.dates.excel_serial);
}

#[test]
fn damaged_workbook_is_a_typed_error() {
    // Found by the fuzz target: calamine's XLS MULRK parsing overflows (a panic with overflow
    // checks on, as in this debug build; a wrapped length and an error in release).
    for name in ["damaged_mulrk.xls", "damaged_cfb.xls"] {
        // The second one panicked inside calamine's CFB reader (slice out of range) even in
        // release builds; the `cfb` container check now refuses it before calamine runs.
        let e = tierlens::segment(&fixture(name), &Recipe::default()).unwrap_err();
        assert_eq!(e.code(), "unsupported_format", "{name}: {e}");
    }
}

#[test]
fn xlsx_other_sheet_by_name_or_position() {
    for sheet in ["Customers", "2"] {
        let recipe = Recipe::from_json(&format!(r#"{{"input": {{"sheet": "{sheet}"}}}}"#)).unwrap();
        let a = run_with("orders.xlsx", &recipe);
        assert_eq!(a.report.input.shape, Shape::Customers);
        assert_eq!(a.customers.ids, ["M01", "M02", "M03"]);
    }
    let recipe = Recipe::from_json(r#"{"input": {"sheet": "Nope"}}"#).unwrap();
    let e = tierlens::segment(&fixture("orders.xlsx"), &recipe).unwrap_err();
    assert_eq!(e.code(), "invalid_recipe");
    assert!(e.to_string().contains("'Orders', 'Customers'"), "{e}");
}

#[test]
fn customer_level_input() {
    let a = run("customers.csv");
    check_invariant(&a);
    let r = &a.report;
    assert_eq!(r.input.shape, Shape::Customers);
    let m = roles(&a);
    assert_eq!(m[&Role::CustomerId], "会员ID");
    assert_eq!(m[&Role::LastPurchase], "最近消费时间");
    assert_eq!(m[&Role::FirstPurchase], "首次消费时间");
    assert_eq!(m[&Role::Orders], "消费次数");
    assert_eq!(m[&Role::TotalSpend], "累计消费金额");
    assert_eq!(m[&Role::Region], "城市");
    assert_eq!((r.rows_read, r.rows_used), (6, 3));
    let expected: BTreeMap<String, (u64, Vec<u64>)> = [
        ("duplicate_customer", 5),
        ("bad_order_count", 6),
        ("missing_customer_id", 7),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_string(), (1, vec![n])))
    .collect();
    assert_eq!(rejected(&a), expected);
    let c = &a.customers;
    assert_eq!(r.as_of, "2024-03-29");
    assert_eq!(c.ids, ["M01", "M02", "M03"]);
    assert_eq!(c.frequency, [12, 1, 5]);
    assert_eq!(c.monetary, [3450.0, 99.0, 860.5]);
    // 2024-03-29 minus 2024-03-28 / 2024-02-10 / 2023-11-30.
    assert_eq!(c.recency_days, [1, 48, 120]);
    // M01: 2023-01-05 → 2024-03-28 is 448 days over 11 gaps.
    assert_eq!(c.mean_gap_days[0], Some(448.0 / 11.0));
    let age = c.attributes.iter().find(|x| x.name == "年龄").unwrap();
    assert_eq!(age.kind, AttributeKind::Numeric);
    assert_eq!(
        age.values,
        AttributeValues::Numeric(vec![Some(34.0), Some(27.0), None])
    );
}

#[test]
fn headerless_file_gets_synthetic_names_and_roles_from_values() {
    let a = run("headerless.csv");
    check_invariant(&a);
    assert_eq!(a.report.input.header, ["column1", "column2", "column3"]);
    let cols = &a.report.input.columns;
    let by_role = |r: Role| cols.iter().find(|m| m.role == r).unwrap();
    assert_eq!(by_role(Role::CustomerId).column, "column1");
    assert_eq!(by_role(Role::Date).column, "column2");
    assert_eq!(by_role(Role::Amount).column, "column3");
    assert!(cols
        .iter()
        .all(|m| m.source == "values" && m.confidence > 0.5));
    assert!(a.report.warnings.iter().any(|w| w.code == "headerless"));
    // The first line is data (row 1); without an order id the C100 cancellation is a return
    // on its own day: 王五 nets to 0 and keeps one order.
    // Without an order id the repeated 李四 line (row 6) is a repeat purchase under
    // dropDuplicates "auto": kept and flagged, so 李四 = 80 + 19.75 + 19.75 − 19.75 = 99.75, still
    // two purchase days.
    assert_eq!((a.report.rows_read, a.report.rows_used), (11, 8));
    assert!(!a.report.rows_rejected.contains_key("duplicate_row"));
    assert_eq!(a.report.flags["duplicate_row"].rows, vec![6]);
    assert_eq!(a.customers.monetary, [165.75, 99.75, 0.0]);
    assert_eq!(a.customers.frequency, [2, 2, 1]);
}

#[test]
fn ambiguous_day_month_order_is_refused_unless_the_recipe_sets_it() {
    // Every value reads as two different dates and none has a day above 12: the file cannot
    // settle the order, so the run refuses with the column and the key (it used to read the
    // dates day-first with a warning).
    let e = tierlens::segment(&fixture("ambiguous_dates.csv"), &Recipe::default()).unwrap_err();
    assert_eq!(e.code(), "ambiguous_dates");
    assert_eq!(e.column(), Some("order_date"));
    assert_eq!(e.field(), Some("input.dateOrder"));
    assert!(e.to_string().contains("input.dateOrder"), "{e}");
    let recipe = Recipe::from_json(r#"{"input": {"dateOrder": "mdy"}}"#).unwrap();
    let a = run_with("ambiguous_dates.csv", &recipe);
    assert!(!a.report.input.dates.order_ambiguous);
    assert_eq!(a.report.as_of, "2024-07-09");
    let d = a
        .report
        .input
        .decisions
        .iter()
        .find(|d| d.code == "dateOrder")
        .unwrap();
    assert_eq!(
        (d.value.as_str(), d.basis),
        ("mdy", tierlens::ingest::Basis::Recipe)
    );
    assert!(
        d.evidence.contains("3 readable either way"),
        "{}",
        d.evidence
    );
}

#[test]
fn overrides_for_roles_shape_and_cleaning() {
    // Dropping returns instead of netting them; keeping duplicates and "cancelled" ids.
    let recipe = Recipe::from_json(
        r#"{"clean": {"returns": "drop", "dropDuplicates": false, "cancelledPrefix": null}}"#,
    )
    .unwrap();
    let a = run_with("utf8.csv", &recipe);
    check_invariant(&a);
    let rej = rejected(&a);
    assert_eq!(rej["return"], (2, vec![11, 12]));
    assert!(!rej.contains_key("duplicate_row") && !rej.contains_key("cancelled"));
    // The duplicate O5 line is now a second line of the same order: 李四 spends 19.75 more.
    assert_eq!(a.customers.monetary, [165.75, 119.5, 1200.0]);

    // Role override: read the region from "channel".
    let recipe = Recipe::from_json(r#"{"input": {"columns": {"region": "channel"}}}"#).unwrap();
    let a = run_with("utf8.csv", &recipe);
    assert_eq!(a.customers.region[0].as_deref(), Some("app"));

    // Shape override on a transactions file that lacks customer-level columns: a clear error.
    let recipe = Recipe::from_json(r#"{"input": {"shape": "customers"}}"#).unwrap();
    let e = tierlens::segment(&fixture("utf8.csv"), &recipe).unwrap_err();
    assert_eq!(e.code(), "missing_column");
    assert!(e.to_string().contains("last purchase"), "{e}");
}

#[test]
fn a_named_column_whose_values_do_not_fit_is_reported() {
    let csv = "customer_id,date,amount,note\nA,2024-01-01,5,x\nB,soon,7,y\nC,later,9,z\n";
    let a = tierlens::segment(csv.as_bytes(), &Recipe::default()).unwrap();
    let date = a
        .report
        .input
        .columns
        .iter()
        .find(|m| m.role == Role::Date)
        .unwrap();
    assert_eq!(date.value_fit, Some(0.33));
    assert!(date.confidence < 0.7, "{date:?}");
    assert!(
        a.report.warnings.iter().any(|w| w.code == "weak_role_fit"
            && w.params["column"] == "date"
            && w.params["percent"] == "33"
            && w.message.contains("\"date\" is used as the date")),
        "{:?}",
        a.report.warnings
    );
}

#[test]
fn excel_sep_line_names_the_delimiter_and_is_skipped() {
    let csv = "sep=;\r\ncustomer_id;date;amount\r\nA;2024-01-01;1,5\r\nB;2024-01-02;2\r\n";
    let a = tierlens::segment(csv.as_bytes(), &Recipe::default()).unwrap();
    assert_eq!(detected(&a).2, Some(';'));
    assert_eq!(a.report.input.header, ["customer_id", "date", "amount"]);
    assert_eq!(a.report.rows_read, 2);
    assert_eq!(a.customers.monetary, [1.5, 2.0]);
}

#[test]
fn outliers_are_flagged_apart_from_rejections() {
    let mut csv = String::from("customer_id,date,amount\n");
    for i in 0..60 {
        csv.push_str(&format!(
            "C{},2024-01-{:02},{}\n",
            i % 7,
            i % 28 + 1,
            20 + i
        ));
    }
    csv.push_str("C1,2024-02-01,250000\n");
    let a = tierlens::segment(csv.as_bytes(), &Recipe::default()).unwrap();
    check_invariant(&a);
    assert_eq!(a.report.rows_used, 61);
    assert_eq!(a.report.flags["outlier_amount"].rows, vec![62]);
    let recipe = Recipe::from_json(r#"{"clean": {"outliers": "drop"}}"#).unwrap();
    let a = tierlens::segment(csv.as_bytes(), &recipe).unwrap();
    assert_eq!(rejected(&a)["outlier_amount"], (1, vec![62]));
}

#[test]
fn awkward_inputs_give_clear_errors_or_results() {
    let code = |bytes: &[u8]| {
        tierlens::segment(bytes, &Recipe::default())
            .map(|a| a.customers.len())
            .map_err(|e| e.code())
    };
    assert_eq!(code(b""), Err("empty_input"));
    assert_eq!(code(b"customer_id,date,amount\r\n"), Err("no_data_rows"));
    assert_eq!(code(b"foo,bar\n"), Err("missing_column"));
    assert_eq!(
        code(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0"),
        Err("unsupported_format")
    );
    assert_eq!(code(b"PK\x03\x04garbage"), Err("unsupported_format"));
    assert_eq!(code(b"[{\"a\": 1},"), Err("bad_row"));
    assert_eq!(code(b"customer_id,date,amount\nA,2024-01-01,5\n"), Ok(1));
    // A 10 MB single line: one header cell, no rows.
    let long = vec![b'x'; 10 << 20];
    let e = tierlens::segment(&long, &Recipe::default()).unwrap_err();
    assert_eq!(e.code(), "missing_column");
    assert!(
        e.to_string().len() < 1000,
        "the message stays one short line"
    );
    // 10 MB in one quoted cell of a data row is still read.
    let mut big = b"customer_id,date,amount,note\nA,2024-01-01,5,\"".to_vec();
    big.extend(std::iter::repeat_n(b'y', 10 << 20));
    big.extend(b"\"\n");
    assert_eq!(code(&big), Ok(1));
}

/// Loads `bytes` in one pass or in two, pushing 1000-byte chunks.
fn load_passes(bytes: &[u8], recipe: &Recipe, two: bool) -> Analysis {
    let source = tierlens::Bytes::new(bytes).chunked(1000);
    let mut source = if two { source } else { source.once() };
    let mut passes = Vec::new();
    let dataset = tierlens::load(&mut source, recipe, &mut |p| passes.push(p.pass)).unwrap();
    // Progress says which pass each chunk belonged to: 1000-byte chunks, once or twice.
    let chunks = bytes.len().div_ceil(1000);
    let mut expected = vec![1u8; chunks];
    if two {
        expected.extend(std::iter::repeat_n(2u8, chunks));
    }
    assert_eq!(passes, expected);
    dataset.analyze(recipe).unwrap()
}

#[test]
fn two_passes_find_exactly_the_duplicates_one_pass_finds() {
    // Repeats near and far (the first and last rows are twins), a repeat of a rejected row, and
    // 20 000 distinct rows so the first pass's filter has real false alarms to sort out.
    let mut text = String::from("order,customer,date,amount\n");
    for i in 0..20_000u32 {
        text.push_str(&format!(
            "O{i},K{},2024-01-{:02},{}.5\n",
            i % 700,
            1 + i % 28,
            i % 97
        ));
        if i % 1500 == 7 {
            text.push_str(&format!(
                "O{i},K{},2024-01-{:02},{}.5\n",
                i % 700,
                1 + i % 28,
                i % 97
            ));
        }
    }
    text.push_str("O0,K0,2024-01-01,0.5\nX1,,2024-01-01,1\nX1,,2024-01-01,1\n");
    let mut recipe = Recipe::default();
    recipe.clean.outliers = tierlens::clean::OutlierPolicy::Off;
    recipe.cluster.enabled = false;
    let one = load_passes(text.as_bytes(), &recipe, false);
    let two = load_passes(text.as_bytes(), &recipe, true);
    // The same rows and customers; only the one-pass load says its value decisions come from
    // its first rows.
    assert_eq!(one.customers, two.customers);
    assert_eq!(one.scores, two.scores);
    assert_eq!(one.report.rows_rejected, two.report.rows_rejected);
    assert_eq!(one.report.flags, two.report.flags);
    assert!(one
        .report
        .warnings
        .iter()
        .any(|w| w.code == "one_pass_stream"));
    assert!(!two
        .report
        .warnings
        .iter()
        .any(|w| w.code == "one_pass_stream"));
    let dups = &two.report.rows_rejected["duplicate_row"];
    assert_eq!(
        dups.count, 15,
        "14 twins + the last row repeating the first"
    );
    assert_eq!(dups.rows.first(), Some(&10));
    check_invariant(&two);
}

#[test]
fn the_outlier_threshold_comes_from_every_row_when_the_input_is_read_twice() {
    // The first 500 rows are small; later rows are ten times larger and common, so they are only
    // extreme for a threshold taken from the first rows.
    let mut text = String::from("customer,date,amount\n");
    for i in 0..3000u32 {
        let amount = if i < 500 { 10 + i % 7 } else { 1000 + i % 13 };
        text.push_str(&format!(
            "K{},2024-02-{:02},{amount}\n",
            i % 300,
            1 + i % 28
        ));
    }
    text.push_str("K1,2024-02-10,90000000\n");
    let recipe = Recipe::default();
    let one = load_passes(text.as_bytes(), &recipe, false);
    let two = load_passes(text.as_bytes(), &recipe, true);
    let flagged = |a: &Analysis| a.report.flags.get("outlier_amount").map_or(0, |f| f.count);
    assert_eq!(
        flagged(&one),
        2501,
        "from the first rows everything later looks extreme"
    );
    assert_eq!(flagged(&two), 1, "from all rows only the 90 M amount is");
    let f = &two.report.flags["outlier_amount"];
    assert_eq!(f.rows, vec![3002]);
    assert!(f.message.contains("all rows"), "{}", f.message);
    // Flags never change which rows are used.
    assert_eq!(one.customers, two.customers);
}

#[test]
fn customer_rows_without_a_purchase_are_prospects() {
    let text = "客户编号,最近购买日期,订单数,累计消费,地区\n\
                A,2024-05-01,3,300,华东\n\
                B,2024-04-01,1,50,华北\n\
                P1,,0,,华东\n\
                P2,,,,\n\
                X,,2,80,华南\n\
                Y,not a date,1,10,华南\n";
    let a = tierlens::segment(text.as_bytes(), &Recipe::default()).unwrap();
    check_invariant(&a);
    assert_eq!(a.report.input.shape, Shape::Customers);
    assert_eq!(a.customers.ids, vec!["A", "B", "P1", "P2"]);
    assert_eq!(a.customers.frequency, vec![3, 1, 0, 0]);
    assert_eq!(a.customers.monetary, vec![300.0, 50.0, 0.0, 0.0]);
    // Prospects get the earliest purchase day of the file: the longest recency.
    assert_eq!(a.customers.recency_days, vec![1, 31, 31, 31]);
    let stage = |i: usize| &a.classes.lifecycle_names[usize::from(a.classes.lifecycle[i])];
    assert_eq!(
        (stage(2).as_str(), stage(3).as_str()),
        ("Prospect", "Prospect")
    );
    assert_ne!(stage(0).as_str(), "Prospect");
    // Orders or spend without a date cannot be scored: rejected with the row number.
    assert_eq!(rejected(&a)["bad_date"], (2, vec![6, 7]));
    // The customer list shows no invented purchase dates for prospects.
    let bytes = a.customers_csv();
    let mut list = csv::Reader::from_reader(bytes.as_slice());
    let header = list.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = list.records().map(Result::unwrap).collect();
    let dates = |r: &csv::StringRecord| {
        (
            r[col("first_purchase")].to_string(),
            r[col("last_purchase")].to_string(),
        )
    };
    assert_eq!(&rows[2][col("customer_id")], "P1");
    assert_eq!(dates(&rows[2]), (String::new(), String::new()));
    assert_eq!(dates(&rows[1]), ("2024-04-01".into(), "2024-04-01".into()));

    // Only prospects and no asOf: there is no date to measure from.
    let only = "customer_id,last_purchase,orders\nP1,,0\nP2,,\n";
    let e = tierlens::segment(only.as_bytes(), &Recipe::default()).unwrap_err();
    assert_eq!((e.code(), e.field()), ("as_of_required", Some("asOf")));
    assert!(e.to_string().contains("asOf"), "{e}");
}

#[test]
fn damaged_containers_that_crashed_calamine_are_refused_cleanly() {
    // fuzz/known-calamine: inputs as the fuzz targets take them (first byte = control byte).
    // Before the container check one looped until allocation failed — an abort that would end
    // this test process — and one panicked inside calamine's CFB reader.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/known-calamine");
    for name in ["oom-cfb-sector-chain.bin", "panic-cfb-slice-range.bin"] {
        let data = std::fs::read(dir.join(name)).unwrap();
        for format in [None, Some("xlsx"), Some("xls")] {
            let json = format.map_or("{}".to_string(), |f| {
                format!(r#"{{"input": {{"format": "{f}"}}}}"#)
            });
            let recipe = Recipe::from_json(&json).unwrap();
            let e = tierlens::segment(&data[1..], &recipe).unwrap_err();
            assert_eq!(e.code(), "unsupported_format", "{name} {format:?}: {e}");
            assert!(
                e.to_string().contains("container is not valid"),
                "{name} {format:?}: {e}"
            );
        }
    }
}
