//! Scoring on hand-computed fixtures (tests/fixtures/scoring/).
//!
//! `ten.csv`: ten customers C01..C10 whose recency, frequency and monetary are all distinct, so with the
//! default `edges` method each metric's score is ceil(rank / 2) over the ascending rank (recency
//! reversed). The ranks were chosen so that the customers spread over many segments:
//!
//! | id  | recency | orders | monetary | region | R F M (5 bins) | R F M (3 bins) |
//! |-----|---------|--------|----------|--------|----------------|----------------|
//! | C01 | 1       | 10     | 1000     | 华东   | 5 5 5          | 3 3 3          |
//! | C02 | 11      | 1      | 100      | 华东   | 5 1 1          | 3 1 1          |
//! | C03 | 21      | 3      | 400      | 华东   | 4 2 2          | 3 1 1          |
//! | C04 | 31      | 2      | 200      | 华东   | 4 1 1          | 3 1 1          |
//! | C05 | 41      | 5      | 600      | 华东   | 3 3 3          | 2 2 2          |
//! | C06 | 51      | 4      | 300      | 华北   | 3 2 2          | 2 1 1          |
//! | C07 | 61      | 8      | 900      | 华北   | 2 4 5          | 2 3 3          |
//! | C08 | 71      | 6      | 500      | 华北   | 2 3 3          | 1 2 2          |
//! | C09 | 81      | 9      | 800      | 华北   | 1 5 4          | 1 3 3          |
//! | C10 | 91      | 7      | 700      | 华北   | 1 4 4          | 1 2 2          |
//!
//! Orders are 5 days apart, so tenure = recency + 5 · (orders − 1). With 3 bins the cut points are
//! the 4th and 7th smallest values (a value equal to a cut falls in the lower bin).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use tierlens::score::codes::previous_from_bytes;
use tierlens::score::segments::{preset, PRESETS};
use tierlens::{Analysis, Dataset, Plan, Recipe};

const TEN: &[u8] = include_bytes!("fixtures/scoring/ten.csv");
const TEN_REFRESH: &[u8] = include_bytes!("fixtures/scoring/ten-refresh.csv");
const TIES: &[u8] = include_bytes!("fixtures/scoring/ties.csv");

fn run(bytes: &[u8], recipe_json: &str) -> Analysis {
    let recipe = Recipe::from_json(recipe_json).unwrap();
    tierlens::segment(bytes, &recipe).unwrap()
}

fn column(a: &Analysis, name: &str) -> Vec<String> {
    let csv = String::from_utf8(a.customers_csv()).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let ix = header.iter().position(|h| *h == name).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().get(ix).unwrap().to_string())
        .collect()
}

fn scores(a: &Analysis) -> Vec<[u8; 3]> {
    (0..a.customers.len())
        .map(|i| [a.scores.r[i], a.scores.f[i], a.scores.m[i]])
        .collect()
}

#[test]
fn csv_columns_come_in_the_contract_order() {
    let a = run(TEN, "");
    let csv = String::from_utf8(a.customers_csv()).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(
        header.starts_with(
            "customer_id,recency_days,frequency,monetary,r_score,f_score,m_score,segment,value_tier,lifecycle,cluster,code,action,aov,tenure_days,first_purchase,last_purchase,region"
        ),
        "{header}"
    );
    assert_eq!(
        a.customers.recency_days,
        vec![1, 11, 21, 31, 41, 51, 61, 71, 81, 91]
    );
    assert_eq!(a.customers.frequency, vec![10, 1, 3, 2, 5, 4, 8, 6, 9, 7]);
}

#[test]
fn rfm11_on_ten_customers() {
    let a = run(TEN, "");
    assert_eq!(
        scores(&a),
        vec![
            [5, 5, 5],
            [5, 1, 1],
            [4, 2, 2],
            [4, 1, 1],
            [3, 3, 3],
            [3, 2, 2],
            [2, 4, 5],
            [2, 3, 3],
            [1, 5, 4],
            [1, 4, 4]
        ]
    );
    assert_eq!(
        column(&a, "segment"),
        vec![
            "Champions",
            "Recent Customers",
            "Potential Loyalists",
            "Promising",
            "Potential Loyalists",
            "Need Attention",
            "At Risk",
            "Need Attention",
            "Can't Lose Them",
            "Can't Lose Them"
        ]
    );
    // Potential Loyalists = C03 (21 days, 3 orders, 400) + C05 (41 days, 5 orders, 600).
    let pl = a
        .segment_summary()
        .iter()
        .find(|g| g.name == "Potential Loyalists")
        .unwrap();
    assert_eq!(pl.customers, 2);
    assert!((pl.share - 0.2).abs() < 1e-12);
    assert!((pl.revenue - 1000.0).abs() < 1e-9);
    assert!((pl.revenue_share - 1000.0 / 5500.0).abs() < 1e-12);
    assert!((pl.mean_recency_days - 31.0).abs() < 1e-12);
    assert!((pl.median_frequency - 4.0).abs() < 1e-12);
    assert!((pl.median_monetary - 500.0).abs() < 1e-12);
    // The grid: R5 × FM5 holds C01 only; R1 × FM5 holds C09 (FM 4.5 → 5).
    let grid = &a.report.segments.grid;
    assert_eq!(grid.cells.len(), 25);
    let cell = |r: u8, c: u8| grid.cells.iter().find(|x| x.r == r && x.col == c).unwrap();
    assert_eq!(cell(5, 5).segment.as_deref(), Some("Champions"));
    assert_eq!(cell(5, 5).customers, 1);
    assert!((cell(5, 5).mean_monetary - 1000.0).abs() < 1e-9);
    assert_eq!(cell(1, 5).customers, 1);
    assert_eq!(cell(1, 4).customers, 1);
    assert_eq!(cell(3, 3).segment.as_deref(), Some("Potential Loyalists"));
}

#[test]
fn rf10_on_ten_customers() {
    let a = run(TEN, r#"{"segments": {"preset": "rf10"}}"#);
    assert_eq!(
        column(&a, "segment"),
        vec![
            "Champions",
            "New Customers",
            "Potential Loyalists",
            "Promising",
            "Need Attention",
            "About to Sleep",
            "At Risk",
            "At Risk",
            "Can't Lose Them",
            "At Risk"
        ]
    );
    assert_eq!(
        a.report.segments.grid.axis,
        tierlens::score::segments::GridAxis::F
    );
}

#[test]
fn rfm_ranges_on_ten_customers() {
    let a = run(TEN, r#"{"segments": {"preset": "rfm-ranges"}}"#);
    assert_eq!(
        column(&a, "segment"),
        vec![
            "Champions",
            "New Customers",
            "Loyal Customers",
            "New Customers",
            "Potential Loyalist",
            "Loyal Customers",
            "Can't Lose Them",
            "Loyal Customers",
            "At Risk",
            "Can't Lose Them"
        ]
    );
    assert!(a
        .report
        .warnings
        .iter()
        .any(|w| w.code == "rules_unassigned"
            && w.params["unassigned"] == "10"
            && w.params["cells"] == "125"
            && w.message.contains("leave 10 of 125 score cells unassigned")));
}

#[test]
fn three_level_on_ten_customers() {
    let a = run(
        TEN,
        r#"{"score": {"bins": 3}, "segments": {"preset": "three-level"}}"#,
    );
    assert_eq!(
        scores(&a),
        vec![
            [3, 3, 3],
            [3, 1, 1],
            [3, 1, 1],
            [3, 1, 1],
            [2, 2, 2],
            [2, 1, 1],
            [2, 3, 3],
            [1, 2, 2],
            [1, 3, 3],
            [1, 2, 2]
        ]
    );
    assert_eq!(
        column(&a, "segment"),
        vec![
            "Champions",
            "Recent",
            "Recent",
            "Recent",
            "Needs Attention",
            "Needs Attention",
            "Loyal",
            "At Risk",
            "At Risk",
            "At Risk"
        ]
    );
    // three-level is written for 3 bins: with the default 5 the recipe is refused, clearly.
    let e = Plan::from_json(r#"{"segments": {"preset": "three-level"}}"#).unwrap_err();
    assert!(e.to_string().contains("3 bins"), "{e}");
    assert_eq!(
        (e.code(), e.field()),
        ("segment_bins_mismatch", Some("segments"))
    );
}

#[test]
fn tied_frequencies_collapse_the_bins_and_say_so() {
    let a = run(TIES, "");
    // Frequencies 1 ×7, 2, 3, 5: quintile cut points 1, 1, 1, 2.2 → F scores 1, 4, 5 only.
    let f = &a.report.thresholds[1];
    assert_eq!(f.metric, "frequency");
    assert_eq!(f.cuts.len(), 4);
    assert!(f.cuts[..3].iter().all(|&c| c == 1.0));
    assert!((f.cuts[3] - 2.2).abs() < 1e-12);
    assert!(f.collapsed);
    assert_eq!(f.scores_used, vec![1, 4, 5]);
    assert_eq!(a.scores.f, vec![1, 1, 1, 1, 1, 1, 1, 4, 5, 5]);
    assert_eq!(a.scores.m, vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    assert_eq!(a.scores.r, vec![5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    assert!(a.report.warnings.iter().any(|w| w.code == "bins_collapsed"
        && w.params["metric"] == "frequency"
        && w.message.starts_with("frequency: tied values collapse")));
    assert_eq!(
        column(&a, "segment"),
        vec![
            "Recent Customers",
            "Recent Customers",
            "Potential Loyalists",
            "Potential Loyalists",
            "Need Attention",
            "Need Attention",
            "Need Attention",
            "At Risk",
            "Can't Lose Them",
            "Can't Lose Them"
        ]
    );
    // rankFirst splits ties by customer id: equal counts per score, nothing collapses.
    let a = run(TIES, r#"{"score": {"method": "rankFirst"}}"#);
    assert_eq!(a.scores.f, vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    assert!(!a.report.thresholds[1].collapsed);
}

#[test]
fn coverage_of_the_four_presets() {
    for name in PRESETS {
        let p = preset(name).unwrap();
        let c = p.coverage();
        if name == "rfm-ranges" {
            assert_eq!(c.cells, 125);
            assert_eq!(
                c.unassigned,
                vec![
                    [2, 1, 5],
                    [2, 4, 1],
                    [2, 5, 1],
                    [2, 5, 2],
                    [3, 4, 1],
                    [3, 5, 1],
                    [4, 4, 1],
                    [4, 5, 1],
                    [5, 4, 1],
                    [5, 5, 1]
                ]
            );
            // Range rules overlap (first match wins) and the check says where.
            assert!(c
                .overlapping
                .iter()
                .any(|(cell, segs)| *cell == [5, 5, 5] && segs[0] == "Champions"));
        } else {
            assert!(c.unassigned.is_empty(), "{name}");
            assert!(c.overlapping.is_empty(), "{name}");
        }
    }
}

#[test]
fn value_tiers_and_pareto() {
    // Spenders ranked by monetary: C01 1000, C07 900 | C09 800, C10 700, C05 600 | the rest.
    let a = run(TEN, "");
    assert_eq!(
        column(&a, "value_tier"),
        vec![
            "Gold", "Bronze", "Bronze", "Bronze", "Silver", "Bronze", "Gold", "Bronze", "Silver",
            "Silver"
        ]
    );
    // 5 % of 10 customers is half a customer: Platinum stays empty and a warning says so.
    assert_eq!(a.report.value_tiers.summary[0].customers, 0);
    assert!(a.report.warnings.iter().any(|w| w.code == "tier_empty"
        && w.params["tier"] == "Platinum"
        && w.message.contains("\"Platinum\" is empty")));
    let p = &a.report.value_tiers.pareto;
    assert_eq!(p.top_customers, 2);
    assert!((p.revenue_share.unwrap() - 1900.0 / 5500.0).abs() < 1e-12);

    let a = run(
        TEN,
        r#"{"valueTiers": {"preset": "high-medium-low", "zeroSpend": "Never bought"}}"#,
    );
    assert_eq!(
        column(&a, "value_tier"),
        vec!["High", "Low", "Low", "Low", "Medium", "Low", "High", "Low", "Medium", "Medium"]
    );
    assert_eq!(a.classes.tier_names.last().unwrap(), "Never bought");
    let a = run(
        TEN,
        r#"{"valueTiers": {"bands": [{"name": "Top", "percent": 30}, {"name": "Rest", "percent": 70}]}}"#,
    );
    assert_eq!(a.report.value_tiers.summary[0].customers, 3);
}

#[test]
fn lifecycle_fixed_and_relative() {
    let a = run(TEN, "");
    assert_eq!(
        column(&a, "lifecycle"),
        vec![
            "Active", "New", "Active", "Due", "Due", "Due", "Lapsing", "Lapsing", "Lapsing", "Lost"
        ]
    );
    // Relative: every gap is 5 days, so anyone with recency > 5 and two or more orders is past its
    // longest gap (Churned); C02 is New; C01 (recency 1) is Active.
    let a = run(TEN, r#"{"lifecycle": {"mode": "relative"}}"#);
    assert_eq!(
        column(&a, "lifecycle"),
        vec![
            "Active", "New", "Churned", "Churned", "Churned", "Churned", "Churned", "Churned",
            "Churned", "Churned"
        ]
    );
    let a = run(
        TEN,
        r#"{"lifecycle": {"newDays": 0, "activeDays": 100, "dueDays": 100, "lapsingDays": 100}}"#,
    );
    assert!(column(&a, "lifecycle").iter().all(|s| s == "Active"));
}

#[test]
fn custom_rule_tiers_first_match_wins() {
    let a = run(
        TEN,
        r#"{"customTiers": {"rules": [
            {"when": "monetary >= 800 and frequency >= 8", "tier": "VIP"},
            {"when": "region == \"华东\"", "tier": "East"}
        ], "otherwise": "Standard"}}"#,
    );
    assert_eq!(
        column(&a, "custom_tier"),
        vec![
            "VIP", "East", "East", "East", "East", "Standard", "VIP", "Standard", "VIP", "Standard"
        ]
    );
    assert_eq!(a.report.custom_tiers[0].customers, 3);
    let e = Plan::from_json(
        r#"{"customTiers": {"rules": [{"when": "monetary >= 10000 and", "tier": "VIP"}]}}"#,
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_expression");
    assert_eq!(
        e.to_string(),
        "invalid expression in customTiers.rules[0].when at column 22: expected a value but found the end of the expression"
    );
}

#[test]
fn codes_follow_the_template_and_survive_a_refresh() {
    let a = run(TEN, "");
    let codes = column(&a, "code");
    assert_eq!(
        codes,
        vec![
            "2A-0001", "4N-0001", "4A-0001", "4D-0001", "3D-0001", "4D-0002", "2L-0001", "4L-0001",
            "3L-0001", "3X-0001"
        ]
    );
    let a = run(
        TEN,
        r#"{"codes": {"template": "{region}{tier}-{seq:03}", "maps": {"region": {"华东": "E"}, "tier": {"Gold": "G"}}}}"#,
    );
    assert_eq!(
        column(&a, "code"),
        vec![
            "EG-001", "E4-001", "E4-002", "E4-003", "E3-001", "A4-001", "AG-001", "A4-002",
            "A3-001", "A3-002"
        ]
    );

    // Refresh: C04 left, C10 bought again (3X → 3A), C11 is new; everyone else keeps the code.
    let old = run(TEN, "");
    let previous = previous_from_bytes(&old.customers_csv()).unwrap();
    let recipe = Recipe::default();
    let fresh = Dataset::from_bytes(TEN_REFRESH, &recipe)
        .unwrap()
        .analyze_with(&recipe, Some(&previous))
        .unwrap();
    assert_eq!(
        fresh.customers.ids,
        vec!["C01", "C02", "C03", "C05", "C06", "C07", "C08", "C09", "C10", "C11"]
    );
    assert_eq!(
        column(&fresh, "code"),
        vec![
            "2A-0001", "4N-0001", "4A-0001", "3D-0001", "4D-0002", "2L-0001", "4L-0001", "3L-0001",
            "3A-0001", "4N-0002"
        ]
    );
    assert_eq!(
        column(&fresh, "code_change"),
        vec!["kept", "kept", "kept", "kept", "kept", "kept", "kept", "kept", "moved", "new"]
    );
    assert_eq!(column(&fresh, "previous_code")[8], "3X-0001");
    let ch = &fresh.report.codes.changes;
    assert_eq!((ch.kept, ch.moved, ch.new, ch.departed), (8, 1, 1, 1));
    assert_eq!(ch.moved_examples[0].customer_id, "C10");
    assert_eq!(ch.moved_examples[0].to, "3A-0001");
}

#[test]
fn actions_cross_tab_and_recipe_echo() {
    let a = run(
        TEN,
        r#"{"actions": {"language": "zh", "text": {"Lost": "停止投入"}}}"#,
    );
    let actions = column(&a, "action");
    assert_eq!(
        actions[0],
        "重点维护：专属权益、新品优先体验，邀请评价与转介绍"
    );
    let a = run(
        TEN,
        r#"{"actions": {"basis": "lifecycle", "text": {"Lost": "Stop spending"}}}"#,
    );
    assert_eq!(column(&a, "action")[9], "Stop spending");
    assert_eq!(a.report.actions.table.len(), 6);

    let t = &a.report.crosstabs[0];
    assert_eq!(t.columns_by, "region");
    assert_eq!(t.columns, vec!["华东", "华北"]);
    let pl = t
        .rows
        .iter()
        .position(|r| r == "Potential Loyalists")
        .unwrap();
    assert_eq!(t.counts[pl], vec![2, 0]);
    // lift = 2 · 10 / (2 · 5) = 2.
    assert!((t.lift[pl][0] - 2.0).abs() < 1e-12);

    let json = a.report_json();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["recipe"]["actions"]["basis"], "lifecycle");
    assert_eq!(
        v["recipe"]["valueTiers"]["preset"],
        "platinum-gold-silver-bronze"
    );
    assert_eq!(v["recipe"]["codes"]["template"], "{tier}{stage}-{seq:04}");
    assert_eq!(v["recipe"]["lifecycle"]["lapsingDays"], 90);
    // Unknown keys in the new sections are refused.
    let e = Recipe::from_json(r#"{"valueTiers": {"percent": 5}}"#).unwrap_err();
    assert_eq!(e.code(), "recipe_syntax");
}

#[test]
fn the_documented_recipe_example_is_valid() {
    // Same JSON as in the `tierlens::score` module docs.
    let r = Recipe::from_json(
        r#"{
  "score": { "bins": 5, "method": "edges", "cuts": { "monetary": [50, 200, 1000, 5000] } },
  "segments": { "preset": "rfm11" },
  "valueTiers": { "preset": "platinum-gold-silver-bronze", "zeroSpend": "No Spend", "paretoPercent": 20 },
  "lifecycle": { "mode": "fixed", "newDays": 30, "activeDays": 30, "dueDays": 60, "lapsingDays": 90,
                 "usualGap": "p80" },
  "customTiers": { "rules": [{ "when": "monetary >= 10000 and frequency >= 12", "tier": "VIP" }],
                   "otherwise": "Other" },
  "codes": { "template": "{tier}{stage}-{seq:04}", "maps": { "region": { "华东": "E" } } },
  "actions": { "basis": "segment", "language": "en", "text": { "Champions": "Call them" } }
}"#,
    )
    .unwrap();
    let a = tierlens::segment(TEN, &r).unwrap();
    // Custom monetary cuts 50/200/1000/5000: 1000 is not above 1000 → M 3; 100 → 2.
    assert_eq!(a.scores.m[0], 3);
    assert_eq!(a.scores.m[1], 2);
    // C01: R5, F5, M3 → FM 4 → Champions, whose action text the recipe replaces.
    assert_eq!(column(&a, "segment")[0], "Champions");
    assert_eq!(column(&a, "action")[0], "Call them");
    let bad = Plan::from_json(r#"{"score": {"cuts": {"monetary": [5, 1, 2, 3]}}}"#).unwrap_err();
    assert!(bad.to_string().contains("score.cuts.monetary"), "{bad}");
    assert_eq!(bad.code(), "cut_order");
}

#[test]
fn an_edited_table_replaces_the_preset() {
    // rfm11 with the top-left cell renamed: C02 (R5, FM1) becomes "Fresh".
    let mut table = preset("rfm11").unwrap().table().unwrap();
    table.rows[0][0] = "Fresh".into();
    let json = format!(
        r#"{{"segments": {{"table": {}}}}}"#,
        serde_json::to_string(&table).unwrap()
    );
    let a = run(TEN, &json);
    let seg = column(&a, "segment");
    assert_eq!(seg[1], "Fresh");
    assert_eq!(seg[0], "Champions");
    assert!(a.report.segments.coverage.unassigned.is_empty());
}

#[test]
fn a_recipe_is_checked_once_and_every_path_reports_the_same_error() {
    let bad = Recipe::from_json(
        r#"{"customTiers": {"rules": [{"when": "monetary >= 1 andd", "tier": "VIP"}]}}"#,
    )
    .unwrap();
    let e = bad.check().unwrap_err();
    assert_eq!(
        (e.code(), e.field(), e.position()),
        (
            "invalid_expression",
            Some("customTiers.rules[0].when"),
            Some(15)
        )
    );
    assert_eq!(tierlens::segment(TEN, &bad).unwrap_err(), e);
    assert_eq!(
        tierlens::Loader::two_pass(&bad, None).err(),
        Some(e.clone())
    );
    let ds = Dataset::from_bytes(TEN, &Recipe::default()).unwrap();
    assert_eq!(ds.analyze(&bad).unwrap_err(), e);
    // One plan, loaded with and analysed twice, gives what a bare recipe gives.
    let plan = Recipe::default().check().unwrap();
    let ds = Dataset::from_bytes(TEN, &plan).unwrap();
    let first = ds.analyze(&plan).unwrap();
    assert_eq!(first.report, ds.analyze(&plan).unwrap().report);
    assert_eq!(first.customers_csv(), run(TEN, "").customers_csv());
}
