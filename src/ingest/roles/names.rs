//! What a header name says beyond its synonym: units to strip before matching, words that make a
//! money column something other than the amount paid, and names that hold people's names rather
//! than ids.
//!
//! Real exports write `实付金额（元）`, `Amount (USD)`, `金额(¥)` or `金额/元`: the unit says nothing
//! about the role, and left in place it turns exact matches into partial ones, where a discount
//! column that happens to come first could win.

use super::Role;

/// Units written after a `/` (`金额/元`, `amount/usd`), compared lower-cased.
const SLASH_UNITS: &[&str] = &[
    "元", "万元", "千元", "rmb", "cny", "usd", "eur", "gbp", "jpy", "hkd", "¥", "￥", "$", "€",
    "£", "件", "个", "天", "次", "%", "pcs",
];

/// Currency signs written straight after a name (`金额¥`, `Amount $`).
const SIGNS: &[char] = &['¥', '￥', '$', '€', '£'];

/// The name without a trailing unit: bracket groups (`（元）`, `(USD)`, `[¥]`, `【元】`), a
/// `/unit` from [`SLASH_UNITS`] and currency signs. A name that is only a unit stays as it is.
pub fn strip_units(name: &str) -> &str {
    let mut s = name.trim();
    // Bounded: every round removes at least one character or stops.
    loop {
        let before = s.len();
        for (open, close) in [('(', ')'), ('（', '）'), ('[', ']'), ('【', '】')] {
            if let Some(inner) = s.strip_suffix(close) {
                if let Some(at) = inner.rfind(open) {
                    let head = inner.get(..at).unwrap_or("").trim_end();
                    if !head.is_empty() {
                        s = head;
                    }
                }
            }
        }
        if let Some(at) = s.rfind(['/', '／']) {
            let (head, unit) = (s.get(..at).unwrap_or(""), s.get(at..).unwrap_or(""));
            let unit = unit.trim_start_matches(['/', '／']).trim().to_lowercase();
            if !head.trim().is_empty() && SLASH_UNITS.contains(&unit.as_str()) {
                s = head.trim_end();
            }
        }
        let trimmed = s.trim_end_matches(SIGNS).trim_end();
        if !trimmed.is_empty() {
            s = trimmed;
        }
        if s.len() == before {
            return s;
        }
    }
}

/// Words that make a money column a discount, a fee, a refund, a cost or a balance: such a column
/// is never the amount (nor the unit price, nor the total spend) by a partial match.
const NOT_PAID: &[&str] = &[
    "优惠",
    "折扣",
    "抵扣",
    "减免",
    "运费",
    "邮费",
    "快递费",
    "退款",
    "退货",
    "税",
    "佣金",
    "成本",
    "积分",
    "余额",
    "原价",
    "手续费",
    "红包",
    "券",
    "discount",
    "coupon",
    "shipping",
    "freight",
    "delivery",
    "refund",
    "tax",
    "vat",
    "cost",
    "commission",
    "balance",
    "fee",
    "points",
    "rebate",
    "voucher",
];

/// True when the normalised name `norm` means something other than `role` although it may contain
/// one of the role's synonyms (`优惠金额` contains `金额`).
pub fn excluded(role: Role, norm: &str) -> bool {
    match role {
        Role::Amount | Role::TotalSpend | Role::UnitPrice => {
            NOT_PAID.iter().any(|w| norm.contains(w)) || before_discounts(norm)
        }
        Role::CustomerId => name_like(norm),
        _ => false,
    }
}

/// Amount columns before discounts (`应付金额`, what was due, not what was paid): an amount only when
/// no other amount column exists, with a warning.
pub fn before_discounts(norm: &str) -> bool {
    ["应付", "应收", "grossamount", "listamount", "subtotal"]
        .iter()
        .any(|w| norm.contains(w))
}

/// Names of columns that hold people's or companies' names (`客户名称`, `customer name`, `姓名`):
/// never the customer id while an id-like column exists; customers sharing a name would merge.
pub fn name_like(norm: &str) -> bool {
    [
        "name",
        "姓名",
        "名称",
        "名字",
        "昵称",
        "联系人",
        "客户名",
        "会员名",
        "用户名",
        "买家名",
        "收货人",
    ]
    .iter()
    .any(|w| norm.contains(w))
}

/// Share of `values` that look like ids rather than names: holding a digit, or ASCII without
/// spaces. Used to tell apart two columns with the same header name (`客户` twice).
#[allow(clippy::cast_precision_loss)]
pub fn id_likeness(values: &[&str]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let ids = values
        .iter()
        .filter(|v| {
            v.chars().any(|c| c.is_ascii_digit())
                || (v.is_ascii() && !v.contains(char::is_whitespace))
        })
        .count();
    ids as f64 / values.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_stripped() {
        assert_eq!(strip_units("实付金额（元）"), "实付金额");
        assert_eq!(strip_units("Amount (USD)"), "Amount");
        assert_eq!(strip_units("金额(¥)"), "金额");
        assert_eq!(strip_units("金额/元"), "金额");
        assert_eq!(strip_units("金额¥"), "金额");
        assert_eq!(strip_units("Amount [EUR] ($)"), "Amount");
        // Not a unit: kept.
        assert_eq!(strip_units("客户/会员"), "客户/会员");
        assert_eq!(strip_units("(元)"), "(元)");
        assert_eq!(strip_units("¥"), "¥");
    }

    #[test]
    fn discounts_and_names_are_told_apart() {
        assert!(excluded(Role::Amount, "优惠金额"));
        assert!(excluded(Role::Amount, "应付金额"));
        assert!(excluded(Role::Amount, "shippingfee"));
        assert!(!excluded(Role::Amount, "实付金额"));
        assert!(excluded(Role::CustomerId, "客户名称"));
        assert!(excluded(Role::CustomerId, "customername"));
        assert!(!excluded(Role::CustomerId, "客户编号"));
        assert!(id_likeness(&["C001", "C002"]) > id_likeness(&["张三", "李 四"]));
    }
}
