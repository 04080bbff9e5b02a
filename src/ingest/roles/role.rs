//! The roles a column can play, with the header names (English and Chinese synonyms) that name
//! them, and the normalisation names are compared under.

use serde::{Deserialize, Serialize};

use super::strip_units;

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
