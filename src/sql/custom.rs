//! Custom tiers (`customTiers`) as one SQL `CASE`: the rules' conditions translated from the
//! expression language (`score::expr`) in rule order, first match wins, else the `otherwise` tier.
//!
//! The translation keeps the evaluator's meaning, which is not SQL's three-valued logic:
//! - a comparison that touches a missing value is *false* (not unknown), so `region != "华东"` is
//!   false without a region and `not (region == "华东")` is true: every comparison is wrapped in
//!   `COALESCE(…, FALSE)`, after which `and`/`or`/`not` never see a NULL;
//! - arithmetic on a missing value is missing and `x / 0` is missing: `NULLIF(divisor, 0)`;
//! - numbers are f64: every field is cast to DOUBLE and every literal is a round-trip DOUBLE
//!   literal, so each operation is the same IEEE operation in the same order;
//! - a NaN (only arithmetic can make one, from an overflow to infinity) compares false, and
//!   `!=` true, while SQL orders NaN above every number and equal to itself: comparisons whose
//!   operand is arithmetic carry an `isnan` guard.

use super::dialect::double_literal;
use super::{omitted, Dialect};
use crate::score::expr::{Field, Kind, Node, Op, Type};
use crate::score::CustomTiers;
use crate::warning::Warning;

/// How the query names each field for the `CASE`: `None` when the query does not compute it.
pub(super) type Columns<'a> = &'a dyn Fn(Field) -> Option<String>;

/// The `custom_tier` expression, or the warning naming the rule and the construct that the query
/// cannot express (the column is then left out).
pub(super) fn custom_tier_expr(
    tiers: &CustomTiers,
    d: Dialect,
    columns: Columns<'_>,
) -> Result<String, Warning> {
    let mut whens = Vec::new();
    for (i, (expr, tier)) in tiers.rules().enumerate() {
        let t = Translate { d, columns };
        let cond = t.pred(expr.root()).map_err(|construct| {
            omitted(
                "custom_tier",
                "custom_tier_construct",
                &format!(
                    "customTiers.rules[{i}].when uses {construct}, which the SQL does not compute"
                ),
            )
        })?;
        whens.push(format!("      WHEN {cond} THEN {}", d.text(tier)));
    }
    Ok(format!(
        "CASE\n{}\n      ELSE {}\n    END",
        whens.join("\n"),
        d.text(tiers.otherwise())
    ))
}

/// One translation: the dialect and the field columns. Errors name the unsupported construct.
struct Translate<'a> {
    d: Dialect,
    columns: Columns<'a>,
}

type Out = Result<String, String>;

/// True when the node is arithmetic, the only thing that can be NaN (fields and literals are
/// finite numbers or missing).
fn may_be_nan(n: &Node) -> bool {
    match n.kind() {
        Kind::Neg(x) => may_be_nan(x),
        Kind::Bin(Op::Add | Op::Sub | Op::Mul | Op::Div, _, _) => true,
        _ => false,
    }
}

fn sql_op(op: Op) -> &'static str {
    match op {
        Op::Or => "OR",
        Op::And => "AND",
        Op::Eq => "=",
        Op::Ne => "<>",
        Op::Lt => "<",
        Op::Le => "<=",
        Op::Gt => ">",
        Op::Ge => ">=",
        Op::Add => "+",
        Op::Sub => "-",
        Op::Mul => "*",
        Op::Div => "/",
    }
}

impl Translate<'_> {
    /// A true/false node as a SQL boolean that is never NULL.
    fn pred(&self, n: &Node) -> Out {
        Ok(match n.kind() {
            Kind::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
            Kind::Not(x) => format!("(NOT {})", self.pred(x)?),
            Kind::Bin(op @ (Op::And | Op::Or), a, b) => {
                format!("({} {} {})", self.pred(a)?, sql_op(*op), self.pred(b)?)
            }
            Kind::Bin(op, a, b) => self.compare(*op, a, b)?,
            Kind::In(x, items) => self.member(x, items)?,
            Kind::Num(_) | Kind::Str(_) | Kind::Field(_) | Kind::Neg(_) => {
                return Err("a value where a condition is expected".into())
            }
        })
    }

    /// `a op b` for a comparison operator, with the evaluator's missing-value and NaN rules.
    fn compare(&self, op: Op, a: &Node, b: &Node) -> Out {
        if a.ty() == Type::Bool {
            // Both sides are never-NULL booleans: plain SQL equality is the evaluator's.
            return Ok(format!(
                "({} {} {})",
                self.pred(a)?,
                sql_op(op),
                self.pred(b)?
            ));
        }
        let (x, y) = (self.value(a)?, self.value(b)?);
        let nan: Vec<&String> = [(a, &x), (b, &y)]
            .into_iter()
            .filter(|(n, _)| may_be_nan(n))
            .map(|(_, s)| s)
            .collect();
        if nan.is_empty() {
            return Ok(format!("COALESCE({x} {} {y}, FALSE)", sql_op(op)));
        }
        let isnan = nan
            .iter()
            .map(|s| format!("isnan({s})"))
            .collect::<Vec<_>>();
        Ok(if op == Op::Ne {
            // Missing → false; else NaN → true (NaN != anything); else the SQL comparison.
            format!(
                "(CASE WHEN {x} IS NULL OR {y} IS NULL THEN FALSE WHEN {} THEN TRUE ELSE {x} <> {y} END)",
                isnan.join(" OR ")
            )
        } else {
            let not_nan = isnan.iter().map(|s| format!("NOT {s}")).collect::<Vec<_>>();
            format!(
                "COALESCE({x} {} {y} AND {}, FALSE)",
                sql_op(op),
                not_nan.join(" AND ")
            )
        })
    }

    /// `x in [items]`: false when `x` is missing or NaN; a missing item matches nothing.
    fn member(&self, x: &Node, items: &[Node]) -> Out {
        if items.is_empty() {
            return Ok("FALSE".into());
        }
        if x.ty() == Type::Bool {
            let list = items
                .iter()
                .map(|i| self.pred(i))
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(format!("({} IN ({}))", self.pred(x)?, list.join(", ")));
        }
        let v = self.value(x)?;
        let list = items
            .iter()
            .map(|i| self.value(i))
            .collect::<Result<Vec<_>, _>>()?;
        let guard = if may_be_nan(x) {
            format!(" AND NOT isnan({v})")
        } else {
            String::new()
        };
        Ok(format!(
            "COALESCE({v} IN ({}){guard}, FALSE)",
            list.join(", ")
        ))
    }

    /// A number or text node as a SQL value (NULL where the evaluator's is missing).
    fn value(&self, n: &Node) -> Out {
        Ok(match n.kind() {
            Kind::Num(v) => {
                double_literal(*v).ok_or_else(|| "a number that is not finite".to_string())?
            }
            Kind::Str(s) => self.d.text(s),
            Kind::Field(f) => {
                (self.columns)(*f).ok_or_else(|| format!("the field {}", name(*f)))?
            }
            Kind::Neg(x) => format!("(-{})", self.value(x)?),
            Kind::Bin(Op::Div, a, b) => {
                format!("({} / NULLIF({}, 0e0))", self.value(a)?, self.value(b)?)
            }
            Kind::Bin(op @ (Op::Add | Op::Sub | Op::Mul), a, b) => {
                format!("({} {} {})", self.value(a)?, sql_op(*op), self.value(b)?)
            }
            Kind::Bool(_) | Kind::Not(_) | Kind::Bin(..) | Kind::In(..) => {
                return Err("a condition where a value is expected".into())
            }
        })
    }
}

/// A field's name as the language spells it (its first, canonical name).
fn name(f: Field) -> &'static str {
    crate::score::expr::FIELDS
        .iter()
        .find(|(_, x, _)| *x == f)
        .map_or("?", |(n, _, _)| n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::{CustomTierOptions, CustomTierRule};

    fn tiers(rules: &[(&str, &str)]) -> CustomTiers {
        CustomTierOptions {
            rules: rules
                .iter()
                .map(|(when, tier)| CustomTierRule {
                    when: (*when).into(),
                    tier: (*tier).into(),
                })
                .collect(),
            otherwise: "Rest".into(),
        }
        .compile()
        .unwrap()
    }

    fn all(f: Field) -> Option<String> {
        Some(name(f).to_string())
    }

    #[test]
    fn rules_become_a_case_in_order_with_two_valued_comparisons() {
        let t = tiers(&[
            ("not (region == 'N') and monetary / frequency != 2", "A"),
            ("- -recency in [1, 2] or (frequency > 1) == true", "B's"),
        ]);
        let sql = custom_tier_expr(&t, Dialect::DuckDb, &all).unwrap();
        assert_eq!(
            sql,
            "CASE\n      WHEN ((NOT COALESCE(region = 'N', FALSE)) AND (CASE WHEN \
             (monetary / NULLIF(frequency, 0e0)) IS NULL OR 2e0 IS NULL THEN FALSE WHEN \
             isnan((monetary / NULLIF(frequency, 0e0))) THEN TRUE ELSE \
             (monetary / NULLIF(frequency, 0e0)) <> 2e0 END)) THEN 'A'\n      \
             WHEN (COALESCE((-(-recency_days)) IN (1e0, 2e0), FALSE) OR \
             (COALESCE(frequency > 1e0, FALSE) = TRUE)) THEN 'B''s'\n      ELSE 'Rest'\n    END"
        );
        // No `--`, which would start a comment.
        assert!(!sql.contains("--"));
    }

    #[test]
    fn a_field_the_query_lacks_is_a_warning_naming_rule_and_field() {
        let t = tiers(&[("monetary > 1", "A"), ("stage == 'Lost'", "B")]);
        let w = custom_tier_expr(&t, Dialect::Spark, &|f| {
            (f != Field::Lifecycle).then(|| name(f).to_string())
        })
        .unwrap_err();
        assert_eq!(w.code, "sql_column_omitted");
        assert_eq!(
            w.params.get("column").map(String::as_str),
            Some("custom_tier")
        );
        assert_eq!(
            w.params.get("reason").map(String::as_str),
            Some("custom_tier_construct")
        );
        let detail = w.params.get("detail").cloned().unwrap_or_default();
        assert!(
            detail.contains("customTiers.rules[1].when") && detail.contains("lifecycle"),
            "{detail}"
        );
    }
}
