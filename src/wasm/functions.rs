//! Free functions of the package: version, defaults, presets, the one-call `segment`, the sample.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::js_error;
use crate::config::Recipe;
use crate::error::Error;

use super::convert::{recipe_from_js, to_js};
use super::{Analysis, WasmResult};

/// The tierlens version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The default recipe, as a plain object (every setting with its default value). The `clv`
/// section is shown off (`enabled: false`), although the recipe echo leaves an off section out.
#[wasm_bindgen(js_name = defaultRecipe)]
pub fn default_recipe() -> WasmResult<JsValue> {
    #[derive(Serialize)]
    struct Shown {
        #[serde(flatten)]
        recipe: Recipe,
        clv: crate::clv::ClvOptions,
    }
    to_js(&Shown {
        recipe: Recipe::default(),
        clv: crate::clv::ClvOptions::default(),
    })
}

/// The built-in action texts: `[{ name, en, zh }]`, one per class name that has a default (segments of
/// every preset, tiers, stages, custom-tier examples). The page shows them beside the recipe's own
/// `actions.text` and restores them on reset.
#[wasm_bindgen(js_name = defaultActions)]
pub fn default_actions() -> WasmResult<JsValue> {
    #[derive(Serialize)]
    struct Text {
        name: &'static str,
        en: &'static str,
        zh: &'static str,
    }
    let list: Vec<Text> = crate::score::actions::defaults()
        .map(|(name, en, zh)| Text { name, en, zh })
        .collect();
    to_js(&list)
}

/// Segments a whole file in one call: `segment(bytes, recipe?) → Analysis`.
/// For large files or a responsive page use [`Loader`] in a worker instead.
#[wasm_bindgen]
pub fn segment(bytes: &[u8], recipe: JsValue) -> WasmResult<Analysis> {
    let recipe = recipe_from_js(&recipe)?;
    let inner = crate::pipeline::segment(bytes, &recipe)?;
    Ok(Analysis {
        inner,
        migration: None,
    })
}

/// A segment preset by name (`rfm11`, `rf10`, `rfm-ranges`, `three-level`), for display and editing:
/// `{ rules, table, coverage }`, where `table` (rows R = N..1 of segment names) is `null` for range
/// rules. An edited table goes back as the recipe's `segments.table`.
#[wasm_bindgen(js_name = segmentPreset)]
pub fn segment_preset(name: &str) -> WasmResult<JsValue> {
    #[derive(Serialize)]
    struct Preset {
        rules: crate::score::RuleSet,
        table: Option<crate::score::GridTable>,
        coverage: crate::score::Coverage,
    }
    let rules = crate::score::segments::preset(name)?;
    to_js(&Preset {
        table: rules.table(),
        coverage: rules.coverage(),
        rules,
    })
}

/// The built-in synthetic sample as CSV bytes. `options`: `{ customers?, seed?, language?: "en" | "zh" }`.
#[wasm_bindgen(js_name = sampleCsv)]
pub fn sample_csv(options: JsValue) -> WasmResult<Vec<u8>> {
    let options: crate::sample::SampleOptions = if options.is_undefined() || options.is_null() {
        crate::sample::SampleOptions::default()
    } else {
        // Through JSON text, as the recipe is (`recipe_from_js`): the module has no second deserializer.
        let text = js_sys::JSON::stringify(&options)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(|| js_error(&Error::recipe("sample", "not a JSON-compatible object")))?;
        serde_json::from_str(&text)
            .map_err(|e| js_error(&Error::recipe("sample", e.to_string())))?
    };
    Ok(crate::sample::generate(&options).into_bytes())
}
