//! The page's facts from the engine: capabilities, preview rows, the reload answer, the customer
//! list as JSON and its column table. Thin adapters, as in the parent module.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{export_options, recipe_from_js, to_js, Analysis, Dataset, WasmResult};

/// What this build knows (see [`crate::capabilities::Capabilities`]): `{ version, presets: [{ name,
/// bins, grid, segments }], bins, tierPresets: [{ name, bands }], builtinFeatures, defaultFeatures,
/// roles: [{ key, customerLevel }], codeSlots: [{ slot, aliases }], fixedStages / relativeStages / probabilisticStages:
/// [{ name, token }], inputFormats, exports }`.
#[wasm_bindgen]
pub fn capabilities() -> WasmResult<JsValue> {
    to_js(&crate::capabilities::capabilities()?)
}

/// The first `rows` data rows of `bytes` read as a load with `recipe` reads them:
/// `{ detected, preamble, header, rows, needsWhole }`. `atEnd`: `bytes` is the whole file (else
/// its head; a workbook or JSON then answers `needsWhole: true` and wants every byte).
#[wasm_bindgen(js_name = previewRows)]
pub fn preview_rows(
    bytes: &[u8],
    at_end: bool,
    recipe: JsValue,
    rows: usize,
) -> WasmResult<JsValue> {
    let recipe = recipe_from_js(&recipe)?;
    to_js(&crate::preview::preview(
        bytes,
        at_end,
        &recipe.input,
        rows,
    )?)
}

#[wasm_bindgen]
impl Dataset {
    /// Whether analysing with `recipe` needs the file read again: `null`, or `{ code, field }` with
    /// `code` one of `input`, `clean`, `as_of_changed`, `as_of_before_latest`, `clv`.
    #[wasm_bindgen(js_name = reloadNeeded)]
    pub fn reload_needed(&self, recipe: JsValue) -> WasmResult<JsValue> {
        let next = recipe_from_js(&recipe)?;
        let latest = self
            .inner
            .customers()
            .last_day
            .iter()
            .max()
            .map(|&d| crate::ingest::values::date_of(d));
        match crate::reload::reload_needed(&self.recipe, &next, latest) {
            None => Ok(JsValue::NULL),
            Some(code) => to_js(&crate::reload::Reload::from(code)),
        }
    }
}

#[wasm_bindgen]
impl Analysis {
    /// The customer list as JSON records (one object a line) under export `options`, from the
    /// same column table as `customersCsv`: number columns as numbers (empty: `null`), text as it is.
    #[wasm_bindgen(js_name = customersJson)]
    pub fn customers_json(&self, options: JsValue) -> WasmResult<Vec<u8>> {
        let options = export_options(&options)?;
        Ok(self.inner.customers_json_for(&options)?)
    }

    /// The code template's slots in template order with each class's token: `[{ slot, classes:
    /// [{ name, token, mapped }] }]` (`slot` a `codes.maps` key, or `r` / `f` / `m` with no
    /// classes; `token` the one the codes carry, `mapped` when the recipe's table gave it). The
    /// code editor draws these.
    #[wasm_bindgen(js_name = codeTokens)]
    pub fn code_tokens(&self) -> WasmResult<JsValue> {
        to_js(&self.inner.classes.code_tokens)
    }

    /// The code preview: `{ keys, customers, top: [{ classes: [{ slot, name }], first, count }] }`
    /// — the customers grouped by their classes in the template's slots (`name` `""`: no region;
    /// the score for `r` / `f` / `m`), the `top` largest groups (equal sizes in the order of their
    /// first customer) with the code of each one's first customer.
    #[wasm_bindgen(js_name = codeGroups)]
    pub fn code_groups(&self, top: usize) -> WasmResult<JsValue> {
        to_js(&self.inner.code_groups(top))
    }

    /// The customer-list columns in order with their kinds: `[{ name, kind: "number" | "text" |
    /// "plain" }]`.
    #[wasm_bindgen(js_name = customerColumnKinds)]
    pub fn customer_column_kinds(&self) -> WasmResult<JsValue> {
        #[derive(Serialize)]
        struct Column {
            name: &'static str,
            kind: &'static str,
        }
        let list: Vec<Column> = self
            .inner
            .customer_column_kinds()
            .into_iter()
            .map(|(name, kind)| Column { name, kind })
            .collect();
        to_js(&list)
    }
}
