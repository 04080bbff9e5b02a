//! Custom rule tiers (`customTiers`): an ordered list of conditions in the [`expr`] language, first
//! match wins, written to the `custom_tier` column.
//!
//! [`CustomTierOptions::compile`] parses every condition once, when the recipe is checked
//! ([`crate::config::Recipe::check`]); [`CustomTiers::assign`] only evaluates the compiled rules.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::expr::{self, Expr, Field, Value};
use super::segments;
use crate::error::{Error, Result};
use crate::features::Customers;

/// One custom tier rule: when the condition holds, the customer gets `tier`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomTierRule {
    /// Condition, e.g. `monetary >= 10000 and frequency >= 12`.
    pub when: String,
    /// Tier name given to matching customers, e.g. `VIP`.
    pub tier: String,
}

/// Custom rule tiers (`customTiers`): first match wins; written to the `custom_tier` column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct CustomTierOptions {
    /// Rules in order (default none: the column is then left out of the report summaries).
    pub rules: Vec<CustomTierRule>,
    /// Tier of customers no rule matches (default `"Other"`).
    pub otherwise: String,
}

impl Default for CustomTierOptions {
    fn default() -> Self {
        CustomTierOptions {
            rules: Vec::new(),
            otherwise: "Other".into(),
        }
    }
}

#[cfg(test)]
thread_local! {
    /// How often [`CustomTierOptions::compile`] ran on this thread (the plan test counts it).
    pub(crate) static COMPILES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl CustomTierOptions {
    /// Parses every rule's condition; errors name the rule (`customTiers.rules[i].when`) and the
    /// column in its condition ([`Error::InvalidExpression`]) or the empty tier name
    /// ([`Error::CustomTierName`]).
    pub fn compile(&self) -> Result<CustomTiers> {
        #[cfg(test)]
        COMPILES.with(|c| c.set(c.get() + 1));
        let names = self.names();
        let index = |tier: &str| {
            let i = names.iter().position(|x| x == tier).unwrap_or(0);
            u16::try_from(i).unwrap_or(0)
        };
        let rules = self
            .rules
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                if rule.tier.trim().is_empty() {
                    return Err(Error::CustomTierName {
                        field: format!("customTiers.rules[{i}].tier"),
                    });
                }
                Expr::parse(&rule.when)
                    .map(|e| (e, index(&rule.tier)))
                    .map_err(|e| e.into_error(format!("customTiers.rules[{i}].when")))
            })
            .collect::<Result<Vec<_>>>()?;
        if rules.is_empty() {
            return Ok(CustomTiers::default());
        }
        Ok(CustomTiers {
            otherwise: index(&self.otherwise),
            rules,
            names,
        })
    }

    /// Tier names: rule tiers in first-appearance order, then `otherwise`.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for r in &self.rules {
            if !names.contains(&r.tier) {
                names.push(r.tier.clone());
            }
        }
        if !names.contains(&self.otherwise) {
            names.push(self.otherwise.clone());
        }
        names
    }
}

/// The compiled custom tier rules; made only by [`CustomTierOptions::compile`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomTiers {
    /// (condition, index into `names`) in rule order.
    rules: Vec<(Expr, u16)>,
    /// Tier names (empty without rules).
    names: Vec<String>,
    /// Index of the `otherwise` tier.
    otherwise: u16,
}

/// What a condition may read of the customers besides their [`Customers`] rows: the scores and the
/// classes computed before the custom tiers, each as (index per customer, names).
pub struct Known<'a> {
    /// Recency scores per customer.
    pub r: &'a [u8],
    /// Frequency scores.
    pub f: &'a [u8],
    /// Monetary scores.
    pub m: &'a [u8],
    /// Segments.
    pub segment: (&'a [u16], &'a [String]),
    /// Value tiers.
    pub tier: (&'a [u16], &'a [String]),
    /// Lifecycle stages.
    pub stage: (&'a [u16], &'a [String]),
}

/// The name at `labels[i]` in `names`, or "".
fn name_of<'a>((labels, names): (&[u16], &'a [String]), i: usize) -> &'a str {
    labels
        .get(i)
        .and_then(|&g| names.get(usize::from(g)))
        .map_or("", String::as_str)
}

impl CustomTiers {
    /// True when the recipe has no custom tier rules (the column is then left out).
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Tier names in rule order, then the `otherwise` tier (empty without rules).
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The rules in the order they are tried: each condition and the tier it gives.
    pub fn rules(&self) -> impl Iterator<Item = (&Expr, &str)> {
        self.rules.iter().map(|(e, t)| {
            let name = self.names.get(usize::from(*t)).map_or("", String::as_str);
            (e, name)
        })
    }

    /// The tier of customers no rule matches ("" without rules).
    pub fn otherwise(&self) -> &str {
        self.names
            .get(usize::from(self.otherwise))
            .map_or("", String::as_str)
    }

    /// Tier index per customer (into [`CustomTiers::names`]); empty without rules.
    pub fn assign(&self, customers: &Customers, known: &Known<'_>) -> Vec<u16> {
        if self.rules.is_empty() {
            return Vec::new();
        }
        (0..customers.len())
            .map(|i| {
                let field = |f: Field| -> Value<'_> { value(customers, known, i, f) };
                self.rules
                    .iter()
                    .find(|(e, _)| e.matches(&field))
                    .map_or(self.otherwise, |(_, t)| *t)
            })
            .collect()
    }
}

/// Customer `i`'s value of field `f`.
fn value<'a>(customers: &'a Customers, known: &Known<'a>, i: usize, f: Field) -> Value<'a> {
    use expr::{Field as F, Value as V};
    let num = |v: Option<f64>| v.map_or(V::Null, V::Num);
    let text = |s: &'a str| V::Str(Cow::Borrowed(s));
    let r = known.r.get(i).copied();
    let fs = known.f.get(i).copied();
    let m = known.m.get(i).copied();
    match f {
        F::CustomerId => customers.ids.get(i).map_or(V::Null, |s| text(s)),
        F::RecencyDays => num(customers.recency_days.get(i).map(|&v| f64::from(v))),
        F::Frequency => num(customers.frequency.get(i).map(|&v| f64::from(v))),
        F::Monetary => num(customers.monetary.get(i).copied()),
        F::Aov => num(customers.aov.get(i).copied()),
        F::TenureDays => num(customers.tenure_days.get(i).map(|&v| f64::from(v))),
        F::MeanGapDays => num(customers.mean_gap_days.get(i).copied().flatten()),
        F::RScore => num(r.map(f64::from)),
        F::FScore => num(fs.map(f64::from)),
        F::MScore => num(m.map(f64::from)),
        F::FmScore => num(fs.zip(m).map(|(f, m)| f64::from(segments::fm(f, m)))),
        F::Segment => text(name_of(known.segment, i)),
        F::ValueTier => text(name_of(known.tier, i)),
        F::Lifecycle => text(name_of(known.stage, i)),
        F::Region => customers
            .region
            .get(i)
            .and_then(Option::as_deref)
            .map_or(V::Null, text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_compile_to_tier_indices_and_errors_name_the_rule() {
        let opts = CustomTierOptions {
            rules: vec![
                CustomTierRule {
                    when: "monetary > 1".into(),
                    tier: "VIP".into(),
                },
                CustomTierRule {
                    when: "frequency > 1".into(),
                    tier: "VIP".into(),
                },
            ],
            otherwise: "Rest".into(),
        };
        let c = opts.compile().unwrap();
        assert_eq!(c.names(), ["VIP", "Rest"]);
        assert_eq!(c.otherwise, 1);
        assert_eq!(c.rules.iter().map(|r| r.1).collect::<Vec<_>>(), vec![0, 0]);
        assert!(CustomTierOptions::default().compile().unwrap().is_empty());
        let mut bad = opts.clone();
        bad.rules[1].tier = " ".into();
        let e = bad.compile().unwrap_err();
        assert_eq!(e.code(), "custom_tier_name_empty");
        assert_eq!(e.field(), Some("customTiers.rules[1].tier"));
        let mut bad = opts;
        bad.rules[1].when = "frequncy > 1".into();
        let e = bad.compile().unwrap_err();
        assert_eq!(e.code(), "invalid_expression");
        assert_eq!(e.field(), Some("customTiers.rules[1].when"));
        assert_eq!(e.position(), Some(1));
    }
}
