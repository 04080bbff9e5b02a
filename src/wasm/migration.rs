//! The JS face of migration between two periods (README "Migration"): the earlier period's recipe
//! for a second load of the same file, the compared analysis, `migration.json` and `movers.csv`.

use wasm_bindgen::prelude::*;

use super::convert::export_options;
use super::{recipe_from_js, to_js, Analysis, Dataset, WasmResult};

/// The recipe of the earlier period for `compare.asOf`: `recipe` with `asOf` set to it and no
/// `compare` section, or `null` without `compare.asOf`. Load the same file with it (a second
/// `Loader`) and pass that dataset to `Dataset.analyzeCompared`.
#[wasm_bindgen(js_name = earlierRecipe)]
pub fn earlier_recipe(recipe: JsValue) -> WasmResult<JsValue> {
    let plan = recipe_from_js(&recipe)?.check()?;
    match crate::pipeline::earlier_plan(&plan)? {
        Some(p) => to_js(p.recipe()),
        None => Ok(JsValue::NULL),
    }
}

#[wasm_bindgen]
impl Dataset {
    /// Analyses this dataset (the current period) against `earlier` (the same file loaded with
    /// `earlierRecipe(recipe)`): the analysis carries the migration (`migration()`,
    /// `moversCsv()`) and its summary in `report().migration`.
    #[wasm_bindgen(js_name = analyzeCompared)]
    pub fn analyze_compared(&self, recipe: JsValue, earlier: &Dataset) -> WasmResult<Analysis> {
        let plan = recipe_from_js(&recipe)?.check()?;
        let (inner, m) = self.inner.analyze_compared(&plan, &earlier.inner, None)?;
        Ok(Analysis {
            inner,
            migration: Some(m),
        })
    }
}

#[wasm_bindgen]
impl Analysis {
    /// The migration (same content as the CLI's `migration.json`), or `null` without an earlier
    /// period.
    pub fn migration(&self) -> WasmResult<JsValue> {
        match &self.migration {
            Some(m) => to_js(m),
            None => Ok(JsValue::NULL),
        }
    }

    /// `migration.json` text, byte-identical to the CLI's (empty without an earlier period).
    #[wasm_bindgen(js_name = migrationJson)]
    pub fn migration_json(&self) -> String {
        self.migration
            .as_ref()
            .map(crate::migration::Migration::to_json)
            .unwrap_or_default()
    }

    /// movers.csv bytes (`customer_id,class,from,to`), byte-identical to the CLI's (empty without
    /// an earlier period).
    #[wasm_bindgen(js_name = moversCsv)]
    pub fn movers_csv(&self) -> Vec<u8> {
        self.migration
            .as_ref()
            .map(crate::migration::Migration::movers_csv)
            .unwrap_or_default()
    }

    /// movers.csv under the customers.csv export `options` (`{ passphrase?, dropColumns? }`):
    /// ids as pseudonyms, dropped class columns' movers and a dropped `customer_id` left out;
    /// byte-identical to the CLI's movers.csv with `--pseudonymise` / `--drop-columns`.
    #[wasm_bindgen(js_name = moversCsvFor)]
    pub fn movers_csv_for(&self, options: JsValue) -> WasmResult<Vec<u8>> {
        let options = export_options(&options)?;
        match &self.migration {
            Some(m) => Ok(self.inner.movers_csv_for(m, &options)?),
            None => Ok(Vec::new()),
        }
    }

    /// `migration.json` text under export `options` (its movers list as in `moversCsvFor`),
    /// byte-identical to the CLI's under the same options (empty without an earlier period).
    #[wasm_bindgen(js_name = migrationJsonFor)]
    pub fn migration_json_for(&self, options: JsValue) -> WasmResult<String> {
        let options = export_options(&options)?;
        match &self.migration {
            Some(m) => Ok(self.inner.migration_for(m, &options)?.to_json()),
            None => Ok(String::new()),
        }
    }
}
