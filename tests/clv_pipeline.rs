//! The CLV models wired end to end (issue 14, part 1): the recipe's `clv` section through the
//! CLI and the library. Expected figures are the published CDNOW estimates (Fader, Hardie & Lee
//! 2005; `lifetimes`' tests) and tests/oracle/clv_oracle.py (holdout count, P(alive) and the
//! conditional expectation of customer 1, x = 2, tₓ = 30.43, T = 38.86), never tierlens' output.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::float_cmp,
    clippy::needless_range_loop
)]

#[path = "common/clv_cdnow.rs"]
mod cdnow;
#[path = "common/golden.rs"]
mod golden;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use tierlens::{Dataset, Plan};

/// Clustering and rules do not touch the CLV figures; off, to keep the runs short.
const BASE: &str = r#""cluster": {"enabled": false}, "explain": {"enabled": false}"#;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tierlens-clv-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn cdnow_csv() -> String {
    cdnow::csv()
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tierlens"))
        .args(args)
        .output()
        .unwrap()
}

/// `segment INPUT --out DIR/out --recipe DIR/recipe.json [extra]`; returns the output directory.
fn segment(dir: &Path, input: &str, recipe: &str, extra: &[&str]) -> PathBuf {
    let input_path = dir.join("input.csv");
    std::fs::write(&input_path, input).unwrap();
    let recipe_path = dir.join("recipe.json");
    std::fs::write(&recipe_path, recipe).unwrap();
    let out = dir.join("out");
    let mut args = vec![
        "segment",
        input_path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--recipe",
        recipe_path.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = run(&args);
    assert!(
        o.status.success(),
        "tierlens {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

/// customers.csv as a header and rows of cells (no quoted commas in these files).
fn table(out: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(out.join("customers.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    let rows = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn report(out: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap()
}

fn close(got: &Value, want: f64, tol: f64, what: &str) {
    let g = got.as_f64().unwrap_or_else(|| panic!("{what}: {got}"));
    assert!((g - want).abs() <= tol, "{what}: {g} vs {want}");
}

#[test]
fn the_cli_on_cdnow_reproduces_the_published_fit_and_the_holdout() {
    let dir = scratch("cdnow");
    let recipe = format!(
        r#"{{{BASE}, "clv": {{"calibrationEnd": "1997-09-30", "timeUnit": "week", "horizon": 39}}}}"#
    );
    let out = segment(&dir, &cdnow_csv(), &recipe, &[]);
    let r = report(&out);
    let clv = &r["clv"];
    assert_eq!(clv["model"], "bgnbd");
    assert_eq!(clv["timeUnit"], "week");
    assert_eq!(clv["calibrationEnd"], "1997-09-30");
    // Published to four decimals: r 0.2426, α 4.4136, a 0.7929, b 2.4259.
    let p = &clv["params"];
    for (k, v) in [
        ("r", 0.2426),
        ("alpha", 4.4136),
        ("a", 0.7929),
        ("b", 2.4259),
    ] {
        close(&p[k], v, 5e-5, k);
    }
    // The paper's log-likelihood, −9582.4.
    close(&clv["logLikelihood"], -9582.4, 0.05, "logLikelihood");
    assert_eq!(clv["customers"], 2357);
    // Gamma-Gamma on the repeat purchase days: p 6.2496, q 3.7442, v 15.4435.
    let s = &clv["spend"]["params"];
    for (k, v) in [("p", 6.2496), ("q", 3.7442), ("v", 15.4435)] {
        close(&s[k], v, 5e-5, k);
    }
    // clv_oracle.py: 1882 repeat purchase days after 1997-09-30.
    let h = &clv["holdout"];
    assert_eq!(h["actual"], 1882);
    assert_eq!(h["end"], "1998-06-30");
    // The oracle's Σ E[Y(39)] at the rounded published parameters: 1653.95.
    close(&h["predicted"], 1653.95, 2.0, "holdout predicted");
    let tracking = h["tracking"].as_array().unwrap();
    assert_eq!(tracking.last().unwrap()["actual"], 1882);
    // Groups: every customer is in one segment and one tier, and the sums add up to the total.
    for by in ["bySegment", "byTier"] {
        let groups = clv[by].as_array().unwrap();
        let n: u64 = groups
            .iter()
            .map(|g| g["customers"].as_u64().unwrap())
            .sum();
        assert_eq!(n, 2357, "{by}");
        let e: f64 = groups
            .iter()
            .map(|g| g["expectedOrders"].as_f64().unwrap())
            .sum();
        close(
            &Value::from(e),
            clv["expectedOrders"].as_f64().unwrap(),
            1e-6,
            by,
        );
    }

    let (header, rows) = table(&out);
    let n = header.len();
    assert_eq!(
        header[n - 4..],
        ["p_alive", "expected_orders", "expected_spend", "clv"],
        "the CLV columns come last"
    );
    assert_eq!(rows.len(), 2357);
    // Counted from the end: an action text may hold a quoted comma.
    for row in &rows {
        let p: f64 = row[row.len() - 4].parse().unwrap();
        assert!((0.0..=1.0).contains(&p), "{row:?}");
    }
    // Customer 1: x = 2, tₓ = 30.43, T = 38.86 weeks. clv_oracle.py at the published parameters:
    // P(alive) 0.726579, E[Y(39)] 1.226028 (Hardie's sheet: 1.226).
    let one = rows.iter().find(|r| r[0] == "1").unwrap();
    let n = one.len();
    close(
        &Value::from(one[n - 4].parse::<f64>().unwrap()),
        0.726579,
        2e-3,
        "p_alive",
    );
    close(
        &Value::from(one[n - 3].parse::<f64>().unwrap()),
        1.226028,
        2e-3,
        "E[Y(39)]",
    );
    for f in ["customers.csv", "report.json"] {
        let text = std::fs::read_to_string(out.join(f)).unwrap();
        assert!(!text.contains("NaN") && !text.contains("inf"), "{f}");
    }
}

#[test]
fn one_time_buyers_give_the_warning_and_no_columns() {
    let dir = scratch("once");
    let mut csv = String::from("customer_id,date,amount\n");
    for i in 0..50 {
        csv.push_str(&format!(
            "c{i:02},2024-0{}-1{},{}\n",
            1 + i % 9,
            i % 10,
            10 + i
        ));
    }
    let out = segment(&dir, &csv, &format!("{{{BASE}}}"), &["--clv"]);
    let r = report(&out);
    assert!(r.get("clv").is_none(), "no clv section: {}", r["clv"]);
    let warning = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "clv_not_identifiable")
        .expect("the warning");
    assert_eq!(warning["params"]["repeaters"], "0");
    let (header, rows) = table(&out);
    assert!(
        !header.iter().any(|h| h == "p_alive" || h == "clv"),
        "{header:?}"
    );
    assert_eq!(rows.len(), 50);
    for f in ["customers.csv", "report.json"] {
        let text = std::fs::read_to_string(out.join(f)).unwrap();
        assert!(!text.contains("NaN"), "{f}");
    }
}

/// The sample data (two years of orders), loaded with and without the clv section.
fn sample() -> Vec<u8> {
    tierlens::sample::generate(&tierlens::sample::SampleOptions {
        customers: 300,
        ..Default::default()
    })
    .into_bytes()
}

#[test]
fn the_columns_are_added_after_the_others_and_nothing_else_changes() {
    let bytes = sample();
    let off = Plan::from_json(&format!("{{{BASE}}}")).unwrap();
    let on = Plan::from_json(&format!(r#"{{{BASE}, "clv": {{}}}}"#)).unwrap();
    let a = tierlens::segment(&bytes, off.recipe()).unwrap();
    let b = tierlens::segment(&bytes, on.recipe()).unwrap();
    assert!(b.report.clv.is_some(), "{:?}", b.report.warnings);
    let off_csv = String::from_utf8(a.customers_csv()).unwrap();
    let on_csv = String::from_utf8(b.customers_csv()).unwrap();
    let (off_lines, on_lines): (Vec<&str>, Vec<&str>) = (
        off_csv.split("\r\n").collect(),
        on_csv.split("\r\n").collect(),
    );
    assert_eq!(off_lines.len(), on_lines.len());
    for (x, y) in off_lines.iter().zip(&on_lines) {
        if x.is_empty() {
            assert!(y.is_empty());
            continue;
        }
        assert!(y.starts_with(&format!("{x},")), "{x} / {y}");
        assert_eq!(y.matches(',').count(), x.matches(',').count() + 4, "{y}");
    }
    assert!(on_lines[0].ends_with(",p_alive,expected_orders,expected_spend,clv"));
}

#[test]
fn the_probabilistic_lifecycle_follows_p_alive_and_the_threshold() {
    let bytes = sample();
    let plan = Plan::from_json(&format!(
        r#"{{{BASE}, "clv": {{"pAliveThreshold": 0.6}}, "lifecycle": {{"mode": "probabilistic"}}}}"#
    ))
    .unwrap();
    let a = tierlens::segment(&bytes, plan.recipe()).unwrap();
    let figures = a.clv_figures().expect("figures");
    let c = &a.classes;
    assert_eq!(
        c.lifecycle_names,
        ["Prospect", "New", "Active", "At Risk", "Unscored"]
    );
    let (mut active, mut at_risk) = (0, 0);
    for i in 0..a.customers.len() {
        let stage = c.lifecycle_names[usize::from(c.lifecycle[i])].as_str();
        let new = a.customers.tenure_days[i] <= 30;
        match (new, figures[i]) {
            (true, _) => assert_eq!(stage, "New"),
            (false, Some(f)) if f.p_alive >= 0.6 => {
                active += 1;
                assert_eq!(stage, "Active", "{i}: {}", f.p_alive);
            }
            (false, Some(f)) => {
                at_risk += 1;
                assert_eq!(stage, "At Risk", "{i}: {}", f.p_alive);
            }
            (false, None) => assert_eq!(stage, "Unscored"),
        }
    }
    assert!(active > 0 && at_risk > 0, "{active} / {at_risk}");
}

#[test]
fn clv_settings_are_coded_and_the_fit_is_reused() {
    let bytes = sample();
    let on = Plan::from_json(&format!(r#"{{{BASE}, "clv": {{}}}}"#)).unwrap();
    let dataset = Dataset::from_bytes(&bytes, &on).unwrap();
    let first = dataset.analyze(&on).unwrap();
    assert_eq!(dataset.clv_fits(), 1);
    // Other settings, and the threshold (read only by the lifecycle), do not refit.
    let other = Plan::from_json(&format!(
        r#"{{{BASE}, "valueTiers": {{"paretoPercent": 10}}, "clv": {{"pAliveThreshold": 0.5}}}}"#
    ))
    .unwrap();
    let second = dataset.analyze(&other).unwrap();
    assert_eq!(dataset.clv_fits(), 1);
    assert_eq!(
        first.report.clv.as_ref().unwrap().params,
        second.report.clv.as_ref().unwrap().params
    );
    let horizon = Plan::from_json(&format!(r#"{{{BASE}, "clv": {{"horizon": 26}}}}"#)).unwrap();
    dataset.analyze(&horizon).unwrap();
    assert_eq!(dataset.clv_fits(), 2);

    // A calibration end after the default analysis date (known only from the data).
    let late = Plan::from_json(&format!(
        r#"{{{BASE}, "clv": {{"calibrationEnd": "2099-01-01"}}}}"#
    ))
    .unwrap();
    let e = dataset.analyze(&late).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("clv_calibration_end", Some("clv.calibrationEnd"))
    );
    // Loaded without the section: its purchases were not kept.
    let off = Plan::from_json(&format!("{{{BASE}}}")).unwrap();
    let bare = Dataset::from_bytes(&bytes, &off).unwrap();
    let e = bare.analyze(&on).unwrap_err();
    assert_eq!((e.code(), e.field()), ("clv_not_loaded", Some("clv")));
    // The CLI refuses a bad setting with exit 1 and the setting's message.
    let dir = scratch("bad");
    std::fs::write(dir.join("input.csv"), &bytes).unwrap();
    std::fs::write(dir.join("r.json"), r#"{"clv": {"timeUnit": "year"}}"#).unwrap();
    let o = run(&[
        "segment",
        dir.join("input.csv").to_str().unwrap(),
        "--out",
        dir.join("out").to_str().unwrap(),
        "--recipe",
        dir.join("r.json").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("clv.timeUnit"));
}

#[test]
fn the_pipeline_figures_match_the_golden_files_the_wasm_test_checks() {
    let a = tierlens::segment(
        cdnow::csv().as_bytes(),
        &tierlens::Recipe::from_json(cdnow::PIPELINE_RECIPE).unwrap(),
    )
    .unwrap();
    let figures = a.clv_figures().unwrap();
    let arrays: [Vec<Option<f64>>; 4] = [
        figures.iter().map(|c| c.map(|c| c.p_alive)).collect(),
        figures
            .iter()
            .map(|c| c.and_then(|c| c.expected_orders))
            .collect(),
        figures
            .iter()
            .map(|c| c.and_then(|c| c.expected_spend))
            .collect(),
        figures.iter().map(|c| c.and_then(|c| c.clv)).collect(),
    ];
    let csv = String::from_utf8(a.customers_csv()).unwrap();
    golden::check(
        "cdnow-customers.csv",
        cdnow::PIPELINE_CSV_GOLDEN,
        &csv,
        "clv_pipeline",
    );
    golden::check(
        "cdnow-clv-figures.txt",
        cdnow::PIPELINE_FIGURES_GOLDEN,
        &cdnow::figures_text(&arrays),
        "clv_pipeline",
    );
}
