//! Conversions at the boundary: core errors to `TierlensError`s, results to JS values, recipes and
//! export options from JS.

use js_sys::Reflect;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::WasmResult;
use crate::config::Recipe;
use crate::error::Error;

/// Converts a core error into a JS `Error` with `code`, `row` and `column` properties.
pub(super) fn js_error(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("TierlensError");
    let obj: &JsValue = err.as_ref();
    // Setting a property on a fresh Error object cannot fail; the result is ignored on purpose.
    let _ = Reflect::set(obj, &"code".into(), &e.code().into());
    if let Some(row) = e.row() {
        #[allow(clippy::cast_precision_loss)]
        let _ = Reflect::set(obj, &"row".into(), &JsValue::from_f64(row as f64));
    }
    if let Some(column) = e.column() {
        let _ = Reflect::set(obj, &"column".into(), &column.into());
    }
    if let Some(field) = e.field() {
        let _ = Reflect::set(obj, &"field".into(), &field.into());
    }
    if let Some(position) = e.position() {
        #[allow(clippy::cast_precision_loss)]
        let _ = Reflect::set(obj, &"position".into(), &JsValue::from_f64(position as f64));
    }
    // The variant's fields, so the page can word the message in Chinese from the code.
    let params = js_sys::Object::new();
    for (key, value) in e.params() {
        let _ = Reflect::set(&params, &key.into(), &value.into());
    }
    let _ = Reflect::set(obj, &"params".into(), &params);
    err.into()
}

/// Lets the adapters return core errors with `?`: each becomes a `TierlensError` (see [`js_error`]).
impl From<Error> for JsValue {
    fn from(e: Error) -> JsValue {
        js_error(&e)
    }
}

/// A result as a JS value, through JSON text: written by serde_json's pretty serializer (the one the
/// report's `reportJson` and the CLI's `report.json` use, so each result type carries one `Serialize`
/// instantiation in the module instead of a second one for serde-wasm-bindgen; issue 12, .wasm size)
/// and built by the engine's `JSON.parse`. Non-finite numbers become `null`, as in `report.json`.
pub(super) fn to_js<T: Serialize>(value: &T) -> WasmResult<JsValue> {
    let cannot = |e: &dyn std::fmt::Display| {
        js_error(&Error::InvalidState(format!(
            "cannot convert a result for JS: {e}"
        )))
    };
    let text = serde_json::to_string_pretty(value).map_err(|e| cannot(&e))?;
    js_sys::JSON::parse(&text).map_err(|_| cannot(&"JSON.parse refused the text"))
}

/// Reads a recipe given as a JS object, a JSON string, or `undefined`/`null` (defaults).
pub(super) fn recipe_from_js(value: &JsValue) -> WasmResult<Recipe> {
    if value.is_undefined() || value.is_null() {
        return Ok(Recipe::default());
    }
    if let Some(text) = value.as_string() {
        return Ok(Recipe::from_json(&text)?);
    }
    // Through JSON text rather than serde-wasm-bindgen: the latter looks up only the declared fields,
    // so a misspelt key would be silently ignored instead of rejected as it is from a file.
    let text = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| {
            js_error(&Error::RecipeSyntax(
                "the recipe is not a JSON-compatible object".into(),
            ))
        })?;
    Ok(Recipe::from_json(&text)?)
}

/// Export options from JS: `{ passphrase?: string, dropColumns?: string[] }` (or `undefined`). The
/// passphrase is used for this one call and not kept anywhere.
pub(super) fn export_options(value: &JsValue) -> WasmResult<crate::export::ExportOptions> {
    if value.is_undefined() || value.is_null() {
        return Ok(crate::export::ExportOptions::default());
    }
    let passphrase = Reflect::get(value, &"passphrase".into())
        .ok()
        .and_then(|v| v.as_string());
    let drop: Vec<String> = Reflect::get(value, &"dropColumns".into())
        .ok()
        .filter(js_sys::Array::is_array)
        .map(|v| {
            js_sys::Array::from(&v)
                .iter()
                .filter_map(|x| x.as_string())
                .collect()
        })
        .unwrap_or_default();
    Ok(crate::export::ExportOptions::new(
        passphrase.as_deref(),
        &drop,
    )?)
}
