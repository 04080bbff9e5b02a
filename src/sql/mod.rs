//! The fitted segmentation as one SQL query for DuckDB or Spark SQL (issue 15).
//!
//! An analysis fitted on an export is turned into a query that reads the raw order lines from a
//! relation named `transactions` (the input file's column names, typed: the date a DATE or
//! TIMESTAMP, amounts numeric, ids text) and returns one row per customer with the customer-list
//! columns it covers. Nothing is re-estimated in SQL: score cut points, value-tier thresholds,
//! lifecycle days, the segment rule table and the cluster centroids are literals of the fit, and
//! every comparison is the one tierlens makes, so on the fit's own data the query gives tierlens'
//! own answer (tests/sql/ runs it in both engines and compares every column).
//!
//! Steps (one CTE each): `input` maps the file's names to roles (the one place to edit when the
//! warehouse names differ) → `rows` applies the cleaning rules SQL can express → `orders` →
//! `metrics` (recency, frequency, monetary as tierlens defines them) → `scored` → `tiered` (the
//! custom tiers, when the recipe has some) → the final `SELECT`. What the query cannot express is refused ([`Error::InvalidExport`] with option
//! `sql`) when it would change the core columns, or reported as a warning (`sql_column_omitted`)
//! when a column is left out.

mod custom;
mod dialect;
mod input;
mod labels;
mod lifecycle;

use crate::error::{Error, Result};
use crate::pipeline::Analysis;
use crate::warning::Warning;

/// SQL engine the query is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// DuckDB (1.x and 2.x).
    DuckDb,
    /// Apache Spark SQL (3.x and 4.x).
    Spark,
}

/// Which analysis date the query uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SqlAsOf {
    /// The fit's `asOf` as a literal (default): the same figures as the fit on the same rows;
    /// rows dated after it are set aside, as in the fit.
    #[default]
    Fit,
    /// The day after the latest date among the rows the query uses (tierlens' default rule),
    /// for running the fitted segmentation on newer data.
    Data,
}

/// Options of [`generate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SqlOptions {
    /// The engine.
    pub dialect: Dialect,
    /// The analysis date.
    pub as_of: SqlAsOf,
}

/// A generated query and what it leaves out.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SqlExport {
    /// The query text (one statement, ending in `;`).
    pub sql: String,
    /// Customer-list columns the query covers, in output order.
    pub columns: Vec<String>,
    /// Columns left out and why (code `sql_column_omitted`).
    pub warnings: Vec<Warning>,
}

/// Named CTE bodies, in query order.
type Ctes = Vec<(&'static str, String)>;

/// Refusal: something the query would have to express to give the fit's answer and cannot.
fn refuse(message: impl Into<String>) -> Error {
    Error::InvalidExport {
        option: "sql".into(),
        message: message.into(),
    }
}

/// A column the query leaves out, as a warning ([`Warning::sql_column_omitted`]).
fn omitted(column: &str, reason: &str, detail: &str) -> Warning {
    Warning::sql_column_omitted(column, reason, detail)
}

/// Writes the analysis as one query for `options.dialect`.
pub fn generate(analysis: &Analysis, options: SqlOptions) -> Result<SqlExport> {
    let d = options.dialect;
    let mut warnings = Vec::new();
    let custom = !analysis.report.recipe.custom_tiers.rules.is_empty();
    let mut ctes = input::ctes(analysis, options, custom)?;
    let (more, columns) = labels::scored(analysis, d, &mut warnings)?;
    ctes.extend(more);
    let mut sql = format!(
        "-- tierlens {} · the fitted segmentation for {} (asOf {} as fitted; {})\n\
         -- Reads order lines from the relation `transactions`; edit the CTE `input` when the\n\
         -- warehouse's column names differ. Cut points and thresholds are the fit's literals.\n",
        env!("CARGO_PKG_VERSION"),
        d.name(),
        analysis.report.as_of,
        match options.as_of {
            SqlAsOf::Fit => "this query uses the fit's asOf",
            SqlAsOf::Data => "this query uses the data's latest date + 1",
        },
    );
    sql.push_str("WITH\n");
    let n = ctes.len();
    for (i, (name, body)) in ctes.iter().enumerate() {
        sql.push_str(&format!(
            "{name} AS (\n{body}\n){}\n",
            if i + 1 < n { "," } else { "" }
        ));
    }
    sql.push_str("SELECT\n  ");
    sql.push_str(&columns.join(",\n  "));
    let last = ctes.last().map_or("scored", |(name, _)| name);
    sql.push_str(&format!("\nFROM {last}\nORDER BY customer_id;\n"));
    Ok(SqlExport {
        sql,
        columns,
        warnings,
    })
}
