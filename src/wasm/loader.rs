//! Loading: the streaming [`Loader`] and the loaded [`Dataset`], analysable many times.

use super::js_error;
use crate::error::Error;
use wasm_bindgen::prelude::*;

use super::convert::{recipe_from_js, to_js};
use super::{Analysis, WasmResult};
use crate::config::Recipe;

/// Streaming loader: `new Loader(recipe)`, `push(chunk)` for each `Uint8Array` chunk, then `finish()`.
///
/// For input that can be read twice (a `File`, bytes in memory) prefer `Loader.twoPass(recipe,
/// size)`: when `passes` is 2, push every chunk, call `endFirstPass()`, push every chunk again,
/// then `finish()`. Duplicate detection then needs a few bits a row instead of 8 bytes, and the
/// outlier threshold comes from every row (the CLI reads files this way too).
#[wasm_bindgen]
pub struct Loader {
    pub(super) inner: Option<crate::pipeline::Loader>,
    /// The recipe it reads with, kept for [`Dataset::reload_needed`].
    pub(super) recipe: Recipe,
}

#[wasm_bindgen]
impl Loader {
    /// Creates a loader; throws if the recipe is invalid.
    #[wasm_bindgen(constructor)]
    pub fn new(recipe: JsValue) -> WasmResult<Loader> {
        let recipe = recipe_from_js(&recipe)?;
        let inner = crate::pipeline::Loader::new(&recipe)?;
        Ok(Loader {
            inner: Some(inner),
            recipe,
        })
    }

    /// A loader that reads the input twice when the recipe's cleaning rules gain from it;
    /// `size` is the input's length in bytes (or `undefined`).
    #[wasm_bindgen(js_name = twoPass)]
    pub fn two_pass(recipe: JsValue, size: Option<f64>) -> WasmResult<Loader> {
        let recipe = recipe_from_js(&recipe)?;
        // A byte count from JS: finite and non-negative is checked, the conversion saturates.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let size = size
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(|s| s as u64);
        let inner = crate::pipeline::Loader::two_pass(&recipe, size)?;
        Ok(Loader {
            inner: Some(inner),
            recipe,
        })
    }

    /// How many times the input must be pushed (1 or 2).
    #[wasm_bindgen(getter)]
    pub fn passes(&self) -> u8 {
        self.inner
            .as_ref()
            .map_or(1, crate::pipeline::Loader::passes)
    }

    /// Ends the first of two passes: push the whole input again next.
    #[wasm_bindgen(js_name = endFirstPass)]
    pub fn end_first_pass(&mut self) -> WasmResult<()> {
        let loader = self
            .inner
            .as_mut()
            .ok_or_else(|| js_error(&Error::InvalidState("endFirstPass after finish".into())))?;
        Ok(loader.end_first_pass()?)
    }

    /// Feeds the next chunk; returns progress `{ bytes, rows, customers, pass, passes }`.
    pub fn push(&mut self, chunk: &[u8]) -> WasmResult<JsValue> {
        let loader = self
            .inner
            .as_mut()
            .ok_or_else(|| js_error(&Error::InvalidState("push after finish".into())))?;
        let progress = loader.push(chunk)?;
        to_js(&progress)
    }

    /// Ends the input; returns the loaded [`Dataset`].
    pub fn finish(&mut self) -> WasmResult<Dataset> {
        let loader = self
            .inner
            .take()
            .ok_or_else(|| js_error(&Error::InvalidState("finish called twice".into())))?;
        let inner = loader.finish()?;
        Ok(Dataset {
            inner,
            recipe: self.recipe.clone(),
        })
    }
}

/// A loaded file, analysable any number of times with different recipes without re-reading it.
#[wasm_bindgen]
pub struct Dataset {
    pub(super) inner: crate::pipeline::Dataset,
    /// The recipe it was loaded with.
    pub(super) recipe: Recipe,
}

#[wasm_bindgen]
impl Dataset {
    /// Scores, segments and summarises with `recipe`.
    pub fn analyze(&self, recipe: JsValue) -> WasmResult<Analysis> {
        let recipe = recipe_from_js(&recipe)?;
        let inner = self.inner.analyze(&recipe)?;
        Ok(Analysis {
            inner,
            migration: None,
        })
    }

    /// Like `analyze`, re-applying a previous code map: `previous` is the bytes of an earlier
    /// `customers.csv` (columns `customer_id`, `code`) or of a JSON object `{ id: code }`. Customers
    /// whose class is unchanged keep their codes; the report's `codes.changes` lists who moved.
    /// When `previous` is a customers.csv with class columns, the migration from it is computed
    /// too (`Analysis.migration()`, `Analysis.moversCsv()`), as the CLI's `--previous` does.
    /// An earlier file keyed by pseudonyms joins through `options.passphrase` (optional; the
    /// passphrase it was exported with, used for this call only), as the CLI's `--pseudonymise`.
    #[wasm_bindgen(js_name = analyzeWithPrevious)]
    pub fn analyze_with_previous(
        &self,
        recipe: JsValue,
        previous: &[u8],
        options: JsValue,
    ) -> WasmResult<Analysis> {
        let recipe = recipe_from_js(&recipe)?;
        let options = super::convert::export_options(&options)?;
        let p = options.pseudonymiser.as_ref();
        let mut map = crate::score::codes::previous_from_bytes(previous)?;
        if let Some(p) = p {
            map = crate::pseudonym::rekey_previous(&map, &self.inner.customers().ids, p);
        }
        let mut inner = self.inner.analyze_with(&recipe, Some(&map))?;
        let migration = inner.migrate_from_csv(previous, p)?;
        Ok(Analysis { inner, migration })
    }

    /// Number of customers.
    #[wasm_bindgen(getter)]
    pub fn customers(&self) -> usize {
        self.inner.customers().len()
    }
}
