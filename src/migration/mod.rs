//! Migration between two periods: who moved between classes (issue 14, part 2; DOMAIN.md §7).
//!
//! Given the earlier period's class per customer and the current one, per class kind (segment,
//! value tier, lifecycle stage, custom tier) a from × to matrix of customers and of current-period
//! revenue. Customers only in the current period sit in a `"(new)"` row, customers only in the
//! earlier period in a `"(gone)"` column, so every matrix holds each customer of either period
//! exactly once: the row sums are the earlier period's class sizes (plus the new), the column sums
//! the current ones (plus the gone). Clusters are left out on purpose: they are re-fitted in each
//! period, so cluster 2 then and cluster 2 now are not the same group.
//!
//! The earlier period comes either from an earlier `customers.csv` ([`Period::from_customers_csv`])
//! or from analysing the same file as of an earlier date (recipe `compare`, [`CompareOptions`]); the
//! pipeline builds both [`Period`]s and calls [`migrate`].

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

mod cuts;
mod previous;

pub use cuts::ClassCuts;

use crate::score::TierFloor;

/// The row of customers that were not in the earlier period.
pub const NEW: &str = "(new)";
/// The column of customers that are not in the current period.
pub const GONE: &str = "(gone)";

/// The recipe's `compare` section: how the earlier period is named and which cut points apply.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct CompareOptions {
    /// Analyse the same file as of this earlier date (only transactions up to it, exactly as a
    /// separate run with this `asOf`) as the earlier period.
    pub as_of: Option<chrono::NaiveDate>,
    /// `"current"` (default): each period cuts its own RFM score quantiles and value-tier shares;
    /// `"previous"`: the current period is scored with the earlier period's cut points (recency,
    /// frequency, monetary) and its value tiers assigned by the earlier tier floors (amounts), so
    /// a move is a change of the customer, not of the boundaries. Needs `asOf` (a customers.csv
    /// does not hold cut points).
    pub cuts: Option<String>,
}

/// Which cut points the current period was scored with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Cuts {
    /// Each period its own quantiles.
    Current,
    /// The earlier period's RFM cut points.
    Previous,
}

impl CompareOptions {
    /// Checks the section: `cuts` is `"current"` or `"previous"`, `"previous"` needs `asOf`, and
    /// `asOf` lies before the current period's `as_of` (when that is known).
    pub fn check(&self, as_of: Option<chrono::NaiveDate>) -> crate::error::Result<Cuts> {
        use crate::error::Error;
        let cuts = match self.cuts.as_deref() {
            None | Some("current") => Cuts::Current,
            Some("previous") => Cuts::Previous,
            Some(other) => {
                return Err(Error::CompareCuts {
                    given: other.to_string(),
                })
            }
        };
        if cuts == Cuts::Previous && self.as_of.is_none() {
            return Err(Error::CompareCutsNeedAsOf);
        }
        if let (Some(earlier), Some(now)) = (self.as_of, as_of) {
            if earlier >= now {
                return Err(Error::CompareAsOfOrder {
                    compare_as_of: earlier.to_string(),
                    as_of: now.to_string(),
                });
            }
        }
        Ok(cuts)
    }

    /// True for the default (empty) section, which the recipe echo leaves out.
    pub fn is_default(&self) -> bool {
        *self == CompareOptions::default()
    }

    /// True when the section asks for a comparison on the same file.
    pub fn enabled(&self) -> bool {
        self.as_of.is_some()
    }
}

/// A class kind compared between periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ClassKind {
    /// RFM segment (`segment` column).
    Segment,
    /// Value tier (`value_tier`).
    ValueTier,
    /// Lifecycle stage (`lifecycle`).
    Lifecycle,
    /// Custom rule tier (`custom_tier`).
    CustomTier,
}

impl ClassKind {
    /// Every kind, in the order of the outputs.
    pub const ALL: [ClassKind; 4] = [
        ClassKind::Segment,
        ClassKind::ValueTier,
        ClassKind::Lifecycle,
        ClassKind::CustomTier,
    ];

    /// The customers.csv column (and the `class` cell of movers.csv).
    pub fn column(self) -> &'static str {
        match self {
            ClassKind::Segment => "segment",
            ClassKind::ValueTier => "value_tier",
            ClassKind::Lifecycle => "lifecycle",
            ClassKind::CustomTier => "custom_tier",
        }
    }
}

/// One class kind of one period: its names in display order and each customer's name.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodClass {
    /// The kind.
    pub kind: ClassKind,
    /// Class names in display order (the recipe's order; names nobody has are kept, so the
    /// matrix has the same shape whatever the data).
    pub names: Vec<String>,
    /// The class name per customer, parallel to [`Period::ids`].
    pub of: Vec<String>,
}

/// One period: customer ids, the classes present and (for the current period) revenue.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Period {
    /// Customer ids (unique).
    pub ids: Vec<String>,
    /// The class kinds this period has.
    pub classes: Vec<PeriodClass>,
    /// Net revenue per customer in this period (used for the current period only).
    pub revenue: Vec<f64>,
    /// The ids are pseudonyms already (an earlier pseudonymised customers.csv, see
    /// [`Period::rekey`]): those not joined to a current customer are written as they are.
    pub pseudonymous: bool,
}

/// The from × to tables of one class kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassMigration {
    /// The kind (`segment`, `valueTier`, `lifecycle`, `customTier`).
    pub class: ClassKind,
    /// The boundaries this class was drawn with in the current period.
    pub cuts: ClassCuts,
    /// Earlier-period names, then `"(new)"`.
    pub from: Vec<String>,
    /// Current-period names, then `"(gone)"`.
    pub to: Vec<String>,
    /// `counts[from][to]`: customers.
    pub counts: Vec<Vec<u64>>,
    /// `revenue[from][to]`: their current-period net revenue (0 in the `"(gone)"` column).
    pub revenue: Vec<Vec<f64>>,
    /// Customers in both periods whose class is the same.
    pub stayed: u64,
    /// Customers in both periods whose class changed.
    pub moved: u64,
}

/// One customer whose class changed (including new and gone customers): a movers.csv row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Mover {
    /// Customer id.
    pub customer_id: String,
    /// The class kind.
    pub class: ClassKind,
    /// Earlier class, or `"(new)"`.
    pub from: String,
    /// Current class, or `"(gone)"`.
    pub to: String,
    /// The id is a pseudonym already (a gone customer of a pseudonymised earlier file), so an
    /// export does not pseudonymise it again.
    #[serde(skip)]
    pub pseudonymous: bool,
}

/// Everything `migration.json` holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Migration {
    /// `"compareAsOf"` (the same file as of an earlier date) or `"previousFile"` (an earlier
    /// customers.csv).
    pub source: &'static str,
    /// The earlier period's analysis date, when known (`compare.asOf`).
    pub previous_as_of: Option<String>,
    /// The current period's analysis date.
    pub as_of: String,
    /// Which cut points scored the current period (per class: [`ClassMigration::cuts`]).
    pub cuts: Cuts,
    /// The earlier period's tier floors the current value tiers were assigned by (with
    /// `cuts: "previous"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier_floors: Option<Vec<TierFloor>>,
    /// Customers in the earlier period.
    pub previous_customers: u64,
    /// Customers in the current period.
    pub current_customers: u64,
    /// Customers in both.
    pub both: u64,
    /// One entry per class kind both periods have.
    pub classes: Vec<ClassMigration>,
    /// Customers whose class changed, by class kind, then customer id.
    pub movers: Vec<Mover>,
}

/// The short migration summary `report.json` carries.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MigrationSummary {
    /// As [`Migration::source`].
    pub source: &'static str,
    /// As [`Migration::previous_as_of`].
    pub previous_as_of: Option<String>,
    /// As [`Migration::cuts`].
    pub cuts: Cuts,
    /// Per class column: the boundaries it was drawn with ([`ClassMigration::cuts`]).
    pub class_cuts: BTreeMap<String, ClassCuts>,
    /// Customers new since the earlier period.
    pub new: u64,
    /// Customers of the earlier period no longer present.
    pub gone: u64,
    /// Movers per class kind (customers in both periods whose class changed).
    pub moved: BTreeMap<String, u64>,
}

impl Migration {
    /// The report.json summary.
    pub fn summary(&self) -> MigrationSummary {
        MigrationSummary {
            source: self.source,
            previous_as_of: self.previous_as_of.clone(),
            cuts: self.cuts,
            class_cuts: self
                .classes
                .iter()
                .map(|c| (c.class.column().to_string(), c.cuts))
                .collect(),
            new: self.current_customers - self.both,
            gone: self.previous_customers - self.both,
            moved: self
                .classes
                .iter()
                .map(|c| (c.class.column().to_string(), c.moved))
                .collect(),
        }
    }

    /// Replaces every customer id of the movers list (e.g. by its keyed pseudonym) except ids
    /// that are pseudonyms already, keeping the order by class kind, then id.
    pub fn rename_ids(&mut self, rename: impl Fn(&str) -> String) {
        for m in &mut self.movers {
            if !m.pseudonymous {
                m.customer_id = rename(&m.customer_id);
                m.pseudonymous = true;
            }
        }
        self.movers
            .sort_by(|a, b| (a.class, &a.customer_id).cmp(&(b.class, &b.customer_id)));
    }

    /// `migration.json` text.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// movers.csv: `customer_id,class,from,to`, cells guarded like customers.csv.
    pub fn movers_csv(&self) -> Vec<u8> {
        self.movers_csv_with(true)
    }

    /// movers.csv, with or without the `customer_id` column (an export that drops it).
    pub fn movers_csv_with(&self, ids: bool) -> Vec<u8> {
        use crate::format::{text_col, write_csv};
        let m = &self.movers;
        let mut columns = vec![
            text_col("class", move |i| m.get(i).map_or("", |x| x.class.column())),
            text_col("from", move |i| m.get(i).map_or("", |x| x.from.as_str())),
            text_col("to", move |i| m.get(i).map_or("", |x| x.to.as_str())),
        ];
        if ids {
            let id = text_col("customer_id", move |i| {
                m.get(i).map_or("", |x| x.customer_id.as_str())
            });
            columns.insert(0, id);
        }
        write_csv(&columns, m.len())
    }
}

/// Where the earlier period came from, for [`migrate`].
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    /// As [`Migration::source`].
    pub source: &'static str,
    /// As [`Migration::previous_as_of`].
    pub previous_as_of: Option<String>,
    /// As [`Migration::as_of`].
    pub as_of: String,
    /// As [`Migration::cuts`].
    pub cuts: Cuts,
    /// As [`Migration::tier_floors`].
    pub tier_floors: Option<Vec<TierFloor>>,
}

/// Cross-tabulates `earlier` against `current`, per class kind both have.
pub fn migrate(earlier: &Period, current: &Period, context: Context) -> Migration {
    let before: HashMap<&str, usize> = earlier
        .ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let now: HashMap<&str, usize> = current
        .ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let both = current
        .ids
        .iter()
        .filter(|id| before.contains_key(id.as_str()))
        .count();
    let mut classes = Vec::new();
    let mut movers = Vec::new();
    for kind in ClassKind::ALL {
        let (Some(e), Some(c)) = (
            earlier.classes.iter().find(|p| p.kind == kind),
            current.classes.iter().find(|p| p.kind == kind),
        ) else {
            continue;
        };
        let mut tab = cross_tab((earlier, e, &before), (current, c, &now), &mut movers);
        tab.cuts = kind.cuts(context.cuts, context.tier_floors.is_some());
        classes.push(tab);
    }
    Migration {
        source: context.source,
        previous_as_of: context.previous_as_of,
        as_of: context.as_of,
        cuts: context.cuts,
        tier_floors: context.tier_floors,
        previous_customers: earlier.ids.len() as u64,
        current_customers: current.ids.len() as u64,
        both: both as u64,
        classes,
        movers,
    }
}

type Side<'a> = (&'a Period, &'a PeriodClass, &'a HashMap<&'a str, usize>);

/// Names in display order: the declared ones, then any other name met (sorted), then `extra`.
fn axis(class: &PeriodClass, extra: &str) -> Vec<String> {
    let mut names = class.names.clone();
    let mut others: Vec<&String> = class.of.iter().filter(|n| !names.contains(n)).collect();
    others.sort();
    others.dedup();
    names.extend(others.into_iter().cloned());
    names.push(extra.to_string());
    names
}

fn cross_tab(earlier: Side<'_>, current: Side<'_>, movers: &mut Vec<Mover>) -> ClassMigration {
    let (ep, ec, _) = earlier;
    let (cp, cc, now) = current;
    let from = axis(ec, NEW);
    let to = axis(cc, GONE);
    let row_of: HashMap<&str, usize> = from
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let col_of: HashMap<&str, usize> = to
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let (new_row, gone_col) = (from.len() - 1, to.len() - 1);
    let mut counts = vec![vec![0u64; to.len()]; from.len()];
    let mut revenue = vec![vec![0f64; to.len()]; from.len()];
    let (mut stayed, mut moved) = (0, 0);
    let mut add = |r: usize, c: usize, v: f64| {
        if let Some(cell) = counts.get_mut(r).and_then(|x| x.get_mut(c)) {
            *cell += 1;
        }
        if let Some(cell) = revenue.get_mut(r).and_then(|x| x.get_mut(c)) {
            *cell += v;
        }
    };
    let mut changed = Vec::new();
    // Current customers, in the current period's order: each one cell (a "(new)" row when absent
    // before).
    let earlier_index: HashMap<&str, usize> = ep
        .ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    for (i, id) in cp.ids.iter().enumerate() {
        let to_name = cc.of.get(i).map_or("", String::as_str);
        let c = col_of.get(to_name).copied().unwrap_or(gone_col);
        let v = cp.revenue.get(i).copied().unwrap_or(0.0);
        match earlier_index.get(id.as_str()) {
            Some(&j) => {
                let from_name = ec.of.get(j).map_or("", String::as_str);
                let r = row_of.get(from_name).copied().unwrap_or(new_row);
                add(r, c, v);
                if from_name == to_name {
                    stayed += 1;
                } else {
                    moved += 1;
                    changed.push((id, from_name, to_name));
                }
            }
            None => {
                add(new_row, c, v);
                changed.push((id, NEW, to_name));
            }
        }
    }
    // Earlier customers no longer present: the "(gone)" column, no current revenue.
    for (j, id) in ep.ids.iter().enumerate() {
        if !now.contains_key(id.as_str()) {
            let from_name = ec.of.get(j).map_or("", String::as_str);
            let r = row_of.get(from_name).copied().unwrap_or(new_row);
            add(r, gone_col, 0.0);
            changed.push((id, from_name, GONE));
        }
    }
    changed.sort_by(|a, b| a.0.cmp(b.0));
    movers.extend(changed.into_iter().map(|(id, f, t)| Mover {
        customer_id: id.clone(),
        class: cc.kind,
        from: f.to_string(),
        to: t.to_string(),
        // Only a gone customer of a pseudonymised earlier file keeps a pseudonym as its id.
        pseudonymous: ep.pseudonymous && t == GONE,
    }));
    ClassMigration {
        class: cc.kind,
        cuts: ClassCuts::Current,
        from,
        to,
        counts,
        revenue,
        stayed,
        moved,
    }
}
