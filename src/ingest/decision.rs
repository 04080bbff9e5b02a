//! Decisions about how to read an input that can change the figures, each with its evidence and
//! the recipe key that overrides it.
//!
//! Every such decision (encoding, delimiter, header row, column roles, date order, decimal
//! separator, sheets, what counts as a duplicate, …) is made from the whole file where the input can
//! be read twice, is listed in `report.json` under `input.decisions`, and is shown on the page beside
//! what was read. When the file cannot settle a decision, the run either refuses (an error naming the
//! key) or goes on with a default and a [`Decision::warning`], which the CLI prints and the page
//! shows beside the decision.

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
            key: key.to_string(),
            warning: None,
        }
    }

    /// The same decision carrying a warning.
    pub fn warn(mut self, warning: Warning) -> Decision {
        self.warning = Some(warning);
        self
    }
}
