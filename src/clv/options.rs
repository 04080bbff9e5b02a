//! The recipe's `clv` section and its check, once, into [`Settings`].
//!
//! The section is off by default; writing it turns it on (`enabled` defaults to true once the
//! section is there), so `"clv": {}` asks for the defaults. Every field has its own error code.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{Error, Result};
use crate::ingest::values::day_of;

use super::{Model, Settings, TimeUnit};

/// Longest horizon in time units: the discounted CLV sums one term per unit and customer, so the
/// bound keeps the work bounded (3,660 days is ten years; in weeks it is seventy).
pub const MAX_HORIZON: f64 = 3660.0;

/// Highest annual discount rate accepted (1000 %); beyond it the setting is a typo.
pub const MAX_DISCOUNT_RATE: f64 = 10.0;

/// The recipe's `clv` section (every field optional; defaults as shown).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ClvOptions {
    /// On when the section is in the recipe (unless `false`); off in the default recipe.
    pub enabled: bool,
    /// `"bgnbd"` (default) or `"mbgnbd"`.
    pub model: String,
    /// `"day"`, `"week"` (default) or `"month"`.
    pub time_unit: String,
    /// Prediction horizon in time units (default 52), a whole number from 1 to 3,660.
    pub horizon: f64,
    /// Last day of the calibration period; the rest of the data is the holdout. Default: `asOf`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calibration_end: Option<NaiveDate>,
    /// Annual discount rate of the CLV (0.1 = 10 %); default none (undiscounted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discount_rate: Option<f64>,
    /// `"gammaGamma"` (the only spend model).
    pub spend_model: String,
    /// P(alive) below this is "At Risk" in the probabilistic lifecycle (default 0.3).
    pub p_alive_threshold: f64,
}

impl Default for ClvOptions {
    fn default() -> Self {
        ClvOptions {
            enabled: false,
            model: "bgnbd".into(),
            time_unit: "week".into(),
            horizon: 52.0,
            calibration_end: None,
            discount_rate: None,
            spend_model: "gammaGamma".into(),
            p_alive_threshold: 0.3,
        }
    }
}

/// The section as written: `enabled` left out means on.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Written {
    enabled: Option<bool>,
    model: Option<String>,
    time_unit: Option<String>,
    horizon: Option<f64>,
    calibration_end: Option<NaiveDate>,
    discount_rate: Option<f64>,
    spend_model: Option<String>,
    p_alive_threshold: Option<f64>,
}

/// Deserialises a present `clv` section: on unless it says `"enabled": false`.
pub fn present<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<ClvOptions, D::Error> {
    let w = Written::deserialize(d)?;
    let def = ClvOptions::default();
    Ok(ClvOptions {
        enabled: w.enabled.unwrap_or(true),
        model: w.model.unwrap_or(def.model),
        time_unit: w.time_unit.unwrap_or(def.time_unit),
        horizon: w.horizon.unwrap_or(def.horizon),
        calibration_end: w.calibration_end,
        discount_rate: w.discount_rate,
        spend_model: w.spend_model.unwrap_or(def.spend_model),
        p_alive_threshold: w.p_alive_threshold.unwrap_or(def.p_alive_threshold),
    })
}

impl ClvOptions {
    /// True for the default (off) section, which the recipe echo leaves out.
    pub fn is_default(&self) -> bool {
        *self == ClvOptions::default()
    }

    /// Checks every field (also when the section is off, so a saved recipe is valid either way)
    /// and returns the settings, `None` when off. `as_of` is the recipe's analysis date, if set:
    /// the calibration must end before it.
    pub fn check(&self, as_of: Option<NaiveDate>) -> Result<Option<Settings>> {
        let model = match self.model.as_str() {
            "bgnbd" => Model::BgNbd,
            "mbgnbd" => Model::MbgNbd,
            other => {
                return Err(Error::ClvModel {
                    given: other.to_string(),
                })
            }
        };
        let time_unit = match self.time_unit.as_str() {
            "day" => TimeUnit::Day,
            "week" => TimeUnit::Week,
            "month" => TimeUnit::Month,
            other => {
                return Err(Error::ClvTimeUnit {
                    given: other.to_string(),
                })
            }
        };
        let h = self.horizon;
        if !(h.is_finite() && (1.0..=MAX_HORIZON).contains(&h) && h.fract() == 0.0) {
            return Err(Error::ClvHorizon {
                given: h,
                max: MAX_HORIZON,
            });
        }
        if let Some(d) = self.discount_rate {
            if !(d.is_finite() && (0.0..=MAX_DISCOUNT_RATE).contains(&d)) {
                return Err(Error::ClvDiscountRate {
                    given: d,
                    max: MAX_DISCOUNT_RATE,
                });
            }
        }
        if self.spend_model != "gammaGamma" {
            return Err(Error::ClvSpendModel {
                given: self.spend_model.clone(),
            });
        }
        let t = self.p_alive_threshold;
        if !(t.is_finite() && (0.0..=1.0).contains(&t)) {
            return Err(Error::ClvPAliveThreshold { given: t });
        }
        if let (Some(end), Some(now)) = (self.calibration_end, as_of) {
            if end >= now {
                return Err(Error::ClvCalibrationEnd {
                    calibration_end: end.to_string(),
                    as_of: now.to_string(),
                });
            }
        }
        if !self.enabled {
            return Ok(None);
        }
        // Checked above: a whole number in 1..=3660.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let horizon = h as u32;
        Ok(Some(Settings {
            model,
            time_unit,
            horizon,
            calibration_end: self.calibration_end.map(day_of),
            discount_rate: self.discount_rate,
            p_alive_threshold: t,
        }))
    }
}
