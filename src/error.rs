//! The one error type of tierlens.
//!
//! Every variant has a stable machine-readable [`Error::code`] (used by the CLI, the JS `Error.code`
//! property and tests) and, where the problem sits at a place in the input, a row number and a column
//! name. Row-level problems that do not stop the run are not errors: they are rejections counted in the
//! report (see [`crate::clean`]). An `Error` means the run as a whole cannot go on.

use std::fmt;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can stop a tierlens run.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The input had no bytes, or only white space.
    #[error("the input is empty")]
    EmptyInput,

    /// The input does not look like any format tierlens reads (e.g. an image renamed to .csv).
    #[error("unsupported input: {0}")]
    UnsupportedFormat(String),

    /// A header row was read but no data rows followed it.
    #[error("the input has a header but no data rows")]
    NoDataRows,

    /// A column that the run needs could not be found in the header.
    #[error(
        "missing required column: {role} (looked for a header such as {looked_for}; found {found})"
    )]
    MissingColumn {
        /// The role that has no column (e.g. `customer id`).
        role: String,
        /// A few of the header names that would have been accepted.
        looked_for: String,
        /// The header names that were present.
        found: String,
    },

    /// A column named in the recipe (a role override) is not in the header.
    #[error("the recipe names column {column:?} for {role}, but the input has no such column")]
    UnknownColumn {
        /// The role the recipe tried to assign.
        role: String,
        /// The column name given.
        column: String,
    },

    /// A single input row makes the whole input unreadable (e.g. malformed quoting at the end of file).
    #[error("row {row}{}: {message}", column.as_ref().map(|c| format!(", column {c:?}")).unwrap_or_default())]
    BadRow {
        /// 1-based row number as a spreadsheet shows it (the header is row 1).
        row: u64,
        /// Column name, where one is involved.
        column: Option<String>,
        /// What is wrong.
        message: String,
    },

    /// Every data row was rejected, so there is nothing to analyse.
    #[error("no usable rows: all {rows_read} data rows were rejected (most often: {top_reason})")]
    NoUsableRows {
        /// Data rows read.
        rows_read: u64,
        /// The most frequent rejection reason, with its first row number.
        top_reason: String,
    },

    /// The recipe (settings) is invalid.
    #[error("invalid recipe: {field}: {message}")]
    InvalidRecipe {
        /// Dotted path of the offending setting, e.g. `score.bins`.
        field: String,
        /// What is wrong with it.
        message: String,
    },

    /// A rule expression in the recipe cannot be parsed or checked (e.g. `customTiers.rules[0].when`).
    #[error("invalid expression in {field} at column {column}: {message}")]
    InvalidExpression {
        /// Dotted path of the setting that holds the expression.
        field: String,
        /// 1-based character position in the expression where the problem is.
        column: usize,
        /// What is wrong there.
        message: String,
    },

    /// The recipe JSON could not be parsed (syntax error or unknown key).
    #[error("cannot read the recipe: {0}")]
    RecipeSyntax(String),

    /// The data are valid but an analysis step cannot run on them (e.g. more clusters than customers).
    #[error("cannot analyse: {0}")]
    Analysis(String),

    /// A reading decision that changes the figures (day/month order, decimal separator) cannot
    /// be settled from the whole column: the recipe key `key` must say. Codes `ambiguous_dates`
    /// and `ambiguous_decimal`.
    #[error(
        "cannot tell the {} of column {column:?}: {detail}; set {key} in the recipe to {}",
        ambiguous_what(decision),
        ambiguous_choices(decision)
    )]
    Ambiguous {
        /// The decision code (`dateOrder`, `decimalSeparator`).
        decision: &'static str,
        /// The column whose values were counted.
        column: String,
        /// The recipe key that settles it (`input.dateOrder`, `input.decimalSeparator`).
        key: String,
        /// The counts that leave it open.
        detail: String,
    },

    /// A call was made in the wrong order (e.g. pushing bytes after `finish`).
    #[error("invalid use: {0}")]
    InvalidState(String),

    /// An export option cannot be applied (an empty passphrase, a column to drop that the customer
    /// list does not have).
    #[error("invalid export option {option}: {message}")]
    InvalidExport {
        /// The option (`pseudonymise`, `dropColumns`).
        option: String,
        /// What is wrong with it.
        message: String,
    },

    // --- helper `core` (issue 11): k-means parameter errors, one code per setting ---
    /// A k-means setting is out of range when k-means is driven directly (a checked recipe catches
    /// these first as [`Error::InvalidRecipe`]). `code` is the setting's own stable code
    /// (`kmeans_zero_k`, `kmeans_k_too_large`, `kmeans_zero_n_init`, `kmeans_zero_max_iter`,
    /// `kmeans_invalid_tolerance`; see `cluster::kmeans::KMeansError::code`).
    #[error("invalid k-means setting {field}: {message}")]
    InvalidKMeansParam {
        /// The setting's stable code.
        code: &'static str,
        /// The recipe key it comes from (`cluster.k`, `cluster.nInit`, …).
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    // --- end helper `core` ---
}

fn ambiguous_choices(decision: &str) -> &'static str {
    match decision {
        "dateOrder" => "\"dmy\" or \"mdy\"",
        _ => "\".\" or \",\"",
    }
}

fn ambiguous_what(decision: &str) -> &'static str {
    match decision {
        "dateOrder" => "day/month order",
        _ => "decimal separator",
    }
}

impl Error {
    /// Stable identifier of the variant, e.g. `"missing_column"`. Never changes once released.
    pub fn code(&self) -> &'static str {
        match self {
            Error::EmptyInput => "empty_input",
            Error::UnsupportedFormat(_) => "unsupported_format",
            Error::NoDataRows => "no_data_rows",
            Error::MissingColumn { .. } => "missing_column",
            Error::UnknownColumn { .. } => "unknown_column",
            Error::BadRow { .. } => "bad_row",
            Error::NoUsableRows { .. } => "no_usable_rows",
            Error::InvalidRecipe { .. } => "invalid_recipe",
            Error::InvalidExpression { .. } => "invalid_expression",
            Error::RecipeSyntax(_) => "recipe_syntax",
            Error::Analysis(_) => "analysis",
            Error::InvalidState(_) => "invalid_state",
            Error::Ambiguous { decision, .. } => match *decision {
                "dateOrder" => "ambiguous_dates",
                _ => "ambiguous_decimal",
            },
            Error::InvalidExport { .. } => "invalid_export",
            // helper `core`: k-means parameter errors carry their own code.
            Error::InvalidKMeansParam { code, .. } => code,
        }
    }

    /// Row number (1-based, header = row 1) where the problem is, if it is at one row.
    pub fn row(&self) -> Option<u64> {
        match self {
            Error::BadRow { row, .. } => Some(*row),
            _ => None,
        }
    }

    /// Column name where the problem is, if it is at one column.
    pub fn column(&self) -> Option<&str> {
        match self {
            Error::BadRow { column, .. } => column.as_deref(),
            Error::UnknownColumn { column, .. } | Error::Ambiguous { column, .. } => Some(column),
            _ => None,
        }
    }

    /// Dotted path of the recipe setting at fault (`score.bins`, `customTiers.rules[0].when`), for the
    /// two recipe errors and the recipe key an [`Error::Ambiguous`] asks for; lets the page show the
    /// message beside the control that holds the setting.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidRecipe { field, .. } | Error::InvalidExpression { field, .. } => {
                Some(field)
            }
            Error::Ambiguous { key, .. } => Some(key),
            _ => None,
        }
    }

    /// 1-based character position inside an expression or template, for [`Error::InvalidExpression`].
    pub fn position(&self) -> Option<usize> {
        match self {
            Error::InvalidExpression { column, .. } => Some(*column),
            _ => None,
        }
    }

    /// The variant's fields by name (camelCase), so a front end can word the message in another
    /// language from [`Error::code`] and these values instead of translating the English text.
    /// Free-text parts (`detail`) stay in English.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            Error::EmptyInput | Error::NoDataRows => Vec::new(),
            Error::UnsupportedFormat(d)
            | Error::RecipeSyntax(d)
            | Error::Analysis(d)
            | Error::InvalidState(d) => vec![("detail", d.clone())],
            Error::MissingColumn {
                role,
                looked_for,
                found,
            } => vec![
                ("role", role.clone()),
                ("lookedFor", looked_for.clone()),
                ("found", found.clone()),
            ],
            Error::UnknownColumn { role, column } => {
                vec![("role", role.clone()), ("column", column.clone())]
            }
            Error::BadRow {
                row,
                column,
                message,
            } => {
                let mut out = vec![("row", row.to_string()), ("detail", message.clone())];
                if let Some(c) = column {
                    out.push(("column", c.clone()));
                }
                out
            }
            Error::NoUsableRows {
                rows_read,
                top_reason,
            } => vec![
                ("rowsRead", rows_read.to_string()),
                ("topReason", top_reason.clone()),
            ],
            Error::InvalidRecipe { field, message } => {
                vec![("field", field.clone()), ("detail", message.clone())]
            }
            Error::Ambiguous {
                decision,
                column,
                key,
                detail,
            } => vec![
                ("decision", (*decision).to_string()),
                ("column", column.clone()),
                ("field", key.clone()),
                ("detail", detail.clone()),
            ],
            Error::InvalidExpression {
                field,
                column,
                message,
            } => vec![
                ("field", field.clone()),
                ("position", column.to_string()),
                ("detail", message.clone()),
            ],
            Error::InvalidExport { option, message } => {
                vec![("option", option.clone()), ("detail", message.clone())]
            }
            // helper `core`: k-means parameter errors.
            Error::InvalidKMeansParam { field, message, .. } => {
                vec![("field", (*field).to_string()), ("detail", message.clone())]
            }
        }
    }

    /// Shorthand for an [`Error::InvalidRecipe`].
    pub fn recipe(field: impl Into<String>, message: impl fmt::Display) -> Self {
        Error::InvalidRecipe {
            field: field.into(),
            message: message.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_row_message_names_row_and_column() {
        let e = Error::BadRow {
            row: 17,
            column: Some("date".into()),
            message: "unterminated quote".into(),
        };
        assert_eq!(e.to_string(), "row 17, column \"date\": unterminated quote");
        assert_eq!(e.code(), "bad_row");
        assert_eq!(e.row(), Some(17));
        assert_eq!(e.column(), Some("date"));
        let params = e.params();
        assert!(params.contains(&("row", "17".to_string())), "{params:?}");
        assert!(
            params.contains(&("column", "date".to_string())),
            "{params:?}"
        );
    }

    #[test]
    fn expression_errors_carry_field_and_position() {
        let e = Error::InvalidExpression {
            field: "customTiers.rules[1].when".into(),
            column: 9,
            message: "unknown field".into(),
        };
        assert_eq!(e.field(), Some("customTiers.rules[1].when"));
        assert_eq!(e.position(), Some(9));
        assert!(e.params().contains(&("position", "9".to_string())));
        assert_eq!(Error::EmptyInput.field(), None);
    }
}
