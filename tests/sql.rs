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
fn relative_lifecycle_reads_each_customers_gaps_and_the_recipes_days() {
    let a = analysis(
        r#"{"lifecycle": {"mode": "relative", "activeDays": 41, "lapsingDays": 97},
            "cluster": {"enabled": false}}"#,
    );
    for d in [Dialect::DuckDb, Dialect::Spark] {
        let q = generate(&a, options(d)).unwrap();
        assert!(q.columns.iter().any(|c| c == "lifecycle"));
        assert!(q.warnings.is_empty(), "{:?}", q.warnings);
        assert!(q.sql.contains("\ngaps AS (") && q.sql.contains("LAG(o.day)"));
        // The fallback days of customers without gaps are the recipe's literals.
        assert!(q.sql.contains("CAST(41 AS DOUBLE)") && q.sql.contains("CAST(97 AS DOUBLE)"));
        assert!(q.sql.contains("'At Risk'") && q.sql.contains("'Churned'"));
    }
}

#[test]
fn dialect_names_parse() {
    assert_eq!(Dialect::parse("DuckDB"), Some(Dialect::DuckDb));
    assert_eq!(Dialect::parse("spark"), Some(Dialect::Spark));
    assert_eq!(Dialect::parse("oracle"), None);
}

#[test]
fn custom_tiers_are_a_column_after_the_classes_they_read() {
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
    // A rule reading the relative lifecycle is translated too (the query computes it).
    let a = analysis(&format!(
        r#"{{{rules}, "lifecycle": {{"mode": "relative"}}, "cluster": {{"enabled": false}}}}"#
    ));
    let q = generate(&a, options(Dialect::DuckDb)).unwrap();
    assert!(q.columns.iter().any(|c| c == "custom_tier"));
    assert!(q.warnings.is_empty(), "{:?}", q.warnings);
}
