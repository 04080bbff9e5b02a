//! Issue 11: a file whose dates write the year first (`1997年1月1日`, `2024-12-31`) has no
//! day/month question. The `dateOrder` decision says `ymd` and the dates summary says the order
//! did not matter, instead of "day first (31/12/2024)". The dates are read by hand below.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use tierlens::ingest::Basis;
use tierlens::{Analysis, Recipe};

#[path = "common/fixtures.rs"]
mod fixtures;

fn run(name: &str, json: &str) -> Analysis {
    let mut r = Recipe::from_json(json).unwrap();
    r.cluster.enabled = false;
    r.explain.enabled = false;
    tierlens::segment(&fixtures::read("dates", name), &r).unwrap()
}

fn date_order(a: &Analysis) -> &tierlens::ingest::Decision {
    a.report
        .input
        .decisions
        .iter()
        .find(|d| d.code == "dateOrder")
        .expect("a dateOrder decision")
}

#[test]
fn chinese_year_first_dates_are_ymd_and_the_order_did_not_matter() {
    let a = run("chinese_year_first.csv", "{}");
    let d = date_order(&a);
    assert_eq!((d.value.as_str(), d.basis), ("ymd", Basis::File));
    assert!(d.warning.is_none(), "{:?}", d.warning);
    assert!(
        d.evidence.contains("4 write the year first"),
        "{}",
        d.evidence
    );
    let dates = &a.report.input.dates;
    assert!(!dates.order_matters && dates.year_first);
    let json = serde_json::to_value(&a.report).unwrap();
    assert_eq!(json["input"]["dates"]["orderMatters"], false);
    assert_eq!(json["input"]["dates"]["yearFirst"], true);
    // 1997年1月1日 … 1998年2月3日, read by hand: nothing set aside.
    assert_eq!(
        a.report.input.date_range,
        Some(["1997-01-01".to_string(), "1998-02-03".to_string()])
    );
    assert!(
        a.report.rows_rejected.is_empty(),
        "{:?}",
        a.report.rows_rejected
    );
}

#[test]
fn iso_dates_are_ymd_too() {
    let d = run("iso_year_first.csv", "{}");
    assert_eq!(date_order(&d).value, "ymd");
    assert!(!d.report.input.dates.order_matters);
}

#[test]
fn a_recipe_order_is_shown_as_set_and_day_month_dates_still_matter() {
    let a = run("iso_year_first.csv", r#"{"input":{"dateOrder":"mdy"}}"#);
    assert_eq!(
        (date_order(&a).value.as_str(), date_order(&a).basis),
        ("mdy", Basis::Recipe)
    );
    assert!(!a.report.input.dates.order_matters);
}

#[test]
fn day_month_dates_keep_their_order_and_it_matters() {
    let mut r = Recipe::from_json("{}").unwrap();
    r.cluster.enabled = false;
    r.explain.enabled = false;
    let csv = b"customer_id,date,amount\nA,31/12/2024,10\nB,02/03/2024,5\n";
    let a = tierlens::segment(csv, &r).unwrap();
    assert_eq!(date_order(&a).value, "dmy");
    assert!(a.report.input.dates.order_matters && !a.report.input.dates.year_first);
}
