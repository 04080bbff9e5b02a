//! Lifecycle stages in the query, as `score::lifecycle` assigns them.
//!
//! Fixed mode compares recency and tenure with the recipe's days. Relative mode compares each
//! customer's recency with its own purchase gaps — the days between consecutive counted orders —
//! so the query computes them (CTE `gaps`): the longest gap, and the usual gap, either the mean
//! gap or the 80th percentile of the gaps by linear interpolation (type 7), taken from the sorted
//! list of the customer's gaps exactly as tierlens computes it. A customer with fewer than two
//! counted orders has no gaps and is compared with the recipe's `activeDays` and `lapsingDays`,
//! literals of the fit. Nothing here ranks rows: equal gaps are equal values in a sorted list.

use super::dialect::double_literal;
use super::Dialect;
use crate::pipeline::Analysis;
use crate::score::lifecycle::{LifecycleMode, UsualGap};

/// A counted order: net above zero, or exactly zero without a return line (as `features`).
pub(super) const COUNTED: &str = "(o.net > 0 OR (o.net = 0 AND o.has_return = 0))";

/// The share of the usual gap in p80 mode (`features` uses 0.8).
const P80: f64 = 0.8;

/// The CTE `gaps` (relative mode only): per customer with two or more counted orders, its
/// `usual_gap_days` and `max_gap_days`.
pub(super) fn gaps_cte(analysis: &Analysis, d: Dialect) -> Option<(&'static str, String)> {
    let o = &analysis.report.recipe.lifecycle;
    if o.mode != LifecycleMode::Relative {
        return None;
    }
    let usual = match o.usual_gap {
        UsualGap::Mean => {
            // (last − first) / (orders − 1): the gaps' sum over their count, as `features`.
            "CAST(SUM(gap) AS DOUBLE) / CAST(COUNT(*) AS DOUBLE)".to_string()
        }
        UsualGap::P80 => {
            let p = double_literal(P80).unwrap_or_else(|| "8e-1".into());
            let h = format!("(CAST(COUNT(*) - 1 AS DOUBLE) * {p})");
            let lo = format!("CAST(floor({h}) AS BIGINT)");
            let list = d.sorted_list("gap");
            let a = format!("CAST({} AS DOUBLE)", d.list_at(&list, &format!("{lo} + 1")));
            let b = format!(
                "CAST({} AS DOUBLE)",
                d.list_at(&list, &format!("LEAST({lo} + 2, COUNT(*))"))
            );
            format!("{a} + ({b} - {a}) * ({h} - CAST(floor({h}) AS DOUBLE))")
        }
    };
    Some((
        "gaps",
        format!(
            "  -- each customer's gaps between consecutive counted orders (two orders or more)\n\
             \x20 SELECT customer_id, {usual} AS usual_gap_days,\n\
             \x20        CAST(MAX(gap) AS DOUBLE) AS max_gap_days\n\
             \x20 FROM (\n\
             \x20   SELECT o.customer_id, o.day,\n\
             \x20          o.day - LAG(o.day) OVER (PARTITION BY o.customer_id ORDER BY o.day) AS gap\n\
             \x20   FROM orders AS o\n\
             \x20   WHERE {COUNTED}\n\
             \x20 ) AS x\n\
             \x20 WHERE gap IS NOT NULL\n\
             \x20 GROUP BY customer_id"
        ),
    ))
}

/// The lifecycle `CASE` (the `scores` CTE has `usual_gap_days` and `max_gap_days` in relative
/// mode, from `gaps`). `None` for the probabilistic mode: P(alive) comes from the fitted BG/NBD
/// model, which the query does not evaluate.
pub(super) fn lifecycle_expr(analysis: &Analysis, d: Dialect) -> Option<String> {
    let o = &analysis.report.recipe.lifecycle;
    let n = &analysis.classes.lifecycle_names;
    let name = |i: usize| d.text(n.get(i).map_or("", String::as_str));
    let head = format!(
        "CASE\n      WHEN frequency = 0 THEN {}\n      WHEN tenure_days <= {} THEN {}\n",
        name(0),
        o.new_days,
        name(1)
    );
    Some(match o.mode {
        LifecycleMode::Probabilistic => return None,
        LifecycleMode::Fixed => format!(
            "{head}      WHEN recency_days <= {} THEN {}\n      WHEN recency_days <= {} THEN {}\n      \
             WHEN recency_days <= {} THEN {}\n      ELSE {}\n    END",
            o.active_days,
            name(2),
            o.due_days,
            name(3),
            o.lapsing_days,
            name(4),
            name(5)
        ),
        // Without gaps of its own (fewer than two counted orders) a customer is measured against
        // the recipe's days; `usual_gap_days` and `max_gap_days` are missing together.
        LifecycleMode::Relative => format!(
            "{head}      WHEN CAST(recency_days AS DOUBLE) <= COALESCE(usual_gap_days, CAST({} AS DOUBLE)) THEN {}\n      \
             WHEN CAST(recency_days AS DOUBLE) <= COALESCE(max_gap_days, CAST({} AS DOUBLE)) THEN {}\n      \
             ELSE {}\n    END",
            o.active_days,
            name(2),
            o.lapsing_days,
            name(3),
            name(4)
        ),
    })
}
