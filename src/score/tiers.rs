//! Value tiers by cumulative share of customers ranked by monetary, and the Pareto figure.
//!
//! Customers with positive net spend are ranked by monetary, highest first. A customer's rank is the
//! number of spending customers with strictly higher monetary, plus one ("min" ranking), so equal
//! spend always gives an equal tier (ties go to the better tier). The customer falls in the first band
//! whose cumulative share covers `rank / spenders`: with 5/15/30/50 %, rank/n ≤ 5 % is Platinum,
//! ≤ 20 % Gold, ≤ 50 % Silver, the rest Bronze. A band never holds more than its share except through
//! ties, so on a small file the top band can be empty (the top 5 % of 10 customers is half a
//! customer). Customers whose net spend is zero or negative are in their own tier (`zeroSpend`),
//! outside the percentages.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// One band: a tier name and its share of spending customers, in percent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TierBand {
    /// Tier name.
    pub name: String,
    /// Share of spending customers in percent (all bands sum to 100).
    pub percent: f64,
}

/// Value-tier settings of the recipe (`valueTiers`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct TierOptions {
    /// `"platinum-gold-silver-bronze"` (default; 5/15/30/50 %) or `"high-medium-low"` (20/30/50 %).
    /// Ignored when `bands` is given.
    pub preset: String,
    /// Own bands, top tier first; the percentages must sum to 100.
    pub bands: Option<Vec<TierBand>>,
    /// Tier of customers with no positive net spend (default `"No Spend"`).
    pub zero_spend: String,
    /// Top share of customers, in percent, whose revenue share is reported as the Pareto figure
    /// (default 20).
    pub pareto_percent: f64,
}

impl Default for TierOptions {
    fn default() -> Self {
        TierOptions {
            preset: "platinum-gold-silver-bronze".into(),
            bands: None,
            zero_spend: "No Spend".into(),
            pareto_percent: 20.0,
        }
    }
}

/// Tier presets this build knows.
pub const TIER_PRESETS: [&str; 2] = ["platinum-gold-silver-bronze", "high-medium-low"];

fn band(name: &str, percent: f64) -> TierBand {
    TierBand {
        name: name.into(),
        percent,
    }
}

impl TierOptions {
    /// The bands in force, top first.
    pub fn resolved_bands(&self) -> Result<Vec<TierBand>> {
        if let Some(b) = &self.bands {
            return Ok(b.clone());
        }
        match self.preset.as_str() {
            "platinum-gold-silver-bronze" => Ok(vec![
                band("Platinum", 5.0),
                band("Gold", 15.0),
                band("Silver", 30.0),
                band("Bronze", 50.0),
            ]),
            "high-medium-low" => Ok(vec![
                band("High", 20.0),
                band("Medium", 30.0),
                band("Low", 50.0),
            ]),
            other => Err(Error::TierPreset {
                name: other.to_string(),
                known: TIER_PRESETS.join(", "),
            }),
        }
    }

    /// Tier names: the bands top first, then the zero-spend tier.
    pub fn names(&self) -> Result<Vec<String>> {
        let mut names: Vec<String> = self.resolved_bands()?.into_iter().map(|b| b.name).collect();
        names.push(self.zero_spend.clone());
        Ok(names)
    }

    /// Resolves and checks the bands, the zero-spend tier and the Pareto share, once.
    pub fn check(&self) -> Result<TierPlan> {
        let bands = self.resolved_bands()?;
        if bands.is_empty() {
            return Err(Error::TierBandsEmpty);
        }
        let mut total = 0.0;
        for (i, b) in bands.iter().enumerate() {
            if !(b.percent.is_finite() && b.percent > 0.0) {
                return Err(Error::TierPercent {
                    field: format!("valueTiers.bands[{i}].percent"),
                });
            }
            if b.name.trim().is_empty() {
                return Err(Error::TierNameEmpty {
                    field: format!("valueTiers.bands[{i}].name"),
                });
            }
            if bands.iter().take(i).any(|o| o.name == b.name) || b.name == self.zero_spend {
                return Err(Error::TierNameTwice {
                    field: format!("valueTiers.bands[{i}].name"),
                    name: b.name.clone(),
                });
            }
            total += b.percent;
        }
        if (total - 100.0).abs() > 1e-6 {
            return Err(Error::TierTotal { total });
        }
        if self.zero_spend.trim().is_empty() {
            return Err(Error::TierNameEmpty {
                field: "valueTiers.zeroSpend".into(),
            });
        }
        if !(self.pareto_percent > 0.0 && self.pareto_percent <= 100.0) {
            return Err(Error::ParetoPercent {
                percent: self.pareto_percent,
            });
        }
        let mut names: Vec<String> = bands.iter().map(|b| b.name.clone()).collect();
        names.push(self.zero_spend.clone());
        Ok(TierPlan {
            bands,
            names,
            pareto_percent: self.pareto_percent,
            floors: None,
        })
    }
}

/// The checked `valueTiers` settings; made only by [`TierOptions::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct TierPlan {
    bands: Vec<TierBand>,
    names: Vec<String>,
    pareto_percent: f64,
    floors: Option<Vec<TierFloor>>,
}

/// The lowest net spend of a band in an earlier period (`compare.cuts: "previous"`): reused as an
/// amount, so a customer changes tier only when its own spend crosses it, not because the shares
/// were re-cut over other customers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TierFloor {
    /// Band name.
    pub name: String,
    /// The band's lowest net spend then; `None` when nobody was in the band (nobody reaches it
    /// now either, except the bottom band, which takes every positive spend below the floors).
    pub floor: Option<f64>,
}

/// The floors of `plan`'s bands in a period: the lowest monetary among the customers of each
/// band (`tier` as [`assign`] returned it). `None` when the period has no spending customer, so
/// there is no amount to reuse.
pub fn floors(monetary: &[f64], tier: &[u16], plan: &TierPlan) -> Option<Vec<TierFloor>> {
    let mut low: Vec<Option<f64>> = vec![None; plan.bands.len()];
    for (&v, &t) in monetary.iter().zip(tier) {
        if let Some(slot) = low.get_mut(usize::from(t)) {
            *slot = Some(slot.map_or(v, |x: f64| x.min(v)));
        }
    }
    low.iter().any(Option::is_some).then(|| {
        plan.bands
            .iter()
            .zip(low)
            .map(|(b, floor)| TierFloor {
                name: b.name.clone(),
                floor,
            })
            .collect()
    })
}

impl TierPlan {
    /// The bands in force, top first.
    pub fn bands(&self) -> &[TierBand] {
        &self.bands
    }

    /// Tier names: the bands top first, then the zero-spend tier.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The top share of customers of the Pareto figure, in percent.
    pub fn pareto_percent(&self) -> f64 {
        self.pareto_percent
    }

    /// The earlier period's floors in force, when the tiers reuse them.
    pub fn floors(&self) -> Option<&[TierFloor]> {
        self.floors.as_deref()
    }

    /// This plan assigning tiers by `floors` (amounts, see [`floors`]) instead of shares. The
    /// floors must be of the same bands (they come from a run of this plan's recipe).
    pub fn reusing(&self, floors: Option<Vec<TierFloor>>) -> TierPlan {
        TierPlan {
            floors,
            ..self.clone()
        }
    }
}

/// Tier by the earlier floors: the first band (top first) whose floor `v` reaches; a positive
/// spend below every floor is in the bottom band.
fn by_floor(v: f64, floors: &[TierFloor]) -> usize {
    floors
        .iter()
        .position(|f| f.floor.is_some_and(|x| v >= x))
        .unwrap_or(floors.len().saturating_sub(1))
}

/// Tier index per customer (into [`TierPlan::names`]); `monetary` in customer order.
pub fn assign(monetary: &[f64], plan: &TierPlan) -> Vec<u16> {
    let bands = &plan.bands;
    let mut cumulative = Vec::with_capacity(bands.len());
    let mut acc = 0.0;
    for b in bands {
        acc += b.percent;
        cumulative.push(acc / 100.0);
    }
    let zero = u16::try_from(bands.len()).unwrap_or(u16::MAX);
    if let Some(f) = &plan.floors {
        return monetary
            .iter()
            .map(|&v| {
                if v.is_nan() || v <= 0.0 {
                    zero
                } else {
                    u16::try_from(by_floor(v, f)).unwrap_or(zero)
                }
            })
            .collect();
    }
    let mut spend: Vec<f64> = monetary.iter().copied().filter(|&v| v > 0.0).collect();
    crate::stats::sort_total_desc(&mut spend);
    #[allow(clippy::cast_precision_loss)]
    let n = spend.len() as f64;
    monetary
        .iter()
        .map(|&v| {
            if v.is_nan() || v <= 0.0 {
                return zero;
            }
            let higher = spend.partition_point(|&s| s > v);
            #[allow(clippy::cast_precision_loss)]
            let position = (higher + 1) as f64 / n;
            let band = cumulative
                .iter()
                .position(|&c| position <= c + 1e-9)
                .unwrap_or(bands.len().saturating_sub(1));
            u16::try_from(band).unwrap_or(zero)
        })
        .collect()
}

/// One point of the Pareto (concentration) curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParetoPoint {
    /// Top share of customers (0..1).
    pub customer_share: f64,
    /// Share of net revenue they bring (0..1).
    pub revenue_share: f64,
}

/// Revenue concentration: the headline figure and a 20-point curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pareto {
    /// The top share of customers asked for, in percent (recipe `valueTiers.paretoPercent`).
    pub top_percent: f64,
    /// How many customers that is (rounded half up, at least one).
    pub top_customers: usize,
    /// Their share of total net revenue; `None` when total revenue is not positive.
    pub revenue_share: Option<f64>,
    /// Cumulative revenue share at 5 %, 10 %, … 100 % of customers ranked by monetary.
    pub curve: Vec<ParetoPoint>,
}

/// Computes the Pareto figure over all customers (all of them, zero spenders included).
pub fn pareto(monetary: &[f64], top_percent: f64) -> Pareto {
    let mut sorted: Vec<f64> = monetary.iter().copied().filter(|v| v.is_finite()).collect();
    crate::stats::sort_total_desc(&mut sorted);
    let total: f64 = sorted.iter().sum();
    let n = sorted.len();
    let top = |share: f64| -> usize {
        #[allow(
            clippy::cast_precision_loss,
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss
        )]
        let k = (n as f64 * share).round() as usize;
        k.clamp(usize::from(n > 0), n)
    };
    let share_of = |k: usize| -> Option<f64> {
        (total > 0.0).then(|| sorted.iter().take(k).sum::<f64>() / total)
    };
    let top_customers = top(top_percent / 100.0);
    let curve = (1..=20)
        .map(|i| {
            let s = f64::from(i) / 20.0;
            ParetoPoint {
                customer_share: s,
                revenue_share: share_of(top(s)).unwrap_or(0.0),
            }
        })
        .collect();
    Pareto {
        top_percent,
        top_customers,
        revenue_share: share_of(top_customers),
        curve,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_customers_fill_the_default_bands() {
        // monetary 20, 19, ..., 1: rank k → k/20; 5 % → 1 customer, 20 % → 4, 50 % → 10.
        let m: Vec<f64> = (1..=20).rev().map(f64::from).collect();
        let t = assign(&m, &TierOptions::default().check().unwrap());
        let counts: Vec<usize> = (0..5)
            .map(|g| t.iter().filter(|&&x| x == g).count())
            .collect();
        assert_eq!(counts, vec![1, 3, 6, 10, 0]);
        assert_eq!(t[0], 0);
        assert_eq!(t[4], 2);
        assert_eq!(t[19], 3);
    }

    #[test]
    fn ties_share_the_better_tier_and_zero_spend_is_apart() {
        let opts = TierOptions {
            preset: "high-medium-low".into(),
            ..TierOptions::default()
        };
        // Spenders: 100, 50, 50, 10, 5 (n = 5); the 50s have rank 2 → 0.4 ≤ 0.5 → Medium.
        let m = [100.0, 50.0, 50.0, 10.0, 5.0, 0.0, -3.0];
        let t = assign(&m, &opts.check().unwrap());
        assert_eq!(t, vec![0, 1, 1, 2, 2, 3, 3]);
        assert_eq!(
            opts.names().unwrap(),
            vec!["High", "Medium", "Low", "No Spend"]
        );
    }

    #[test]
    fn earlier_floors_reproduce_the_earlier_tiers_and_hold_amounts_fixed() {
        let plan = TierOptions {
            preset: "high-medium-low".into(),
            ..TierOptions::default()
        }
        .check()
        .unwrap();
        // 10 spenders 100, 90, …, 10: High = 100, 90 (≤ 20 %), Medium = 80, 70, 60, Low = the rest.
        let then: Vec<f64> = (1..=10).rev().map(|k| f64::from(k) * 10.0).collect();
        let tiers = assign(&then, &plan);
        let earlier = floors(&then, &tiers, &plan).unwrap();
        let amounts: Vec<Option<f64>> = earlier.iter().map(|f| f.floor).collect();
        assert_eq!(amounts, vec![Some(90.0), Some(60.0), Some(10.0)]);
        let reuse = plan.reusing(Some(earlier));
        assert_eq!(assign(&then, &reuse), tiers);
        // Now: 95 reaches High's floor, 5 is below every floor (bottom band), 0 spends nothing.
        assert_eq!(assign(&[95.0, 89.0, 5.0, 0.0], &reuse), vec![0, 1, 2, 3]);
        // No spender then: no floors to reuse.
        assert_eq!(floors(&[0.0, -1.0], &[3, 3], &plan), None);
    }

    #[test]
    fn bands_are_validated() {
        let bad = TierOptions {
            bands: Some(vec![band("A", 50.0), band("B", 40.0)]),
            ..TierOptions::default()
        };
        let e = bad.check().unwrap_err();
        assert!(e.to_string().contains("sum to 90"), "{e}");
        assert_eq!(e.code(), "tier_total");
        assert_eq!(e.field(), Some("valueTiers.bands"));
        let bad = TierOptions {
            preset: "gold".into(),
            ..TierOptions::default()
        };
        assert_eq!(bad.check().unwrap_err().code(), "unknown_tier_preset");
        let twice = TierOptions {
            bands: Some(vec![band("A", 50.0), band("A", 50.0)]),
            ..TierOptions::default()
        };
        let e = twice.check().unwrap_err();
        assert_eq!(e.code(), "tier_name_twice");
        assert_eq!(e.field(), Some("valueTiers.bands[1].name"));
        let pareto = TierOptions {
            pareto_percent: 0.0,
            ..TierOptions::default()
        };
        assert_eq!(pareto.check().unwrap_err().code(), "pareto_percent");
    }

    #[test]
    fn pareto_of_ten() {
        // 10 customers: the top 2 bring 60 + 20 of 100.
        let m = [60.0, 20.0, 5.0, 5.0, 2.0, 2.0, 2.0, 2.0, 1.0, 1.0];
        let p = pareto(&m, 20.0);
        assert_eq!(p.top_customers, 2);
        assert!((p.revenue_share.unwrap() - 0.8).abs() < 1e-12);
        assert_eq!(p.curve.len(), 20);
        assert!((p.curve[19].revenue_share - 1.0).abs() < 1e-12);
        assert_eq!(pareto(&[0.0, 0.0], 20.0).revenue_share, None);
    }
}
