//! The cleaning policies of the recipe (`clean`): what is done with duplicates, returns,
//! outliers and zero amounts. Only settings here; the rules that apply them are in the cleaner.

use serde::{Deserialize, Serialize};

use crate::error::Result;

/// Cleaning settings of the recipe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct CleanOptions {
    /// Rows whose amount is exactly zero: `true` rejects them (reason `zero_amount`). Default `false`.
    pub drop_zero_amounts: bool,
    /// Exact duplicate rows (every cell equal to an earlier used row): `true` keeps the first and
    /// rejects the others (reason `duplicate_row`); `false` keeps them all unchecked; `"auto"`
    /// (default) drops them when the rows carry an order id (one order line exported twice) and
    /// otherwise keeps them as repeat purchases, flagged (`flags.duplicate_row`). Rows are
    /// remembered as 64-bit hashes, 8–16 bytes per used row.
    pub drop_duplicates: DropDuplicates,
    /// Order ids made of this prefix followed only by digits are cancellations and are set aside
    /// (reason `cancelled`), as `C536379` in the UCI Online Retail export. Default `"C"`; `null` or
    /// `""` turns the rule off, and cancellation lines (negative quantity or amount) are then netted
    /// like any return. Ids such as `C01-7` or `CN1` never match: only digits may follow the prefix.
    pub cancelled_prefix: Option<String>,
    /// Rows with a negative amount or quantity: netted against their customer (default) or dropped.
    pub returns: ReturnsPolicy,
    /// Extreme amounts: flagged in the report (default), dropped, or not checked.
    pub outliers: OutlierPolicy,
    /// An amount is extreme when `log10(|amount|)` exceeds Q3 + `outlierIqr` × IQR of the log
    /// amounts of every row (of the first 500 rows for a one-time stream) (the IQR taken as at least 0.25, a factor of 1.8). Default 3.
    pub outlier_iqr: f64,
}

impl Default for CleanOptions {
    fn default() -> Self {
        CleanOptions {
            drop_zero_amounts: false,
            drop_duplicates: DropDuplicates::Auto,
            cancelled_prefix: Some("C".into()),
            returns: ReturnsPolicy::Net,
            outliers: OutlierPolicy::Flag,
            outlier_iqr: 3.0,
        }
    }
}

impl CleanOptions {
    /// Checks the settings.
    pub fn validate(&self) -> Result<()> {
        if !(self.outlier_iqr.is_finite() && self.outlier_iqr > 0.0) {
            return Err(crate::error::Error::recipe(
                "clean.outlierIqr",
                "must be a positive number (3 is Tukey's \"far out\")",
            ));
        }
        Ok(())
    }
}

/// `clean.dropDuplicates`: `true`, `false` or `"auto"` (see [`CleanOptions::drop_duplicates`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DropDuplicates {
    /// Drop exact repeats when the rows carry an order id, else keep and flag them.
    #[default]
    Auto,
    /// Always drop exact repeats.
    Yes,
    /// Never look for them.
    No,
}

impl DropDuplicates {
    /// Whether rows are checked for repeats at all (they are, to flag them, unless `false`).
    pub fn checks(self) -> bool {
        self != DropDuplicates::No
    }

    /// Whether repeats are dropped, given whether the rows carry an order id.
    pub fn drops(self, has_order_id: bool) -> bool {
        match self {
            DropDuplicates::Auto => has_order_id,
            DropDuplicates::Yes => true,
            DropDuplicates::No => false,
        }
    }
}

impl From<bool> for DropDuplicates {
    fn from(b: bool) -> Self {
        if b {
            DropDuplicates::Yes
        } else {
            DropDuplicates::No
        }
    }
}

impl Serialize for DropDuplicates {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            DropDuplicates::Auto => s.serialize_str("auto"),
            DropDuplicates::Yes => s.serialize_bool(true),
            DropDuplicates::No => s.serialize_bool(false),
        }
    }
}

impl<'de> Deserialize<'de> for DropDuplicates {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Bool(bool),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Bool(b) => Ok(b.into()),
            Raw::Text(t) if t == "auto" => Ok(DropDuplicates::Auto),
            Raw::Text(t) => Err(serde::de::Error::custom(format!(
                "clean.dropDuplicates must be true, false or \"auto\", not {t:?}"
            ))),
        }
    }
}

/// What to do with returns (rows with a negative amount or quantity).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReturnsPolicy {
    /// Subtract them from the customer's spend (counted in `returns`).
    #[default]
    Net,
    /// Reject them (reason `return`).
    Drop,
}

/// What to do with extreme amounts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OutlierPolicy {
    /// Use them, and list them under `flags.outlier_amount`.
    #[default]
    Flag,
    /// Reject them (reason `outlier_amount`).
    Drop,
    /// Do not check.
    Off,
}
