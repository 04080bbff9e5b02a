//! Column roles: which header is the customer id, the date, the amount, ...
//!
//! Roles are found from header names (English and Chinese synonyms seen in real exports, compared
//! case-, space-, underscore- and hyphen-insensitively) and can be overridden in the recipe.

use std::collections::BTreeMap;

mod by_values;
mod header;
mod matching;
mod names;
mod role;
pub use by_values::looks_like_data;
pub use header::{evidence as header_evidence, locate_header, HeaderMatch, HEADER_SEARCH_ROWS};
use matching::{best_column, competition, missing, stand_ins};
pub use names::strip_units;
pub use role::{normalise, Role};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::warning::Warning;

/// Recipe overrides: role → the header name to use for it.
pub type RoleOverrides = BTreeMap<Role, String>;

/// One resolved role.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleMatch {
    /// The role.
    pub role: Role,
    /// Index of the column in the header.
    pub index: usize,
    /// The header name as written in the file.
    pub column: String,
    /// 1.0 for an exact synonym or a recipe override, lower for a partial match.
    pub confidence: f64,
    /// `"recipe"`, `"header"` (exact synonym), `"header-partial"` or `"values"`.
    pub source: String,
    /// Share of the first rows' non-empty values that read as this role expects (dates for
    /// date roles, numbers for amounts and counts); `None` for roles without a value check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_fit: Option<f64>,
    /// Why this choice deserves a second look: another column competes for the role, the match is
    /// partial, two columns share the name, or a name column stands in for the id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<crate::warning::Warning>,
}

/// Which of the first rows of a file or sheet is its header: an index into `rows` (the first
/// non-empty rows, in order). `forced` is `input.headerRow` as a 1-based position among `rows`.
///
/// The first row whose names match roles ([`locate_header`]); when none does, the first row with a
/// non-empty cell (a headerless file, or names only the values can explain).
pub fn find_header(
    rows: &[Vec<String>],
    overrides: &RoleOverrides,
    forced: Option<u64>,
) -> Option<usize> {
    if let Some(n) = forced {
        let i = usize::try_from(n.checked_sub(1)?).ok()?;
        return (i < rows.len()).then_some(i);
    }
    if let Some(m) = locate_header(rows, overrides) {
        return Some(m.index);
    }
    rows.iter()
        .position(|r| r.iter().any(|c| !c.trim().is_empty()))
}

/// The column-role mapping of one input.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnMap {
    /// Matched roles, in [`Role::ALL`] order.
    pub roles: Vec<RoleMatch>,
    /// Header names, as in the file.
    pub header: Vec<String>,
}

impl ColumnMap {
    /// One decision per role taken, with its evidence (header name, partial match, values).
    pub fn decisions(&self) -> Vec<super::Decision> {
        self.roles
            .iter()
            .map(|m| {
                let basis = if m.source == "recipe" {
                    super::Basis::Recipe
                } else {
                    super::Basis::File
                };
                let d = super::Decision::new(
                    "columnRole",
                    format!("{}={}", m.role.key(), m.column),
                    basis,
                    format!("{} ({:.0} %)", m.source, m.confidence * 100.0),
                    &format!("input.columns.{}", m.role.key()),
                )
                .because(
                    "role_match",
                    [
                        ("source", m.source.clone()),
                        ("percent", format!("{:.0}", m.confidence * 100.0)),
                    ],
                );
                match &m.warning {
                    Some(w) => d.warn(w.clone()),
                    None => d,
                }
            })
            .collect()
    }

    /// Column index of `role`, if mapped.
    pub fn index(&self, role: Role) -> Option<usize> {
        self.roles.iter().find(|m| m.role == role).map(|m| m.index)
    }

    /// Header name of the column at `index`.
    pub fn name(&self, index: usize) -> &str {
        self.header.get(index).map_or("", String::as_str)
    }

    /// Infers roles from `header`, applying `overrides` first, then checks the required ones.
    pub fn infer(header: &[String], overrides: &RoleOverrides) -> Result<ColumnMap> {
        let map = ColumnMap::infer_partial(header, overrides)?;
        map.check_required()?;
        Ok(map)
    }

    /// `"#5"`: the fifth column, for files whose header repeats a name (`客户` twice).
    fn position_override(column: &str, width: usize) -> Option<usize> {
        let n: usize = column.trim().strip_prefix('#')?.parse().ok()?;
        (1..=width).contains(&n).then(|| n - 1)
    }

    /// Header-based roles without the required-role check.
    fn infer_partial(header: &[String], overrides: &RoleOverrides) -> Result<ColumnMap> {
        let norm: Vec<String> = header.iter().map(|h| normalise(h)).collect();
        let mut taken = vec![false; header.len()];
        let mut roles = Vec::new();
        for (&role, column) in overrides {
            let index = header
                .iter()
                .position(|h| h == column)
                .or_else(|| norm.iter().position(|n| *n == normalise(column)))
                .or_else(|| Self::position_override(column, header.len()))
                .ok_or_else(|| Error::UnknownColumn {
                    role: role.label().into(),
                    column: column.clone(),
                })?;
            if let Some(t) = taken.get_mut(index) {
                *t = true;
            }
            roles.push(RoleMatch {
                role,
                index,
                column: header.get(index).cloned().unwrap_or_default(),
                confidence: 1.0,
                source: "recipe".into(),
                value_fit: None,
                warning: None,
            });
        }
        // Exact names first for every role, partial ones after: otherwise `order id` would take
        // `order_date` through the partial synonym "order" before `date` saw its exact match.
        for exact in [true, false] {
            for role in Role::ALL {
                if overrides.contains_key(&role) || roles.iter().any(|m| m.role == role) {
                    continue;
                }
                if let Some((index, confidence)) = best_column(role, &norm, &taken, exact) {
                    if let Some(t) = taken.get_mut(index) {
                        *t = true;
                    }
                    roles.push(RoleMatch {
                        role,
                        index,
                        column: header.get(index).cloned().unwrap_or_default(),
                        confidence,
                        source: if confidence >= 1.0 {
                            "header"
                        } else {
                            "header-partial"
                        }
                        .into(),
                        value_fit: None,
                        warning: None,
                    });
                }
            }
        }
        stand_ins(header, &norm, &mut taken, &mut roles);
        competition(header, &norm, &taken, &mut roles);
        roles.sort_by_key(|m| m.role);
        Ok(ColumnMap {
            roles,
            header: header.to_vec(),
        })
    }

    /// Transactions or customers, from the roles found (see [`Shape`]).
    pub fn shape(&self) -> Shape {
        let has = |r: Role| self.index(r).is_some();
        let dated = has(Role::LastPurchase) || has(Role::Recency);
        let measured = has(Role::Orders) || has(Role::TotalSpend);
        if dated && (measured || !has(Role::Date)) {
            Shape::Customers
        } else {
            Shape::Transactions
        }
    }

    fn check_required(&self) -> Result<()> {
        self.check_required_for(self.shape())
    }

    /// Checks that the roles `shape` needs are mapped.
    pub fn check_required_for(&self, shape: Shape) -> Result<()> {
        let header = &self.header;
        if self.index(Role::CustomerId).is_none() {
            return Err(missing(Role::CustomerId, header));
        }
        if shape == Shape::Customers {
            if self.index(Role::LastPurchase).is_none() && self.index(Role::Recency).is_none() {
                return Err(missing(Role::LastPurchase, header));
            }
            return Ok(());
        }
        if self.index(Role::Date).is_none() {
            return Err(missing(Role::Date, header));
        }
        if self.index(Role::Amount).is_none()
            && (self.index(Role::Quantity).is_none() || self.index(Role::UnitPrice).is_none())
        {
            return Err(missing(Role::Amount, header));
        }
        Ok(())
    }
}

/// The two input shapes tierlens reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Shape {
    /// One row per order line: customer, date, amount (or quantity × unit price), ...
    Transactions,
    /// One row per customer with ready-made fields: last purchase date or recency, order count,
    /// total spend.
    Customers,
}

/// Names for the columns of a file without a header: `column1`, `column2`, ...
pub fn synthetic_header(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("column{i}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn finds_english_and_chinese_roles() {
        let m = ColumnMap::infer(
            &header(&[
                "InvoiceNo",
                "StockCode",
                "Quantity",
                "InvoiceDate",
                "UnitPrice",
                "CustomerID",
                "Country",
            ]),
            &RoleOverrides::new(),
        )
        .unwrap();
        assert_eq!(m.index(Role::CustomerId), Some(5));
        assert_eq!(m.index(Role::OrderId), Some(0));
        assert_eq!(m.index(Role::Date), Some(3));
        assert_eq!(m.index(Role::Amount), None);
        assert_eq!(m.index(Role::Quantity), Some(2));
        assert_eq!(m.index(Role::UnitPrice), Some(4));
        assert_eq!(m.index(Role::Region), Some(6));

        let m = ColumnMap::infer(
            &header(&["订单编号", "客户ID", "下单时间", "实付金额", "省份"]),
            &RoleOverrides::new(),
        )
        .unwrap();
        assert_eq!(m.index(Role::OrderId), Some(0));
        assert_eq!(m.index(Role::CustomerId), Some(1));
        assert_eq!(m.index(Role::Date), Some(2));
        assert_eq!(m.index(Role::Amount), Some(3));
        assert_eq!(m.index(Role::Region), Some(4));

        // A partial match of one role never takes a column another role names exactly.
        let m = ColumnMap::infer(
            &header(&["order_date", "customer_id", "order_amount", "order"]),
            &RoleOverrides::new(),
        )
        .unwrap();
        assert_eq!(m.index(Role::Date), Some(0));
        assert_eq!(m.index(Role::Amount), Some(2));
        assert_eq!(m.index(Role::OrderId), Some(3));
    }

    #[test]
    fn customer_shape_and_value_inference() {
        let m = ColumnMap::infer(
            &header(&["会员ID", "最近消费时间", "消费次数", "累计消费金额", "城市"]),
            &RoleOverrides::new(),
        )
        .unwrap();
        assert_eq!(m.shape(), Shape::Customers);
        assert_eq!(m.index(Role::LastPurchase), Some(1));
        assert_eq!(m.index(Role::Orders), Some(2));
        assert_eq!(m.index(Role::TotalSpend), Some(3));
        assert_eq!(m.index(Role::Date), None);
        let m = ColumnMap::infer(
            &header(&["customer_id", "last_purchase_date", "frequency", "monetary"]),
            &RoleOverrides::new(),
        )
        .unwrap();
        assert_eq!(m.shape(), Shape::Customers);

        // No header: roles from values.
        let rows: Vec<Vec<String>> = [
            ["C1", "2024-03-05", "12.50", "7"],
            ["C2", "2024-03-06", "8.00", "3"],
            ["C1", "2024-03-09", "30.25", "1"],
        ]
        .iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect();
        assert!(looks_like_data(&rows[0]));
        assert!(!looks_like_data(&header(&["customer", "when", "gross"])));
        let m = ColumnMap::infer_with_values(&synthetic_header(4), &RoleOverrides::new(), &rows)
            .unwrap();
        assert_eq!(m.index(Role::CustomerId), Some(0));
        assert_eq!(m.index(Role::Date), Some(1));
        assert_eq!(m.index(Role::Amount), Some(2));
        assert!(m
            .roles
            .iter()
            .all(|r| r.source == "values" && r.confidence > 0.5));
    }

    #[test]
    fn overrides_win_and_missing_roles_are_named() {
        let mut o = RoleOverrides::new();
        o.insert(Role::Amount, "gross".into());
        let m = ColumnMap::infer(&header(&["customer_id", "date", "amount", "gross"]), &o).unwrap();
        assert_eq!(m.index(Role::Amount), Some(3));

        let err = ColumnMap::infer(&header(&["customer_id", "amount"]), &RoleOverrides::new())
            .unwrap_err();
        assert_eq!(err.code(), "missing_column");
        assert!(err.to_string().contains("date"), "{err}");

        o.insert(Role::Date, "when".into());
        let err = ColumnMap::infer(&header(&["customer_id", "date", "gross"]), &o).unwrap_err();
        assert_eq!(err.code(), "unknown_column");
    }
}
