//! wasm-bindgen tests of the JS boundary, run in Node by `cargo test --target wasm32-unknown-unknown --test wasm`
//! (the runner is set in .cargo/config.toml). Native `cargo test` compiles this file to nothing.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use js_sys::{Object, Reflect};
use tierlens::wasm::{default_actions, default_recipe, sample_csv, segment, Loader};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

#[path = "common/codes.rs"]
mod codes;
#[path = "common/golden.rs"]
mod golden;

const SMALL: &[u8] = include_bytes!("fixtures/small.csv");

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn err_of<T>(r: Result<T, JsValue>) -> JsValue {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

#[wasm_bindgen_test]
fn segment_returns_typed_columns_matching_the_native_pipeline() {
    let a = segment(SMALL, JsValue::UNDEFINED).unwrap();
    assert_eq!(a.length(), 10);
    assert_eq!(a.ids()[0], "A");
    assert_eq!(a.r_score(), vec![5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    assert_eq!(a.recency_days(), (1..=10).collect::<Vec<i32>>());
    let names = a.segment_names();
    let seg: Vec<&str> = a
        .segment_index()
        .iter()
        .map(|&i| names[usize::from(i)].as_str())
        .collect();
    assert_eq!(seg[0], "Champions");
    assert_eq!(seg[8], "Can't Lose Them");
    // Byte-identical to the native CLI output for the same input and recipe.
    let native = tierlens::segment(SMALL, &tierlens::Recipe::default()).unwrap();
    assert_eq!(a.customers_csv(), native.customers_csv());
    assert_eq!(a.report_json(), native.report_json());
    let report = a.report().unwrap();
    assert_eq!(get(&report, "rowsRead").as_f64(), Some(60.0));
    assert_eq!(
        get(&report, "asOf").as_string().as_deref(),
        Some("2024-07-01")
    );
}

/// Asserts that `report` was scored with `method`: the echoed recipe and all three metrics' thresholds.
fn assert_scored_with(report: &JsValue, method: &str) {
    let echoed = get(&get(&get(report, "recipe"), "score"), "method");
    assert_eq!(
        echoed.as_string().as_deref(),
        Some(method),
        "recipe.score.method"
    );
    let thresholds: js_sys::Array = get(report, "thresholds").into();
    assert_eq!(thresholds.length(), 3);
    for t in thresholds.iter() {
        assert_eq!(
            get(&t, "method").as_string().as_deref(),
            Some(method),
            "thresholds of {:?}",
            get(&t, "metric").as_string()
        );
    }
}

#[wasm_bindgen_test]
fn recipes_come_as_objects_or_json_text_and_bad_ones_throw_coded_errors() {
    let recipe = Object::new();
    let score = Object::new();
    Reflect::set(&score, &"method".into(), &"rankFirst".into()).unwrap();
    Reflect::set(&recipe, &"score".into(), &score).unwrap();
    let a = segment(SMALL, recipe.into()).unwrap();
    // The method passed as an object must reach the engine: the default is "edges", so these
    // fail if the object were ignored and the default recipe used.
    assert_scored_with(&a.report().unwrap(), "rankFirst");
    // The same recipe as JSON text.
    let a = segment(
        SMALL,
        JsValue::from_str(r#"{"score": {"method": "rankFirst"}}"#),
    )
    .unwrap();
    assert_scored_with(&a.report().unwrap(), "rankFirst");
    // And without a recipe the default method shows, so the two checks above can tell them apart.
    let a = segment(SMALL, JsValue::UNDEFINED).unwrap();
    assert_scored_with(&a.report().unwrap(), "edges");

    let e = err_of(segment(
        SMALL,
        JsValue::from_str(r#"{"score": {"bins": 8}}"#),
    ));
    assert_eq!(get(&e, "code").as_string().as_deref(), Some("score_bins"));
    assert_eq!(
        get(&e, "name").as_string().as_deref(),
        Some("TierlensError")
    );
    let e = err_of(segment(SMALL, JsValue::from_str(r#"{"nope": 1}"#)));
    assert_eq!(
        get(&e, "code").as_string().as_deref(),
        Some("recipe_syntax")
    );
    assert!(default_recipe().unwrap().is_object());
}

#[wasm_bindgen_test]
fn input_errors_carry_code_and_message() {
    let e = err_of(segment(b"customer,amount\nA,1\n", JsValue::UNDEFINED));
    assert_eq!(
        get(&e, "code").as_string().as_deref(),
        Some("missing_column")
    );
    let msg = get(&e, "message").as_string().unwrap();
    assert!(msg.contains("date"), "{msg}");
    let e = err_of(segment(b"", JsValue::UNDEFINED));
    assert_eq!(get(&e, "code").as_string().as_deref(), Some("empty_input"));
    // Random bytes never kill the module: an error or a result, and the next call still works.
    let noise: Vec<u8> = (0..5000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    if let Err(e) = segment(&noise, JsValue::UNDEFINED) {
        // Not a trap or a JS exception of another kind: one of the input codes of src/error.rs.
        let code = get(&e, "code").as_string().unwrap_or_default();
        assert!(codes::INPUT_CODES.contains(&code.as_str()), "{code}");
    }
    assert!(segment(SMALL, JsValue::UNDEFINED).is_ok());
}

#[wasm_bindgen_test]
fn streaming_loader_matches_one_shot_and_guards_its_state() {
    let mut loader = Loader::new(JsValue::UNDEFINED).unwrap();
    for chunk in SMALL.chunks(13) {
        let progress = loader.push(chunk).unwrap();
        assert!(get(&progress, "bytes").as_f64().unwrap() > 0.0);
    }
    let dataset = loader.finish().unwrap();
    assert_eq!(dataset.customers(), 10);
    let a = dataset.analyze(JsValue::UNDEFINED).unwrap();
    assert_eq!(
        a.customers_csv(),
        segment(SMALL, JsValue::UNDEFINED).unwrap().customers_csv()
    );
    let e = err_of(loader.push(b"more"));
    assert_eq!(
        get(&e, "code").as_string().as_deref(),
        Some("invalid_state")
    );
}

#[wasm_bindgen_test]
fn two_pass_loader_matches_one_shot_and_refuses_an_early_finish() {
    let sample = sample_csv(JsValue::UNDEFINED).unwrap();
    let mut loader = Loader::two_pass(JsValue::UNDEFINED, Some(sample.len() as f64)).unwrap();
    assert_eq!(loader.passes(), 2);
    for pass in 1..=2u8 {
        if pass == 2 {
            loader.end_first_pass().unwrap();
        }
        for chunk in sample.chunks(64 * 1024) {
            let progress = loader.push(chunk).unwrap();
            assert_eq!(get(&progress, "pass").as_f64(), Some(f64::from(pass)));
        }
    }
    let a = loader
        .finish()
        .unwrap()
        .analyze(JsValue::UNDEFINED)
        .unwrap();
    assert_eq!(
        a.customers_csv(),
        segment(&sample, JsValue::UNDEFINED)
            .unwrap()
            .customers_csv()
    );
    // Finishing during the first pass would silently skip the cleaning: an error instead.
    let mut early = Loader::two_pass(JsValue::UNDEFINED, None).unwrap();
    early.push(SMALL).unwrap();
    let e = err_of(early.finish());
    assert_eq!(
        get(&e, "code").as_string().as_deref(),
        Some("invalid_state")
    );
}

#[wasm_bindgen_test]
fn a_damaged_xls_container_is_an_error_not_a_trap() {
    // calamine 0.38 panicked on this file (an abort of the whole module on wasm32); the container
    // check refuses it first. The first byte is the fuzz target's control byte.
    let data = include_bytes!("../fuzz/known-calamine/panic-cfb-slice-range.bin");
    let e = err_of(segment(&data[1..], JsValue::UNDEFINED));
    assert_eq!(
        get(&e, "code").as_string().as_deref(),
        Some("unsupported_format")
    );
    assert!(segment(SMALL, JsValue::UNDEFINED).is_ok());
}

#[wasm_bindgen_test]
fn the_sample_is_the_same_as_natively() {
    let bytes = sample_csv(JsValue::UNDEFINED).unwrap();
    let native = tierlens::sample::generate(&tierlens::sample::SampleOptions::default());
    assert_eq!(bytes, native.into_bytes());
}

#[wasm_bindgen_test]
fn the_whole_sample_analysis_is_byte_identical_to_native() {
    // Caught a real bug: a usize-wide hash (32-bit on wasm32) made duplicate detection drop a sample
    // row in Wasm that the CLI kept. tests/pipeline.rs compares the same golden files natively (and
    // regenerates them with TIERLENS_BLESS=1).
    let bytes = sample_csv(JsValue::UNDEFINED).unwrap();
    let a = segment(&bytes, JsValue::UNDEFINED).unwrap();
    let csv = String::from_utf8(a.customers_csv()).unwrap();
    golden::assert_same("sample-customers.csv", GOLDEN_CSV, &csv);
    let report = golden::without_version(&a.report_json());
    golden::assert_same("sample-report.json", GOLDEN_REPORT, &report);
}

/// customers.csv of the default sample with the default recipe (see tests/common/golden.rs).
const GOLDEN_CSV: &str = include_str!("golden/sample-customers.csv");
/// report.json of the same run, its version line stored as `<version>`.
const GOLDEN_REPORT: &str = include_str!("golden/sample-report.json");

#[wasm_bindgen_test]
fn errors_carry_the_setting_the_position_and_named_params() {
    // The page words errors in Chinese from `code` + `params`, and marks `position` under `field`.
    let e = err_of(segment(
        SMALL,
        JsValue::from_str(
            r#"{"customTiers": {"rules": [{"tier": "VIP", "when": "monetary >= 5 andd f > 1"}]}}"#,
        ),
    ));
    assert_eq!(
        get(&e, "code").as_string().as_deref(),
        Some("invalid_expression")
    );
    assert_eq!(
        get(&e, "field").as_string().as_deref(),
        Some("customTiers.rules[0].when")
    );
    assert_eq!(get(&e, "position").as_f64(), Some(15.0));
    let params = get(&e, "params");
    assert_eq!(get(&params, "position").as_string().as_deref(), Some("15"));
    assert!(get(&params, "detail").as_string().unwrap().contains("andd"));
    let e = err_of(segment(b"customer,amount\nA,1\n", JsValue::UNDEFINED));
    let params = get(&e, "params");
    assert_eq!(get(&params, "role").as_string().as_deref(), Some("date"));
    assert_eq!(
        get(&params, "found").as_string().as_deref(),
        Some("customer, amount")
    );
    assert!(get(&e, "field").is_undefined());
}

#[wasm_bindgen_test]
fn default_actions_have_both_languages() {
    let list: js_sys::Array = default_actions().unwrap().into();
    assert!(list.length() > 20);
    let champions = list
        .iter()
        .find(|x| get(x, "name").as_string().as_deref() == Some("Champions"))
        .expect("Champions has a built-in text");
    assert!(get(&champions, "en")
        .as_string()
        .unwrap()
        .starts_with("Reward"));
    assert!(!get(&champions, "zh").as_string().unwrap().is_ascii());
}

#[wasm_bindgen_test]
fn attributes_list_the_extra_columns_and_cluster_on_them() {
    let mut csv = String::from("customer,date,amount,age,channel\n");
    for i in 0..30 {
        let (age, channel) = if i % 2 == 0 {
            (25, "app")
        } else {
            (60, "store")
        };
        csv.push_str(&format!(
            "C{i:02},2024-03-{:02},100,{age},{channel}\n",
            1 + i % 20
        ));
    }
    let a = segment(
        csv.as_bytes(),
        JsValue::from_str(r#"{"cluster": {"k": 2, "features": ["age", "channel"]}}"#),
    )
    .unwrap();
    let attrs: js_sys::Array = a.attributes().unwrap().into();
    let pairs: Vec<(String, String)> = attrs
        .iter()
        .map(|x| {
            (
                get(&x, "name").as_string().unwrap(),
                get(&x, "kind").as_string().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("age".to_string(), "numeric".to_string()),
            ("channel".to_string(), "categorical".to_string())
        ]
    );
    let labels = a.cluster_index();
    for (i, l) in labels.iter().enumerate() {
        assert_eq!(*l == labels[0], i % 2 == 0, "customer {i}");
    }
}

#[wasm_bindgen_test]
fn quarterly_sheets_and_hostile_workbooks_read_as_natively() {
    // tests/sheets.rs checks the same figures natively against the independent oracle's CSV.
    let a = segment(
        include_bytes!("fixtures/realworld/quarterly.xlsx"),
        JsValue::UNDEFINED,
    )
    .unwrap();
    let expected = include_str!("fixtures/realworld/quarterly.expected.csv");
    let got: Vec<String> = a
        .ids()
        .iter()
        .zip(a.recency_days())
        .zip(a.frequency())
        .zip(a.monetary())
        .map(|(((id, r), f), m)| format!("{id},{r},{f},{m}"))
        .collect();
    let want: Vec<&str> = expected.lines().skip(1).collect();
    assert_eq!(got, want);
    assert!(a.report_json().contains("'Notes' not read"));
    // A cell at XFD1048576 is a clear error in Wasm too (it was a 550 GB allocation: a trap).
    let e = err_of(segment(
        include_bytes!("fixtures/realworld/hostile_xfd.xlsx"),
        JsValue::UNDEFINED,
    ));
    assert_eq!(
        get(&e, "code").as_string().as_deref(),
        Some("unsupported_format")
    );
}
