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

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Num(f64),
    Str(String),
    Bool(bool),
    Field(Field),
    Neg(Box<Node>),
    Not(Box<Node>),
    Bin(Op, Box<Node>, Box<Node>),
    In(Box<Node>, Vec<Node>),
}

#[derive(Debug, Clone, PartialEq)]
struct Node {
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

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Word(String),
    Sym(&'static str),
    End,
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Num(n) => format!("number {n}"),
        Tok::Str(s) => format!("text {s:?}"),
        Tok::Word(w) => format!("{w:?}"),
        Tok::Sym(s) => format!("{s:?}"),
        Tok::End => "the end of the expression".into(),
    }
}

/// Most characters a condition may have: a rule longer than this is a generated file, not a rule.
pub const MAX_CHARS: usize = 16 * 1024;

/// Most tokens (names, numbers, texts, operators, brackets) a condition may have. The syntax tree
/// has at most one node per token, so this bounds its size and depth: a flat chain of 50 000 `or`
/// terms is a left-deep tree whose type check, evaluation and drop would recurse 50 000 frames
/// deep and overflow the stack (natively and in Wasm's smaller stack). 1 024 tokens keep every
/// recursion under about 600 frames.
pub const MAX_TOKENS: usize = 1024;

fn lex(src: &str) -> Result<Vec<(Tok, usize)>, ExprError> {
    if src.chars().count() > MAX_CHARS {
        return err(
            MAX_CHARS,
            format!(
                "the condition is longer than {MAX_CHARS} characters; split it into several rules"
            ),
        );
    }
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied();
    while let Some(c) = at(i) {
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if out.len() >= MAX_TOKENS {
            return err(
                i,
                format!("the condition has more than {MAX_TOKENS} names, values and operators; split it into several rules"),
            );
        }
        let start = i;
        if c.is_ascii_digit() || (c == '.' && at(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            while at(i).is_some_and(|d| d.is_ascii_digit() || d == '.' || d == '_') {
                i += 1;
            }
            // Exponent, e.g. 1e4.
            if at(i).is_some_and(|d| d == 'e' || d == 'E')
                && at(i + 1).is_some_and(|d| d.is_ascii_digit() || d == '-' || d == '+')
            {
                i += 2;
                while at(i).is_some_and(|d| d.is_ascii_digit()) {
                    i += 1;
                }
            }
            let text: String = chars
                .iter()
                .skip(start)
                .take(i - start)
                .filter(|&&d| d != '_')
                .collect();
            match text.parse::<f64>() {
                Ok(v) if v.is_finite() => out.push((Tok::Num(v), start)),
                _ => return err(start, format!("{text:?} is not a number")),
            }
            continue;
        }
        if c == '"' || c == '\'' || c == '“' || c == '‘' {
            let close = match c {
                '“' => '”',
                '‘' => '’',
                q => q,
            };
            i += 1;
            let mut text = String::new();
            loop {
                match at(i) {
                    None => return err(start, "text is not closed with a quote"),
                    Some('\\') if at(i + 1).is_some() => {
                        text.extend(at(i + 1));
                        i += 2;
                    }
                    Some(d) if d == close => {
                        i += 1;
                        break;
                    }
                    Some(d) => {
                        text.push(d);
                        i += 1;
                    }
                }
            }
            out.push((Tok::Str(text), start));
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            while at(i).is_some_and(|d| d.is_alphanumeric() || d == '_') {
                i += 1;
            }
            let word: String = chars.iter().skip(start).take(i - start).collect();
            out.push((Tok::Word(word), start));
            continue;
        }
        let two: String = chars.iter().skip(i).take(2).collect();
        let sym: &'static str = match two.as_str() {
            "==" => "==",
            "!=" => "!=",
            "<=" => "<=",
            ">=" => ">=",
            "&&" => "&&",
            "||" => "||",
            _ => match c {
                '=' => "=",
                '<' => "<",
                '>' => ">",
                '!' => "!",
                '+' => "+",
                '-' => "-",
                '*' => "*",
                '/' => "/",
                '≥' => ">=",
                '≤' => "<=",
                '≠' => "!=",
                '(' | '（' => "(",
                ')' | '）' => ")",
                '，' => ",",
                '[' => "[",
                ']' => "]",
                ',' => ",",
                other => return err(start, format!("unexpected character {other:?}")),
            },
        };
        // One source character, unless a two-character ASCII operator matched.
        i += if two == sym { 2 } else { 1 };
        out.push((Tok::Sym(sym), start));
    }
    out.push((Tok::End, chars.len()));
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    i: usize,
}

/// Nesting limit, so a hostile recipe cannot overflow the stack.
const MAX_DEPTH: usize = 64;

impl Parser {
    fn peek(&self) -> (&Tok, usize) {
        self.toks
            .get(self.i)
            .map_or((&Tok::End, 0), |(t, p)| (t, *p))
    }

    fn bump(&mut self) {
        self.i += 1;
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek().0, Tok::Word(x) if x.eq_ignore_ascii_case(w))
    }

    fn is_sym(&self, s: &str) -> bool {
        matches!(self.peek().0, Tok::Sym(x) if *x == s)
    }

    fn expect_sym(&mut self, s: &str) -> Result<(), ExprError> {
        if self.is_sym(s) {
            self.bump();
            Ok(())
        } else {
            let (t, p) = self.peek();
            err(p, format!("expected {s:?} but found {}", describe(t)))
        }
    }

    fn or(&mut self, depth: usize) -> Result<Node, ExprError> {
        if depth > MAX_DEPTH {
            return err(self.peek().1, "expression nested too deeply");
        }
        let mut left = self.and(depth)?;
        while self.is_word("or") || self.is_sym("||") {
            let pos = self.peek().1;
            self.bump();
            let right = self.and(depth)?;
            left = Node {
                kind: Kind::Bin(Op::Or, Box::new(left), Box::new(right)),
                pos,
            };
        }
        Ok(left)
    }

    fn and(&mut self, depth: usize) -> Result<Node, ExprError> {
        let mut left = self.not(depth)?;
        while self.is_word("and") || self.is_sym("&&") {
            let pos = self.peek().1;
            self.bump();
            let right = self.not(depth)?;
            left = Node {
                kind: Kind::Bin(Op::And, Box::new(left), Box::new(right)),
                pos,
            };
        }
        Ok(left)
    }

    fn not(&mut self, depth: usize) -> Result<Node, ExprError> {
        if self.is_word("not") || self.is_sym("!") {
            let pos = self.peek().1;
            self.bump();
            if depth > MAX_DEPTH {
                return err(pos, "expression nested too deeply");
            }
            let inner = self.not(depth + 1)?;
            return Ok(Node {
                kind: Kind::Not(Box::new(inner)),
                pos,
            });
        }
        self.comparison(depth)
    }

    fn comparison(&mut self, depth: usize) -> Result<Node, ExprError> {
        let left = self.sum(depth)?;
        let (tok, pos) = self.peek();
        let op = match tok {
            Tok::Sym("==" | "=") => Some(Op::Eq),
            Tok::Sym("!=") => Some(Op::Ne),
            Tok::Sym("<") => Some(Op::Lt),
            Tok::Sym("<=") => Some(Op::Le),
            Tok::Sym(">") => Some(Op::Gt),
            Tok::Sym(">=") => Some(Op::Ge),
            _ => None,
        };
        if let Some(op) = op {
            self.bump();
            let right = self.sum(depth)?;
            if let (Tok::Sym(s @ ("==" | "=" | "!=" | "<" | "<=" | ">" | ">=")), p) = self.peek() {
                return err(
                    p,
                    format!("comparisons cannot be chained: use \"and\" before {s:?}"),
                );
            }
            return Ok(Node {
                kind: Kind::Bin(op, Box::new(left), Box::new(right)),
                pos,
            });
        }
        if self.is_word("in") {
            self.bump();
            self.expect_sym("[")?;
            let mut items = Vec::new();
            if !self.is_sym("]") {
                loop {
                    items.push(self.sum(depth)?);
                    if self.is_sym(",") {
                        self.bump();
                        continue;
                    }
                    break;
                }
            }
            self.expect_sym("]")?;
            return Ok(Node {
                kind: Kind::In(Box::new(left), items),
                pos,
            });
        }
        Ok(left)
    }

    fn sum(&mut self, depth: usize) -> Result<Node, ExprError> {
        let mut left = self.product(depth)?;
        loop {
            let op = match self.peek().0 {
                Tok::Sym("+") => Op::Add,
                Tok::Sym("-") => Op::Sub,
                _ => break,
            };
            let pos = self.peek().1;
            self.bump();
            let right = self.product(depth)?;
            left = Node {
                kind: Kind::Bin(op, Box::new(left), Box::new(right)),
                pos,
            };
        }
        Ok(left)
    }

    fn product(&mut self, depth: usize) -> Result<Node, ExprError> {
        let mut left = self.unary(depth)?;
        loop {
            let op = match self.peek().0 {
                Tok::Sym("*") => Op::Mul,
                Tok::Sym("/") => Op::Div,
                _ => break,
            };
            let pos = self.peek().1;
            self.bump();
            let right = self.unary(depth)?;
            left = Node {
                kind: Kind::Bin(op, Box::new(left), Box::new(right)),
                pos,
            };
        }
        Ok(left)
    }

    fn unary(&mut self, depth: usize) -> Result<Node, ExprError> {
        if self.is_sym("-") {
            let pos = self.peek().1;
            self.bump();
            if depth > MAX_DEPTH {
                return err(pos, "expression nested too deeply");
            }
            let inner = self.unary(depth + 1)?;
            return Ok(Node {
                kind: Kind::Neg(Box::new(inner)),
                pos,
            });
        }
        self.primary(depth)
    }

    fn primary(&mut self, depth: usize) -> Result<Node, ExprError> {
        let (tok, pos) = self.peek();
        let kind = match tok.clone() {
            Tok::Num(v) => Kind::Num(v),
            Tok::Str(s) => Kind::Str(s),
            Tok::Word(w) if w.eq_ignore_ascii_case("true") => Kind::Bool(true),
            Tok::Word(w) if w.eq_ignore_ascii_case("false") => Kind::Bool(false),
            Tok::Word(w) => {
                let lower = w.to_lowercase();
                if ["and", "or", "not", "in"].contains(&lower.as_str()) {
                    return err(pos, format!("expected a value before {w:?}"));
                }
                let Some((_, f, _)) = FIELDS.iter().find(|(n, _, _)| *n == lower) else {
                    let known: Vec<&str> = FIELDS.iter().map(|(n, _, _)| *n).collect();
                    return err(
                        pos,
                        format!("unknown field {w:?} (fields: {})", known.join(", ")),
                    );
                };
                Kind::Field(*f)
            }
            Tok::Sym("(") => {
                self.bump();
                let inner = self.or(depth + 1)?;
                self.expect_sym(")")?;
                return Ok(inner);
            }
            other => {
                return err(
                    pos,
                    format!("expected a value but found {}", describe(&other)),
                )
            }
        };
        self.bump();
        Ok(Node { kind, pos })
    }
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
        let toks = lex(src)?;
        let mut p = Parser { toks, i: 0 };
        if matches!(p.peek().0, Tok::End) {
            return err(0, "the expression is empty");
        }
        let root = p.or(0)?;
        let (tok, pos) = p.peek();
        if !matches!(tok, Tok::End) {
            return err(
                pos,
                format!(
                    "expected \"and\", \"or\" or the end but found {}",
                    describe(tok)
                ),
            );
        }
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

/// One custom tier rule: when the condition holds, the customer gets `tier`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomTierRule {
    /// Condition, e.g. `monetary >= 10000 and frequency >= 12`.
    pub when: String,
    /// Tier name given to matching customers, e.g. `VIP`.
    pub tier: String,
}

/// Custom rule tiers (`customTiers`): first match wins; written to the `custom_tier` column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct CustomTierOptions {
    /// Rules in order (default none: the column is then left out of the report summaries).
    pub rules: Vec<CustomTierRule>,
    /// Tier of customers no rule matches (default `"Other"`).
    pub otherwise: String,
}

impl Default for CustomTierOptions {
    fn default() -> Self {
        CustomTierOptions {
            rules: Vec::new(),
            otherwise: "Other".into(),
        }
    }
}

impl CustomTierOptions {
    /// Parses every rule; errors name the rule and the column in its condition.
    pub fn compile(&self) -> Result<Vec<(Expr, String)>> {
        self.rules
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                if rule.tier.trim().is_empty() {
                    return Err(Error::recipe(
                        format!("customTiers.rules[{i}].tier"),
                        "tier name is empty",
                    ));
                }
                Expr::parse(&rule.when)
                    .map(|e| (e, rule.tier.clone()))
                    .map_err(|e| e.into_error(format!("customTiers.rules[{i}].when")))
            })
            .collect()
    }

    /// Tier names: rule tiers in first-appearance order, then `otherwise`.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for r in &self.rules {
            if !names.contains(&r.tier) {
                names.push(r.tier.clone());
            }
        }
        if !names.contains(&self.otherwise) {
            names.push(self.otherwise.clone());
        }
        names
    }
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
