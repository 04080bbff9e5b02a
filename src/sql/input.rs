//! The input side of the query: role mapping, the cleaning rules SQL can express, orders, and the
//! per-customer metrics exactly as `features` defines them (orders netted per order id or per
//! purchase day, amounts summed as integer micro-units, returns and zero-value orders as in the
//! module documentation of `features`).

use super::{refuse, Ctes, SqlAsOf, SqlOptions};
use crate::clean::{OutlierPolicy, ReturnsPolicy};
use crate::error::Result;
use crate::ingest::roles::{Role, Shape};
use crate::pipeline::Analysis;

/// The file column of `role`, if the fit had one.
pub(super) fn column_of(analysis: &Analysis, role: Role) -> Option<&str> {
    analysis
        .report
        .input
        .columns
        .iter()
        .find(|c| c.role == role)
        .map(|c| c.column.as_str())
}

/// The CTEs `input`, `rows`, `as_of`, `orders` and `metrics`, in order, then `regions` when
/// `region` is set and the fit has a region column (custom tiers may read it).
pub(super) fn ctes(analysis: &Analysis, options: SqlOptions, region: bool) -> Result<Ctes> {
    let d = options.dialect;
    let recipe = &analysis.report.recipe;
    if analysis.report.input.shape == Shape::Customers {
        return Err(refuse(
            "the fit read one row per customer; the SQL reads order lines (transactions)",
        ));
    }
    if recipe.clean.outliers == OutlierPolicy::Drop {
        return Err(refuse(
            "clean.outliers = \"drop\" sets rows aside by a threshold taken from the file's own \
             amounts; the SQL cannot reproduce it (use \"flag\" for the fit)",
        ));
    }
    let need = |role: Role, what: &str| {
        column_of(analysis, role).ok_or_else(|| refuse(format!("the fit has no {what} column")))
    };
    let customer = need(Role::CustomerId, "customer id")?;
    let date = need(Role::Date, "date")?;
    let order = column_of(analysis, Role::OrderId);
    let amount = column_of(analysis, Role::Amount);
    let quantity = column_of(analysis, Role::Quantity);
    let price = column_of(analysis, Role::UnitPrice);
    let region = column_of(analysis, Role::Region).filter(|_| region);
    let text = d.text_type();
    let col = |name: &str| format!("t.{}", d.ident(name));

    let mut input = vec![
        "  SELECT t.*".to_string(),
        format!("    CAST({} AS {text}) AS tl_customer", col(customer)),
        match order {
            Some(o) => format!("    CAST({} AS {text}) AS tl_order", col(o)),
            None => format!("    CAST(NULL AS {text}) AS tl_order"),
        },
        format!("    {} AS tl_day", d.day_number(&col(date))),
    ];
    match (amount, quantity, price) {
        (Some(a), _, _) => input.push(format!("    CAST({} AS DOUBLE) AS tl_amount", col(a))),
        (None, Some(q), Some(p)) => input.push(format!(
            "    CAST({} AS DOUBLE) * CAST({} AS DOUBLE) AS tl_amount",
            col(q),
            col(p)
        )),
        _ => {
            return Err(refuse(
                "the fit has no amount (nor quantity × unit price) column",
            ))
        }
    }
    match quantity {
        Some(q) => input.push(format!("    CAST({} AS DOUBLE) AS tl_quantity", col(q))),
        None => input.push("    CAST(NULL AS DOUBLE) AS tl_quantity".into()),
    }
    if let Some(r) = region {
        input.push(format!("    CAST({} AS {text}) AS tl_region", col(r)));
    }
    let input = format!(
        "  -- roles: edit the quoted names on the left when the warehouse's differ\n{}\n  FROM transactions AS t",
        input.join(",\n")
    );

    let has_order_id = order.is_some();
    let source = if recipe.clean.drop_duplicates.drops(has_order_id) {
        // Exact duplicate lines (every column equal) are one line exported twice.
        "(SELECT DISTINCT * FROM input) AS u"
    } else {
        "input AS u"
    };
    let mut filters = vec![
        "tl_customer IS NOT NULL".to_string(),
        "TRIM(tl_customer) <> ''".into(),
        "tl_day IS NOT NULL".into(),
        "tl_amount IS NOT NULL".into(),
    ];
    if let Some(prefix) = recipe
        .clean
        .cancelled_prefix
        .as_deref()
        .filter(|p| !p.is_empty())
    {
        let n = prefix.chars().count();
        let id = "TRIM(tl_order)";
        filters.push(format!(
            "NOT COALESCE(substr({id}, 1, {n}) = {} AND {}, FALSE)",
            d.text(prefix),
            d.full_match(&format!("substr({id}, {})", n + 1), "[0-9]+")
        ));
    }
    if options.as_of == SqlAsOf::Fit {
        filters.push(format!(
            "tl_day <= {} -- asOf {}",
            analysis.customers.as_of, analysis.report.as_of
        ));
    }
    if recipe.clean.drop_zero_amounts {
        filters.push("tl_amount <> 0".into());
    }
    if recipe.clean.returns == ReturnsPolicy::Drop {
        filters.push("NOT (tl_amount < 0 OR COALESCE(tl_quantity, 0) < 0)".into());
    }
    let rows = format!(
        "  SELECT TRIM(tl_customer) AS customer_id, NULLIF(TRIM(tl_order), '') AS order_id,\n\
         \x20        tl_day AS day, CAST(ROUND(tl_amount * 1e6) AS BIGINT) AS micros{}\n\
         \x20 FROM {source}\n  WHERE {}",
        if region.is_some() {
            ", NULLIF(TRIM(tl_region), '') AS region"
        } else {
            ""
        },
        filters.join("\n    AND ")
    );
    let as_of = match options.as_of {
        SqlAsOf::Fit => format!(
            "  SELECT {} AS day -- {}",
            analysis.customers.as_of, analysis.report.as_of
        ),
        SqlAsOf::Data => "  SELECT MAX(day) + 1 AS day FROM rows".into(),
    };
    let orders = format!(
        "  -- an order: one order id of the customer, or one purchase day where the line has none\n\
         \x20 SELECT customer_id, MIN(day) AS day, MAX(day) AS last_line_day, SUM(micros) AS net,\n\
         \x20        MAX(CASE WHEN micros < 0 THEN 1 ELSE 0 END) AS has_return\n\
         \x20 FROM rows\n\
         \x20 GROUP BY customer_id,\n\
         \x20          CASE WHEN order_id IS NULL THEN CONCAT('d', CAST(day AS {text})) ELSE CONCAT('o', order_id) END"
    );
    let counted = super::lifecycle::COUNTED;
    let metrics = format!(
        "  -- counted orders net above zero, or exactly zero without a return line\n\
         \x20 SELECT customer_id, recency_days, frequency, tenure_days,\n\
         \x20        CAST(micros AS DOUBLE) / 1e6 AS monetary,\n\
         \x20        CASE WHEN frequency > 0 THEN (CAST(micros AS DOUBLE) / 1e6) / frequency ELSE 0e0 END AS aov,\n\
         \x20        -- (last − first counted order day) / (orders − 1), missing below two orders\n\
         \x20        CASE WHEN frequency >= 2 THEN CAST(tenure_days - recency_days AS DOUBLE) / CAST(frequency - 1 AS DOUBLE) END AS mean_gap_days\n\
         \x20 FROM (\n\
         \x20   SELECT o.customer_id, SUM(o.net) AS micros,\n\
         \x20          SUM(CASE WHEN {counted} THEN 1 ELSE 0 END) AS frequency,\n\
         \x20          a.day - COALESCE(MAX(CASE WHEN {counted} THEN o.day END), MAX(o.last_line_day)) AS recency_days,\n\
         \x20          a.day - COALESCE(MIN(CASE WHEN {counted} THEN o.day END), MIN(o.day)) AS tenure_days\n\
         \x20   FROM orders AS o CROSS JOIN as_of AS a\n\
         \x20   GROUP BY o.customer_id, a.day\n\
         \x20 ) AS g"
    );
    let mut ctes = vec![
        ("input", input),
        ("rows", rows),
        ("as_of", as_of),
        ("orders", orders),
        ("metrics", metrics),
    ];
    if region.is_some() {
        // The latest used row with a region names it; on one day the smallest name (as
        // `features` does, so row order never matters).
        ctes.push((
            "regions",
            "  SELECT customer_id, MIN(region) AS region\n\
             \x20 FROM (SELECT customer_id, region, day,\n\
             \x20              MAX(day) OVER (PARTITION BY customer_id) AS region_day\n\
             \x20       FROM rows WHERE region IS NOT NULL) AS x\n\
             \x20 WHERE day = region_day\n\
             \x20 GROUP BY customer_id"
                .into(),
        ));
    }
    Ok(ctes)
}
