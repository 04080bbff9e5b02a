//! Decisions about how to read an input that can change the figures, each with its evidence and
//! the recipe key that overrides it.
//!
//! Every such decision (encoding, delimiter, header row, column roles, date order, decimal
//! separator, sheets, what counts as a duplicate, …) is made from the whole file where the input can
//! be read twice, is listed in `report.json` under `input.decisions`, and is shown on the page beside
//! what was read. When the file cannot settle a decision, the run either refuses (an error naming the
//! key) or goes on with a default and a [`Decision::warning`], which the CLI prints and the page
//! shows beside the decision.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::warning::Warning;

/// How a decision was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Basis {
    /// Set by the recipe.
    Recipe,
    /// Settled by the file's own contents.
    File,
    /// The file could not settle it: a default was taken (the decision carries a warning).
    Default,
}

/// One decision about the input.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    /// What was decided; stable: `encoding`, `delimiter`, `headerRow`, `columnRole`, `dateOrder`,
    /// `decimalSeparator`, `sheets`, `duplicates`, `customerIds`, …
    pub code: String,
    /// The choice, as text (`"mdy"`, `"gb18030"`, `"3"`, …).
    pub value: String,
    /// How it was made.
    pub basis: Basis,
    /// What in the file led to it, for people ("4 120 values have a day above 12 in the second
    /// place, none in the first").
    pub evidence: String,
    /// The evidence as a stable code with its values, for the page to word
    /// (`evidence_<code>` in `www/i18n.js`, listed in [`EVIDENCE_CODES`]); empty for evidence not
    /// yet coded, which the page shows as the English `evidence`.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub evidence_code: &'static str,
    /// The values `evidence_code` is worded from, as text (numbers as plain digits). Any code may
    /// also carry `firstRows`: the decision came from the first rows of a one-time stream.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub evidence_params: BTreeMap<&'static str, String>,
    /// The recipe key that overrides it (`input.dateOrder`).
    pub key: String,
    /// Set when the file could not settle the decision and a default was taken, or when the result
    /// deserves a second look: a stable code with params (the page words it) and the English
    /// sentence the CLI prints. The report lists it again under `warnings`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<Warning>,
}

impl Decision {
    /// A decision settled by the file (or by the recipe, with `basis`), without a warning.
    pub fn new(
        code: &str,
        value: impl Into<String>,
        basis: Basis,
        evidence: impl Into<String>,
        key: &str,
    ) -> Decision {
        Decision {
            code: code.to_string(),
            value: value.into(),
            basis,
            evidence: evidence.into(),
            evidence_code: "",
            evidence_params: BTreeMap::new(),
            key: key.to_string(),
            warning: None,
        }
    }

    /// The same decision with its evidence also as a code and params (see [`EVIDENCE_CODES`]).
    pub fn because(
        mut self,
        code: &'static str,
        params: impl IntoIterator<Item = (&'static str, String)>,
    ) -> Decision {
        self.evidence_code = code;
        self.evidence_params = params.into_iter().collect();
        self
    }

    /// A decision whose evidence was gathered first as an [`Evidence`] (text, code and params).
    pub fn evidenced(
        code: &str,
        value: impl Into<String>,
        basis: Basis,
        evidence: Evidence,
        key: &str,
    ) -> Decision {
        let Evidence {
            text,
            code: why,
            params,
        } = evidence;
        let mut d = Decision::new(code, value, basis, text, key);
        d.evidence_code = why;
        d.evidence_params = params;
        d
    }

    /// The same decision carrying a warning.
    pub fn warn(mut self, warning: Warning) -> Decision {
        self.warning = Some(warning);
        self
    }
}

/// What in the file led to a decision, before the decision is made: the English sentence and the
/// same facts as a code with params (see [`EVIDENCE_CODES`]). Numbers in params are plain digits;
/// the page groups them for its language.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Evidence {
    /// The English sentence (`Decision::evidence`).
    pub text: String,
    /// The stable code (`Decision::evidence_code`).
    pub code: &'static str,
    /// Its values, as text (`Decision::evidence_params`).
    pub params: BTreeMap<&'static str, String>,
}

impl Evidence {
    /// Evidence from its code, params and English sentence.
    pub fn new(
        code: &'static str,
        params: impl IntoIterator<Item = (&'static str, String)>,
        text: String,
    ) -> Evidence {
        Evidence {
            text,
            code,
            params: params.into_iter().collect(),
        }
    }
}

/// Every evidence code and the params it sends. `tests/js/i18n_warnings.test.mjs` reads this table
/// and fails when a code has no English or Chinese `evidence_<code>` template, or a template names
/// a param not listed here.
pub const EVIDENCE_CODES: &[(&str, &[&str])] = &[
    (
        "date_counts",
        &["column", "values", "dayFirst", "monthFirst", "either"],
    ),
    ("date_year_first", &["column", "values", "yearFirst"]),
    ("date_order_free", &["column", "values"]),
    ("excel_serials", &["column", "serials", "values"]),
    ("date_pattern", &["column"]),
    (
        "decimal_counts",
        &["column", "values", "comma", "dot", "either"],
    ),
    (
        "id_counts",
        &["column", "values", "integers", "floats", "other"],
    ),
    ("role_match", &["source", "percent"]),
    ("duplicates_unchecked", &[]),
    ("duplicates_dropped_recipe", &["dropped"]),
    ("duplicates_order_id", &["column", "dropped"]),
    ("duplicates_no_order_id", &["kept"]),
    ("encoding_recipe", &[]),
    ("encoding_bom", &[]),
    ("encoding_ascii", &["bytes"]),
    ("encoding_head", &["kib"]),
    ("encoding_non_ascii", &["offset", "encoding"]),
    ("delimiter_recipe", &[]),
    ("delimiter_sep_line", &["delimiter"]),
    (
        "delimiter_counts",
        &["agreeing", "lines", "count", "delimiter"],
    ),
    ("delimiter_none", &["lines"]),
    ("spaces_wide", &["agreeing", "rows", "fields"]),
    ("spaces_names_wide", &["names", "agreeing", "rows"]),
    ("spaces_any", &["agreeing", "rows", "fields"]),
    (
        "spaces_fixed",
        &["agreeing", "rows", "fields", "lines", "starts", "full"],
    ),
    ("header_recipe", &["row"]),
    ("header_recipe_preamble", &["row", "above"]),
    ("header_match", &["row", "names", "roles"]),
    ("header_match_preamble", &["row", "names", "roles", "above"]),
    ("header_none", &["row", "columns"]),
    ("header_default", &["searched", "row"]),
    ("sheets_one", &[]),
    (
        "sheets_file",
        &["sheets", "shared", "lead", "other", "empty"],
    ),
    ("sheets_recipe", &["sheets", "read"]),
    ("ids_as_written", &[]),
];
