//! One analysis's results: per-customer typed arrays, the report and the exports.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::js_error;
use crate::error::Error;

use super::convert::{export_options, to_js};
use super::WasmResult;

/// The result of a run: per-customer typed arrays plus the report.
#[wasm_bindgen]
pub struct Analysis {
    pub(super) inner: crate::pipeline::Analysis,
    /// Migration against an earlier period (see `migration.rs`), when one was named.
    pub(super) migration: Option<crate::migration::Migration>,
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
        self.inner
            .columns()
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

    // --- clvwire: the per-customer CLV figures (recipe `clv`), in `ids()` order. Each is an
    // array of numbers with `null` where the customer has no figure (never NaN), or `null` as a
    // whole when there are no figures (section off, or the fit not identifiable: see warnings).

    /// P(alive) per customer as of the calibration end.
    #[wasm_bindgen(js_name = pAlive)]
    pub fn p_alive(&self) -> WasmResult<JsValue> {
        self.clv_array(|c| Some(c.p_alive))
    }

    /// Expected repeat purchase days over the horizon per customer.
    #[wasm_bindgen(js_name = expectedOrders)]
    pub fn expected_orders(&self) -> WasmResult<JsValue> {
        self.clv_array(|c| c.expected_orders)
    }

    /// Expected spend per purchase day (Gamma-Gamma) per customer.
    #[wasm_bindgen(js_name = expectedSpend)]
    pub fn expected_spend(&self) -> WasmResult<JsValue> {
        self.clv_array(|c| c.expected_spend)
    }

    /// Expected (discounted) value over the horizon per customer.
    pub fn clv(&self) -> WasmResult<JsValue> {
        self.clv_array(|c| c.clv)
    }
}

impl Analysis {
    fn clv_array(
        &self,
        figure: fn(&crate::clv::CustomerClv) -> Option<f64>,
    ) -> WasmResult<JsValue> {
        match self.inner.clv_figures() {
            None => Ok(JsValue::NULL),
            Some(figures) => {
                let values: Vec<Option<f64>> = figures
                    .iter()
                    .map(|c| c.as_ref().and_then(figure).filter(|v| v.is_finite()))
                    .collect();
                super::convert::to_js(&values)
            }
        }
    }
}
