//! Customers over time, part 1 (issue 14): P(alive), expected repeat purchases, expected spend and
//! CLV from the BG/NBD or MBG/NBD model and Gamma-Gamma (layer 5, beside the other analysis
//! leaves; it needs only dated purchases).
//!
//! Everything is computed with `libm` and a deterministic optimiser over distinct patterns in a
//! fixed order, so a fit gives identical bits natively and in Wasm. Data that cannot settle a model
//! gives a warning and no figures, never NaN.

pub mod bgnbd;
pub mod columns;
pub mod gamma_gamma;
pub mod groups;
pub mod now;
pub mod optimize;
pub mod options;
pub mod special;
pub mod summary;
pub mod value;

use serde::Serialize;

use crate::ingest::values::Day;
use crate::warning::Warning;

pub use bgnbd::{Model, Params};
pub use gamma_gamma::SpendParams;
pub use groups::GroupClv;
pub use options::ClvOptions;
pub use value::{analyse, ClvReport, CustomerClv, Outcome};

/// One dated purchase of a customer (by index).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Purchase {
    /// Customer index.
    pub customer: u32,
    /// Day of the purchase.
    pub day: Day,
    /// Its value (net amount).
    pub value: f64,
}

/// A distinct (x, tₓ, T) with the number of customers who have it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pattern {
    /// Repeat purchase days.
    pub x: f64,
    /// Last − first purchase, in the time unit.
    pub tx: f64,
    /// Calibration end − first purchase, in the time unit.
    pub t: f64,
    /// Customers with this pattern.
    pub weight: f64,
}

/// The unit x, tₓ, T, α and the horizon are counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TimeUnit {
    /// One day.
    Day,
    /// Seven days (the literature's unit for CDNOW).
    Week,
    /// A twelfth of a mean Gregorian year (30.436875 days).
    Month,
}

impl TimeUnit {
    /// Days per unit.
    pub fn days(self) -> f64 {
        match self {
            TimeUnit::Day => 1.0,
            TimeUnit::Week => 7.0,
            TimeUnit::Month => 365.2425 / 12.0,
        }
    }

    /// The recipe / report name.
    pub fn name(self) -> &'static str {
        match self {
            TimeUnit::Day => "day",
            TimeUnit::Week => "week",
            TimeUnit::Month => "month",
        }
    }
}

/// What the `clv` recipe section asks for (already checked).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Repeat-purchase model.
    pub model: Model,
    /// Time unit of x, tₓ, T and the horizon.
    pub time_unit: TimeUnit,
    /// Prediction horizon in time units.
    pub horizon: u32,
    /// Last day of the calibration period (inclusive); `None` = the analysis date.
    pub calibration_end: Option<Day>,
    /// Annual discount rate for CLV (0.1 = 10 %); `None` = undiscounted.
    pub discount_rate: Option<f64>,
    /// P(alive) below this is "at risk" in the probabilistic lifecycle.
    pub p_alive_threshold: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            model: Model::BgNbd,
            time_unit: TimeUnit::Week,
            horizon: 52,
            calibration_end: None,
            discount_rate: None,
            p_alive_threshold: 0.3,
        }
    }
}

/// Fewest customers with a repeat purchase for a fit: four parameters need more than a handful.
pub const MIN_REPEATERS: usize = 10;

/// The model could not be fitted from this data: why, as a warning.
pub fn not_identifiable(reason: &str, customers: usize, repeaters: usize) -> Warning {
    Warning::clv_not_identifiable(reason, customers, repeaters, MIN_REPEATERS)
}
