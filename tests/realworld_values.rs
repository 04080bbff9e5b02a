//! Issue 10, cases 3, 10, 11 and 12: value decisions made from every row. Each fixture in
//! tests/fixtures/realworld (written by make_values_fixtures.py) has its expected per-customer
//! figures computed by that script, independently of tierlens.
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

fn recipe(json: &str) -> Recipe {
    let mut r = Recipe::from_json(json).unwrap();
    r.cluster.enabled = false;
    r.explain.enabled = false;
    r
}

fn run(name: &str, json: &str) -> Analysis {
    tierlens::segment(&fixture(name), &recipe(json)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Compares id, recency, frequency and monetary with NAME.expected.csv.
fn check_expected(name: &str, a: &Analysis) {
    let expected = String::from_utf8(fixture(&name.replace(".csv", ".expected.csv"))).unwrap();
    let c = &a.customers;
    let mut n = 0;
    for (i, line) in expected.lines().skip(1).enumerate() {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(c.ids[i], f[0], "{name}: customer {i}");
        assert_eq!(
            c.recency_days[i].to_string(),
            f[1],
            "{name}: recency of {}",
            f[0]
        );
        assert_eq!(
            c.frequency[i].to_string(),
            f[2],
            "{name}: frequency of {}",
            f[0]
        );
        let m: f64 = f[3].parse().unwrap();
        assert!(
            (c.monetary[i] - m).abs() < 1e-6,
            "{name}: monetary of {}: {} vs {m}",
            f[0],
            c.monetary[i]
        );
        n += 1;
    }
    assert_eq!(c.len(), n, "{name}: customer count");
}

fn decision<'a>(a: &'a Analysis, code: &str) -> &'a tierlens::ingest::Decision {
    a.report
        .input
        .decisions
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} decision"))
}

/// The data rows of a CSV reversed and rotated: the same customers.csv is expected.
fn shuffled(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines.remove(0);
    lines.reverse();
    let mid = lines.len() / 3;
    lines.rotate_left(mid);
    let mut out = String::from(header);
    for l in lines {
        out.push('\n');
        out.push_str(l);
    }
    out.push('\n');
    out.into_bytes()
}

fn order_independent(name: &str, json: &str) {
    let r = recipe(json);
    let a = tierlens::segment(&fixture(name), &r).unwrap();
    let b = tierlens::segment(&shuffled(&fixture(name)), &r).unwrap();
    assert_eq!(a.customers_csv(), b.customers_csv(), "{name}");
    assert_eq!(a.report.input.decisions, b.report.input.decisions, "{name}");
}

#[test]
fn uci_in_natural_order_is_read_month_first_from_the_whole_column() {
    // The first 600 lines are all 12/1/2010: day-first from them read 12 January and rejected
    // every later line with a month-first day above 12.
    let a = run("uci_natural_order.csv", "{}");
    check_expected("uci_natural_order.csv", &a);
    let d = decision(&a, "dateOrder");
    assert_eq!((d.value.as_str(), d.basis), ("mdy", Basis::File));
    assert!(d.warning.is_none(), "{:?}", d.warning);
    assert!(!a.report.rows_rejected.contains_key("bad_date"));
    assert_eq!(a.report.as_of, "2011-03-31");
    order_independent("uci_natural_order.csv", "{}");
}

#[test]
fn german_decimal_comma_is_settled_by_later_values() {
    let a = run("german_amounts.csv", "{}");
    check_expected("german_amounts.csv", &a);
    let d = decision(&a, "decimalSeparator");
    assert_eq!((d.value.as_str(), d.basis), (",", Basis::File));
    assert!(
        d.evidence.contains("300 with a decimal comma"),
        "{}",
        d.evidence
    );
    assert!(d.evidence.contains("either way"), "{}", d.evidence);
    order_independent("german_amounts.csv", "{}");
}

#[test]
fn a_column_that_cannot_settle_the_separator_is_refused() {
    let e = tierlens::segment(&fixture("german_ambiguous.csv"), &recipe("{}")).unwrap_err();
    assert_eq!(e.code(), "ambiguous_decimal");
    assert_eq!(e.field(), Some("input.decimalSeparator"));
    assert_eq!(e.column(), Some("Betrag"));
    let a = run(
        "german_ambiguous.csv",
        r#"{"input": {"decimalSeparator": ","}}"#,
    );
    assert_eq!(a.customers.ids, ["K1", "K2"]);
    assert_eq!(a.customers.monetary, [15_500.0, 1_250.0]);
    let a = run(
        "german_ambiguous.csv",
        r#"{"input": {"decimalSeparator": "."}}"#,
    );
    assert_eq!(a.customers.monetary, [15.5, 1.25]);
    assert_eq!(decision(&a, "decimalSeparator").basis, Basis::Recipe);
}

#[test]
fn dates_that_read_either_way_are_refused_unless_the_recipe_says() {
    let e = tierlens::segment(&fixture("ambiguous_only_dates.csv"), &recipe("{}")).unwrap_err();
    assert_eq!(e.code(), "ambiguous_dates");
    assert_eq!(e.column(), Some("date"));
    assert!(e.to_string().contains("input.dateOrder"), "{e}");
    // 07/07/2024 reads the same either way; the other three do not.
    assert!(e.to_string().contains("3 values"), "{e}");
    let a = run(
        "ambiguous_only_dates.csv",
        r#"{"input": {"dateOrder": "mdy"}}"#,
    );
    check_expected("ambiguous_only_dates.csv", &a);
}

#[test]
fn float_written_ids_are_integers_when_the_whole_column_is() {
    let a = run("float_ids.csv", "{}");
    check_expected("float_ids.csv", &a);
    let d = decision(&a, "customerIds");
    assert_eq!((d.value.as_str(), d.basis), ("integers", Basis::File));
    assert_eq!(a.report.rows_rejected["missing_customer_id"].count, 1);
    let kept = run(
        "float_ids.csv",
        r#"{"input": {"customerIds": "asWritten"}}"#,
    );
    assert_eq!(
        kept.customers.ids,
        ["12346", "12346.0", "12347", "12347.0", "12348.00"]
    );
    order_independent("float_ids.csv", "{}");
}

#[test]
fn ids_differing_only_by_case_width_or_invisibles_are_flagged_not_merged() {
    let a = run("id_variants.csv", "{}");
    check_expected("id_variants.csv", &a);
    let flag = &a.report.flags["customer_id_variant"];
    assert_eq!(flag.count, 4);
    assert_eq!(flag.examples.len(), 1);
    for id in ["\"AB12\"", "\"ab12\"", "\"ＡＢ12\"", "\"AB\\u{200b}12\""] {
        assert!(flag.examples[0].contains(id), "{id} in {:?}", flag.examples);
    }
    assert!(a
        .report
        .warnings
        .iter()
        .any(|w| w.code == "customer_id_variants"
            && w.params["count"] == "4"
            && w.params["groups"] == "1"
            && w.message.contains("4 customer ids in 1 groups")));
}

#[test]
fn a_free_order_is_an_order_and_an_order_returned_to_zero_is_not() {
    let a = run("zero_amounts.csv", "{}");
    check_expected("zero_amounts.csv", &a);
    // Dropping zero amounts leaves Z1 without any row, and M1 with two orders.
    let a = run(
        "zero_amounts.csv",
        r#"{"clean": {"dropZeroAmounts": true}}"#,
    );
    assert_eq!(a.customers.ids, ["M1", "N1", "R1"]);
    assert_eq!(a.customers.frequency, [2, 1, 1]);
    order_independent("zero_amounts.csv", "{}");
}

#[test]
fn month_names_and_chinese_amount_units() {
    let a = run("more_formats.csv", "{}");
    check_expected("more_formats.csv", &a);
    assert_eq!(decision(&a, "decimalSeparator").value, ".");
    order_independent("more_formats.csv", "{}");
}

#[test]
fn a_date_pattern_reads_what_no_built_in_reader_does() {
    let e = tierlens::segment(&fixture("ddmmyyyy.csv"), &recipe("{}")).unwrap_err();
    assert_eq!(e.code(), "no_usable_rows");
    let a = run("ddmmyyyy.csv", r#"{"input": {"dateFormat": "%d%m%Y"}}"#);
    check_expected("ddmmyyyy.csv", &a);
    assert_eq!(decision(&a, "dateFormat").value, "%d%m%Y");
    let e = tierlens::Plan::from_json(r#"{"input": {"dateFormat": "%d%m"}}"#).unwrap_err();
    assert_eq!(e.field(), Some("input.dateFormat"));
}

#[test]
fn a_one_time_stream_decides_from_its_first_rows_and_says_so() {
    // 600 ambiguous first lines: a one-pass load cannot see the later, deciding ones.
    let bytes = fixture("uci_natural_order.csv");
    let r = recipe("{}");
    let mut loader = tierlens::Loader::new(&r).unwrap();
    assert_eq!(loader.passes(), 1);
    for chunk in bytes.chunks(4096) {
        loader.push(chunk).unwrap();
    }
    let a = loader.finish().unwrap().analyze(&r).unwrap();
    let d = decision(&a, "dateOrder");
    assert_eq!((d.value.as_str(), d.basis), ("dmy", Basis::Default));
    assert!(
        d.evidence.starts_with("first 500 rows only"),
        "{}",
        d.evidence
    );
    assert!(a
        .report
        .warnings
        .iter()
        .any(|w| w.code == "one_pass_stream"));
    assert!(a.report.rows_rejected["bad_date"].count > 0);
}

#[test]
fn value_fit_counts_every_row_not_the_first_ones() {
    // 400 readable dates first, then 700 that are not: the first 500 rows say 80 %, the file 36 %.
    let mut text = String::from("customer_id,date,amount\n");
    for i in 0..1100 {
        let date = if i < 400 { "2024-03-05" } else { "n/a" };
        text.push_str(&format!("C{},{date},{}.5\n", i % 50, i % 9 + 1));
    }
    let r = recipe("{}");
    let a = tierlens::segment(text.as_bytes(), &r).unwrap();
    let date = a
        .report
        .input
        .columns
        .iter()
        .find(|m| m.column == "date")
        .unwrap();
    assert_eq!(date.value_fit, Some(0.36));
    assert!(
        a.report.warnings.iter().any(|w| w.code == "weak_role_fit"
            && w.params["percent"] == "36"
            && w.message.contains("only 36 %")),
        "{:?}",
        a.report.warnings
    );
    let b = tierlens::segment(&shuffled(text.as_bytes()), &r).unwrap();
    let fits = |a: &Analysis| -> Vec<Option<f64>> {
        a.report.input.columns.iter().map(|m| m.value_fit).collect()
    };
    assert_eq!(fits(&a), fits(&b));
}

#[test]
fn attribute_kinds_come_from_every_value() {
    // An extra column that is numeric for the first 500 rows and text after: categorical, and so
    // in every order of the rows (the first 500 rows alone said numeric).
    let mut text = String::from("customer_id,date,amount,channel\n");
    for i in 0..1100 {
        let channel = if i < 500 {
            format!("{}", i % 7)
        } else {
            "web".to_string()
        };
        text.push_str(&format!(
            "C{},2024-03-{:02},{}.5,{channel}\n",
            i % 50,
            i % 28 + 1,
            i % 9 + 1
        ));
    }
    let r = recipe("{}");
    for bytes in [text.clone().into_bytes(), shuffled(text.as_bytes())] {
        let a = tierlens::segment(&bytes, &r).unwrap();
        let attr = &a.customers.attributes[0];
        assert_eq!(attr.name, "channel");
        assert_eq!(attr.kind, tierlens::features::AttributeKind::Categorical);
    }
}
