//! Migration through the JS face gives the native bytes: `migration.json` and `movers.csv` of the
//! sample fixture equal the golden files the native CLI writes (tests/migration.rs checks those
//! against the CLI). Run by `cargo test --target wasm32-unknown-unknown --test migration_wasm`;
//! native `cargo test` compiles this file to nothing.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use js_sys::Reflect;
use tierlens::wasm::{earlier_recipe, Dataset, Loader};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

const SAMPLE: &[u8] = include_bytes!("fixtures/migration/sample.csv");
const RECIPE: &str = include_str!("fixtures/migration/recipe.json");
const GOLDEN_JSON: &str = include_str!("golden/migration-sample.json");
const GOLDEN_MOVERS: &[u8] = include_bytes!("golden/migration-sample-movers.csv");
/// The CLI's movers.csv with `--pseudonymise` (tests/migration_pseudonyms.rs keeps it so).
const GOLDEN_MOVERS_P: &[u8] = include_bytes!("golden/migration-sample-movers-pseudonymised.csv");
const PASSPHRASE: &str = "correct horse battery staple";

fn recipe() -> JsValue {
    js_sys::JSON::parse(RECIPE).unwrap()
}

/// Two passes, as the CLI reads a file.
fn load(recipe: JsValue) -> Dataset {
    #[allow(clippy::cast_precision_loss)]
    let mut loader = Loader::two_pass(recipe, Some(SAMPLE.len() as f64)).unwrap();
    for pass in 1..=2 {
        if pass == 2 {
            loader.end_first_pass().unwrap();
        }
        for chunk in SAMPLE.chunks(4096) {
            loader.push(chunk).unwrap();
        }
    }
    loader.finish().unwrap()
}

#[wasm_bindgen_test]
fn compared_analysis_equals_the_native_cli() {
    let earlier = earlier_recipe(recipe()).unwrap();
    assert!(!earlier.is_null());
    let before = load(earlier);
    let now = load(recipe());
    let a = now.analyze_compared(recipe(), &before).unwrap();
    assert_eq!(a.migration_json(), GOLDEN_JSON);
    assert_eq!(a.movers_csv(), GOLDEN_MOVERS);
    // Under the customers.csv export options: the CLI's --pseudonymise bytes; plain options
    // give the plain bytes.
    let options = js_sys::Object::new();
    Reflect::set(&options, &"passphrase".into(), &PASSPHRASE.into()).unwrap();
    assert_eq!(a.movers_csv_for(options.into()).unwrap(), GOLDEN_MOVERS_P);
    assert_eq!(a.movers_csv_for(JsValue::UNDEFINED).unwrap(), GOLDEN_MOVERS);
    assert_eq!(
        a.migration_json_for(JsValue::UNDEFINED).unwrap(),
        GOLDEN_JSON
    );
    let report = a.report().unwrap();
    let m = Reflect::get(&report, &"migration".into()).unwrap();
    assert_eq!(
        Reflect::get(&m, &"cuts".into())
            .unwrap()
            .as_string()
            .as_deref(),
        Some("previous")
    );
}

#[wasm_bindgen_test]
fn without_compare_there_is_no_earlier_recipe_and_no_migration() {
    assert!(earlier_recipe(JsValue::UNDEFINED).unwrap().is_null());
    let a = load(JsValue::UNDEFINED)
        .analyze(JsValue::UNDEFINED)
        .unwrap();
    assert!(a.migration().unwrap().is_null());
    assert!(a.movers_csv().is_empty());
}

/// customers.csv as id → (segment, value_tier, lifecycle, monetary).
type Rows = std::collections::BTreeMap<String, ([String; 3], f64)>;

fn rows(csv_bytes: &[u8]) -> Rows {
    let mut r = csv::Reader::from_reader(csv_bytes);
    let h = r.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    let (id, s, t, l, m) = (
        col("customer_id"),
        col("segment"),
        col("value_tier"),
        col("lifecycle"),
        col("monetary"),
    );
    r.records()
        .map(|x| {
            let x = x.unwrap();
            let cell = |i: usize| x.get(i).unwrap().to_string();
            (
                cell(id),
                ([cell(s), cell(t), cell(l)], cell(m).parse::<f64>().unwrap()),
            )
        })
        .collect()
}

/// The oracle's cross-tab of class `k` (0 segment, 1 value tier, 2 lifecycle): (from, to) → (n, revenue).
fn cross_tab(
    before: &Rows,
    now: &Rows,
    k: usize,
) -> std::collections::BTreeMap<(String, String), (u64, f64)> {
    let ids: std::collections::BTreeSet<&String> = before.keys().chain(now.keys()).collect();
    let mut out = std::collections::BTreeMap::new();
    for id in ids {
        let from = before
            .get(id)
            .map_or("(new)".to_string(), |r| r.0[k].clone());
        let (to, v) = now
            .get(id)
            .map_or(("(gone)".to_string(), 0.0), |r| (r.0[k].clone(), r.1));
        let cell: &mut (u64, f64) = out.entry((from, to)).or_insert((0, 0.0));
        cell.0 += 1;
        cell.1 += v;
    }
    out
}

/// Checks every matrix of `migration` (JSON text) against the cross-tab of `before` and `now`, and
/// that it conserves customers (row sums, column sums, the union).
fn assert_matrices(migration: &str, before: &Rows, now: &Rows) {
    let m: serde_json::Value = serde_json::from_str(migration).unwrap();
    let union = before
        .keys()
        .chain(now.keys())
        .collect::<std::collections::BTreeSet<_>>();
    for (k, key) in ["segment", "valueTier", "lifecycle"].iter().enumerate() {
        let c = m["classes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["class"] == *key)
            .unwrap();
        let names = |v: &serde_json::Value| -> Vec<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect()
        };
        let (from, to) = (names(&c["from"]), names(&c["to"]));
        let want = cross_tab(before, now, k);
        let mut total = 0;
        for (i, f) in from.iter().enumerate() {
            let mut row = 0;
            for (j, t) in to.iter().enumerate() {
                let n = c["counts"][i][j].as_u64().unwrap();
                let r = c["revenue"][i][j].as_f64().unwrap();
                let (wn, wr) = want
                    .get(&(f.clone(), t.clone()))
                    .copied()
                    .unwrap_or((0, 0.0));
                assert_eq!(n, wn, "{key}: {f} → {t}");
                // customers.csv prints monetary rounded to 6 decimals.
                assert!(
                    (r - wr).abs() <= 1e-4 * (1.0 + wr.abs()),
                    "{key}: revenue {f} → {t}"
                );
                row += n;
            }
            let size = if f == "(new)" {
                now.keys().filter(|id| !before.contains_key(*id)).count()
            } else {
                before.values().filter(|x| x.0[k] == *f).count()
            };
            assert_eq!(row, size as u64, "{key}: row {f}");
            total += row;
        }
        for (j, t) in to.iter().enumerate() {
            let col: u64 = (0..from.len())
                .map(|i| c["counts"][i][j].as_u64().unwrap())
                .sum();
            let size = if t == "(gone)" {
                before.keys().filter(|id| !now.contains_key(*id)).count()
            } else {
                now.values().filter(|x| x.0[k] == *t).count()
            };
            assert_eq!(col, size as u64, "{key}: column {t}");
        }
        assert_eq!(total, union.len() as u64, "{key}: total");
    }
}

#[wasm_bindgen_test]
fn matrices_equal_the_cross_tab_of_two_separate_wasm_runs_and_conserve_customers() {
    // Each period its own cut points: the current period is the plain run of the whole file.
    let json = r#"{"cluster": {"enabled": false}, "explain": {"enabled": false}, "compare": {"asOf": "2023-12-01"}}"#;
    let plain = r#"{"cluster": {"enabled": false}, "explain": {"enabled": false}}"#;
    let current = || js_sys::JSON::parse(json).unwrap();
    let earlier = earlier_recipe(current()).unwrap();
    let then = load(earlier.clone()).analyze(earlier.clone()).unwrap();
    let plain_recipe = js_sys::JSON::parse(plain).unwrap();
    let now = load(plain_recipe.clone()).analyze(plain_recipe).unwrap();
    let before = rows(&then.customers_csv());
    let after = rows(&now.customers_csv());
    assert!(before.len() < after.len());
    let compared = load(current())
        .analyze_compared(current(), &load(earlier.clone()))
        .unwrap();
    assert_eq!(compared.customers_csv(), now.customers_csv());
    assert_matrices(&compared.migration_json(), &before, &after);
    // The earlier period's cut points (the fixture's recipe, same compare.asOf): the matrices are
    // the cross-tab against this run's classes.
    let cut = load(recipe())
        .analyze_compared(recipe(), &load(earlier))
        .unwrap();
    assert_ne!(cut.customers_csv(), now.customers_csv());
    assert_matrices(&cut.migration_json(), &before, &rows(&cut.customers_csv()));
}
