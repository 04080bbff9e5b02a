//! Issue 10's real-world corpus against its independent oracle.
//!
//! `tests/fixtures/realworld/corpus/` holds one export per case of issue 10 (made by
//! `tests/oracle/make_corpus.py`) and `manifest.json` says what tierlens must do with each: read it with a
//! recipe, or refuse it with an error code and a message naming the recipe key. The expected per-customer
//! figures (`tests/oracle/expected/<case>.csv`, `summary.json`) come from `tests/oracle/oracle.py`, a pandas
//! script that reads each file the way an analyst who knows it would — never from tierlens. One test per
//! case, so a failing run names the cases; each failure message lists every difference found.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::Value;
use tierlens::{segment, Analysis, Recipe};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn manifest() -> Vec<Value> {
    let path = root().join("tests/fixtures/realworld/corpus/manifest.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v["cases"].as_array().unwrap().clone()
}

fn case(name: &str) -> Value {
    manifest()
        .into_iter()
        .find(|c| c["case"] == name)
        .unwrap_or_else(|| panic!("no case {name} in manifest.json"))
}

/// One expected customer: (recency, frequency, monetary).
type Figures = (i64, u64, f64);

fn expected(name: &str) -> BTreeMap<String, Figures> {
    let path = root().join(format!("tests/oracle/expected/{name}.csv"));
    let mut r = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        out.insert(
            rec[0].to_string(),
            (
                rec[1].parse().unwrap(),
                rec[2].parse().unwrap(),
                rec[3].parse().unwrap(),
            ),
        );
    }
    out
}

fn summary(name: &str) -> Value {
    let text = std::fs::read_to_string(root().join("tests/oracle/expected/summary.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v[name].clone()
}

fn run(c: &Value) -> tierlens::Result<Analysis> {
    let file = root()
        .join("tests/fixtures/realworld/corpus")
        .join(c["file"].as_str().unwrap());
    let bytes = std::fs::read(&file).unwrap();
    // A recipe key the engine does not know yet (input.dateFormat) is a failure of the case, not a panic.
    let recipe = Recipe::from_json(&c["recipe"].to_string())?;
    segment(&bytes, &recipe)
}

/// Shows an id with its invisible characters visible.
fn show(id: &str) -> String {
    format!("{id:?}")
}

/// Differences between tierlens' customers and the oracle's, as lines of text.
fn compare_figures(a: &Analysis, want: &BTreeMap<String, Figures>, out: &mut Vec<String>) {
    let c = &a.customers;
    let got: BTreeMap<&str, usize> = c
        .ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let missing: Vec<String> = want
        .keys()
        .filter(|k| !got.contains_key(k.as_str()))
        .map(|k| show(k))
        .collect();
    let extra: Vec<String> = got
        .keys()
        .filter(|k| !want.contains_key(**k))
        .map(|k| show(k))
        .collect();
    if c.len() != want.len() || !missing.is_empty() || !extra.is_empty() {
        out.push(format!(
            "customers: {} read, {} expected; {} expected ids missing (e.g. {}); {} unexpected ids (e.g. {})",
            c.len(),
            want.len(),
            missing.len(),
            missing.iter().take(4).cloned().collect::<Vec<_>>().join(", "),
            extra.len(),
            extra.iter().take(4).cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    let (mut r, mut f, mut m) = (Vec::new(), Vec::new(), Vec::new());
    for (id, &(rec, freq, mon)) in want {
        let Some(&i) = got.get(id.as_str()) else {
            continue;
        };
        let (gr, gf, gm) = (
            i64::from(c.recency_days[i]),
            u64::from(c.frequency[i]),
            c.monetary[i],
        );
        if gr != rec {
            r.push(format!("{}: {gr} (want {rec})", show(id)));
        }
        if gf != freq {
            f.push(format!("{}: {gf} (want {freq})", show(id)));
        }
        if (gm - mon).abs() > 1e-6 {
            m.push(format!("{}: {gm} (want {mon})", show(id)));
        }
    }
    for (what, v) in [("recency_days", r), ("frequency", f), ("monetary", m)] {
        if !v.is_empty() {
            out.push(format!(
                "{what} wrong for {} customers, e.g. {}",
                v.len(),
                v.iter().take(3).cloned().collect::<Vec<_>>().join("; ")
            ));
        }
    }
}

fn compare_accounting(a: &Analysis, c: &Value, want: &Value, out: &mut Vec<String>) {
    let r = &a.report;
    // The generator's asOf (where the case is about it) and the oracle's must agree with tierlens.
    let mut as_ofs: Vec<&str> = [&c["as_of"], &want["as_of"]]
        .into_iter()
        .filter_map(Value::as_str)
        .collect();
    as_ofs.dedup();
    for as_of in as_ofs {
        if r.as_of != as_of {
            out.push(format!("asOf {} (want {as_of})", r.as_of));
        }
    }
    if let Some(used) = want["rows_used"].as_u64() {
        if r.rows_used != used {
            out.push(format!("rows_used {} (want {used})", r.rows_used));
        }
    }
    let rejected: u64 = r.rows_rejected.values().map(|x| x.count).sum();
    if r.rows_read != r.rows_used + rejected {
        out.push(format!(
            "rows_read {} != rows_used {} + rejected {rejected}",
            r.rows_read, r.rows_used
        ));
    }
    if let Some(planted) = c["rows_rejected"].as_object() {
        let got: BTreeMap<&str, u64> = r
            .rows_rejected
            .iter()
            .filter(|(_, x)| x.count > 0)
            .map(|(k, x)| (k.as_str(), x.count))
            .collect();
        let want: BTreeMap<&str, u64> = planted
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_u64().unwrap()))
            .collect();
        if got != want {
            out.push(format!("rows_rejected {got:?} (want {want:?})"));
        }
    }
    for code in c["warn"].as_array().into_iter().flatten() {
        let code = code.as_str().unwrap();
        let warned = r
            .input
            .decisions
            .iter()
            .any(|d| d.code == code && d.warning.is_some());
        if !warned {
            out.push(format!("no warning on decision {code:?}"));
        }
    }
}

fn check_refusal(e: &tierlens::Error, spec: &Value, out: &mut Vec<String>) {
    let msg = e.to_string();
    if let Some(code) = spec["error_code"].as_str() {
        if e.code() != code {
            out.push(format!("refused with {} (want {code}): {msg}", e.code()));
        }
    }
    if let Some(key) = spec["key"].as_str() {
        if !msg.contains(key) {
            out.push(format!("the message does not name {key}: {msg}"));
        }
    }
    if let Some(row) = spec["row"].as_u64() {
        if e.row() != Some(row) {
            out.push(format!("refused at row {:?} (want {row}): {msg}", e.row()));
        }
    }
}

/// Runs one manifest case; panics with every difference from the oracle.
fn check(name: &str) {
    let c = case(name);
    let mut out = Vec::new();
    let alt = &c["alternative"];
    match (c["action"].as_str().unwrap(), run(&c)) {
        ("read", Ok(a)) => {
            compare_figures(&a, &expected(name), &mut out);
            compare_accounting(&a, &c, &summary(name), &mut out);
        }
        ("read", Err(e)) if alt["action"] == "refuse" => check_refusal(&e, alt, &mut out),
        ("read", Err(e)) => out.push(format!("refused ({}): {e}", e.code())),
        ("refuse", Err(e)) => check_refusal(&e, &c, &mut out),
        ("refuse", Ok(a)) if alt["action"] == "read" => {
            // The other honest outcome: the named rows set aside, every other row read.
            compare_figures(&a, &expected(name), &mut out);
            let mut no_planted = c.clone();
            no_planted["rows_rejected"] = Value::Null;
            compare_accounting(&a, &no_planted, &summary(name), &mut out);
            for row in alt["rejected_rows"].as_array().into_iter().flatten() {
                let row = row.as_u64().unwrap();
                if !a
                    .report
                    .rows_rejected
                    .values()
                    .any(|x| x.rows.contains(&row))
                {
                    out.push(format!("row {row} is not among the rejected rows"));
                }
            }
        }
        ("refuse", Ok(a)) => out.push(format!(
            "read {} customers (exit 0) instead of refusing",
            a.customers.len()
        )),
        (other, _) => panic!("unknown action {other}"),
    }
    if !out.is_empty() {
        let mut msg = format!("case {name} ({}):", c["what"].as_str().unwrap_or(""));
        for line in out {
            let _ = write!(msg, "\n  - {line}");
        }
        panic!("{msg}");
    }
}

macro_rules! cases {
    ($($f:ident => $name:literal,)*) => {
        $(#[test] fn $f() { check($name); })*
        /// Every case of the manifest has its test above (a new case without one fails here).
        #[test]
        fn every_manifest_case_has_a_test() {
            let mine = [$($name),*];
            let missing: Vec<String> = manifest()
                .iter()
                .map(|c| c["case"].as_str().unwrap().to_string())
                .filter(|n| !mine.contains(&n.as_str()))
                .collect();
            assert!(missing.is_empty(), "manifest cases without a test: {missing:?}");
        }
    };
}

cases! {
    c01_title_rows_zh => "01_title_rows_zh",
    c01_title_rows_en => "01_title_rows_en",
    c01_title_rows_xlsx => "01_title_rows_xlsx",
    c02_totals_zh => "02_totals_zh",
    c02_totals_en => "02_totals_en",
    c03_uci_mdy => "03_uci_mdy",
    c03_german_decimal => "03_german_decimal",
    c03_ambiguous_dates_refused => "03_ambiguous_dates_refused",
    c03_ambiguous_dates_forced_dmy => "03_ambiguous_dates_forced_dmy",
    c03_ambiguous_decimal_refused => "03_ambiguous_decimal_refused",
    c04_unclosed_quote => "04_unclosed_quote",
    c05_paid_vs_discount => "05_paid_vs_discount",
    c05_customer_twice => "05_customer_twice",
    c05_name_beside_id => "05_name_beside_id",
    c05_units_en => "05_units_en",
    c06_gbk_late => "06_gbk_late",
    c07_quarterly_sheets => "07_quarterly_sheets",
    c08_repeats_no_order_id => "08_repeats_no_order_id",
    c08_exported_twice_with_order_id => "08_exported_twice_with_order_id",
    c09_legacy_runs => "09_legacy_runs",
    c09_fixed_width => "09_fixed_width",
    c10_float_ids => "10_float_ids",
    c10_id_variants => "10_id_variants",
    c11_zero_amount_orders => "11_zero_amount_orders",
    c11_zero_amount_days => "11_zero_amount_days",
    c12_dates_mon_d_yyyy => "12_dates_mon_d_yyyy",
    c12_dates_dd_mon_yyyy => "12_dates_dd_mon_yyyy",
    c12_dates_d_month_yyyy => "12_dates_d_month_yyyy",
    c12_amounts_wan_yuan => "12_amounts_wan_yuan",
    c12_dates_custom_format => "12_dates_custom_format",
}
