//! Roles from header names: the best column per role, stand-ins for missing roles, the
//! competition between roles for one column, and the error that names a missing role.

use super::*;

pub(super) fn missing(role: Role, header: &[String]) -> Error {
    let looked_for = role
        .synonyms()
        .iter()
        .take(6)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    Error::MissingColumn {
        role: role.label().into(),
        looked_for,
        found: if header.is_empty() {
            "no header".into()
        } else {
            // A binary or one-line file can have a megabyte-long "name": keep the message short.
            let mut names: Vec<String> = header
                .iter()
                .take(30)
                .map(|h| {
                    if h.chars().count() > 40 {
                        format!("{}…", h.chars().take(40).collect::<String>())
                    } else {
                        h.clone()
                    }
                })
                .collect();
            if header.len() > 30 {
                names.push(format!("… ({} columns)", header.len()));
            }
            names.join(", ")
        },
    }
}

/// Columns taken only when nothing better names the role, each with a warning: a name column for
/// the customer id (customers sharing a name merge), an amount before discounts (`应付金额`).
pub(super) fn stand_ins(
    header: &[String],
    norm: &[String],
    taken: &mut [bool],
    roles: &mut Vec<RoleMatch>,
) {
    let has = |roles: &Vec<RoleMatch>, r: Role| roles.iter().any(|m| m.role == r);
    let free = |taken: &[bool], i: usize| !taken.get(i).copied().unwrap_or(true);
    let take = |taken: &mut [bool], roles: &mut Vec<RoleMatch>, role, i, warning: Warning| {
        if let Some(t) = taken.get_mut(i) {
            *t = true;
        }
        roles.push(RoleMatch {
            role,
            index: i,
            column: header.get(i).cloned().unwrap_or_default(),
            confidence: 0.5,
            source: "header-partial".into(),
            value_fit: None,
            warning: Some(warning),
        });
    };
    if !has(roles, Role::CustomerId) {
        let customerish = [
            "客户", "customer", "会员", "member", "client", "买家", "buyer", "用户", "user",
        ];
        let generic = ["name", "姓名", "联系人", "收货人", "名字"];
        if let Some(i) = (0..norm.len()).find(|&i| {
            free(taken, i)
                && norm.get(i).is_some_and(|n| {
                    names::name_like(n)
                        && (customerish.iter().any(|w| n.contains(w))
                            || generic.contains(&n.as_str()))
                })
        }) {
            let column = header.get(i).map_or("", String::as_str);
            take(
                taken,
                roles,
                Role::CustomerId,
                i,
                Warning::role_name_as_id(column),
            );
        }
    }
    let priced = has(roles, Role::Quantity) && has(roles, Role::UnitPrice);
    if !has(roles, Role::Amount) && !priced {
        if let Some(i) = (0..norm.len()).find(|&i| {
            free(taken, i)
                && norm.get(i).is_some_and(|n| {
                    names::before_discounts(n)
                        && !n.contains("subtotal")
                        && (n.contains("金额") || n.contains("amount"))
                })
        }) {
            let column = header.get(i).map_or("", String::as_str);
            take(
                taken,
                roles,
                Role::Amount,
                i,
                Warning::role_before_discounts(column),
            );
        }
    }
}

/// Whether the normalised name `n` names `role`, exactly or by containing one of its synonyms.
fn names_role(role: Role, n: &str) -> bool {
    if names::excluded(role, n) {
        return false;
    }
    role.synonyms()
        .iter()
        .any(|syn| n == *syn || ((syn.chars().count() >= 3 || !syn.is_ascii()) && n.contains(syn)))
}

/// Marks header matches that deserve a second look: another free column also names the role, a
/// column of the same name exists, or the match is only partial. The warning names both columns
/// and the recipe key that settles it.
pub(super) fn competition(
    header: &[String],
    norm: &[String],
    taken: &[bool],
    roles: &mut [RoleMatch],
) {
    let free = |i: usize| !taken.get(i).copied().unwrap_or(true);
    for m in roles.iter_mut() {
        if m.warning.is_some() || !m.source.starts_with("header") {
            continue;
        }
        let own = norm.get(m.index).map_or("", String::as_str);
        let same_name: Vec<usize> = (0..norm.len())
            .filter(|&i| i != m.index && norm.get(i).is_some_and(|n| n == own))
            .collect();
        if let Some(&other) = same_name.first() {
            m.warning = Some(Warning::role_same_name(
                &m.column,
                m.index + 1,
                other + 1,
                m.role.key(),
                m.role.label(),
            ));
            continue;
        }
        let rival = (0..norm.len())
            .find(|&i| free(i) && norm.get(i).is_some_and(|n| names_role(m.role, n)));
        if let Some(r) = rival {
            let other = header.get(r).map_or("", String::as_str);
            m.warning = Some(Warning::role_rival(
                &m.column,
                other,
                m.role.key(),
                m.role.label(),
                m.confidence >= 1.0,
            ));
        } else if m.confidence < 1.0 {
            m.warning = Some(Warning::role_partial(
                &m.column,
                m.role.key(),
                m.role.label(),
            ));
        }
    }
}

/// Exact synonym (earliest synonym wins), else a header that contains a synonym of 3+ characters.
pub(super) fn best_column(
    role: Role,
    norm: &[String],
    taken: &[bool],
    exact: bool,
) -> Option<(usize, f64)> {
    let free = |i: usize| !taken.get(i).copied().unwrap_or(true);
    if exact {
        for syn in role.synonyms() {
            if let Some(i) = norm.iter().position(|n| n == syn) {
                if free(i) {
                    return Some((i, 1.0));
                }
            }
        }
        return None;
    }
    for syn in role.synonyms() {
        if syn.chars().count() < 3 && syn.is_ascii() {
            continue;
        }
        // `优惠金额` contains `金额` and `customer name` contains `customer`: neither is that role.
        if let Some(i) = (0..norm.len()).find(|&i| {
            free(i)
                && norm
                    .get(i)
                    .is_some_and(|n| n.contains(syn) && !names::excluded(role, n))
        }) {
            return Some((i, 0.6));
        }
    }
    None
}
