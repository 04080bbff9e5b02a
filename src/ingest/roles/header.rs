//! Which row is the header: Excel saves a merged title (`客户交易明细,,,,`, `Sales Report 2024`), often
//! an empty row, then the real header. Taking the title as the header makes `客户` a partial match for
//! the customer id and every order a customer; so the header is the first row whose names match
//! roles, and the rows above it are preamble.

use super::{ColumnMap, Role, RoleOverrides};
use crate::ingest::decision::Evidence;

/// How many non-empty rows are searched for the header.
pub const HEADER_SEARCH_ROWS: usize = 20;

/// A row that names enough roles to be the header.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderMatch {
    /// Index into the rows searched.
    pub index: usize,
    /// The roles its names match, with the names, in [`Role::ALL`] order.
    pub matched: Vec<(Role, String)>,
}

/// The first row among the first [`HEADER_SEARCH_ROWS`] of `rows` that is a header: its names match
/// the customer id and a date, an amount or a customer-level figure (or, when the recipe names
/// columns in `input.columns`, it holds every one of those names). `None` when no row does.
pub fn locate_header(rows: &[Vec<String>], overrides: &RoleOverrides) -> Option<HeaderMatch> {
    rows.iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .find_map(|(index, row)| {
            let matched = named_roles(row, overrides)?;
            Some(HeaderMatch { index, matched })
        })
}

/// The roles `row` names when it can be a header, else `None`.
fn named_roles(row: &[String], overrides: &RoleOverrides) -> Option<Vec<(Role, String)>> {
    let filled = row.iter().filter(|c| !c.trim().is_empty()).count();
    // One cell cannot name two roles: a merged title is never the header.
    if filled < 2 {
        return None;
    }
    if !overrides.is_empty() {
        // The recipe's names decide; a row without one of them cannot be the header it meant.
        let norm: Vec<String> = row.iter().map(|c| super::normalise(c)).collect();
        let all = overrides.values().all(|name| {
            row.iter().any(|c| c.trim() == name.trim())
                || norm.iter().any(|n| *n == super::normalise(name))
        });
        if !all {
            return None;
        }
    }
    let map = ColumnMap::infer_partial(row, overrides).ok()?;
    let has = |r: Role| map.index(r).is_some();
    let measured = [
        Role::Date,
        Role::Amount,
        Role::LastPurchase,
        Role::Recency,
        Role::Orders,
        Role::TotalSpend,
    ]
    .into_iter()
    .any(has)
        || (has(Role::Quantity) && has(Role::UnitPrice));
    if !overrides.is_empty() || (has(Role::CustomerId) && measured) {
        Some(
            map.roles
                .iter()
                .map(|m| (m.role, m.column.clone()))
                .collect(),
        )
    } else {
        None
    }
}

/// Evidence for the `headerRow` decision: `row 3: 客户ID, 订单号, 下单时间, 实付金额 match 4 roles;
/// rows 1–2 above it are set aside (preamble)`; no `matched` names: the row was set by the recipe.
pub fn evidence(row: u64, matched: &[(Role, String)], above: &[u64]) -> Evidence {
    let names: Vec<&str> = matched.iter().map(|(_, n)| n.as_str()).collect();
    let mut text = if matched.is_empty() {
        format!("row {row}, set by input.headerRow")
    } else {
        format!(
            "row {row}: {} match {} role{}",
            names.join(", "),
            matched.len(),
            if matched.len() == 1 { "" } else { "s" }
        )
    };
    let span = match above {
        [] => None,
        [one] => {
            text.push_str(&format!("; row {one} above it is set aside (preamble)"));
            Some(one.to_string())
        }
        [first, .., last] => {
            text.push_str(&format!(
                "; rows {first}–{last} above it are set aside (preamble)"
            ));
            Some(format!("{first}–{last}"))
        }
    };
    let mut params = vec![("row", row.to_string())];
    if !matched.is_empty() {
        params.push(("names", names.join(", ")));
        params.push(("roles", matched.len().to_string()));
    }
    let code = match (matched.is_empty(), span) {
        (true, None) => "header_recipe",
        (false, None) => "header_match",
        (true, Some(s)) => {
            params.push(("above", s));
            "header_recipe_preamble"
        }
        (false, Some(s)) => {
            params.push(("above", s));
            "header_match_preamble"
        }
    };
    Evidence::new(code, params, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(lines: &[&[&str]]) -> Vec<Vec<String>> {
        lines
            .iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    #[test]
    fn the_title_and_empty_rows_are_not_the_header() {
        let r = rows(&[
            &["客户交易明细", "", "", ""],
            &["", "", "", ""],
            &["客户ID", "订单号", "下单时间", "实付金额"],
            &["C1", "O1", "2024-01-01", "10"],
        ]);
        let m = locate_header(&r, &RoleOverrides::new()).unwrap();
        assert_eq!(m.index, 2);
        assert_eq!(m.matched.len(), 4);
        // A title that names one role in one cell, and a row of ids only, are not headers.
        let r = rows(&[&["客户订单金额报表", ""], &["客户", "备注"]]);
        assert_eq!(locate_header(&r, &RoleOverrides::new()), None);
    }

    #[test]
    fn the_recipe_columns_find_a_header_of_unknown_names() {
        let r = rows(&[
            &["Report", ""],
            &["who", "when", "gross"],
            &["A", "2024-01-01", "3"],
        ]);
        assert_eq!(locate_header(&r, &RoleOverrides::new()), None);
        let mut o = RoleOverrides::new();
        o.insert(Role::CustomerId, "who".into());
        o.insert(Role::Date, "when".into());
        o.insert(Role::Amount, "gross".into());
        assert_eq!(locate_header(&r, &o).map(|m| m.index), Some(1));
    }

    #[test]
    fn evidence_names_the_row_and_the_preamble() {
        let m = [
            (Role::CustomerId, "客户ID".to_string()),
            (Role::Date, "日期".to_string()),
        ];
        let e = evidence(3, &m, &[1, 2]);
        assert_eq!(
            e.text,
            "row 3: 客户ID, 日期 match 2 roles; rows 1–2 above it are set aside (preamble)"
        );
        assert_eq!(e.code, "header_match_preamble");
        assert_eq!(e.params["above"], "1–2");
        assert_eq!(e.params["names"], "客户ID, 日期");
        let e = evidence(1, &m, &[]);
        assert_eq!(e.text, "row 1: 客户ID, 日期 match 2 roles");
        assert_eq!((e.code, e.params["roles"].as_str()), ("header_match", "2"));
        assert_eq!(evidence(2, &[], &[1]).code, "header_recipe_preamble");
    }
}
