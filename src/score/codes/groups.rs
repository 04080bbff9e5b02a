//! The code preview: customers grouped by their classes in the template's slots (the part of the
//! code before the sequence number), with the code of each group's first customer and its size,
//! largest first. The page's code editor draws these rows ([`code_groups`]) instead of grouping
//! the customers itself.

use std::collections::HashMap;

use serde::Serialize;

use super::{CodeClasses, Slot};

/// The code preview of an analysis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeGroups {
    /// Distinct class combinations among the customers.
    pub keys: usize,
    /// Customers counted.
    pub customers: usize,
    /// The largest groups: by size, equal sizes in the order their first customer comes.
    pub top: Vec<CodeGroup>,
}

/// One combination of classes and its customers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeGroup {
    /// The group's class in each slot of the template (template order, each slot once).
    pub classes: Vec<SlotClass>,
    /// The code of the group's first customer (in customer order).
    pub first: String,
    /// Customers in the group.
    pub count: usize,
}

/// A class in one slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SlotClass {
    /// The slot: a `codes.maps` key or `r` / `f` / `m`.
    pub slot: &'static str,
    /// The class name (`""`: no region, or no class), or the score for `r` / `f` / `m`.
    pub name: String,
}

impl Slot {
    /// The slot of a [`Slot::key`].
    pub fn from_key(key: &str) -> Option<Slot> {
        Some(match key {
            "region" => Slot::Region,
            "tier" => Slot::Tier,
            "stage" => Slot::Stage,
            "segment" => Slot::Segment,
            "custom" => Slot::Custom,
            "r" => Slot::R,
            "f" => Slot::F,
            "m" => Slot::M,
            _ => return None,
        })
    }
}

/// Customer `i`'s class in `slot`: an index that tells classes apart (`u32::MAX`: none) and its name.
fn class_of(slot: Slot, c: &CodeClasses<'_>, i: usize) -> (u32, String) {
    let class = |(labels, names): (&[u16], &[String])| match labels.get(i) {
        Some(&g) => (
            u32::from(g),
            names.get(usize::from(g)).cloned().unwrap_or_default(),
        ),
        None => (u32::MAX, String::new()),
    };
    let score = |scores: &[u8]| match scores.get(i) {
        Some(&s) => (u32::from(s), s.to_string()),
        None => (u32::MAX, String::new()),
    };
    match slot {
        // Regions are named, not indexed: the name is the key (its index is unused).
        Slot::Region => (0, c.region.get(i).cloned().flatten().unwrap_or_default()),
        Slot::Tier => class(c.tier),
        Slot::Stage => class(c.stage),
        Slot::Segment => class(c.segment),
        Slot::Custom => class(c.custom),
        Slot::R => score(c.r),
        Slot::F => score(c.f),
        Slot::M => score(c.m),
    }
}

/// The customers of `codes` grouped by their classes in `slots` (repeats ignored), the `top`
/// largest groups kept.
pub fn code_groups(
    slots: &[Slot],
    c: &CodeClasses<'_>,
    codes: &[String],
    top: usize,
) -> CodeGroups {
    let mut used: Vec<Slot> = Vec::new();
    for &s in slots {
        if !used.contains(&s) {
            used.push(s);
        }
    }
    // Group index by key; groups in the order of their first customer.
    let mut index: HashMap<Vec<(u32, String)>, usize> = HashMap::new();
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for i in 0..codes.len() {
        let key: Vec<(u32, String)> = used.iter().map(|&s| class_of(s, c, i)).collect();
        match index.get(&key) {
            Some(&g) => {
                if let Some(group) = groups.get_mut(g) {
                    group.1 += 1;
                }
            }
            None => {
                index.insert(key, groups.len());
                groups.push((i, 1));
            }
        }
    }
    let mut order: Vec<usize> = (0..groups.len()).collect();
    // Stable: equal sizes keep the order of their first customer.
    order.sort_by_key(|&g| std::cmp::Reverse(groups.get(g).map_or(0, |x| x.1)));
    let top = order
        .into_iter()
        .take(top)
        .filter_map(|g| groups.get(g))
        .map(|&(first, count)| CodeGroup {
            classes: used
                .iter()
                .map(|&s| SlotClass {
                    slot: s.key(),
                    name: class_of(s, c, first).1,
                })
                .collect(),
            first: codes.get(first).cloned().unwrap_or_default(),
            count,
        })
        .collect();
    CodeGroups {
        keys: groups.len(),
        customers: codes.len(),
        top,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    /// A preview row as (slot, class) pairs, first code and count.
    type Row<'a> = (Vec<(&'a str, &'a str)>, &'a str, usize);

    #[test]
    fn groups_are_counted_and_ordered_as_by_hand() {
        let region = [
            Some("East"),
            None,
            Some("East"),
            Some("West"),
            None,
            Some("East"),
        ]
        .map(|r| r.map(String::from));
        let tiers = ["Gold", "Silver"].map(String::from);
        let stages = ["New", "Active"].map(String::from);
        let segments = ["Champions".to_string()];
        let c = CodeClasses {
            region: &region,
            tier: (&[0, 1, 0, 1, 1, 0], &tiers),
            stage: (&[0, 1, 0, 0, 1, 1], &stages),
            segment: (&[0; 6], &segments),
            custom: (&[], &[]),
            r: &[5, 4, 5, 3, 4, 5],
            f: &[1; 6],
            m: &[1; 6],
        };
        let codes: Vec<String> = (1..=6).map(|i| format!("C{i}")).collect();
        // Template {tier}{stage}{tier}: the tier slot counted once. By hand, customers 1…6 are
        // Gold·New, Silver·Active, Gold·New, Silver·New, Silver·Active, Gold·Active: Gold·New and
        // Silver·Active have 2 each (Gold·New first seen first), then Silver·New (4th), Gold·Active.
        let g = code_groups(&[Slot::Tier, Slot::Stage, Slot::Tier], &c, &codes, 3);
        assert_eq!((g.keys, g.customers), (4, 6));
        let rows: Vec<Row<'_>> = g
            .top
            .iter()
            .map(|r| {
                (
                    r.classes
                        .iter()
                        .map(|s| (s.slot, s.name.as_str()))
                        .collect(),
                    r.first.as_str(),
                    r.count,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (vec![("tier", "Gold"), ("stage", "New")], "C1", 2),
                (vec![("tier", "Silver"), ("stage", "Active")], "C2", 2),
                (vec![("tier", "Silver"), ("stage", "New")], "C4", 1),
            ]
        );
        // Region and the R score: East·R5 ×3 (customers 1, 3, 6), no region·R4 ×2, West·R3.
        let g = code_groups(&[Slot::Region, Slot::R], &c, &codes, 8);
        let rows: Vec<(String, usize)> = g
            .top
            .iter()
            .map(|r| {
                let parts: Vec<&str> = r.classes.iter().map(|s| s.name.as_str()).collect();
                (format!("{}:{}", parts.join("·"), r.first), r.count)
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("East·5:C1".to_string(), 3),
                ("·4:C2".to_string(), 2),
                ("West·3:C4".to_string(), 1)
            ]
        );
        // No slots: one group of everyone.
        let g = code_groups(&[], &c, &codes, 8);
        assert_eq!((g.keys, g.top.len(), g.top[0].count), (1, 1, 6));
    }
}
