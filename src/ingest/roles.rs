//! Column roles: which header is the customer id, the date, the amount, ...
//!
//! Roles are found from header names (English and Chinese synonyms seen in real exports, compared
//! case-, space-, underscore- and hyphen-insensitively) and can be overridden in the recipe.

use std::collections::BTreeMap;

mod header;
mod names;
pub use header::{evidence as header_evidence, locate_header, HeaderMatch, HEADER_SEARCH_ROWS};
pub use names::strip_units;

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
    /// Customer-level input: date of the customer's latest purchase.
    LastPurchase,
    /// Customer-level input: date of the customer's first purchase.
    FirstPurchase,
    /// Customer-level input: number of orders (frequency).
    Orders,
    /// Customer-level input: total net spend (monetary).
    TotalSpend,
    /// Customer-level input: days since the latest purchase (recency).
    Recency,
}

impl Role {
    /// Every role, in reporting order.
    pub const ALL: [Role; 12] = [
        Role::CustomerId,
        Role::OrderId,
        Role::Date,
        Role::Amount,
        Role::Quantity,
        Role::UnitPrice,
        Role::Region,
        Role::LastPurchase,
        Role::FirstPurchase,
        Role::Orders,
        Role::TotalSpend,
        Role::Recency,
    ];

    /// Roles only a customer-level input (one row per customer) has.
    pub const CUSTOMER_LEVEL: [Role; 5] = [
        Role::LastPurchase,
        Role::FirstPurchase,
        Role::Orders,
        Role::TotalSpend,
        Role::Recency,
    ];

    /// The recipe's key for this role (`input.columns.<key>`), as serde writes it.
    pub fn key(self) -> &'static str {
        match self {
            Role::CustomerId => "customerId",
            Role::OrderId => "orderId",
            Role::Date => "date",
            Role::Amount => "amount",
            Role::Quantity => "quantity",
            Role::UnitPrice => "unitPrice",
            Role::Region => "region",
            Role::LastPurchase => "lastPurchase",
            Role::FirstPurchase => "firstPurchase",
            Role::Orders => "orders",
            Role::TotalSpend => "totalSpend",
            Role::Recency => "recency",
        }
    }

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
            Role::LastPurchase => "last purchase date",
            Role::FirstPurchase => "first purchase date",
            Role::Orders => "order count",
            Role::TotalSpend => "total spend",
            Role::Recency => "recency (days)",
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
                "客户编码",
                "客户代码",
                "客户号",
                "会员id",
                "会员号",
                "会员编号",
                "会员编码",
                "会员卡号",
                "用户id",
                "用户编号",
                "客户",
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
                "付款金额",
            ],
            Role::Quantity => &["quantity", "qty", "units", "数量", "件数", "购买数量"],
            Role::UnitPrice => &["unitprice", "price", "单价", "价格", "售价"],
            Role::Region => &[
                "region", "country", "province", "state", "city", "area", "地区", "区域", "国家",
                "省份", "省", "城市", "大区",
            ],
            Role::LastPurchase => &[
                "lastpurchasedate",
                "lastpurchase",
                "lastorderdate",
                "lastorder",
                "lastorderat",
                "lastpurchasedat",
                "lasttransactiondate",
                "最近购买日期",
                "最后购买日期",
                "最近下单时间",
                "最后下单时间",
                "最近消费时间",
                "最近消费日期",
                "最后消费时间",
                "最后消费日期",
                "最近购买时间",
                "最后交易日期",
            ],
            Role::FirstPurchase => &[
                "firstpurchasedate",
                "firstpurchase",
                "firstorderdate",
                "firstorder",
                "firsttransactiondate",
                "首次购买日期",
                "首次购买时间",
                "首次下单时间",
                "首次消费时间",
                "首次消费日期",
                "首单日期",
                "首购日期",
            ],
            Role::Orders => &[
                "ordercount",
                "orders",
                "numorders",
                "numberoforders",
                "totalorders",
                "frequency",
                "purchasecount",
                "purchases",
                "transactions",
                "transactioncount",
                "订单数",
                "订单数量",
                "购买次数",
                "消费次数",
                "下单次数",
                "交易次数",
                "频次",
            ],
            Role::TotalSpend => &[
                "totalspend",
                "totalspent",
                "monetary",
                "lifetimevalue",
                "ltv",
                "clv",
                "totalrevenue",
                "totalsales",
                "totalpurchases",
                "累计消费",
                "累计消费金额",
                "累计金额",
                "消费总额",
                "总消费",
                "总消费金额",
                "累计交易金额",
            ],
            Role::Recency => &[
                "recency",
                "recencydays",
                "dayssincelastpurchase",
                "dayssincelastorder",
                "daysinactive",
                "最近一次消费间隔",
                "距今天数",
                "最近购买间隔",
                "未购天数",
            ],
        }
    }
}

/// Recipe overrides: role → the header name to use for it.
pub type RoleOverrides = BTreeMap<Role, String>;

/// Normalises a header name for matching: without its unit ([`strip_units`]: `实付金额（元）` is
/// `实付金额`), lower case, without spaces, `_`, `-`, `.`, `#`, brackets.
pub fn normalise(name: &str) -> String {
    strip_units(name)
        .chars()
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
    /// `"recipe"`, `"header"` (exact synonym), `"header-partial"` or `"values"`.
    pub source: String,
    /// Share of the first rows' non-empty values that read as this role expects (dates for
    /// date roles, numbers for amounts and counts); `None` for roles without a value check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_fit: Option<f64>,
    /// Why this choice deserves a second look: another column competes for the role, the match is
    /// partial, two columns share the name, or a name column stands in for the id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
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

    /// Like [`ColumnMap::infer`], then fills required roles the header did not name from the
    /// values of `sample` (the first records), with a confidence from how well the values fit.
    pub fn infer_with_values(
        header: &[String],
        overrides: &RoleOverrides,
        sample: &[Vec<String>],
    ) -> Result<ColumnMap> {
        let mut map = match ColumnMap::infer(header, overrides) {
            Ok(mut map) => {
                map.prefer_id_by_values(sample);
                map.check_values(sample);
                return Ok(map);
            }
            Err(e @ Error::UnknownColumn { .. }) => return Err(e),
            Err(e) => (ColumnMap::infer_partial(header, overrides)?, e),
        };
        let (ref mut partial, first_error) = map;
        if partial.shape() == Shape::Customers {
            return Err(first_error);
        }
        let column = |i: usize| -> Vec<&str> {
            sample
                .iter()
                .filter_map(|r| r.get(i))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let free = |map: &ColumnMap, i: usize| map.roles.iter().all(|m| m.index != i);
        let width = header.len();
        // Date first: its values are the most distinctive; then amount; the customer id last.
        if partial.index(Role::Date).is_none() {
            let best = (0..width)
                .filter(|&i| free(partial, i))
                .map(|i| (i, date_fit(&column(i))))
                .filter(|&(_, fit)| fit >= 0.8)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            if let Some((i, fit)) = best {
                partial.push_value_match(Role::Date, i, fit);
            }
        }
        if partial.index(Role::Amount).is_none()
            && (partial.index(Role::Quantity).is_none() || partial.index(Role::UnitPrice).is_none())
        {
            let best = (0..width)
                .filter(|&i| free(partial, i))
                .map(|i| (i, amount_fit(&column(i))))
                .filter(|&(_, fit)| fit >= 0.8)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            if let Some((i, fit)) = best {
                partial.push_value_match(Role::Amount, i, fit.min(1.0));
            }
        }
        if partial.index(Role::CustomerId).is_none() {
            let best = (0..width)
                .filter(|&i| free(partial, i))
                .map(|i| (i, id_fit(&column(i), sample.len())))
                .filter(|&(_, fit)| fit >= 0.5)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            if let Some((i, fit)) = best {
                partial.push_value_match(Role::CustomerId, i, fit);
            }
        }
        partial.roles.sort_by_key(|m| m.role);
        partial.check_required().map_err(|_| first_error)?;
        partial.prefer_id_by_values(sample);
        partial.check_values(sample);
        Ok(std::mem::take(partial))
    }

    /// Two columns of the same name (`客户` for the name, then `客户` for the id): the customer id is
    /// the one whose values look like ids, never silently — its warning names both columns.
    fn prefer_id_by_values(&mut self, sample: &[Vec<String>]) {
        let Some(pos) = self
            .roles
            .iter()
            .position(|m| m.role == Role::CustomerId && m.source.starts_with("header"))
        else {
            return;
        };
        let Some(current) = self.roles.get(pos).map(|m| m.index) else {
            return;
        };
        let own = normalise(self.name(current));
        let free = |i: usize| self.roles.iter().all(|m| m.index != i);
        let twins: Vec<usize> = (0..self.header.len())
            .filter(|&i| i != current && free(i) && normalise(self.name(i)) == own)
            .collect();
        if twins.is_empty() {
            return;
        }
        let likeness = |i: usize| {
            let values: Vec<&str> = sample
                .iter()
                .filter_map(|r| r.get(i))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect();
            names::id_likeness(&values)
        };
        let mut best = (current, likeness(current));
        for &i in &twins {
            let l = likeness(i);
            if l > best.1 {
                best = (i, l);
            }
        }
        let chosen = best.0;
        let mut all: Vec<usize> = std::iter::once(current).chain(twins).collect();
        all.sort_unstable();
        let positions: Vec<String> = all.iter().map(|i| format!("{}", i + 1)).collect();
        let column = self.name(chosen).to_string();
        let warning = format!(
            "columns {} are named {column:?}: column {} is used as the customer id because its values look like ids ({:.0} % hold a digit or are plain codes); set input.columns.customerId to \"#N\" (the column's position) to choose another",
            positions.join(" and "),
            chosen + 1,
            best.1 * 100.0
        );
        if let Some(m) = self.roles.get_mut(pos) {
            m.index = chosen;
            m.column = column;
            m.warning = Some(warning);
        }
    }

    /// Measures how well each named column's values fit its role, and lowers the confidence of
    /// a header match whose values do not fit (a "date" column of free text).
    fn check_values(&mut self, sample: &[Vec<String>]) {
        for m in &mut self.roles {
            let values: Vec<&str> = sample
                .iter()
                .filter_map(|r| r.get(m.index))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect();
            if values.is_empty() {
                continue;
            }
            let fit = match m.role {
                Role::Date | Role::LastPurchase | Role::FirstPurchase => {
                    let p = super::values::DateParser::from_samples(values.iter().copied(), None);
                    share(
                        values.iter().filter(|v| p.parse(v).is_some()).count(),
                        values.len(),
                    )
                }
                Role::Amount
                | Role::Quantity
                | Role::UnitPrice
                | Role::Orders
                | Role::TotalSpend
                | Role::Recency => {
                    let p = super::values::NumberParser::from_samples(values.iter().copied());
                    share(
                        values.iter().filter(|v| p.parse(v).is_some()).count(),
                        values.len(),
                    )
                }
                Role::CustomerId | Role::OrderId | Role::Region => continue,
            };
            let fit = (fit * 100.0).round() / 100.0;
            m.value_fit = Some(fit);
            if m.source != "recipe" {
                m.confidence = (m.confidence * (0.5 + 0.5 * fit) * 100.0).round() / 100.0;
            }
        }
    }

    fn push_value_match(&mut self, role: Role, index: usize, fit: f64) {
        self.roles.push(RoleMatch {
            role,
            index,
            column: self.header.get(index).cloned().unwrap_or_default(),
            confidence: (fit * 100.0).round() / 100.0 * 0.9,
            source: "values".into(),
            value_fit: Some((fit.min(1.0) * 100.0).round() / 100.0),
            warning: None,
        });
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

/// Whether a first record holds values rather than column names: no cell is a known column name
/// and some cell reads as a date or a number.
pub fn looks_like_data(cells: &[String]) -> bool {
    let named = cells.iter().any(|c| {
        let n = normalise(c);
        Role::ALL.iter().any(|r| r.synonyms().contains(&n.as_str()))
    });
    let dates = super::values::DateParser::default();
    let numbers = super::values::NumberParser::default();
    let valued = cells.iter().any(|c| {
        let c = c.trim();
        dates.parse(c).is_some() || (numbers.parse(c).is_some() && c.len() > 1)
    });
    !named && valued
}

/// Names for the columns of a file without a header: `column1`, `column2`, ...
pub fn synthetic_header(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("column{i}")).collect()
}

#[allow(clippy::cast_precision_loss)]
fn share(hits: usize, of: usize) -> f64 {
    if of == 0 {
        0.0
    } else {
        hits as f64 / of as f64
    }
}

/// Share of values that read as dates without the Excel-serial fallback (plain numbers are too
/// easily dates), or, for a column of integers all between 1982 and 2064 as serials, 0.85 of it.
fn date_fit(values: &[&str]) -> f64 {
    let p = super::values::DateParser::from_samples(values.iter().copied(), None);
    let strict = super::values::DateParser {
        excel_serial: false,
        ..p
    };
    let fit = share(
        values.iter().filter(|v| strict.parse(v).is_some()).count(),
        values.len(),
    );
    if fit > 0.0 {
        return fit;
    }
    let serial = values
        .iter()
        .filter(|v| {
            v.parse::<f64>()
                .is_ok_and(|x| (30_000.0..=60_000.0).contains(&x))
        })
        .count();
    share(serial, values.len()) * 0.85
}

/// Share of values that read as numbers, with a bonus for money-looking values (decimals or a
/// currency sign) and a penalty for integer columns that never repeat (ids, not amounts).
fn amount_fit(values: &[&str]) -> f64 {
    let p = super::values::NumberParser::from_samples(values.iter().copied());
    let parsed: Vec<f64> = values.iter().filter_map(|v| p.parse(v)).collect();
    let fit = share(parsed.len(), values.len());
    let money = values
        .iter()
        .any(|v| v.contains(['.', ',', '¥', '￥', '$', '€', '£']));
    if money {
        fit
    } else {
        let mut distinct: Vec<u64> = parsed.iter().map(|v| v.to_bits()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let unique = share(distinct.len(), parsed.len().max(1));
        fit * (0.9 - 0.3 * unique)
    }
}

/// Ids repeat (customers buy more than once) and are not dates or amounts with decimals.
fn id_fit(values: &[&str], rows: usize) -> f64 {
    if values.is_empty() || date_fit(values) > 0.5 {
        return 0.0;
    }
    let filled = share(values.len(), rows.max(1));
    let decimals = values.iter().filter(|v| v.contains('.')).count();
    if share(decimals, values.len()) > 0.5 {
        return 0.0;
    }
    let mut distinct: Vec<&str> = values.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    let repeats = 1.0 - share(distinct.len(), values.len());
    filled * (0.6 + 0.4 * repeats.min(0.5) * 2.0)
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
fn stand_ins(header: &[String], norm: &[String], taken: &mut [bool], roles: &mut Vec<RoleMatch>) {
    let has = |roles: &Vec<RoleMatch>, r: Role| roles.iter().any(|m| m.role == r);
    let free = |taken: &[bool], i: usize| !taken.get(i).copied().unwrap_or(true);
    let take = |taken: &mut [bool], roles: &mut Vec<RoleMatch>, role, i, warning: String| {
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
                format!(
                    "no customer id column: the name column {column:?} is used as the customer id, so customers who share a name are merged; set input.columns.customerId to an id column if the file has one"
                ),
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
                format!(
                    "{column:?} is the amount due before discounts, used as the amount because no paid amount (实付金额, 订单金额, 成交金额) is named; set input.columns.amount if another column holds what was paid"
                ),
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
fn competition(header: &[String], norm: &[String], taken: &[bool], roles: &mut [RoleMatch]) {
    let free = |i: usize| !taken.get(i).copied().unwrap_or(true);
    for m in roles.iter_mut() {
        if m.warning.is_some() || !m.source.starts_with("header") {
            continue;
        }
        let key = format!("input.columns.{}", m.role.key());
        let own = norm.get(m.index).map_or("", String::as_str);
        let same_name: Vec<usize> = (0..norm.len())
            .filter(|&i| i != m.index && norm.get(i).is_some_and(|n| n == own))
            .collect();
        if let Some(&other) = same_name.first() {
            m.warning = Some(format!(
                "columns {} and {} are both named {:?}: column {} is used as the {}; rename one in the file, or set {key} to \"#{}\" to use the other",
                m.index + 1,
                other + 1,
                m.column,
                m.index + 1,
                m.role.label(),
                other + 1
            ));
            continue;
        }
        let rival = (0..norm.len())
            .find(|&i| free(i) && norm.get(i).is_some_and(|n| names_role(m.role, n)));
        if let Some(r) = rival {
            let other = header.get(r).map_or("", String::as_str);
            m.warning =
                Some(format!(
                "{:?} and {other:?} both name the {}: {:?} is used ({} match); set {key} to choose",
                m.column,
                m.role.label(),
                m.column,
                if m.confidence >= 1.0 { "exact" } else { "partial" }
            ));
        } else if m.confidence < 1.0 {
            m.warning = Some(format!(
                "{:?} is used as the {} by a partial name match; check it, or set {key}",
                m.column,
                m.role.label()
            ));
        }
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
