//! Fuzzes sniffing + parsing + cleaning of text formats (delimited, JSON): any bytes, any
//! chunking, a few recipe variants. Every input must give a result or a typed error; a panic is
//! a bug. Workbooks go to the `spreadsheet` target: calamine has known panics on damaged XLS files
//! and libFuzzer aborts on any panic, which would stop this target from exploring our own code.
//!
//! Run: `cargo +nightly fuzz run ingest` (from the repository root).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tierlens::ingest::InputFormat;
use tierlens::{Loader, Recipe};

const RECIPES: [&str; 6] = [
    "{}",
    r#"{"input": {"format": "json"}}"#,
    r#"{"input": {"format": "delimited", "encoding": "gbk"}}"#,
    r#"{"input": {"encoding": "utf-16le", "delimiter": ";"}}"#,
    r#"{"input": {"delimiter": " ", "shape": "customers"}, "asOf": "2024-01-01"}"#,
    r#"{"input": {"dateOrder": "mdy"}, "clean": {"returns": "drop", "outliers": "drop"}}"#,
];

fuzz_target!(|data: &[u8]| {
    // First byte: recipe and chunk size; the rest is the file.
    let Some((&control, bytes)) = data.split_first() else {
        return;
    };
    let Some(json) = RECIPES.get(usize::from(control % 6)) else {
        return;
    };
    let Ok(recipe) = Recipe::from_json(json) else {
        return;
    };
    match tierlens::ingest::sniff::sniff(bytes, true, &recipe.input) {
        Ok(d) if matches!(d.format, InputFormat::Xlsx | InputFormat::Xls) => return,
        _ => {}
    }
    let chunk = usize::from(control / 6) + 1;
    let split = (|| {
        // Two passes, as `segment` reads bytes in memory: the same splits in both.
        let mut loader = Loader::two_pass(&recipe, None)?;
        for pass in 1..=loader.passes() {
            if pass == 2 {
                loader.end_first_pass()?;
            }
            for piece in bytes.chunks(chunk) {
                loader.push(piece)?;
            }
        }
        loader.finish()?.analyze(&recipe)
    })();
    let whole = tierlens::segment(bytes, &recipe);
    // Chunking must never change the outcome.
    assert_eq!(format!("{split:?}"), format!("{whole:?}"));
});
