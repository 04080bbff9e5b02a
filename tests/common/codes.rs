//! Error codes several test files expect, in one place.

/// Every code an input (bytes, default recipe, no role overrides) may be refused with: the input
/// variants of `src/error.rs`. Recipe, state and export codes cannot come from bytes alone.
pub const INPUT_CODES: [&str; 8] = [
    "empty_input",
    "unsupported_format",
    "no_data_rows",
    "missing_column",
    "bad_row",
    "no_usable_rows",
    "ambiguous_dates",
    "ambiguous_decimal",
];
