//! The CLV fit on wasm32 gives the same bits as natively: every fitted parameter and customer
//! figure on CDNOW equals the golden file `tests/clv.rs` compares natively. Run by
//! `cargo test --target wasm32-unknown-unknown --test clv_wasm`; native `cargo test` compiles this
//! file to nothing.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[path = "common/clv_cdnow.rs"]
mod cdnow;
#[path = "common/golden.rs"]
mod golden;

use wasm_bindgen_test::*;

#[wasm_bindgen_test]
fn clv_fit_has_the_native_bits() {
    golden::assert_same_as(
        "cdnow-clv.txt",
        cdnow::CLV_GOLDEN,
        &cdnow::clv_text(),
        "clv",
    );
}

/// The package's customers.csv and its four CLV arrays on CDNOW have the native bits.
#[wasm_bindgen_test]
fn the_package_clv_columns_equal_native() {
    let recipe = wasm_bindgen::JsValue::from_str(cdnow::PIPELINE_RECIPE);
    let a = tierlens::wasm::segment(cdnow::csv().as_bytes(), recipe).unwrap();
    let read = |v: wasm_bindgen::JsValue| -> Vec<Option<f64>> {
        serde_wasm_bindgen::from_value(v).unwrap()
    };
    let arrays = [
        read(a.p_alive().unwrap()),
        read(a.expected_orders().unwrap()),
        read(a.expected_spend().unwrap()),
        read(a.clv().unwrap()),
    ];
    assert_eq!(arrays[0].len(), cdnow::CUSTOMERS);
    let csv = String::from_utf8(a.customers_csv()).unwrap();
    golden::assert_same_as(
        "cdnow-customers.csv",
        cdnow::PIPELINE_CSV_GOLDEN,
        &csv,
        "clv_pipeline",
    );
    golden::assert_same_as(
        "cdnow-clv-figures.txt",
        cdnow::PIPELINE_FIGURES_GOLDEN,
        &cdnow::figures_text(&arrays),
        "clv_pipeline",
    );
}

/// `defaultRecipe()` shows the clv section, off; given back, it is the default recipe (no CLV).
#[wasm_bindgen_test]
fn the_default_recipe_shows_clv_off() {
    let d = tierlens::wasm::default_recipe().unwrap();
    let clv = js_sys::Reflect::get(&d, &"clv".into()).unwrap();
    let enabled = js_sys::Reflect::get(&clv, &"enabled".into()).unwrap();
    assert_eq!(enabled.as_bool(), Some(false));
    let model = js_sys::Reflect::get(&clv, &"model".into()).unwrap();
    assert_eq!(model.as_string().as_deref(), Some("bgnbd"));
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"customers".into(), &60.into()).unwrap();
    let sample = tierlens::wasm::sample_csv(options.into()).unwrap();
    let a = tierlens::wasm::segment(&sample, d).unwrap();
    assert!(
        a.p_alive().unwrap().is_null(),
        "no figures with the section off"
    );
}
