//! Warnings as stable codes with parameters (layer 1 leaf).
//!
//! A warning crosses to the page like an error does: a snake_case `code`, the values it was
//! worded from as `params`, and the English `message` the CLI prints. The page words it in its
//! own language from `code` + `params` (`warn_<code>` in `www/i18n.js`) and falls back to
//! `message`. Each kind has one constructor here that fills both the params and the message from
//! the same values, so the two cannot disagree.

use std::collections::BTreeMap;

use serde::Serialize;

mod reading;

/// One warning: stable code, its parameters, and the English sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// Stable snake_case code; the page's template key is `warn_<code>`.
    pub code: &'static str,
    /// The values the message was formatted from, as text.
    pub params: BTreeMap<&'static str, String>,
    /// The English sentence (what the CLI prints after `tierlens: warning: `).
    pub message: String,
}

/// Every warning code and the params it sends. `tests/js/i18n_warnings.test.mjs` reads this table
/// and fails when a code has no English or Chinese template, or a template names a param that is
/// not listed here; the unit test below checks the constructors against it.
pub const CODES: &[(&str, &[&str])] = &[
    ("one_pass_stream", &["sampleRows"]),
    ("unclosed_quote", &["count", "row", "line"]),
    ("headerless", &[]),
    ("weak_role_fit", &["column", "role", "source", "percent"]),
    ("bins_collapsed", &["metric", "bins", "scoresUsed", "cuts"]),
    (
        "rules_unassigned",
        &["ruleSet", "unassigned", "cells", "fallback"],
    ),
    ("tier_empty", &["tier"]),
    ("cluster_one_customer", &[]),
    ("cluster_identical", &[]),
    ("cluster_k_capped", &["distinct", "kMax"]),
    ("customer_id_variants", &["count", "groups", "example"]),
    // Reading decisions (src/warning/reading.rs); each also sits on its decision.
    ("header_title_row", &["row"]),
    ("duplicates_kept", &["kept"]),
    ("encoding_fallback", &["offset"]),
    ("sheets_skipped", &["sheets", "count", "lead"]),
    ("date_order_loss", &["count", "column", "order"]),
    ("date_order_guessed", &["column", "example"]),
    ("decimal_against", &["count", "column", "readWith"]),
    ("decimal_guessed", &["column", "example"]),
    ("id_floats_kept", &["count", "column", "example"]),
    ("role_name_as_id", &["column"]),
    ("role_before_discounts", &["column"]),
    ("role_same_name", &["column", "used", "other", "role"]),
    ("role_rival", &["column", "rival", "role", "match"]),
    ("role_partial", &["column", "role"]),
    ("role_id_twins", &["column", "columns", "chosen", "percent"]),
    (
        "clv_not_identifiable",
        &["reason", "customers", "repeaters", "minimum"],
    ),
    ("clv_not_converged", &["model"]),
    ("clv_spend_heavy_tail", &["q"]),
    ("clv_spend_not_fitted", &["customers", "minimum"]),
    ("sql_column_omitted", &["column", "reason", "detail"]),
];

impl Warning {
    /// A warning from its code, params and message. Prefer the named constructors below.
    pub fn new(
        code: &'static str,
        params: impl IntoIterator<Item = (&'static str, String)>,
        message: String,
    ) -> Warning {
        Warning {
            code,
            params: params.into_iter().collect(),
            message,
        }
    }

    /// The input was read once: decisions come from the first `sample_rows` rows.
    pub fn one_pass_stream(sample_rows: usize) -> Warning {
        Warning::new(
            "one_pass_stream",
            [("sampleRows", sample_rows.to_string())],
            format!("the input was read once (a one-time stream): date order, decimal separator, customer ids and column kinds were decided from its first {sample_rows} rows, not from every row; read it twice (Loader.twoPass, a file) to decide from the whole input"),
        )
    }

    /// `count` lines open a quote that never closes; `first` is the first (row, line) if known.
    pub fn unclosed_quote(count: u64, first: Option<(u64, u64)>) -> Warning {
        let at = first
            .map(|(row, line)| format!(" (first: row {row}, line {line})"))
            .unwrap_or_default();
        let mut params = vec![("count", count.to_string())];
        if let Some((row, line)) = first {
            params.push(("row", row.to_string()));
            params.push(("line", line.to_string()));
        }
        Warning::new(
            "unclosed_quote",
            params,
            format!("{count} row(s) open a quoted field that is never closed{at}: each such line was set aside (reason unclosed_quote) and reading went on at the next line; fix the quote in the file"),
        )
    }

    /// The first row holds values, not column names.
    pub fn headerless() -> Warning {
        Warning::new(
            "headerless",
            [],
            "the first row holds values, not column names: it is read as data, columns are named column1, column2, ... and their roles are inferred from the values (see input.columns)".to_string(),
        )
    }

    /// A column used for a role whose values mostly do not read as that role.
    pub fn weak_role_fit(column: &str, role: &str, source: &str, fit: f64) -> Warning {
        let percent = format!("{:.0}", fit * 100.0);
        Warning::new(
            "weak_role_fit",
            [
                ("column", column.to_string()),
                ("role", role.to_string()),
                ("source", source.to_string()),
                ("percent", percent.clone()),
            ],
            format!("column {column:?} is used as the {role} ({source} match), but only {percent} % of its values read as one; check input.columns"),
        )
    }

    /// Tied values collapse a metric's bins.
    pub fn bins_collapsed(metric: &str, bins: u8, scores_used: &[u8], cuts: &[f64]) -> Warning {
        Warning::new(
            "bins_collapsed",
            [
                ("metric", metric.to_string()),
                ("bins", bins.to_string()),
                ("scoresUsed", join(scores_used)),
                ("cuts", join(cuts)),
            ],
            format!("{metric}: tied values collapse the {bins} bins — only scores {scores_used:?} are used (cut points {cuts:?}); consider method \"rankFirst\" or custom cut points"),
        )
    }

    /// Segment rules leave score cells unassigned.
    pub fn rules_unassigned(
        rule_set: &str,
        unassigned: usize,
        cells: usize,
        fallback: &str,
    ) -> Warning {
        Warning::new(
            "rules_unassigned",
            [
                ("ruleSet", rule_set.to_string()),
                ("unassigned", unassigned.to_string()),
                ("cells", cells.to_string()),
                ("fallback", fallback.to_string()),
            ],
            format!("segment rules {rule_set:?} leave {unassigned} of {cells} score cells unassigned; those customers are in {fallback:?}"),
        )
    }

    /// A value tier has no customers.
    pub fn tier_empty(tier: &str) -> Warning {
        Warning::new(
            "tier_empty",
            [("tier", tier.to_string())],
            format!("value tier {tier:?} is empty: too few spending customers for its share"),
        )
    }

    /// Clustering fell back to one cluster: one customer (`n == 1`) or identical features.
    pub fn cluster_single(n: usize) -> Warning {
        if n == 1 {
            Warning::new(
                "cluster_one_customer",
                [],
                "clustering: only one customer — every customer is in one cluster".to_string(),
            )
        } else {
            Warning::new(
                "cluster_identical",
                [],
                "clustering: all customers have identical features — every customer is in one cluster".to_string(),
            )
        }
    }

    /// Automatic k was capped by the number of distinct profiles.
    pub fn cluster_k_capped(distinct: usize, k_max: usize) -> Warning {
        Warning::new(
            "cluster_k_capped",
            [("distinct", distinct.to_string()), ("kMax", k_max.to_string())],
            format!("clustering: only {distinct} distinct customer profiles, so k was tried up to {k_max}"),
        )
    }

    /// Customer ids that differ only by case, width or invisible characters.
    pub fn customer_id_variants(count: usize, groups: usize, example: &str) -> Warning {
        Warning::new(
            "customer_id_variants",
            [
                ("count", count.to_string()),
                ("groups", groups.to_string()),
                ("example", example.to_string()),
            ],
            format!("{count} customer ids in {groups} groups differ from another only by letter case, full-width forms or invisible characters (e.g. {example}): they are kept as different customers; check the export (flags.customer_id_variant)"),
        )
    }
}

impl Warning {
    /// The CLV model could not be fitted (`reason`: `no_repeat_buyers`, `too_few_repeat_buyers`,
    /// `parameter_at_bound`): no CLV figures at all.
    pub fn clv_not_identifiable(
        reason: &str,
        customers: usize,
        repeaters: usize,
        minimum: usize,
    ) -> Warning {
        Warning::new(
            "clv_not_identifiable",
            [
                ("reason", reason.to_string()),
                ("customers", customers.to_string()),
                ("repeaters", repeaters.to_string()),
                ("minimum", minimum.to_string()),
            ],
            format!(
                "CLV not computed: the data cannot settle the model ({reason}; {customers} \
                 customers, {repeaters} with a repeat purchase day, at least {minimum} needed)"
            ),
        )
    }

    /// A CLV fit (`model`: bgnbd, mbgnbd, gammaGamma) did not pass its convergence check.
    pub fn clv_not_converged(model: &str) -> Warning {
        Warning::new(
            "clv_not_converged",
            [("model", model.to_string())],
            format!(
                "the {model} fit did not pass its convergence check; its figures are approximate"
            ),
        )
    }

    /// Gamma-Gamma's q ≤ 1: the population mean spend does not exist.
    pub fn clv_spend_heavy_tail(q: f64) -> Warning {
        Warning::new(
            "clv_spend_heavy_tail",
            [("q", format!("{q:.4}"))],
            format!(
                "Gamma-Gamma q = {q:.4} ≤ 1: the population mean spend does not exist, so \
                 customers without a repeat purchase get no expected spend or CLV"
            ),
        )
    }

    /// Too few repeat buyers with a positive mean spend for Gamma-Gamma.
    pub fn clv_spend_not_fitted(customers: usize, minimum: usize) -> Warning {
        Warning::new(
            "clv_spend_not_fitted",
            [
                ("customers", customers.to_string()),
                ("minimum", minimum.to_string()),
            ],
            format!(
                "Gamma-Gamma not fitted ({customers} repeat buyers with a positive mean spend, at \
                 least {minimum} needed): no expected spend or CLV"
            ),
        )
    }

    /// The SQL export (issue 15) leaves a customer-list column out: `reason` is a stable key
    /// (`relative_lifecycle`, `custom_tier_construct`, `cluster_feature`), `detail` the English why.
    pub fn sql_column_omitted(column: &str, reason: &str, detail: &str) -> Warning {
        Warning::new(
            "sql_column_omitted",
            [
                ("column", column.to_string()),
                ("reason", reason.to_string()),
                ("detail", detail.to_string()),
            ],
            format!("the SQL has no column {column}: {detail}"),
        )
    }

    /// The same warning with every text (message and params) passed through `f`; the export uses
    /// it to replace customer ids by pseudonyms.
    pub fn map_text(&self, f: impl Fn(&str) -> String) -> Warning {
        Warning {
            code: self.code,
            params: self.params.iter().map(|(k, v)| (*k, f(v))).collect(),
            message: f(&self.message),
        }
    }
}

/// The English sentence, as the CLI prints it.
impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Joins values with ", " for a param (the message keeps Rust's `[..]` list form).
fn join<T: std::fmt::Display>(v: &[T]) -> String {
    v.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(w: &Warning) -> bool {
        CODES
            .iter()
            .any(|(code, params)| *code == w.code && w.params.keys().all(|k| params.contains(k)))
    }

    #[test]
    fn every_constructor_sends_a_listed_code_and_params() {
        let all = [
            Warning::one_pass_stream(1000),
            Warning::unclosed_quote(2, Some((3, 4))),
            Warning::unclosed_quote(2, None),
            Warning::headerless(),
            Warning::weak_role_fit("x", "amount", "header", 0.25),
            Warning::bins_collapsed("frequency", 5, &[1, 5], &[1.0, 2.5]),
            Warning::rules_unassigned("rfm", 3, 125, "Others"),
            Warning::tier_empty("Gold"),
            Warning::cluster_single(1),
            Warning::cluster_single(4),
            Warning::cluster_k_capped(3, 3),
            Warning::customer_id_variants(4, 2, "\"a\" / \"A\""),
            Warning::header_title_row(1),
            Warning::duplicates_kept(2),
            Warning::encoding_fallback(1024),
            Warning::sheets_skipped(&["B".into()], "A"),
            Warning::date_order_loss(3, "date", "mdy"),
            Warning::date_order_guessed("date", "\"01/02/2024\""),
            Warning::decimal_against(2, "amount", true),
            Warning::decimal_guessed("amount", "\"3.500\""),
            Warning::id_floats_kept(2, "id", "\"1.0\""),
            Warning::role_name_as_id("name"),
            Warning::role_before_discounts("应付金额"),
            Warning::role_same_name("id", 1, 3, "customerId", "customer id"),
            Warning::role_rival("a", "b", "amount", "amount", true),
            Warning::role_partial("amt", "amount", "amount"),
            Warning::role_id_twins("id", &["1".into(), "2".into()], 2, 0.9),
            Warning::clv_not_identifiable("no_repeat_buyers", 5, 0, 10),
            Warning::clv_not_converged("bgnbd"),
            Warning::clv_spend_heavy_tail(0.9),
            Warning::clv_spend_not_fitted(3, 10),
            Warning::sql_column_omitted("lifecycle", "relative_lifecycle", "why"),
        ];
        for w in &all {
            assert!(listed(w), "{} not in CODES with its params", w.code);
        }
        let codes: Vec<&str> = all.iter().map(|w| w.code).collect();
        for (code, _) in CODES {
            assert!(
                codes.contains(code),
                "{code} has no constructor in the test"
            );
        }
    }

    #[test]
    fn messages_are_todays_text() {
        // Hand-written from the format strings the pipeline used before the codes.
        assert_eq!(
            Warning::unclosed_quote(2, Some((3, 4))).message,
            "2 row(s) open a quoted field that is never closed (first: row 3, line 4): each such line was set aside (reason unclosed_quote) and reading went on at the next line; fix the quote in the file"
        );
        assert_eq!(
            Warning::weak_role_fit("x", "amount", "header", 0.254).message,
            "column \"x\" is used as the amount (header match), but only 25 % of its values read as one; check input.columns"
        );
        let b = Warning::bins_collapsed("frequency", 5, &[1, 5], &[1.0, 2.5]);
        assert_eq!(b.message, "frequency: tied values collapse the 5 bins — only scores [1, 5] are used (cut points [1.0, 2.5]); consider method \"rankFirst\" or custom cut points");
        assert_eq!(b.params.get("cuts").map(String::as_str), Some("1, 2.5"));
        assert_eq!(
            Warning::cluster_single(1).message,
            "clustering: only one customer — every customer is in one cluster"
        );
        assert_eq!(
            Warning::sheets_skipped(&["B".into(), "C".into()], "A").message,
            "sheets 'B', 'C' not read: their header differs from 'A'; set input.sheet to choose the sheets to read"
        );
        assert_eq!(
            Warning::date_order_loss(3, "d", "dmy").message,
            "3 values of column \"d\" cannot be read as dmy (month above 12 in the second place): they are rejected as bad_date; set input.dateOrder if that is wrong"
        );
    }
}
