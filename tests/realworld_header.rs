//! Issue 10, cases 1, 2, 5 and 8: title rows above the header, total rows, column roles and exact
//! duplicates, on the fixtures of tests/fixtures/realworld (made by make_header_fixtures.py). Every
//! expected figure is worked out by hand from the fixture's lines, in the comment beside it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::float_cmp
)]

use tierlens::ingest::Basis;
use tierlens::{Analysis, Recipe};

#[path = "common/fixtures.rs"]
mod fixtures;

fn fixture(name: &str) -> Vec<u8> {
    fixtures::read("realworld", name)
}

fn run_bytes(bytes: &[u8], recipe: &str) -> Analysis {
    let recipe = Recipe::from_json(recipe).unwrap();
    tierlens::segment(bytes, &recipe).unwrap_or_else(|e| panic!("{e}"))
}

fn run(name: &str, recipe: &str) -> Analysis {
    run_bytes(&fixture(name), recipe)
}

/// (id, monetary, frequency, recency days) per customer, in id order.
fn figures(a: &Analysis) -> Vec<(String, f64, u32, i32)> {
    let c = &a.customers;
    (0..c.ids.len())
        .map(|i| {
            (
                c.ids[i].clone(),
                (c.monetary[i] * 100.0).round() / 100.0,
                c.frequency[i],
                c.recency_days[i],
            )
        })
        .collect()
}

fn expect(a: &Analysis, rows: &[(&str, f64, u32, i32)]) {
    let want: Vec<(String, f64, u32, i32)> = rows
        .iter()
        .map(|&(id, m, f, r)| (id.to_string(), m, f, r))
        .collect();
    assert_eq!(figures(a), want);
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

fn decision<'a>(a: &'a Analysis, code: &str) -> &'a tierlens::ingest::Decision {
    a.report
        .input
        .decisions
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} decision"))
}

fn role_decision<'a>(a: &'a Analysis, role: &str) -> &'a tierlens::ingest::Decision {
    a.report
        .input
        .decisions
        .iter()
        .find(|d| d.code == "columnRole" && d.value.starts_with(&format!("{role}=")))
        .unwrap_or_else(|| panic!("no columnRole decision for {role}"))
}

/// title_rows.csv: O1001 C001 03-01 120.50 · O1002 C002 03-02 80.00 · O1003 C001 03-10 45.25 ·
/// O1004 C003 03-15 200.00 · O1005 C002 03-20 19.75; asOf = the day after 03-20 = 03-21.
fn expect_title_rows(a: &Analysis) {
    expect(
        a,
        &[
            ("C001", 165.75, 2, 11), // 120.50 + 45.25, last 03-10
            ("C002", 99.75, 2, 1),   // 80.00 + 19.75, last 03-20
            ("C003", 200.0, 1, 6),   // last 03-15
        ],
    );
    assert_eq!(a.report.as_of, "2024-03-21");
    check_invariant(a);
}

#[test]
fn a_title_and_an_empty_row_above_the_header_are_preamble() {
    // Before: the title was the header, 客户交易明细 the customer id, and every order a customer.
    let a = run("title_rows.csv", "{}");
    expect_title_rows(&a);
    assert_eq!(a.report.rows_read, 7);
    let pre = &a.report.rows_rejected["preamble"];
    assert_eq!((pre.count, pre.rows.clone()), (2, vec![1, 2]));
    assert_eq!(pre.examples[0], "客户交易明细");
    let d = decision(&a, "headerRow");
    assert_eq!((d.value.as_str(), d.basis), ("3", Basis::File));
    assert!(
        d.evidence
            .contains("row 3: 客户ID, 订单号, 下单时间, 实付金额"),
        "{}",
        d.evidence
    );
    assert!(d.evidence.contains("rows 1–2"), "{}", d.evidence);
    assert_eq!(d.key, "input.headerRow");
}

#[test]
fn english_titles_are_preamble_too() {
    // Before: exit 1, "missing required column: customer id … found Sales Report 2024".
    // INV-1 A-7 03-01 10.00 · INV-2 B-8 03-03 25.50 · INV-3 A-7 03-04 4.50; asOf 03-05.
    let a = run("title_rows_en.csv", "{}");
    expect(&a, &[("A-7", 14.5, 2, 1), ("B-8", 25.5, 1, 2)]);
    assert_eq!(a.report.rows_rejected["preamble"].rows, vec![1, 2, 3]);
    assert_eq!(decision(&a, "headerRow").value, "4");
    // `Amount (USD)` is an exact match once the unit is stripped.
    let amount = role_decision(&a, "amount");
    assert!(
        amount.evidence.starts_with("header (100"),
        "{}",
        amount.evidence
    );
    check_invariant(&a);
}

#[test]
fn input_header_row_forces_the_header() {
    let a = run("title_rows.csv", r#"{"input": {"headerRow": 3}}"#);
    expect_title_rows(&a);
    let d = decision(&a, "headerRow");
    assert_eq!((d.value.as_str(), d.basis), ("3", Basis::Recipe));
    // A row the file does not have is refused, naming the key.
    let recipe = Recipe::from_json(r#"{"input": {"headerRow": 40}}"#).unwrap();
    let e = tierlens::segment(&fixture("title_rows.csv"), &recipe).unwrap_err();
    assert!(e.to_string().contains("input.headerRow"), "{e}");
    let e = Recipe::from_json(r#"{"input": {"headerRow": 0}}"#)
        .and_then(|r| r.check())
        .unwrap_err();
    assert!(e.to_string().contains("input.headerRow"), "{e}");
}

#[test]
fn recipe_columns_find_a_header_of_unknown_names_under_a_title() {
    let csv = "Export,,\nwho,when,gross\nA,2024-01-01,3.50\nB,2024-01-02,4\nA,2024-01-03,1\n";
    let a = run_bytes(
        csv.as_bytes(),
        r#"{"input": {"columns": {"customerId": "who", "date": "when", "amount": "gross"}}}"#,
    );
    // A: 3.50 + 1 over two days, last 01-03; B: 4, last 01-02; asOf 01-04.
    expect(&a, &[("A", 4.5, 2, 1), ("B", 4.0, 1, 2)]);
    assert_eq!(a.report.rows_rejected["preamble"].rows, vec![1]);
}

/// The XLSX twin of title_rows.csv: a title merged over A1:E1, row 2 empty, the header on row 3.
fn title_rows_xlsx() -> Vec<u8> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(0, 0, 0, 4, "客户交易明细", &Format::new())
        .unwrap();
    let header = ["订单号", "客户ID", "下单时间", "实付金额", "省份"];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(2, u16::try_from(c).unwrap(), *h).unwrap();
    }
    let rows = [
        ("O1001", "C001", "2024-03-01", 120.50, "北京"),
        ("O1002", "C002", "2024-03-02", 80.00, "上海"),
        ("O1003", "C001", "2024-03-10", 45.25, "北京"),
        ("O1004", "C003", "2024-03-15", 200.00, "广东"),
        ("O1005", "C002", "2024-03-20", 19.75, "上海"),
    ];
    for (i, (o, c, d, a, p)) in rows.iter().enumerate() {
        let r = 3 + u32::try_from(i).unwrap();
        ws.write_string(r, 0, *o).unwrap();
        ws.write_string(r, 1, *c).unwrap();
        ws.write_string(r, 2, *d).unwrap();
        ws.write_number(r, 3, *a).unwrap();
        ws.write_string(r, 4, *p).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn xlsx_with_a_merged_title_row() {
    let a = run_bytes(&title_rows_xlsx(), "{}");
    expect_title_rows(&a);
    // The workbook reader skips the empty row 2: only the title is preamble, by its sheet row.
    assert_eq!(a.report.rows_read, 6);
    assert_eq!(a.report.rows_rejected["preamble"].rows, vec![1]);
    assert_eq!(decision(&a, "headerRow").value, "3");
    // Forced by its sheet row number, too.
    let a = run_bytes(&title_rows_xlsx(), r#"{"input": {"headerRow": 3}}"#);
    expect_title_rows(&a);
}

#[test]
fn total_and_subtotal_rows_are_set_aside() {
    // Before: `,合计,2024-12-31,235.50` was a customer "合计" and moved asOf to 2025-01-01.
    let a = run("total_rows.csv", "{}");
    // O1 C001 03-01 100 · O2 C002 03-05 50 · O3 Total Fitness Ltd 03-06 30 · O4 C001 03-10 20 ·
    // O5 C003 03-11 35.50; asOf = 03-12.
    expect(
        &a,
        &[
            ("C001", 120.0, 2, 2),
            ("C002", 50.0, 1, 7),
            ("C003", 35.5, 1, 1),
            ("Total Fitness Ltd", 30.0, 1, 6),
        ],
    );
    assert_eq!(a.report.as_of, "2024-03-12");
    let t = &a.report.rows_rejected["total_row"];
    // 小计 (first cell), 合计 (id cell, with a date), 总计： (trailing colon), Grand Total.
    assert_eq!((t.count, t.rows.clone()), (4, vec![5, 8, 9, 10]));
    assert_eq!(t.examples, ["小计", "合计", "总计：", "Grand Total"]);
    check_invariant(&a);
}

#[test]
fn total_rows_of_a_customer_level_file() {
    let csv = "会员ID,最近消费时间,消费次数,累计消费金额\nM1,2024-03-01,3,300\nM2,2024-03-04,1,50\n合计,2024-12-31,4,350\n";
    let a = run_bytes(csv.as_bytes(), "{}");
    // asOf = the day after 03-04.
    expect(&a, &[("M1", 300.0, 3, 4), ("M2", 50.0, 1, 1)]);
    assert_eq!(a.report.rows_rejected["total_row"].rows, vec![4]);
}

#[test]
fn discount_shipping_and_name_columns_do_not_take_roles() {
    // Before: 优惠金额（元） (the discount) was the amount and 客户名称 the id: 张三 15 over two orders,
    // 李四 0.
    let a = run("column_roles.csv", "{}");
    let cols: Vec<(String, String)> = a
        .report
        .input
        .columns
        .iter()
        .map(|m| (m.role.key().to_string(), m.column.clone()))
        .collect();
    assert!(
        cols.contains(&("amount".into(), "实付金额（元）".into())),
        "{cols:?}"
    );
    assert!(
        cols.contains(&("customerId".into(), "客户编码".into())),
        "{cols:?}"
    );
    // C001: O1 95.00 + O4 12.50, last 03-08; C002: 60.00 on 03-02; C003 (another 张三): 40.00 on
    // 03-05; asOf 03-09.
    expect(
        &a,
        &[
            ("C001", 107.5, 2, 1),
            ("C002", 60.0, 1, 7),
            ("C003", 40.0, 1, 4),
        ],
    );
    assert!(role_decision(&a, "amount").warning.is_none());
}

#[test]
fn the_same_header_twice_is_resolved_by_values_with_a_warning() {
    // Before: the first 客户 (names) was the id: the two 张三 merged into one customer of 125.
    let a = run("duplicate_names.csv", "{}");
    expect(
        &a,
        &[
            ("C001", 100.0, 1, 4),
            ("C002", 50.0, 1, 3),
            ("C003", 10.0, 1, 1),
            ("C004", 25.0, 1, 2),
        ],
    );
    let d = role_decision(&a, "customerId");
    let w = d.warning.as_ref().map(|w| w.message.as_str()).unwrap();
    assert!(
        w.contains("columns 1 and 2") && w.contains("input.columns.customerId"),
        "{w}"
    );
    assert!(a.report.warnings.iter().any(|x| x.code == "role_id_twins"
        && x.params["columns"] == "1, 2"
        && w.contains(&format!("column {} is used", x.params["chosen"]))
        && x.message == w));
    // The position override picks the other one, without a warning.
    let a = run(
        "duplicate_names.csv",
        r##"{"input": {"columns": {"customerId": "#1"}}}"##,
    );
    // 张三: 100 (03-01) + 25 (03-03); 李四 50 (03-02); 王五 10 (03-04); asOf 03-05.
    expect(
        &a,
        &[
            ("张三", 125.0, 2, 2),
            ("李四", 50.0, 1, 3),
            ("王五", 10.0, 1, 1),
        ],
    );
    assert!(role_decision(&a, "customerId").warning.is_none());
}

#[test]
fn competing_and_stand_in_columns_are_warned_about() {
    // Two paid-amount columns: the first synonym wins, the other is named in the warning.
    let csv = "customer_id,date,实付金额,订单金额\nA,2024-01-01,10,12\n";
    let a = run_bytes(csv.as_bytes(), "{}");
    let d = role_decision(&a, "amount");
    assert_eq!(d.value, "amount=实付金额");
    let w = d.warning.as_ref().map(|w| w.message.as_str()).unwrap();
    assert!(
        w.contains("订单金额") && w.contains("input.columns.amount"),
        "{w}"
    );
    // Only a name column: used as the id, with a warning; only an amount before discounts: the
    // same.
    let csv = "客户名称,日期,应付金额\n张三,2024-01-01,10\n";
    let a = run_bytes(csv.as_bytes(), "{}");
    expect(&a, &[("张三", 10.0, 1, 1)]);
    assert!(role_decision(&a, "customerId").warning.is_some());
    assert!(role_decision(&a, "amount").warning.is_some());
}

#[test]
fn repeats_without_an_order_id_are_kept_and_flagged() {
    // A 01-05 15 · A 01-05 15 · B 01-06 20 · A 02-01 10 · B 01-06 20; asOf 02-02.
    let a = run("duplicates_no_order.csv", "{}");
    // A: 15 + 15 + 10 over two days; B: 20 + 20 on one day.
    expect(&a, &[("A", 40.0, 2, 1), ("B", 40.0, 1, 27)]);
    assert_eq!(a.report.flags["duplicate_row"].rows, vec![3, 6]);
    assert!(!a.report.rows_rejected.contains_key("duplicate_row"));
    let d = decision(&a, "duplicates");
    assert_eq!(
        (d.value.as_str(), d.key.as_str()),
        ("keep", "clean.dropDuplicates")
    );
    // true keeps its meaning: A 15 + 10, B 20.
    let a = run(
        "duplicates_no_order.csv",
        r#"{"clean": {"dropDuplicates": true}}"#,
    );
    expect(&a, &[("A", 25.0, 2, 1), ("B", 20.0, 1, 27)]);
    assert_eq!(a.report.rows_rejected["duplicate_row"].rows, vec![3, 6]);
    // false: kept, not even flagged.
    let a = run(
        "duplicates_no_order.csv",
        r#"{"clean": {"dropDuplicates": false}}"#,
    );
    expect(&a, &[("A", 40.0, 2, 1), ("B", 40.0, 1, 27)]);
    assert!(a.report.flags.is_empty());
    assert!(Recipe::from_json(r#"{"clean": {"dropDuplicates": "sometimes"}}"#).is_err());
}

#[test]
fn repeats_with_an_order_id_are_dropped() {
    // O1 A 15 twice (one order line exported twice) · O2 B 20 · O3 A 10; asOf 02-02.
    let a = run("duplicates_with_order.csv", "{}");
    expect(&a, &[("A", 25.0, 2, 1), ("B", 20.0, 1, 27)]);
    assert_eq!(a.report.rows_rejected["duplicate_row"].rows, vec![3]);
    assert_eq!(decision(&a, "duplicates").value, "drop");
    check_invariant(&a);
}

#[test]
fn cdnow_identical_lines_are_real_repeat_purchases() {
    // 01668: 13.97 + 14.39 + 41.95 + 43.57 + 9.77 + 9.77 + 14.99 = 148.41 on 6 days, last
    // 1997-12-11. 03163: 44.30 + 36.99 + 15.99 + 59.98 + 11.99 + 12.99 + 46.98 + 13.99 + 13.99 +
    // 24.98 + 11.99 + 22.49 + 25.16 + 22.49 + 12.99 = 377.30 on 12 days, last 1998-03-25; asOf
    // 1998-03-26: recency 105 (1997-12-11 → 1998-03-26) and 1.
    let a = run("cdnow_repeats.csv", "{}");
    expect(&a, &[("01668", 148.41, 6, 105), ("03163", 377.3, 12, 1)]);
    assert_eq!(a.report.flags["duplicate_row"].count, 2);
    // Dropping them (the old default) loses 9.77 and 13.99.
    let a = run(
        "cdnow_repeats.csv",
        r#"{"clean": {"dropDuplicates": true}}"#,
    );
    expect(&a, &[("01668", 138.64, 6, 105), ("03163", 363.31, 12, 1)]);
}
