//! The command line: `segment` and `sample` with their flags (clap), and the flag values as the
//! library's types.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use tierlens::sample::{SampleLanguage, SampleOptions};

#[derive(Parser)]
#[command(
    name = "tierlens",
    version,
    about = "Customer segmentation: RFM scores, segments and tiers from a transactions export"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Segment the customers of a transactions file (CSV/TSV/XLSX/JSON; `-` reads standard
    /// input, spooled to a temporary file so that it can be read twice).
    Segment {
        /// Input file.
        input: PathBuf,
        /// Output directory: customers.csv and report.json are written there.
        #[arg(long)]
        out: PathBuf,
        /// Recipe (JSON settings) file.
        #[arg(long)]
        recipe: Option<PathBuf>,
        /// Analysis date YYYY-MM-DD (default: the day after the latest transaction).
        #[arg(long = "as-of", value_name = "YYYY-MM-DD")]
        as_of: Option<chrono::NaiveDate>,
        /// Previous code map: an earlier customers.csv (customer_id, code) or a JSON object
        /// {"id": "code"}. Customers whose class is unchanged keep their codes.
        #[arg(long, value_name = "FILE")]
        previous: Option<PathBuf>,
        /// Number of clusters, or `auto` to choose it over the recipe's kRange (overrides cluster.k).
        #[arg(long, value_name = "N|auto")]
        k: Option<tierlens::cluster::KChoice>,
        /// Random seed for clustering and explanations (overrides cluster.seed and explain.seed).
        #[arg(long)]
        seed: Option<u64>,
        /// Turn the recipe's clv section on (P(alive), expected purchases, spend and CLV;
        /// the section's other settings, or their defaults, apply).
        #[arg(long)]
        clv: bool,
        /// Also write the customer list as an Excel workbook (customers.xlsx).
        #[arg(long)]
        xlsx: bool,
        /// Replace customer ids by keyed pseudonyms (HMAC-SHA-256 under a passphrase from
        /// TIERLENS_PASSPHRASE, or typed at a prompt).
        #[arg(long, visible_alias = "pseudonymize")]
        pseudonymise: bool,
        /// Leave these customers.csv columns out of the exports (comma-separated names).
        #[arg(long = "drop-columns", value_name = "a,b,c", value_delimiter = ',')]
        drop_columns: Vec<String>,
        /// Also write the fitted segmentation as one SQL query for this engine
        /// (DIR/segment.DIALECT.sql; repeat for several).
        #[arg(long = "sql", value_enum, value_name = "duckdb|spark")]
        sql: Vec<SqlDialect>,
        /// The analysis date of the SQL: the fit's asOf (`fit`) or the data's latest date + 1.
        #[arg(long = "sql-as-of", value_enum, default_value = "fit")]
        sql_as_of: SqlAsOfArg,
    },
    /// Write the built-in synthetic sample dataset (the page's "Try the sample data").
    Sample {
        /// Output CSV file (`-` for standard output).
        #[arg(long)]
        out: PathBuf,
        /// Number of customers.
        #[arg(long, default_value_t = SampleOptions::default().customers)]
        customers: u32,
        /// Random seed.
        #[arg(long, default_value_t = SampleOptions::default().seed)]
        seed: u64,
        /// Header language.
        #[arg(long, value_enum, default_value = "en")]
        language: Lang,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum SqlDialect {
    Duckdb,
    Spark,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum SqlAsOfArg {
    Fit,
    Data,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Lang {
    En,
    Zh,
}

impl From<SqlDialect> for tierlens::sql::Dialect {
    fn from(d: SqlDialect) -> Self {
        match d {
            SqlDialect::Duckdb => tierlens::sql::Dialect::DuckDb,
            SqlDialect::Spark => tierlens::sql::Dialect::Spark,
        }
    }
}

impl From<SqlAsOfArg> for tierlens::sql::SqlAsOf {
    fn from(a: SqlAsOfArg) -> Self {
        match a {
            SqlAsOfArg::Fit => tierlens::sql::SqlAsOf::Fit,
            SqlAsOfArg::Data => tierlens::sql::SqlAsOf::Data,
        }
    }
}

impl From<Lang> for SampleLanguage {
    fn from(l: Lang) -> Self {
        match l {
            Lang::En => SampleLanguage::En,
            Lang::Zh => SampleLanguage::Zh,
        }
    }
}
