//! Lifecycle stage of each customer, from days since the last order (DOMAIN.md §4).
//!
//! - **fixed** (default): Prospect (no counted order) · New (first order within `newDays`, i.e.
//!   tenure ≤ 30) · Active (recency ≤ `activeDays`, 30) · Due (≤ `dueDays`, 60) · Lapsing
//!   (≤ `lapsingDays`, 90) · Lost (beyond). Checked in that order.
//! - **relative**: Prospect · New (as above) · Active while the gap since the last order is within
//!   the customer's own usual gap (80th percentile of its gaps, or the mean) · At Risk beyond that,
//!   up to its longest gap · Churned beyond its longest gap. Customers with a single order have no gaps
//!   of their own; for them Active ≤ `activeDays`, At Risk ≤ `lapsingDays`, Churned beyond.
//!
//! - **probabilistic**: Prospect · New (as above) · Active when the customer's P(alive) from the
//!   `clv` model (BG/NBD or MBG/NBD, as of `asOf` on all the customer's purchases up to it) is at
//!   least `clv.pAliveThreshold` · At Risk below it · Unscored when the model gives the customer no
//!   figure (the fit was not identifiable: see the `clv_not_identifiable` warning). Needs the `clv`
//!   section. Under BG/NBD a customer with one purchase day has P(alive) = 1 (it can drop out only
//!   after a repeat purchase), so one-time buyers are Active; MBG/NBD does not have this property.
//!
//! Days are editable because "lost" depends on the business: a furniture store's is not a grocer's.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::features::Customers;

/// Which lifecycle rule applies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LifecycleMode {
    /// Fixed day thresholds for everyone.
    #[default]
    Fixed,
    /// Each customer against its own purchase gaps.
    Relative,
    /// P(alive) from the `clv` model against `clv.pAliveThreshold`.
    Probabilistic,
}

/// The "usual gap" of a customer in relative mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UsualGap {
    /// 80th percentile of the customer's gaps between orders.
    #[default]
    P80,
    /// Mean gap between orders.
    Mean,
}

/// Lifecycle settings of the recipe (`lifecycle`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct LifecycleOptions {
    /// `fixed` (default) or `relative`.
    pub mode: LifecycleMode,
    /// New: first order at most this many days before `asOf` (default 30).
    pub new_days: i32,
    /// Active: last order at most this many days before `asOf` (default 30).
    pub active_days: i32,
    /// Due: at most this many days (default 60).
    pub due_days: i32,
    /// Lapsing: at most this many days (default 90); Lost beyond.
    pub lapsing_days: i32,
    /// Relative mode: the customer's usual gap (`p80`, default, or `mean`).
    pub usual_gap: UsualGap,
}

impl Default for LifecycleOptions {
    fn default() -> Self {
        LifecycleOptions {
            mode: LifecycleMode::Fixed,
            new_days: 30,
            active_days: 30,
            due_days: 60,
            lapsing_days: 90,
            usual_gap: UsualGap::P80,
        }
    }
}

/// Stage names in fixed mode, in index order.
pub const FIXED_STAGES: [&str; 6] = ["Prospect", "New", "Active", "Due", "Lapsing", "Lost"];
/// Stage names in relative mode, in index order.
pub const RELATIVE_STAGES: [&str; 5] = ["Prospect", "New", "Active", "At Risk", "Churned"];
/// Stage names in probabilistic mode, in index order.
pub const PROBABILISTIC_STAGES: [&str; 5] = ["Prospect", "New", "Active", "At Risk", "Unscored"];

/// P(alive) per customer (in [`Customers`] order) and the threshold, for the probabilistic mode.
#[derive(Debug, Clone, Copy)]
pub struct Alive<'a> {
    /// P(alive) as of `asOf` (`None`: no figure for the customer).
    pub p: &'a [Option<f64>],
    /// At or above: Active; below: At Risk.
    pub threshold: f64,
}

impl LifecycleOptions {
    /// Checks the days, once.
    pub fn check(&self) -> Result<LifecyclePlan> {
        let fields = [
            ("lifecycle.newDays", self.new_days),
            ("lifecycle.activeDays", self.active_days),
            ("lifecycle.dueDays", self.due_days),
            ("lifecycle.lapsingDays", self.lapsing_days),
        ];
        for (field, days) in fields {
            if days < 0 {
                return Err(Error::NegativeDays { field, days });
            }
        }
        if !(self.active_days <= self.due_days && self.due_days <= self.lapsing_days) {
            return Err(Error::LifecycleOrder {
                active: self.active_days,
                due: self.due_days,
                lapsing: self.lapsing_days,
            });
        }
        Ok(LifecyclePlan {
            options: self.clone(),
            names: self.names(),
        })
    }

    /// Stage names of the mode, in index order.
    pub fn names(&self) -> Vec<String> {
        let names: &[&str] = match self.mode {
            LifecycleMode::Fixed => &FIXED_STAGES,
            LifecycleMode::Relative => &RELATIVE_STAGES,
            LifecycleMode::Probabilistic => &PROBABILISTIC_STAGES,
        };
        names.iter().map(|s| s.to_string()).collect()
    }
}

/// The checked `lifecycle` settings; made only by [`LifecycleOptions::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct LifecyclePlan {
    options: LifecycleOptions,
    names: Vec<String>,
}

impl LifecyclePlan {
    /// The settings (as the report echoes them).
    pub fn options(&self) -> &LifecycleOptions {
        &self.options
    }

    /// Stage names of the mode, in index order.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// Stage index per customer (into [`LifecyclePlan::names`]). `alive` is used in probabilistic
/// mode only; without it every buyer there is Unscored.
pub fn assign(customers: &Customers, plan: &LifecyclePlan, alive: Option<Alive<'_>>) -> Vec<u16> {
    let options = &plan.options;
    (0..customers.len())
        .map(|i| {
            let frequency = customers.frequency.get(i).copied().unwrap_or(0);
            let recency = customers.recency_days.get(i).copied().unwrap_or(i32::MAX);
            let tenure = customers.tenure_days.get(i).copied().unwrap_or(i32::MAX);
            if frequency == 0 {
                return 0;
            }
            if tenure <= options.new_days {
                return 1;
            }
            match options.mode {
                LifecycleMode::Fixed => {
                    if recency <= options.active_days {
                        2
                    } else if recency <= options.due_days {
                        3
                    } else if recency <= options.lapsing_days {
                        4
                    } else {
                        5
                    }
                }
                LifecycleMode::Relative => {
                    let usual = match options.usual_gap {
                        UsualGap::P80 => customers.p80_gap_days.get(i).copied().flatten(),
                        UsualGap::Mean => customers.mean_gap_days.get(i).copied().flatten(),
                    };
                    let longest = customers.max_gap_days.get(i).copied().flatten();
                    let (active, at_risk) = match (usual, longest) {
                        (Some(u), Some(l)) => (u, f64::from(l)),
                        _ => (
                            f64::from(options.active_days),
                            f64::from(options.lapsing_days),
                        ),
                    };
                    let r = f64::from(recency);
                    if r <= active {
                        2
                    } else if r <= at_risk {
                        3
                    } else {
                        4
                    }
                }
                LifecycleMode::Probabilistic => {
                    match alive.and_then(|a| Some((a.p.get(i).copied().flatten()?, a.threshold))) {
                        Some((p, t)) if p >= t => 2,
                        Some(_) => 3,
                        None => 4,
                    }
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (frequency, recency, tenure, p80 gap, max gap)
    type Row = (u32, i32, i32, Option<f64>, Option<i32>);

    fn customers(rows: &[Row]) -> Customers {
        let mut c = Customers::default();
        for (i, &(f, rec, ten, p80, max)) in rows.iter().enumerate() {
            c.ids.push(format!("c{i}"));
            c.frequency.push(f);
            c.recency_days.push(rec);
            c.tenure_days.push(ten);
            c.p80_gap_days.push(p80);
            c.mean_gap_days.push(p80);
            c.max_gap_days.push(max);
        }
        c
    }

    #[test]
    fn fixed_thresholds_are_inclusive() {
        let c = customers(&[
            (0, 5, 5, None, None),    // no order → Prospect
            (1, 10, 30, None, None),  // first order 30 days ago → New
            (3, 30, 200, None, None), // Active
            (3, 31, 200, None, None), // Due
            (3, 90, 200, None, None), // Lapsing
            (3, 91, 200, None, None), // Lost
        ]);
        let opts = LifecycleOptions::default();
        assert_eq!(
            assign(&c, &opts.check().unwrap(), None),
            vec![0, 1, 2, 3, 4, 5]
        );
        let furniture = LifecycleOptions {
            active_days: 180,
            due_days: 365,
            lapsing_days: 540,
            ..opts
        };
        assert_eq!(
            assign(&c, &furniture.check().unwrap(), None),
            vec![0, 1, 2, 2, 2, 2]
        );
        let e = LifecycleOptions {
            due_days: 10,
            ..LifecycleOptions::default()
        }
        .check()
        .unwrap_err();
        assert_eq!(
            (e.code(), e.field()),
            ("lifecycle_order", Some("lifecycle"))
        );
        let e = LifecycleOptions {
            new_days: -1,
            ..LifecycleOptions::default()
        }
        .check()
        .unwrap_err();
        assert_eq!(
            (e.code(), e.field()),
            ("negative_days", Some("lifecycle.newDays"))
        );
    }

    #[test]
    fn relative_uses_own_gaps() {
        let c = customers(&[
            (4, 12, 200, Some(14.0), Some(20)), // within usual gap → Active
            (4, 15, 200, Some(14.0), Some(20)), // beyond p80 → At Risk
            (4, 21, 200, Some(14.0), Some(20)), // beyond longest → Churned
            (1, 45, 200, None, None),           // single order: 45 ≤ 90 → At Risk
        ]);
        let opts = LifecycleOptions {
            mode: LifecycleMode::Relative,
            ..LifecycleOptions::default()
        };
        assert_eq!(assign(&c, &opts.check().unwrap(), None), vec![2, 3, 4, 3]);
        assert_eq!(opts.names()[3], "At Risk");
    }

    #[test]
    fn probabilistic_uses_p_alive_and_the_threshold() {
        let c = customers(&[
            (0, 5, 5, None, None),     // no order → Prospect
            (1, 5, 10, None, None),    // first order 10 days ago → New
            (3, 40, 200, None, None),  // P 0.3 = threshold → Active
            (3, 40, 200, None, None),  // P 0.29 → At Risk
            (3, 400, 200, None, None), // no figure → Unscored
        ]);
        let opts = LifecycleOptions {
            mode: LifecycleMode::Probabilistic,
            ..LifecycleOptions::default()
        };
        let p = [None, Some(0.9), Some(0.3), Some(0.29), None];
        let alive = Alive {
            p: &p,
            threshold: 0.3,
        };
        let plan = opts.check().unwrap();
        assert_eq!(assign(&c, &plan, Some(alive)), vec![0, 1, 2, 3, 4]);
        assert_eq!(plan.names()[4], "Unscored");
        assert_eq!(assign(&c, &plan, None), vec![0, 1, 4, 4, 4]);
    }
}
