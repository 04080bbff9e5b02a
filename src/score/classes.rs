//! The classes built on the scores — value tiers, lifecycle stages, custom rule tiers, codes and
//! actions — from their checked settings ([`ClassPlan`]).

use serde::Serialize;

use super::{codes, custom, lifecycle, tiers, ActionBasis, ActionOptions, CodeChange, CodeChanges};
use super::{CodeMap, CodeOptions, CodePlan, CustomTierOptions, CustomTiers, LifecycleOptions};
use super::{LifecyclePlan, Pareto, Scores, TierOptions, TierPlan};
use crate::error::{Error, Result};
use crate::features::Customers;

/// The class settings as the recipe has them (each one a recipe section), for [`ClassPlan::check`].
#[derive(Debug, Clone, Copy)]
pub struct ClassOptions<'a> {
    /// `valueTiers`.
    pub tiers: &'a TierOptions,
    /// `lifecycle`.
    pub lifecycle: &'a LifecycleOptions,
    /// `customTiers`.
    pub custom: &'a CustomTierOptions,
    /// `codes`.
    pub codes: &'a CodeOptions,
    /// `actions`.
    pub actions: &'a ActionOptions,
}

/// Value tier, lifecycle stage, custom tier, code and action of every customer, in [`Customers`] order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classes {
    /// Index into `tier_names` per customer.
    pub tier: Vec<u16>,
    /// Value tiers, top first, the zero-spend tier last.
    pub tier_names: Vec<String>,
    /// Index into `lifecycle_names` per customer.
    pub lifecycle: Vec<u16>,
    /// Lifecycle stages of the mode in force.
    pub lifecycle_names: Vec<String>,
    /// Index into `custom_names` per customer (empty when the recipe has no custom tier rules).
    pub custom: Vec<u16>,
    /// Custom tiers in rule order, then the `otherwise` tier (empty without rules).
    pub custom_names: Vec<String>,
    /// Classification code per customer (unique).
    pub codes: Vec<String>,
    /// The token of each class in the template's class slots (what the code editor shows).
    pub code_tokens: Vec<codes::SlotTokens>,
    /// Per customer: kept / moved / new against the previous code map (all `None` without one).
    pub code_change: Vec<CodeChange>,
    /// Previous code per customer, where the previous map had one (empty without a previous map).
    pub previous_code: Vec<Option<String>>,
    /// Summary of code changes.
    pub code_changes: CodeChanges,
    /// Index into `action_texts` per customer (the index of its class on the action basis).
    pub action: Vec<u16>,
    /// Action text per class of the action basis.
    pub action_texts: Vec<String>,
    /// Class names of the action basis, parallel to `action_texts`.
    pub action_classes: Vec<String>,
    /// Revenue concentration.
    pub pareto: Pareto,
}

impl Classes {
    /// The name at `labels[i]` in `names`, or "".
    pub fn name_of<'a>(labels: &[u16], names: &'a [String], i: usize) -> &'a str {
        labels
            .get(i)
            .and_then(|&g| names.get(usize::from(g)))
            .map_or("", String::as_str)
    }
}

/// The checked class settings: resolved tier bands, lifecycle days, compiled custom tier rules, the
/// parsed code template and the action settings; made only by [`ClassPlan::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct ClassPlan {
    tiers: TierPlan,
    lifecycle: LifecyclePlan,
    custom: CustomTiers,
    codes: CodePlan,
    actions: ActionOptions,
}

impl ClassPlan {
    /// Checks and compiles the class settings, once.
    pub fn check(options: &ClassOptions<'_>) -> Result<ClassPlan> {
        let tiers = options.tiers.check()?;
        let lifecycle = options.lifecycle.check()?;
        let custom = options.custom.compile()?;
        if custom.is_empty() && options.actions.basis == ActionBasis::Custom {
            return Err(Error::ActionsNeedCustomTiers);
        }
        let codes = options.codes.check()?;
        Ok(ClassPlan {
            tiers,
            lifecycle,
            custom,
            codes,
            actions: options.actions.clone(),
        })
    }

    /// The value tiers.
    pub fn tiers(&self) -> &TierPlan {
        &self.tiers
    }

    /// These classes with the value tiers assigned by an earlier period's floors
    /// ([`TierPlan::reusing`]); `None` keeps the shares.
    pub fn reusing_floors(&self, floors: Option<Vec<super::TierFloor>>) -> ClassPlan {
        ClassPlan {
            tiers: self.tiers.reusing(floors),
            ..self.clone()
        }
    }

    /// The lifecycle stages.
    pub fn lifecycle(&self) -> &LifecyclePlan {
        &self.lifecycle
    }

    /// The compiled custom tier rules.
    pub fn custom(&self) -> &CustomTiers {
        &self.custom
    }

    /// The code template and tables.
    pub fn codes(&self) -> &CodePlan {
        &self.codes
    }

    /// The action settings.
    pub fn actions(&self) -> &ActionOptions {
        &self.actions
    }
}

/// Computes tiers, stages, custom tiers, codes and actions. `previous` is an earlier code map.
pub fn classify(
    customers: &Customers,
    scores: &Scores,
    plan: &ClassPlan,
    previous: Option<&CodeMap>,
) -> Classes {
    classify_with(customers, scores, plan, previous, None)
}

/// [`classify`] with the customers' P(alive) for the probabilistic lifecycle mode.
pub fn classify_with(
    customers: &Customers,
    scores: &Scores,
    plan: &ClassPlan,
    previous: Option<&CodeMap>,
    alive: Option<lifecycle::Alive<'_>>,
) -> Classes {
    let n = customers.len();
    let tier_names = plan.tiers.names().to_vec();
    let tier = tiers::assign(&customers.monetary, &plan.tiers);
    let lifecycle_names = plan.lifecycle.names().to_vec();
    let lifecycle = lifecycle::assign(customers, &plan.lifecycle, alive);
    let segment = (scores.segment.as_slice(), scores.segment_names.as_slice());
    let custom = plan.custom.assign(
        customers,
        &custom::Known {
            r: &scores.r,
            f: &scores.f,
            m: &scores.m,
            segment,
            tier: (&tier, &tier_names),
            stage: (&lifecycle, &lifecycle_names),
        },
    );
    let custom_names = plan.custom.names().to_vec();
    let code_classes = codes::CodeClasses {
        region: &customers.region,
        tier: (&tier, &tier_names),
        stage: (&lifecycle, &lifecycle_names),
        segment,
        custom: (&custom, &custom_names),
        r: &scores.r,
        f: &scores.f,
        m: &scores.m,
    };
    let (key_of, keys) = plan.codes.class_keys(n, &code_classes);
    let code_tokens = plan.codes.class_tokens(&code_classes);
    let (code_list, code_change, code_changes) =
        codes::assign(&customers.ids, &key_of, &keys, previous);
    let previous_code = match previous {
        Some(p) => customers.ids.iter().map(|id| p.get(id).cloned()).collect(),
        None => Vec::new(),
    };

    let (action, action_classes) = match plan.actions.basis {
        ActionBasis::Segment => (scores.segment.clone(), scores.segment_names.clone()),
        ActionBasis::Tier => (tier.clone(), tier_names.clone()),
        ActionBasis::Lifecycle => (lifecycle.clone(), lifecycle_names.clone()),
        ActionBasis::Custom => (custom.clone(), custom_names.clone()),
    };
    let action_texts = plan.actions.table(&action_classes);
    let pareto = tiers::pareto(&customers.monetary, plan.tiers.pareto_percent());
    Classes {
        tier,
        tier_names,
        lifecycle,
        lifecycle_names,
        custom,
        custom_names,
        codes: code_list,
        code_tokens,
        code_change,
        previous_code,
        code_changes,
        action,
        action_texts,
        action_classes,
        pareto,
    }
}
