//! Column roles: which header is the customer id, the date, the amount, ...
//!
//! Roles are found from header names (English and Chinese synonyms seen in real exports, compared
//! case-, space-, underscore- and hyphen-insensitively) and can be overridden in the recipe.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// What a column means to the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    /// Customer identifier (required).
    CustomerId,
    /// Order / invoice identifier (optional: without it, purchase days count as orders).
    OrderId,
    /// Order date (required for transactions).
    Date,
    /// Line or order amount (required unless quantity × unit price is available).
    Amount,
    /// Quantity (negative = return).
    Quantity,
    /// Unit price.
    UnitPrice,
    /// Region / country / province / city.
    Region,
}

impl Role {
    /// Every role, in reporting order.
    pub const ALL: [Role; 7] = [
        Role::CustomerId,
        Role::OrderId,
        Role::Date,
        Role::Amount,
        Role::Quantity,
        Role::UnitPrice,
        Role::Region,
    ];

    /// Human-readable name used in messages.
    pub fn label(self) -> &'static str {
        match self {
            Role::CustomerId => "customer id",
            Role::OrderId => "order id",
            Role::Date => "date",
            Role::Amount => "amount",
            Role::Quantity => "quantity",
            Role::UnitPrice => "unit price",
            Role::Region => "region",
        }
    }

    /// Header names that mean this role, normalised (see [`normalise`]), best first.
    pub fn synonyms(self) -> &'static [&'static str] {
        match self {
            Role::CustomerId => &[
                "customerid",
                "customer",
                "clientid",
                "client",
                "memberid",
                "member",
                "userid",
                "custid",
                "customerno",
                "customernumber",
                "customercode",
                "buyerid",
                "accountid",
                "客户id",
                "客户编号",
                "客户代码",
                "客户号",
                "会员id",
                "会员号",
                "会员编号",
                "用户id",
                "用户编号",
                "客户",
                "客户名称",
                "会员",
                "买家id",
                "买家",
            ],
            Role::OrderId => &[
                "orderid",
                "invoice",
                "invoiceno",
                "invoiceid",
                "invoicenumber",
                "ordernumber",
                "orderno",
                "order",
                "transactionid",
                "receipt",
                "receiptno",
                "订单号",
                "订单编号",
                "单号",
                "订单id",
                "交易号",
                "交易编号",
                "发票号",
                "流水号",
            ],
            Role::Date => &[
                "date",
                "orderdate",
                "invoicedate",
                "purchasedate",
                "transactiondate",
                "createdat",
                "created",
                "time",
                "datetime",
                "timestamp",
                "orderedat",
                "saledate",
                "日期",
                "下单时间",
                "订单日期",
                "交易日期",
                "成交日期",
                "下单日期",
                "购买日期",
                "交易时间",
                "支付时间",
                "付款时间",
                "创建时间",
            ],
            Role::Amount => &[
                "amount",
                "revenue",
                "sales",
                "total",
                "dollarvalue",
                "value",
                "ordertotal",
                "orderamount",
                "totalamount",
                "netamount",
                "spend",
                "payment",
                "金额",
                "销售额",
                "实付金额",
                "订单金额",
                "消费金额",
                "成交金额",
                "支付金额",
                "实收金额",
                "总金额",
                "应付金额",
                "付款金额",
            ],
            Role::Quantity => &["quantity", "qty", "units", "数量", "件数", "购买数量"],
            Role::UnitPrice => &["unitprice", "price", "单价", "价格", "售价"],
            Role::Region => &[
                "region", "country", "province", "state", "city", "area", "地区", "区域", "国家",
                "省份", "省", "城市", "大区",
            ],
        }
    }
}

/// Recipe overrides: role → the header name to use for it.
pub type RoleOverrides = BTreeMap<Role, String>;

/// Normalises a header name for matching: lower case, without spaces, `_`, `-`, `.`, `#`, brackets.
pub fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(c, '_' | '-' | '.' | '#' | '(' | ')' | '（' | '）' | '/')
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// One resolved role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleMatch {
    /// The role.
    pub role: Role,
    /// Index of the column in the header.
    pub index: usize,
    /// The header name as written in the file.
    pub column: String,
    /// 1.0 for an exact synonym or a recipe override, lower for a partial match.
    pub confidence: f64,
    /// `"recipe"`, `"header"` (exact synonym) or `"header-partial"`.
    pub source: String,
}

/// The column-role mapping of one input.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ColumnMap {
    /// Matched roles, in [`Role::ALL`] order.
    pub roles: Vec<RoleMatch>,
    /// Header names, as in the file.
    pub header: Vec<String>,
}

impl ColumnMap {
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
        let norm: Vec<String> = header.iter().map(|h| normalise(h)).collect();
        let mut taken = vec![false; header.len()];
        let mut roles = Vec::new();
        for (&role, column) in overrides {
            let index = header
                .iter()
                .position(|h| h == column)
                .or_else(|| norm.iter().position(|n| *n == normalise(column)))
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
                    });
                }
            }
        }
        roles.sort_by_key(|m| m.role);
        let map = ColumnMap {
            roles,
            header: header.to_vec(),
        };
        for role in [Role::CustomerId, Role::Date] {
            if map.index(role).is_none() {
                return Err(missing(role, header));
            }
        }
        if map.index(Role::Amount).is_none()
            && (map.index(Role::Quantity).is_none() || map.index(Role::UnitPrice).is_none())
        {
            return Err(missing(Role::Amount, header));
        }
        Ok(map)
    }
}

fn missing(role: Role, header: &[String]) -> Error {
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
            header.join(", ")
        },
    }
}

/// Exact synonym (earliest synonym wins), else a header that contains a synonym of 3+ characters.
fn best_column(role: Role, norm: &[String], taken: &[bool], exact: bool) -> Option<(usize, f64)> {
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
        if let Some(i) =
            (0..norm.len()).find(|&i| free(i) && norm.get(i).is_some_and(|n| n.contains(syn)))
        {
            return Some((i, 0.6));
        }
    }
    None
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
