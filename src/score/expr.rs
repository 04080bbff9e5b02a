//! A small, safe expression language for custom rule tiers, parsed and evaluated in Rust.
//!
//! ```text
//! monetary >= 10000 and frequency >= 12        region == "华东"
//! segment in ["Champions", "Loyal Customers"]  not (lifecycle == "Lost") or aov > 2 * 150
//! ```
//!
//! Grammar, loosest binding first: `or` (also `||`) · `and` (`&&`) · `not` (`!`) · comparison
//! (`==` or `=`, `!=`, `<`, `<=`, `>`, `>=`, `in [..]`; at most one per operand, no chaining) ·
//! `+ -` · `* /` · unary `-` · literals (numbers, `"text"` or `'text'`, `true`, `false`), field names
//! and parentheses. Keywords are case-insensitive; `≥ ≤ ≠`, full-width parentheses and commas (as an
//! IME types them) are accepted too. Fields are the customer-list columns
//! ([`FIELDS`]); every expression is type-checked before any customer is seen, and an error names the
//! 1-based character column where it is. A missing value (no region, no gap with one order) makes
//! every comparison that touches it false, so `region != "华东"` is false for a customer without a
//! region. Nothing here can loop, allocate without bound or reach the host: there are no functions.

use std::borrow::Cow;

use crate::error::{Error, Result};

mod lex;
mod parse;
mod view;

pub use lex::{MAX_CHARS, MAX_TOKENS};

/// Value type of a field or expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// A number.
    Num,
    /// Text.
    Str,
    /// True or false.
    Bool,
}

/// A customer field an expression can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `customer_id`
    CustomerId,
    /// `recency_days` (alias `recency`)
    RecencyDays,
    /// `frequency`
    Frequency,
    /// `monetary`
    Monetary,
    /// `aov`
    Aov,
    /// `tenure_days` (alias `tenure`)
    TenureDays,
    /// `mean_gap_days` (missing with fewer than two orders)
    MeanGapDays,
    /// `r_score` (alias `r`)
    RScore,
    /// `f_score` (alias `f`)
    FScore,
    /// `m_score` (alias `m`)
    MScore,
    /// `fm_score` (alias `fm`): (F + M) / 2 rounded half up
    FmScore,
    /// `segment`
    Segment,
    /// `value_tier` (alias `tier`)
    ValueTier,
    /// `lifecycle` (alias `stage`)
    Lifecycle,
    /// `region` (missing when the input has none for the customer)
    Region,
}

/// Field names (with aliases) and their types.
pub const FIELDS: [(&str, Field, Type); 23] = [
    ("customer_id", Field::CustomerId, Type::Str),
    ("recency_days", Field::RecencyDays, Type::Num),
    ("recency", Field::RecencyDays, Type::Num),
    ("frequency", Field::Frequency, Type::Num),
    ("monetary", Field::Monetary, Type::Num),
    ("aov", Field::Aov, Type::Num),
    ("tenure_days", Field::TenureDays, Type::Num),
    ("tenure", Field::TenureDays, Type::Num),
    ("mean_gap_days", Field::MeanGapDays, Type::Num),
    ("r_score", Field::RScore, Type::Num),
    ("r", Field::RScore, Type::Num),
    ("f_score", Field::FScore, Type::Num),
    ("f", Field::FScore, Type::Num),
    ("m_score", Field::MScore, Type::Num),
    ("m", Field::MScore, Type::Num),
    ("fm_score", Field::FmScore, Type::Num),
    ("fm", Field::FmScore, Type::Num),
    ("segment", Field::Segment, Type::Str),
    ("value_tier", Field::ValueTier, Type::Str),
    ("tier", Field::ValueTier, Type::Str),
    ("lifecycle", Field::Lifecycle, Type::Str),
    ("stage", Field::Lifecycle, Type::Str),
    ("region", Field::Region, Type::Str),
];

/// A field's value for one customer.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// Missing.
    Null,
    /// A number.
    Num(f64),
    /// Text.
    Str(Cow<'a, str>),
    /// A truth value.
    Bool(bool),
}

/// A binary operator (read by translators through [`Node::kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `or`, `||`
    Or,
    /// `and`, `&&`
    And,
    /// `==`, `=`
    Eq,
    /// `!=`, `≠`
    Ne,
    /// `<`
    Lt,
    /// `<=`, `≤`
    Le,
    /// `>`
    Gt,
    /// `>=`, `≥`
    Ge,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/` (a zero divisor gives a missing value)
    Div,
}

/// What a node of the syntax tree is.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A number literal (finite).
    Num(f64),
    /// A text literal.
    Str(String),
    /// `true` or `false`.
    Bool(bool),
    /// A customer field.
    Field(Field),
    /// Unary minus.
    Neg(Box<Node>),
    /// `not`.
    Not(Box<Node>),
    /// A binary operation.
    Bin(Op, Box<Node>, Box<Node>),
    /// `value in [items]`.
    In(Box<Node>, Vec<Node>),
}

/// A node of a parsed, type-checked expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    kind: Kind,
    /// 0-based character position, for errors.
    pos: usize,
}

/// A parsed, type-checked boolean expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    root: Node,
}

/// A parse or type error: 0-based character position and message.
#[derive(Debug, Clone, PartialEq)]
pub struct ExprError {
    /// 0-based character position.
    pub pos: usize,
    /// What is wrong.
    pub message: String,
}

impl ExprError {
    /// As a crate error for the setting at `field`.
    pub fn into_error(self, field: impl Into<String>) -> Error {
        Error::InvalidExpression {
            field: field.into(),
            column: self.pos + 1,
            message: self.message,
        }
    }
}

fn err<T>(pos: usize, message: impl Into<String>) -> Result<T, ExprError> {
    Err(ExprError {
        pos,
        message: message.into(),
    })
}
fn field_type(f: Field) -> Type {
    FIELDS
        .iter()
        .find(|(_, x, _)| *x == f)
        .map_or(Type::Num, |(_, _, t)| *t)
}

fn type_name(t: Type) -> &'static str {
    match t {
        Type::Num => "a number",
        Type::Str => "text",
        Type::Bool => "true/false",
    }
}

fn check(node: &Node) -> Result<Type, ExprError> {
    let want = |n: &Node, t: Type, what: &str| -> Result<(), ExprError> {
        let got = check(n)?;
        if got == t {
            Ok(())
        } else {
            err(
                n.pos,
                format!(
                    "{what} needs {} but this is {}",
                    type_name(t),
                    type_name(got)
                ),
            )
        }
    };
    match &node.kind {
        Kind::Num(_) => Ok(Type::Num),
        Kind::Str(_) => Ok(Type::Str),
        Kind::Bool(_) => Ok(Type::Bool),
        Kind::Field(f) => Ok(field_type(*f)),
        Kind::Neg(inner) => want(inner, Type::Num, "\"-\"").map(|()| Type::Num),
        Kind::Not(inner) => want(inner, Type::Bool, "\"not\"").map(|()| Type::Bool),
        Kind::Bin(op, a, b) => match op {
            Op::And | Op::Or => {
                let name = if *op == Op::And { "\"and\"" } else { "\"or\"" };
                want(a, Type::Bool, name)?;
                want(b, Type::Bool, name)?;
                Ok(Type::Bool)
            }
            Op::Add | Op::Sub | Op::Mul | Op::Div => {
                want(a, Type::Num, "arithmetic")?;
                want(b, Type::Num, "arithmetic")?;
                Ok(Type::Num)
            }
            Op::Eq | Op::Ne => {
                let ta = check(a)?;
                want(b, ta, "this comparison")?;
                Ok(Type::Bool)
            }
            Op::Lt | Op::Le | Op::Gt | Op::Ge => {
                want(a, Type::Num, "\"<\", \"<=\", \">\" and \">=\"")?;
                want(b, Type::Num, "\"<\", \"<=\", \">\" and \">=\"")?;
                Ok(Type::Bool)
            }
        },
        Kind::In(a, items) => {
            let ta = check(a)?;
            for item in items {
                want(item, ta, "\"in\"")?;
            }
            Ok(Type::Bool)
        }
    }
}

impl Expr {
    /// Parses and type-checks a condition (it must be true/false).
    pub fn parse(src: &str) -> Result<Expr, ExprError> {
        let root = parse::parse(lex::lex(src)?)?;
        let t = check(&root)?;
        if t != Type::Bool {
            return err(
                0,
                format!(
                    "a condition must be true/false, but this is {}",
                    type_name(t)
                ),
            );
        }
        Ok(Expr { root })
    }

    /// Evaluates the condition for one customer; `field` gives its values.
    pub fn matches<'a>(&'a self, field: &dyn Fn(Field) -> Value<'a>) -> bool {
        matches!(eval(&self.root, field), Value::Bool(true))
    }
}

fn eval<'a>(node: &'a Node, field: &dyn Fn(Field) -> Value<'a>) -> Value<'a> {
    match &node.kind {
        Kind::Num(v) => Value::Num(*v),
        Kind::Str(s) => Value::Str(Cow::Borrowed(s)),
        Kind::Bool(b) => Value::Bool(*b),
        Kind::Field(f) => field(*f),
        Kind::Neg(inner) => match eval(inner, field) {
            Value::Num(v) => Value::Num(-v),
            _ => Value::Null,
        },
        Kind::Not(inner) => match eval(inner, field) {
            Value::Bool(b) => Value::Bool(!b),
            _ => Value::Null,
        },
        Kind::Bin(Op::And, a, b) => Value::Bool(eval_bool(a, field) && eval_bool(b, field)),
        Kind::Bin(Op::Or, a, b) => Value::Bool(eval_bool(a, field) || eval_bool(b, field)),
        Kind::Bin(op, a, b) => {
            let (x, y) = (eval(a, field), eval(b, field));
            match (op, x, y) {
                (_, Value::Null, _) | (_, _, Value::Null) => match op {
                    Op::Add | Op::Sub | Op::Mul | Op::Div => Value::Null,
                    _ => Value::Bool(false),
                },
                (Op::Add, Value::Num(x), Value::Num(y)) => Value::Num(x + y),
                (Op::Sub, Value::Num(x), Value::Num(y)) => Value::Num(x - y),
                (Op::Mul, Value::Num(x), Value::Num(y)) => Value::Num(x * y),
                (Op::Div, Value::Num(x), Value::Num(y)) => {
                    if y == 0.0 {
                        Value::Null
                    } else {
                        Value::Num(x / y)
                    }
                }
                (Op::Eq, x, y) => Value::Bool(x == y),
                (Op::Ne, x, y) => Value::Bool(x != y),
                (Op::Lt, Value::Num(x), Value::Num(y)) => Value::Bool(x < y),
                (Op::Le, Value::Num(x), Value::Num(y)) => Value::Bool(x <= y),
                (Op::Gt, Value::Num(x), Value::Num(y)) => Value::Bool(x > y),
                (Op::Ge, Value::Num(x), Value::Num(y)) => Value::Bool(x >= y),
                _ => Value::Null,
            }
        }
        Kind::In(a, items) => {
            let x = eval(a, field);
            if x == Value::Null {
                return Value::Bool(false);
            }
            Value::Bool(items.iter().any(|item| eval(item, field) == x))
        }
    }
}

fn eval_bool<'a>(node: &'a Node, field: &dyn Fn(Field) -> Value<'a>) -> bool {
    matches!(eval(node, field), Value::Bool(true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(f: Field) -> Value<'static> {
        match f {
            Field::Monetary => Value::Num(12000.0),
            Field::Frequency => Value::Num(12.0),
            Field::RecencyDays => Value::Num(40.0),
            Field::Region => Value::Str(Cow::Borrowed("华东")),
            Field::Segment => Value::Str(Cow::Borrowed("Champions")),
            Field::MeanGapDays => Value::Null,
            _ => Value::Num(1.0),
        }
    }

    fn yes(src: &str) -> bool {
        let e = Expr::parse(src).unwrap();
        e.matches(&|f| row(f))
    }

    #[test]
    fn valid_expressions_evaluate() {
        assert!(yes("monetary >= 10000 and frequency >= 12"));
        assert!(yes("region == \"华东\""));
        assert!(yes("region = '华东' && !(recency > 60)"));
        assert!(yes("segment in [\"Champions\", \"Loyal Customers\"]"));
        assert!(!yes("monetary / frequency > 1000 + 1"));
        assert!(yes("monetary / frequency >= 2 * 500"));
        assert!(yes("-recency < -39.5"));
        assert!(yes("MONETARY > 1e4 AND region in ['华东']"));
        assert!(yes(
            "（monetary ≥ 12000）and frequency ≠ 3 and region in [“华东”，'x']"
        ));
        assert!(yes("frequency ≤ 12 && frequency <= 12"));
        // Missing values make comparisons false, both ways.
        assert!(!yes("mean_gap_days > 0"));
        assert!(!yes("mean_gap_days <= 0"));
        assert!(!yes("frequency / 0 > 1"));
    }

    #[test]
    fn precedence() {
        // and binds tighter than or: true or (false and false) = true.
        assert!(yes("frequency == 12 or frequency == 1 and monetary < 0"));
        // (true or false) and false = false.
        assert!(!yes("(frequency == 12 or frequency == 1) and monetary < 0"));
        // * before +: 2 + 3 * 4 = 14.
        assert!(yes("frequency + 2 == 2 + 3 * 4"));
        assert!(yes("10 - 4 - 3 == 3 and 12 / 2 / 3 == 2")); // left-associative
                                                             // not binds tighter than and: (not false) and true.
        assert!(yes("not monetary < 0 and frequency == 12"));
        // unary minus before *: -2 * -3 = 6.
        assert!(yes("-2 * -3 == 6"));
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = Expr::parse("monetary >= 10000 and frequncy >= 12").unwrap_err();
        assert_eq!(e.pos, 22);
        assert!(e.message.contains("unknown field \"frequncy\""), "{e:?}");
        let e = Expr::parse("monetary >= ").unwrap_err();
        assert_eq!(e.pos, 12);
        assert!(e.message.contains("end of the expression"), "{e:?}");
        let e = Expr::parse("region == 3").unwrap_err();
        assert_eq!(e.pos, 10);
        assert!(e.message.contains("needs text"), "{e:?}");
        let e = Expr::parse("region == \"华东").unwrap_err();
        assert_eq!(e.pos, 10);
        let e = Expr::parse("1 < frequency < 5").unwrap_err();
        assert_eq!(e.pos, 14);
        assert!(e.message.contains("chained"));
        let e = Expr::parse("monetary + 1").unwrap_err();
        assert!(e.message.contains("true/false"));
        let e = Expr::parse("(monetary > 1").unwrap_err();
        assert_eq!(e.pos, 13);
        let e = Expr::parse("monetary > 1 frequency").unwrap_err();
        assert_eq!(e.pos, 13);
        let e = Expr::parse("monetary ; 1").unwrap_err();
        assert_eq!(e.pos, 9);
        assert!(Expr::parse("").is_err());
        let deep = format!("{}true{}", "(".repeat(500), ")".repeat(500));
        assert!(Expr::parse(&deep).unwrap_err().message.contains("deeply"));
        // A flat chain has no nesting to count: its length and token count are bounded instead.
        let chain = vec!["recency > 1"; 50_000].join(" or ");
        let e = Expr::parse(&chain).unwrap_err();
        assert!(e.message.contains("longer than 16384"), "{e:?}");
        let chain = vec!["true"; 1500].join(" or ");
        let e = Expr::parse(&chain).unwrap_err();
        assert!(e.message.contains("more than 1024"), "{e:?}");
        // The token that crosses the bound is pointed at: token 1 025 is the 513th "true".
        assert_eq!(e.pos, 512 * 8, "{e:?}");
        let long = format!("region == \"{}\"", "x".repeat(MAX_CHARS));
        assert!(Expr::parse(&long)
            .unwrap_err()
            .message
            .contains("longer than"));
        // Just under the bound still parses and evaluates: 255 terms of 3 tokens plus 254 "or".
        let ok = vec!["frequency > 100"; 255].join(" or ") + " or frequency == 12";
        assert!(yes(&ok));
        let e = Expr::parse("monetary > 1 and")
            .unwrap_err()
            .into_error("x.when");
        assert_eq!(e.code(), "invalid_expression");
        assert!(e.to_string().contains("x.when at column 17"), "{e}");
    }
}
