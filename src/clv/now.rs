//! P(alive) as of the analysis date, for the probabilistic lifecycle: the fitted model applied to
//! each customer's purchases up to `asOf`. With a calibration end before `asOf` the figures in
//! customers.csv are predictions made as of the calibration end, but a lifecycle stage describes
//! the customer now, so it is computed from all the purchases up to now with the same parameters.

use crate::ingest::values::Day;

use super::bgnbd::{self, Params};
use super::summary::summarise;
use super::{Purchase, Settings};

/// P(alive) per customer index at `day` (`None`: no purchase by then) under `params`.
pub fn p_alive_at(
    purchases: &[Purchase],
    customers: usize,
    day: Day,
    settings: &Settings,
    params: &Params,
) -> Vec<Option<f64>> {
    summarise(purchases, customers, day, settings.time_unit)
        .customers
        .iter()
        .map(|s| {
            s.as_ref()
                .map(|s| bgnbd::p_alive(settings.model, params, f64::from(s.x), s.tx, s.t))
        })
        .collect()
}
