//! The JS boundary: thin adapters over the pure pipeline. The only module that knows about JS.
//!
//! - Data in as bytes (`Uint8Array` chunks pushed to a [`Loader`]), never one JS object per row.
//! - Per-customer results out as typed arrays and string arrays; only the small report goes through
//!   JSON text (serde_json, then `JSON.parse`).
//! - Errors are thrown as JS `Error`s named `TierlensError` with a stable `code` and, where the
//!   problem is at a place in the input, `row` and `column`; a recipe error also has `field` (the
//!   dotted setting) and, in an expression or template, `position` (1-based character). `params` holds
//!   the variant's fields by name, so a page can word the message in its own language from `code`.

use wasm_bindgen::prelude::*;

mod analysis;
#[cfg(feature = "bench")]
mod bench;
mod convert;
mod facts;
mod functions;
mod loader;
mod migration;

pub use analysis::Analysis;
#[cfg(feature = "bench")]
pub use bench::bench_kmeans;
pub use functions::*;
pub use loader::{Dataset, Loader};

pub use migration::earlier_recipe;

use convert::{export_options, js_error, recipe_from_js, to_js};

type WasmResult<T> = Result<T, JsValue>;
