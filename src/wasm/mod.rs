//! The JS boundary: thin adapters over the pure pipeline. The only module that knows about JS.
//!
//! - Data in as bytes (`Uint8Array` chunks pushed to a [`Loader`]), never one JS object per row.
//! - Per-customer results out as typed arrays and string arrays; only the small report goes through
//!   serde-wasm-bindgen (`json_compatible`).
//! - Errors are thrown as JS `Error`s named `TierlensError` with a stable `code` and, where the
//!   problem is at a place in the input, `row` and `column`; a recipe error also has `field` (the
//!   dotted setting) and, in an expression or template, `position` (1-based character). `params` holds
//!   the variant's fields by name, so a page can word the message in its own language from `code`.

use js_sys::Reflect;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::config::Recipe;
use crate::error::Error;

mod facts;
mod migration;

pub use migration::earlier_recipe;

type WasmResult<T> = Result<T, JsValue>;

/// Converts a core error into a JS `Error` with `code`, `row` and `column` properties.
fn js_error(e: &Error) -> JsValue {
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

fn to_js<T: Serialize>(value: &T) -> WasmResult<JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| {
            js_error(&Error::InvalidState(format!(
                "cannot convert a result for JS: {e}"
            )))
        })
}

/// Reads a recipe given as a JS object, a JSON string, or `undefined`/`null` (defaults).
fn recipe_from_js(value: &JsValue) -> WasmResult<Recipe> {
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
fn export_options(value: &JsValue) -> WasmResult<crate::export::ExportOptions> {
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

/// The tierlens version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The default recipe, as a plain object (every setting with its default value).
#[wasm_bindgen(js_name = defaultRecipe)]
pub fn default_recipe() -> WasmResult<JsValue> {
    to_js(&Recipe::default())
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
        serde_wasm_bindgen::from_value(options)
            .map_err(|e| js_error(&Error::recipe("sample", e.to_string())))?
    };
    Ok(crate::sample::generate(&options).into_bytes())
}

/// Streaming loader: `new Loader(recipe)`, `push(chunk)` for each `Uint8Array` chunk, then `finish()`.
///
/// For input that can be read twice (a `File`, bytes in memory) prefer `Loader.twoPass(recipe,
/// size)`: when `passes` is 2, push every chunk, call `endFirstPass()`, push every chunk again,
/// then `finish()`. Duplicate detection then needs a few bits a row instead of 8 bytes, and the
/// outlier threshold comes from every row (the CLI reads files this way too).
#[wasm_bindgen]
pub struct Loader {
    inner: Option<crate::pipeline::Loader>,
    /// The recipe it reads with, kept for [`Dataset::reload_needed`].
    recipe: Recipe,
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
    inner: crate::pipeline::Dataset,
    /// The recipe it was loaded with.
    recipe: Recipe,
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
    #[wasm_bindgen(js_name = analyzeWithPrevious)]
    pub fn analyze_with_previous(&self, recipe: JsValue, previous: &[u8]) -> WasmResult<Analysis> {
        let recipe = recipe_from_js(&recipe)?;
        let map = crate::score::codes::previous_from_bytes(previous)?;
        let mut inner = self.inner.analyze_with(&recipe, Some(&map))?;
        let migration = inner.migrate_from_csv(previous)?;
        Ok(Analysis { inner, migration })
    }

    /// Number of customers.
    #[wasm_bindgen(getter)]
    pub fn customers(&self) -> usize {
        self.inner.customers().len()
    }
}

/// The result of a run: per-customer typed arrays plus the report.
#[wasm_bindgen]
pub struct Analysis {
    inner: crate::pipeline::Analysis,
    /// Migration against an earlier period (see `migration.rs`), when one was named.
    migration: Option<crate::migration::Migration>,
}

#[wasm_bindgen]
impl Analysis {
    /// Number of customers (the length of every per-customer array).
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.inner.customers.len()
    }

    /// The report (same content as the CLI's `report.json`).
    pub fn report(&self) -> WasmResult<JsValue> {
        to_js(&self.inner.report)
    }

    /// The report as JSON text, byte-identical to the CLI's `report.json`.
    #[wasm_bindgen(js_name = reportJson)]
    pub fn report_json(&self) -> String {
        self.inner.report_json()
    }

    /// The customer list as CSV bytes (UTF-8, no BOM), byte-identical to the CLI's `customers.csv`.
    #[wasm_bindgen(js_name = customersCsv)]
    pub fn customers_csv(&self) -> Vec<u8> {
        self.inner.customers_csv()
    }

    /// The customer list as an Excel workbook (`.xlsx` bytes): the rows and columns of
    /// [`Analysis::customers_csv`], numeric columns as numbers, text as string cells without the
    /// CSV's formula guard (a string cell is never a formula).
    #[wasm_bindgen(js_name = customersXlsx)]
    pub fn customers_xlsx(&self) -> WasmResult<Vec<u8>> {
        Ok(self
            .inner
            .customers_xlsx_for(&crate::export::ExportOptions::default())?)
    }

    /// The customer list as CSV under export `options` (`{ passphrase?, dropColumns? }`, see
    /// [`export_options`]); byte-identical to the CLI's `--pseudonymise` / `--drop-columns` output.
    #[wasm_bindgen(js_name = customersCsvFor)]
    pub fn customers_csv_for(&self, options: JsValue) -> WasmResult<Vec<u8>> {
        let options = export_options(&options)?;
        Ok(self.inner.customers_csv_for(&options)?)
    }

    /// The customer list as an Excel workbook under export `options`.
    #[wasm_bindgen(js_name = customersXlsxFor)]
    pub fn customers_xlsx_for(&self, options: JsValue) -> WasmResult<Vec<u8>> {
        let options = export_options(&options)?;
        Ok(self.inner.customers_xlsx_for(&options)?)
    }

    /// `report.json` text under export `options`: with a passphrase, no raw customer id is left in
    /// it (see [`crate::export::scrub_report`]).
    #[wasm_bindgen(js_name = reportJsonFor)]
    pub fn report_json_for(&self, options: JsValue) -> WasmResult<String> {
        let options = export_options(&options)?;
        Ok(self.inner.report_json_for(&options))
    }

    /// The fitted segmentation as one SQL query (issue 15): `dialect` is `"duckdb"` or
    /// `"spark"`, `asOf` `"fit"` (default: the fit's date) or `"data"` (the data's latest date
    /// + 1). Returns `{ sql, columns, warnings }`; what SQL cannot express is an `invalid_export`
    /// error (option `sql`) or a `sql_column_omitted` warning.
    pub fn sql(&self, dialect: &str, as_of: Option<String>) -> WasmResult<JsValue> {
        let bad = |message: String| {
            js_error(&Error::InvalidExport {
                option: "sql".into(),
                message,
            })
        };
        let dialect = crate::sql::Dialect::parse(dialect)
            .ok_or_else(|| bad(format!("unknown SQL dialect {dialect:?} (duckdb, spark)")))?;
        let as_of = match as_of.as_deref() {
            None | Some("fit") => crate::sql::SqlAsOf::Fit,
            Some("data") => crate::sql::SqlAsOf::Data,
            Some(other) => {
                return Err(bad(format!(
                    "asOf must be \"fit\" or \"data\", not {other:?}"
                )))
            }
        };
        let out = crate::sql::generate(&self.inner, crate::sql::SqlOptions { dialect, as_of })?;
        to_js(&out)
    }

    /// The column names of `customers.csv` in order (what an export can drop).
    #[wasm_bindgen(js_name = customerColumns)]
    pub fn customer_columns(&self) -> Vec<String> {
        let a = &self.inner;
        crate::report::customer_columns_with(
            &a.customers,
            &a.scores,
            &a.classes,
            a.clusters.as_ref(),
        )
        .iter()
        .map(|c| c.name.to_string())
        .collect()
    }

    /// Customer ids, sorted; every other per-customer array follows this order.
    pub fn ids(&self) -> Vec<String> {
        self.inner.customers.ids.clone()
    }

    /// Days since the latest order (`Int32Array`).
    #[wasm_bindgen(js_name = recencyDays)]
    pub fn recency_days(&self) -> Vec<i32> {
        self.inner.customers.recency_days.clone()
    }

    /// Orders per customer (`Uint32Array`).
    pub fn frequency(&self) -> Vec<u32> {
        self.inner.customers.frequency.clone()
    }

    /// Net spend per customer (`Float64Array`).
    pub fn monetary(&self) -> Vec<f64> {
        self.inner.customers.monetary.clone()
    }

    /// Recency scores 1..N (`Uint8Array`).
    #[wasm_bindgen(js_name = rScore)]
    pub fn r_score(&self) -> Vec<u8> {
        self.inner.scores.r.clone()
    }

    /// Frequency scores 1..N (`Uint8Array`).
    #[wasm_bindgen(js_name = fScore)]
    pub fn f_score(&self) -> Vec<u8> {
        self.inner.scores.f.clone()
    }

    /// Monetary scores 1..N (`Uint8Array`).
    #[wasm_bindgen(js_name = mScore)]
    pub fn m_score(&self) -> Vec<u8> {
        self.inner.scores.m.clone()
    }

    /// Segment of each customer as an index into [`Analysis::segment_names`] (`Uint16Array`).
    #[wasm_bindgen(js_name = segmentIndex)]
    pub fn segment_index(&self) -> Vec<u16> {
        self.inner.scores.segment.clone()
    }

    /// Region of each customer (its latest order's region cell; `""` when the input has no region
    /// column). Used by the page's segment × region cross-tab.
    pub fn regions(&self) -> Vec<String> {
        self.inner
            .customers
            .region
            .iter()
            .map(|r| r.clone().unwrap_or_default())
            .collect()
    }

    /// Segment names, in rule order.
    #[wasm_bindgen(js_name = segmentNames)]
    pub fn segment_names(&self) -> Vec<String> {
        self.inner.scores.segment_names.clone()
    }

    /// Value tier of each customer as an index into [`Analysis::tier_names`] (`Uint16Array`).
    #[wasm_bindgen(js_name = tierIndex)]
    pub fn tier_index(&self) -> Vec<u16> {
        self.inner.classes.tier.clone()
    }

    /// Value tier names, top first, the zero-spend tier last.
    #[wasm_bindgen(js_name = tierNames)]
    pub fn tier_names(&self) -> Vec<String> {
        self.inner.classes.tier_names.clone()
    }

    /// Lifecycle stage of each customer as an index into [`Analysis::lifecycle_names`] (`Uint16Array`).
    #[wasm_bindgen(js_name = lifecycleIndex)]
    pub fn lifecycle_index(&self) -> Vec<u16> {
        self.inner.classes.lifecycle.clone()
    }

    /// Lifecycle stage names.
    #[wasm_bindgen(js_name = lifecycleNames)]
    pub fn lifecycle_names(&self) -> Vec<String> {
        self.inner.classes.lifecycle_names.clone()
    }

    /// Custom rule tier of each customer as an index into [`Analysis::custom_tier_names`]
    /// (`Uint16Array`; empty when the recipe has no custom tier rules).
    #[wasm_bindgen(js_name = customTierIndex)]
    pub fn custom_tier_index(&self) -> Vec<u16> {
        self.inner.classes.custom.clone()
    }

    /// Custom rule tier names (empty without rules).
    #[wasm_bindgen(js_name = customTierNames)]
    pub fn custom_tier_names(&self) -> Vec<String> {
        self.inner.classes.custom_names.clone()
    }

    /// Extra input columns kept per customer (`[{ name, kind: "numeric" | "categorical" }]`): the
    /// names `cluster.features` accepts besides the built-in ones.
    pub fn attributes(&self) -> WasmResult<JsValue> {
        #[derive(Serialize)]
        struct Attr<'a> {
            name: &'a str,
            kind: crate::features::AttributeKind,
        }
        let list: Vec<Attr<'_>> = self
            .inner
            .customers
            .attributes
            .iter()
            .map(|a| Attr {
                name: &a.name,
                kind: a.kind,
            })
            .collect();
        to_js(&list)
    }

    /// Classification code of each customer.
    pub fn codes(&self) -> Vec<String> {
        self.inner.classes.codes.clone()
    }

    /// Action of each customer as an index into [`Analysis::action_texts`] (`Uint16Array`).
    #[wasm_bindgen(js_name = actionIndex)]
    pub fn action_index(&self) -> Vec<u16> {
        self.inner.classes.action.clone()
    }

    /// Action texts, one per class of the action basis.
    #[wasm_bindgen(js_name = actionTexts)]
    pub fn action_texts(&self) -> Vec<String> {
        self.inner.classes.action_texts.clone()
    }

    /// Cluster of each customer as an index into [`Analysis::cluster_names`] (`Uint16Array`; clusters
    /// are numbered by size, largest first; `customers.csv` shows index + 1). Empty when clustering is off.
    #[wasm_bindgen(js_name = clusterIndex)]
    pub fn cluster_index(&self) -> Vec<u16> {
        self.inner
            .clusters
            .as_ref()
            .map(|c| c.labels.clone())
            .unwrap_or_default()
    }

    /// Cluster names in English ("recent · frequent · high spend").
    #[wasm_bindgen(js_name = clusterNames)]
    pub fn cluster_names(&self) -> Vec<String> {
        self.inner
            .clusters
            .as_ref()
            .map(|c| c.names.clone())
            .unwrap_or_default()
    }

    /// Cluster names in Chinese.
    #[wasm_bindgen(js_name = clusterNamesZh)]
    pub fn cluster_names_zh(&self) -> Vec<String> {
        self.inner
            .clusters
            .as_ref()
            .map(|c| c.names_zh.clone())
            .unwrap_or_default()
    }

    /// 2-D map: first principal component of the scaled features per customer (`Float64Array`).
    #[wasm_bindgen(js_name = mapX)]
    pub fn map_x(&self) -> Vec<f64> {
        self.inner
            .clusters
            .as_ref()
            .map(|c| c.report.projection.x.clone())
            .unwrap_or_default()
    }

    /// 2-D map: second principal component per customer (`Float64Array`).
    #[wasm_bindgen(js_name = mapY)]
    pub fn map_y(&self) -> Vec<f64> {
        self.inner
            .clusters
            .as_ref()
            .map(|c| c.report.projection.y.clone())
            .unwrap_or_default()
    }
}

/// Benchmark hook: k-means on `n × d` row-major values, returning
/// `[inertia, iterations, fingerprint high 32 bits, fingerprint low 32 bits]`.
/// Used by `tests/benches/kmeans_node.mjs`; not part of the page's API.
#[cfg(feature = "bench")]
#[wasm_bindgen(js_name = benchKmeans)]
pub fn bench_kmeans(
    data: &[f64],
    n: usize,
    d: usize,
    k: usize,
    seed: u64,
    n_init: usize,
    init_sample: Option<usize>,
) -> WasmResult<Vec<f64>> {
    if data.len() != n.saturating_mul(d) {
        return Err(js_error(&Error::InvalidState(format!(
            "benchKmeans: {} values for {n} × {d}",
            data.len()
        ))));
    }
    let model = crate::cluster::KMeansParams::new(k)
        .n_init(n_init)
        .seed(seed)
        .init_sample(init_sample.unwrap_or(0))
        .check()
        .and_then(|p| p.fit_rows(data, d))
        .map_err(Error::from)?;
    #[allow(clippy::cast_precision_loss)]
    let fp = model.fingerprint();
    Ok(vec![
        model.inertia,
        model.n_iter as f64,
        f64::from(u32::try_from(fp >> 32).unwrap_or(0)),
        f64::from(u32::try_from(fp & 0xffff_ffff).unwrap_or(0)),
    ])
}
