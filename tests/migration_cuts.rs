//! `compare.cuts` on a hand-built two-period file (issue 14 part 2): the expected matrices are
//! worked out by hand below, for both cut modes, and the report must say which cuts each class
//! used. The segment matrix is not hand-computed here (its quantiles are checked against the
//! earlier run's cut points in tests/migration.rs).
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::float_cmp
)]

use serde_json::Value;

/// Ten customers buy once on 2024-01-15: A 100, B 90, …, J 10. On 2024-05-20 A buys 100 more,
/// F 50 more and K (new) 95.
///
/// Earlier period (asOf 2024-03-01), high-medium-low = 20/30/50 % of 10 spenders ranked by spend:
/// High = A, B (rank/n 0.1, 0.2) · Medium = C, D, E (≤ 0.5) · Low = F … J. Floors: High 90,
/// Medium 60, Low 10. Everyone's last order is 46 days old: Due.
///
/// Current period (asOf 2024-06-01), spend A 200, F 100, K 95, B 90, C 80, D 70, E 60, G 40,
/// H 30, I 20, J 10 (11 spenders).
/// - shares (`cuts: "current"`): High = A, F (1/11, 2/11) · Medium = K, B, C (≤ 5/11) · Low = D … J.
///   B, D and E "drop" a tier without spending differently: artefacts of re-ranking.
/// - floors (`cuts: "previous"`): ≥ 90 High = A, F, K, B · ≥ 60 Medium = C, D, E · Low = G … J.
///
/// Lifecycle (fixed days, the same in both modes): A, F last bought 12 days ago → Active;
/// K first bought 12 days ago → New; the rest 138 days → Lost.
const CSV: &str = "customer_id,date,amount
A,2024-01-15,100
B,2024-01-15,90
C,2024-01-15,80
D,2024-01-15,70
E,2024-01-15,60
F,2024-01-15,50
G,2024-01-15,40
H,2024-01-15,30
I,2024-01-15,20
J,2024-01-15,10
A,2024-05-20,100
F,2024-05-20,50
K,2024-05-20,95
";

fn run(cuts: &str) -> (Value, Value, String) {
    let recipe = format!(
        r#"{{"asOf": "2024-06-01", "cluster": {{"enabled": false}}, "explain": {{"enabled": false}},
        "valueTiers": {{"preset": "high-medium-low"}},
        "customTiers": {{"rules": [{{"when": "tier == \"High\"", "tier": "Top"}}]}},
        "compare": {{"asOf": "2024-03-01", "cuts": "{cuts}"}}}}"#
    );
    let plan = tierlens::Plan::from_json(&recipe).unwrap();
    let earlier_plan = tierlens::pipeline::earlier_plan(&plan).unwrap().unwrap();
    let now = tierlens::Dataset::from_bytes(CSV.as_bytes(), &plan).unwrap();
    let earlier = tierlens::Dataset::from_bytes(CSV.as_bytes(), &earlier_plan).unwrap();
    let (analysis, m) = now.analyze_compared(&plan, &earlier, None).unwrap();
    let movers = String::from_utf8(m.movers_csv()).unwrap();
    (
        serde_json::from_str(&m.to_json()).unwrap(),
        serde_json::to_value(&analysis.report).unwrap(),
        movers,
    )
}

fn class<'a>(m: &'a Value, key: &str) -> &'a Value {
    m["classes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["class"] == key)
        .unwrap_or_else(|| panic!("no class {key}"))
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

fn counts(c: &Value) -> Vec<Vec<u64>> {
    serde_json::from_value(c["counts"].clone()).unwrap()
}

fn revenue(c: &Value) -> Vec<Vec<f64>> {
    serde_json::from_value(c["revenue"].clone()).unwrap()
}

const TIERS_FROM: [&str; 5] = ["High", "Medium", "Low", "No Spend", "(new)"];
const TIERS_TO: [&str; 5] = ["High", "Medium", "Low", "No Spend", "(gone)"];

fn lifecycle_is_the_hand_matrix(m: &Value) {
    let c = class(m, "lifecycle");
    assert_eq!(c["cuts"], "fixed");
    assert_eq!(
        strings(&c["from"]),
        ["Prospect", "New", "Active", "Due", "Lapsing", "Lost", "(new)"]
    );
    // Due → Active: A, F (200 + 100); Due → Lost: the other eight (90 + 80 + … + 10 = 400);
    // (new) → New: K (95).
    let mut want = vec![vec![0u64; 7]; 7];
    want[3][2] = 2;
    want[3][5] = 8;
    want[6][1] = 1;
    assert_eq!(counts(c), want);
    let r = revenue(c);
    assert_eq!((r[3][2], r[3][5], r[6][1]), (300.0, 400.0, 95.0));
}

#[test]
fn cuts_current_re_ranks_the_tiers_and_says_so() {
    let (m, report, _) = run("current");
    let t = class(&m, "valueTier");
    assert_eq!(t["cuts"], "current");
    assert_eq!(strings(&t["from"]), TIERS_FROM);
    assert_eq!(strings(&t["to"]), TIERS_TO);
    // High → High A, High → Medium B · Medium → Medium C, → Low D, E · Low → High F, → Low G…J ·
    // (new) → Medium K.
    assert_eq!(
        counts(t),
        vec![
            vec![1, 1, 0, 0, 0],
            vec![0, 1, 2, 0, 0],
            vec![1, 0, 4, 0, 0],
            vec![0, 0, 0, 0, 0],
            vec![0, 1, 0, 0, 0],
        ]
    );
    assert_eq!(
        revenue(t),
        vec![
            vec![200.0, 90.0, 0.0, 0.0, 0.0],
            vec![0.0, 80.0, 130.0, 0.0, 0.0],
            vec![100.0, 0.0, 100.0, 0.0, 0.0],
            vec![0.0; 5],
            vec![0.0, 95.0, 0.0, 0.0, 0.0],
        ]
    );
    // Top = tier High: A, B then; A, F now.
    let c = class(&m, "customTier");
    assert_eq!(c["cuts"], "current");
    assert_eq!(counts(c), vec![vec![1, 1, 0], vec![1, 7, 0], vec![0, 1, 0]]);
    lifecycle_is_the_hand_matrix(&m);
    assert!(m.get("tierFloors").is_none());
    assert!(report["valueTiers"].get("floors").is_none());
    let s = &report["migration"]["classCuts"];
    assert_eq!(
        (
            &s["segment"],
            &s["value_tier"],
            &s["lifecycle"],
            &s["custom_tier"]
        ),
        (
            &Value::from("current"),
            &Value::from("current"),
            &Value::from("fixed"),
            &Value::from("current")
        )
    );
}

#[test]
fn cuts_previous_holds_the_earlier_tier_floors() {
    let (m, report, movers) = run("previous");
    let t = class(&m, "valueTier");
    assert_eq!(t["cuts"], "previous");
    // High → High A, B · Medium → Medium C, D, E · Low → High F, → Low G…J · (new) → High K.
    assert_eq!(
        counts(t),
        vec![
            vec![2, 0, 0, 0, 0],
            vec![0, 3, 0, 0, 0],
            vec![1, 0, 4, 0, 0],
            vec![0, 0, 0, 0, 0],
            vec![1, 0, 0, 0, 0],
        ]
    );
    assert_eq!(
        revenue(t),
        vec![
            vec![290.0, 0.0, 0.0, 0.0, 0.0],
            vec![0.0, 210.0, 0.0, 0.0, 0.0],
            vec![100.0, 0.0, 100.0, 0.0, 0.0],
            vec![0.0; 5],
            vec![95.0, 0.0, 0.0, 0.0, 0.0],
        ]
    );
    // Top = tier High: A, B then; A, B, F, K now.
    let c = class(&m, "customTier");
    assert_eq!(c["cuts"], "previous");
    assert_eq!(counts(c), vec![vec![2, 0, 0], vec![1, 7, 0], vec![1, 0, 0]]);
    lifecycle_is_the_hand_matrix(&m);
    let floors = serde_json::json!([
        {"name": "High", "floor": 90.0},
        {"name": "Medium", "floor": 60.0},
        {"name": "Low", "floor": 10.0}
    ]);
    assert_eq!(m["tierFloors"], floors);
    assert_eq!(report["valueTiers"]["floors"], floors);
    let s = &report["migration"]["classCuts"];
    assert_eq!(s["value_tier"], "previous");
    assert_eq!(s["segment"], "previous");
    assert_eq!(s["lifecycle"], "fixed");
    // movers.csv: of the value tiers only F and K moved.
    let tier_moves: Vec<&str> = movers
        .lines()
        .filter(|l| l.contains(",value_tier,"))
        .collect();
    assert_eq!(
        tier_moves,
        ["F,value_tier,Low,High", "K,value_tier,(new),High"]
    );
}
