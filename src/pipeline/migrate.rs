//! Migration from the pipeline's side: the two [`Period`]s out of analyses or an earlier
//! customers.csv, the earlier period's plan, and the current analysis scored with the earlier cut
//! points when the recipe asks for it (`compare.cuts: "previous"`).

use super::{Analysis, Dataset};
use crate::config::Plan;
use crate::error::Result;
use crate::export::ExportOptions;
use crate::ingest::values::date_of;
use crate::migration::{self, ClassKind, Context, Cuts, Migration, Period, PeriodClass};
use crate::pseudonym::Pseudonymiser;
use crate::score::{tiers, Classes, CodeMap};

impl Analysis {
    /// The period this analysis describes: ids, segment, value tier, lifecycle stage, custom
    /// tier (with rules), and net revenue.
    pub fn period(&self) -> Period {
        let n = self.customers.len();
        let class = |kind, labels: &[u16], names: &[String]| PeriodClass {
            kind,
            names: names.to_vec(),
            of: (0..n)
                .map(|i| Classes::name_of(labels, names, i).to_string())
                .collect(),
        };
        let (s, c) = (&self.scores, &self.classes);
        let mut classes = vec![
            class(ClassKind::Segment, &s.segment, &s.segment_names),
            class(ClassKind::ValueTier, &c.tier, &c.tier_names),
            class(ClassKind::Lifecycle, &c.lifecycle, &c.lifecycle_names),
        ];
        if !c.custom_names.is_empty() {
            classes.push(class(ClassKind::CustomTier, &c.custom, &c.custom_names));
        }
        Period {
            ids: self.customers.ids.clone(),
            classes,
            revenue: self.customers.monetary.clone(),
            pseudonymous: false,
        }
    }

    /// Migration from an earlier `customers.csv` (the CLI's `--previous`) to this analysis, its
    /// summary put into the report. `Ok(None)` when the file has no class columns (a bare code
    /// map). Each period cut its own quantiles (`cuts: "current"`): the file holds no cut points.
    /// A file keyed by pseudonyms joins through `pseudonymiser` (the passphrase it was exported
    /// with, see [`Period::rekey`]); without one, or when none joins, it is refused.
    pub fn migrate_from_csv(
        &mut self,
        bytes: &[u8],
        pseudonymiser: Option<&Pseudonymiser>,
    ) -> Result<Option<Migration>> {
        let current = self.period();
        let Some(mut earlier) = Period::from_customers_csv(bytes, &current)? else {
            return Ok(None);
        };
        earlier.rekey(&current, pseudonymiser)?;
        let m = migration::migrate(
            &earlier,
            &current,
            Context {
                source: "previousFile",
                previous_as_of: None,
                as_of: self.report.as_of.clone(),
                cuts: Cuts::Current,
                tier_floors: None,
            },
        );
        self.report.migration = Some(m.summary());
        Ok(Some(m))
    }
}

impl Analysis {
    /// `migration` as an export under `options` writes it (the customers.csv export options):
    /// customer ids as pseudonyms (ids that are pseudonyms already stay as they are), the movers
    /// of a dropped class column left out, and no movers list when `customer_id` is dropped.
    /// Dropped names are checked against the customer list as for customers.csv. The matrices
    /// (counts and revenue per class) are kept: they name no customer.
    pub fn migration_for(
        &self,
        migration: &Migration,
        options: &ExportOptions,
    ) -> Result<Migration> {
        let mut m = self.exported_movers(migration, options)?;
        if drops(options, "customer_id") {
            m.movers.clear();
        }
        Ok(m)
    }

    /// movers.csv under `options` (see [`Analysis::migration_for`]); without `customer_id` when
    /// it is dropped. The plain options give [`Migration::movers_csv`]'s bytes.
    pub fn movers_csv_for(
        &self,
        migration: &Migration,
        options: &ExportOptions,
    ) -> Result<Vec<u8>> {
        let m = self.exported_movers(migration, options)?;
        Ok(m.movers_csv_with(!drops(options, "customer_id")))
    }

    fn exported_movers(&self, migration: &Migration, options: &ExportOptions) -> Result<Migration> {
        self.columns_for(options)?;
        let mut m = migration.clone();
        m.movers.retain(|x| !drops(options, x.class.column()));
        if let Some(p) = &options.pseudonymiser {
            // Gone customers are not in the customer list: their pseudonyms must not collide either.
            let raw: Vec<String> = m
                .movers
                .iter()
                .filter(|x| !x.pseudonymous)
                .map(|x| x.customer_id.clone())
                .collect::<std::collections::BTreeSet<String>>()
                .into_iter()
                .collect();
            p.check_unique(&raw)?;
            m.rename_ids(|id| p.pseudonym(id));
        }
        Ok(m)
    }
}

fn drops(options: &ExportOptions, column: &str) -> bool {
    options.drop_columns.iter().any(|d| d == column)
}

/// The plan of the earlier period for `compare.asOf`: the same recipe with `asOf` set to it and no
/// `compare` section. `None` without `compare.asOf`. Load the same file with it ([`super::load`])
/// and pass both datasets to [`Dataset::analyze_compared`].
pub fn earlier_plan(plan: &Plan) -> Result<Option<Plan>> {
    let recipe = plan.recipe();
    let Some(as_of) = recipe.compare.as_of else {
        return Ok(None);
    };
    let mut earlier = recipe.clone();
    earlier.as_of = Some(as_of);
    earlier.compare = migration::CompareOptions::default();
    earlier.check().map(Some)
}

impl Dataset {
    /// Analyses this dataset (the current period) against `earlier` (the same file loaded with
    /// [`earlier_plan`]): the current analysis, with the migration summary in its report, and the
    /// migration. With `compare.cuts: "previous"` the current period is scored with the earlier
    /// period's RFM cut points and its value tiers by that period's tier floors (amounts; the
    /// shares are kept when the earlier period has no spender). `previous` is a code map, as in [`Dataset::analyze_with`].
    pub fn analyze_compared(
        &self,
        plan: &Plan,
        earlier: &Dataset,
        previous: Option<&CodeMap>,
    ) -> Result<(Analysis, Migration)> {
        let cuts = plan.recipe().compare.check(plan.as_of())?;
        let earlier_plan = earlier_plan(plan)?.unwrap_or_else(|| plan.clone());
        let before = earlier.analyze(&earlier_plan)?;
        let (now_plan, tier_floors) = match cuts {
            Cuts::Previous => {
                let floors = tiers::floors(
                    &before.customers.monetary,
                    &before.classes.tier,
                    earlier_plan.classes().tiers(),
                );
                let p = plan.reusing_cuts(&before.scores.thresholds, floors.clone());
                (p, floors)
            }
            Cuts::Current => (plan.clone(), None),
        };
        let mut now = self.analyze_with(&now_plan, previous)?;
        now.report.value_tiers.floors.clone_from(&tier_floors);
        // The default asOf (the day after the latest transaction) is known only now.
        if before.customers.as_of >= now.customers.as_of {
            return Err(crate::error::Error::CompareAsOfOrder {
                compare_as_of: date_of(before.customers.as_of).to_string(),
                as_of: date_of(now.customers.as_of).to_string(),
            });
        }
        let m = migration::migrate(
            &before.period(),
            &now.period(),
            Context {
                source: "compareAsOf",
                previous_as_of: Some(before.report.as_of.clone()),
                as_of: now.report.as_of.clone(),
                cuts,
                tier_floors,
            },
        );
        now.report.migration = Some(m.summary());
        Ok((now, m))
    }
}
