//! Fuzzes the workbook path (calamine: XLSX, XLSB, ODS, XLS) through the whole pipeline, with
//! the first byte choosing XLSX-family or XLS and the sheet. Known calamine 0.38 panics on
//! damaged XLS files are listed in tests/ingest.rs (`damaged_*.xls`).
//!
//! Run: `cargo +nightly fuzz run spreadsheet` (from the repository root).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tierlens::Recipe;

fuzz_target!(|data: &[u8]| {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let format = if control & 1 == 0 { "xlsx" } else { "xls" };
    let sheet = if control & 2 == 0 { "null" } else { "\"2\"" };
    let json = format!(r#"{{"input": {{"format": "{format}", "sheet": {sheet}}}}}"#);
    let Ok(recipe) = Recipe::from_json(&json) else {
        return;
    };
    let _ = tierlens::segment(rest, &recipe);
});
