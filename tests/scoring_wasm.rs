//! wasm-bindgen tests of the scoring getters, run in Node by
//! `cargo test --target wasm32-unknown-unknown --test scoring_wasm`. Native `cargo test` compiles this
//! file to nothing.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use js_sys::Reflect;
use tierlens::wasm::{segment, Loader};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

const TEN: &[u8] = include_bytes!("fixtures/scoring/ten.csv");
const TEN_REFRESH: &[u8] = include_bytes!("fixtures/scoring/ten-refresh.csv");

fn names_of(index: &[u16], names: &[String]) -> Vec<String> {
    index
        .iter()
        .map(|&i| names[usize::from(i)].clone())
        .collect()
}

#[wasm_bindgen_test]
fn class_getters_match_the_native_pipeline() {
    let recipe = JsValue::from_str(
        r#"{"customTiers": {"rules": [{"when": "region == \"华东\"", "tier": "East"}]}}"#,
    );
    let a = segment(TEN, recipe).unwrap();
    let native = tierlens::segment(
        TEN,
        &tierlens::Recipe::from_json(
            r#"{"customTiers": {"rules": [{"when": "region == \"华东\"", "tier": "East"}]}}"#,
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(a.customers_csv(), native.customers_csv());
    let tiers = names_of(&a.tier_index(), &a.tier_names());
    assert_eq!(tiers[0], "Gold");
    assert_eq!(tiers[1], "Bronze");
    let stages = names_of(&a.lifecycle_index(), &a.lifecycle_names());
    assert_eq!(stages[1], "New");
    assert_eq!(stages[9], "Lost");
    let custom = names_of(&a.custom_tier_index(), &a.custom_tier_names());
    assert_eq!(custom[0], "East");
    assert_eq!(custom[9], "Other");
    assert_eq!(a.codes()[0], "2A-0001");
    let actions = names_of(&a.action_index(), &a.action_texts());
    assert!(actions[0].starts_with("Reward them"));
}

#[wasm_bindgen_test]
fn previous_codes_through_the_dataset() {
    let first = segment(TEN, JsValue::UNDEFINED).unwrap();
    let mut loader = Loader::new(JsValue::UNDEFINED).unwrap();
    loader.push(TEN_REFRESH).unwrap();
    let dataset = loader.finish().unwrap();
    let fresh = dataset
        .analyze_with_previous(
            JsValue::UNDEFINED,
            &first.customers_csv(),
            JsValue::UNDEFINED,
        )
        .unwrap();
    let codes = fresh.codes();
    assert_eq!(codes[8], "3A-0001");
    assert_eq!(codes[9], "4N-0002");
    let report = fresh.report().unwrap();
    let changes = Reflect::get(
        &Reflect::get(&report, &"codes".into()).unwrap(),
        &"changes".into(),
    )
    .unwrap();
    assert_eq!(
        Reflect::get(&changes, &"kept".into()).unwrap().as_f64(),
        Some(8.0)
    );
    let err = match dataset.analyze_with_previous(
        JsValue::UNDEFINED,
        b"id,code\n1,2\n",
        JsValue::UNDEFINED,
    ) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    };
    assert_eq!(
        Reflect::get(&err, &"code".into())
            .unwrap()
            .as_string()
            .as_deref(),
        Some("missing_column")
    );
}

#[wasm_bindgen_test]
fn presets_come_as_editable_tables() {
    let p = tierlens::wasm::segment_preset("rf10").unwrap();
    let table = Reflect::get(&p, &"table".into()).unwrap();
    let rows = Reflect::get(&table, &"rows".into()).unwrap();
    let first: js_sys::Array = js_sys::Array::from(&js_sys::Array::from(&rows).get(0));
    assert_eq!(first.get(0).as_string().as_deref(), Some("New Customers"));
    let ranges = tierlens::wasm::segment_preset("rfm-ranges").unwrap();
    assert!(Reflect::get(&ranges, &"table".into()).unwrap().is_null());
    assert!(tierlens::wasm::segment_preset("nope").is_err());
}
