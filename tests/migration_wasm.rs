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
    assert_eq!(a.migration_json_for(JsValue::UNDEFINED).unwrap(), GOLDEN_JSON);
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
