//! Issue 15, the generator's own contract (the queries themselves are run in DuckDB and Spark by
//! tests/sql/check.py, `make test-sql`): literal cut points, never a ranking function, and what
//! SQL cannot express is refused or reported, never silently dropped.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use tierlens::sql::{generate, Dialect, SqlAsOf, SqlOptions};
use tierlens::{Dataset, Recipe};

const CSV: &str = "order_id,customer_id,order_date,amount\n\
O1,A,2024-01-05,10\nO2,A,2024-02-05,20\nO3,B,2024-01-10,5\nO4,C,2024-03-01,100\n\
O5,C,2024-03-02,50\nO6,D,2024-02-20,7\nO7,E,2024-01-02,300\nO8,F,2024-03-03,1\n";

fn analysis(recipe_json: &str) -> tierlens::Analysis {
    let recipe = Recipe::from_json(recipe_json).unwrap();
    let plan = recipe.check().unwrap();
    Dataset::from_bytes(CSV.as_bytes(), &plan)
        .unwrap()
        .analyze(&plan)
        .unwrap()
}

fn options(dialect: Dialect) -> SqlOptions {
    SqlOptions {
        dialect,
        as_of: SqlAsOf::Fit,
    }
}

#[test]
fn cut_points_are_literals_and_no_ranking_function_is_used() {
    let a = analysis(r#"{"cluster": {"enabled": false}}"#);
    for d in [Dialect::DuckDb, Dialect::Spark] {
        let q = generate(&a, options(d)).unwrap();
        let upper = q.sql.to_uppercase();
        for banned in ["NTILE", "PERCENT", "RANK(", "ROW_NUMBER", "QUANTILE"] {
            assert!(!upper.contains(banned), "{banned} in {}", q.sql);
        }
        for t in &a.report.thresholds {
            for &c in &t.cuts {
                assert!(q.sql.contains(&format!("{c:e}")), "cut {c} of {}", t.metric);
            }
        }
        assert!(q.sql.contains("FROM transactions AS t"));
        assert!(q.sql.trim_start().starts_with("--") && q.sql.contains("WITH\ninput AS ("));
        assert_eq!(q.columns.first().map(String::as_str), Some("customer_id"));
        assert!(
            !q.columns.iter().any(|c| c == "cluster"),
            "cluster disabled"
        );
        assert!(q.warnings.is_empty(), "{:?}", q.warnings);
    }
}

#[test]
fn as_of_from_the_data_has_no_fixed_date_filter() {
    let a = analysis(r#"{"cluster": {"enabled": false}}"#);
    let fit = generate(&a, options(Dialect::DuckDb)).unwrap().sql;
    let data = generate(
        &a,
        SqlOptions {
            dialect: Dialect::DuckDb,
            as_of: SqlAsOf::Data,
        },
    )
    .unwrap()
    .sql;
    assert!(fit.contains(&format!("tl_day <= {}", a.customers.as_of)));
    assert!(!data.contains("tl_day <="));
    assert!(data.contains("MAX(day) + 1"));
}

#[test]
fn rank_first_scores_are_refused_with_a_code() {
    let a = analysis(r#"{"score": {"method": "rankFirst"}, "cluster": {"enabled": false}}"#);
    let e = generate(&a, options(Dialect::Spark)).unwrap_err();
    assert_eq!(e.code(), "invalid_export");
    assert!(e.to_string().contains("rankFirst"), "{e}");
}

#[test]
fn outliers_dropped_by_a_file_threshold_are_refused() {
    let a = analysis(r#"{"clean": {"outliers": "drop"}, "cluster": {"enabled": false}}"#);
    let e = generate(&a, options(Dialect::DuckDb)).unwrap_err();
    assert_eq!(e.code(), "invalid_export");
}

#[test]
fn relative_lifecycle_is_left_out_with_a_warning() {
    let a = analysis(r#"{"lifecycle": {"mode": "relative"}, "cluster": {"enabled": false}}"#);
    let q = generate(&a, options(Dialect::DuckDb)).unwrap();
    assert!(!q.columns.iter().any(|c| c == "lifecycle"));
    let w: Vec<_> = q
        .warnings
        .iter()
        .map(|w| (w.code, w.params.get("column").cloned()))
        .collect();
    assert_eq!(
        w,
        vec![("sql_column_omitted", Some("lifecycle".to_string()))]
    );
}

#[test]
fn dialect_names_parse() {
    assert_eq!(Dialect::parse("DuckDB"), Some(Dialect::DuckDb));
    assert_eq!(Dialect::parse("spark"), Some(Dialect::Spark));
    assert_eq!(Dialect::parse("oracle"), None);
}

#[test]
fn custom_tiers_are_a_column_and_an_unexpressible_field_is_a_warning() {
    let rules = r#""customTiers": {"rules": [{"when": "monetary >= 100", "tier": "Big"},
        {"when": "stage == \"Lost\"", "tier": "Gone"}], "otherwise": "Rest"}"#;
    let a = analysis(&format!(r#"{{{rules}, "cluster": {{"enabled": false}}}}"#));
    for d in [Dialect::DuckDb, Dialect::Spark] {
        let q = generate(&a, options(d)).unwrap();
        assert_eq!(q.columns.last().map(String::as_str), Some("custom_tier"));
        assert!(q.warnings.is_empty(), "{:?}", q.warnings);
        assert!(q.sql.contains("THEN 'Big'") && q.sql.contains("ELSE 'Rest'"));
        assert!(q.sql.contains("FROM tiered\nORDER BY customer_id;"));
    }
    // Relative lifecycle is not in the query, so a rule reading it cannot be translated.
    let a = analysis(&format!(
        r#"{{{rules}, "lifecycle": {{"mode": "relative"}}, "cluster": {{"enabled": false}}}}"#
    ));
    let q = generate(&a, options(Dialect::DuckDb)).unwrap();
    assert!(!q.columns.iter().any(|c| c == "custom_tier"));
    let w: Vec<_> = q
        .warnings
        .iter()
        .map(|w| {
            (
                w.params.get("column").cloned(),
                w.params.get("reason").cloned(),
            )
        })
        .collect();
    assert!(w.contains(&(
        Some("custom_tier".into()),
        Some("custom_tier_construct".into())
    )));
}
