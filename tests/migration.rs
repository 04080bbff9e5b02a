//! Migration between two periods (issue 14 part 2). The oracle is two separate CLI runs — the
//! file as of the earlier date and the whole file — whose customers.csv are joined and
//! cross-tabulated here, independently of `src/migration`.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::float_cmp
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The earlier period's analysis date.
const EARLIER: &str = "2023-12-01";
/// The class columns of customers.csv compared (the sample has no custom tier rules).
const CLASSES: [&str; 3] = ["segment", "value_tier", "lifecycle"];
/// Clustering and rules do not change the classes; off, to keep the runs short.
const BASE: &str = r#""cluster": {"enabled": false}, "explain": {"enabled": false}"#;

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("tierlens-migration-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn tierlens(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_tierlens"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "tierlens {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The sample data (two years of orders, 400 customers) in `dir`.
fn sample(dir: &Path) -> String {
    let path = dir.join("sample.csv");
    let p = path.to_str().unwrap().to_string();
    tierlens(&["sample", "--out", &p, "--customers", "400", "--seed", "7"]);
    p
}

fn recipe(dir: &Path, name: &str, json: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, json).unwrap();
    path.to_str().unwrap().to_string()
}

/// Runs `segment` into `dir/out` and returns that directory.
fn segment(input: &str, dir: &Path, out: &str, extra: &[&str]) -> PathBuf {
    let o = dir.join(out);
    let mut args = vec!["segment", input, "--out", o.to_str().unwrap()];
    args.extend_from_slice(extra);
    tierlens(&args);
    o
}

/// customers.csv as id → column → cell.
fn customers(dir: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(dir.join("customers.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let row: BTreeMap<String, String> = h
                .iter()
                .zip(rec.iter())
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            (row["customer_id"].clone(), row)
        })
        .collect()
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The oracle's cross-tab of one class: (from, to) → (customers, current revenue), with "(new)"
/// and "(gone)" for customers of one period only.
type Tab = BTreeMap<(String, String), (u64, f64)>;

fn cross_tab(
    before: &BTreeMap<String, BTreeMap<String, String>>,
    now: &BTreeMap<String, BTreeMap<String, String>>,
    class: &str,
) -> Tab {
    let mut tab = Tab::new();
    let ids: BTreeSet<&String> = before.keys().chain(now.keys()).collect();
    for id in ids {
        let from = before
            .get(id)
            .map_or("(new)".to_string(), |r| r[class].clone());
        let (to, revenue) = now.get(id).map_or(("(gone)".to_string(), 0.0), |r| {
            (r[class].clone(), r["monetary"].parse::<f64>().unwrap())
        });
        let cell = tab.entry((from, to)).or_insert((0, 0.0));
        cell.0 += 1;
        cell.1 += revenue;
    }
    tab
}

/// The non-empty cells of one class of migration.json.
fn tab_of(migration: &Value, class: &str) -> Tab {
    let key = match class {
        "value_tier" => "valueTier",
        other => other,
    };
    let c = migration["classes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["class"] == key)
        .unwrap_or_else(|| panic!("no class {key} in migration.json"));
    let mut tab = Tab::new();
    for (i, from) in c["from"].as_array().unwrap().iter().enumerate() {
        for (j, to) in c["to"].as_array().unwrap().iter().enumerate() {
            let n = c["counts"][i][j].as_u64().unwrap();
            if n > 0 {
                let key = (from.as_str().unwrap().into(), to.as_str().unwrap().into());
                tab.insert(key, (n, c["revenue"][i][j].as_f64().unwrap()));
            }
        }
    }
    tab
}

fn assert_same_tab(got: &Tab, want: &Tab, what: &str) {
    let keys = |t: &Tab| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(got), keys(want), "{what}: cells");
    for (k, (n, r)) in want {
        let (gn, gr) = got[k];
        assert_eq!(gn, *n, "{what}: count of {k:?}");
        // customers.csv prints monetary rounded to 6 decimals.
        assert!(
            (gr - r).abs() <= 1e-4 * (1.0 + r.abs()),
            "{what}: revenue of {k:?}: {gr} vs {r}"
        );
    }
}

struct Runs {
    dir: PathBuf,
    input: String,
    before: PathBuf,
    now: PathBuf,
}

fn runs(name: &str) -> Runs {
    let dir = scratch(name);
    let input = sample(&dir);
    let base = recipe(&dir, "base.json", &format!("{{{BASE}}}"));
    let before = segment(
        &input,
        &dir,
        "before",
        &["--recipe", &base, "--as-of", EARLIER],
    );
    let now = segment(&input, &dir, "now", &["--recipe", &base]);
    Runs {
        dir,
        input,
        before,
        now,
    }
}

#[test]
fn compare_as_of_matrices_equal_the_cross_tab_of_two_runs() {
    let r = runs("asof");
    let cmp = recipe(
        &r.dir,
        "compare.json",
        &format!(r#"{{{BASE}, "compare": {{"asOf": "{EARLIER}"}}}}"#),
    );
    let out = segment(&r.input, &r.dir, "compare", &["--recipe", &cmp]);
    let (before, now) = (customers(&r.before), customers(&r.now));
    assert!(
        before.len() < now.len(),
        "the sample gains customers over time"
    );
    let m = json(&out.join("migration.json"));
    assert_eq!(m["source"], "compareAsOf");
    assert_eq!(m["previousAsOf"], EARLIER);
    assert_eq!(m["cuts"], "current");
    for class in CLASSES {
        assert_same_tab(&tab_of(&m, class), &cross_tab(&before, &now, class), class);
    }
    // With each period's own cut points the current period is the plain run.
    assert_eq!(customers(&out), now);
    // movers.csv: every customer and class that changed, and nothing else.
    let mut want = BTreeSet::new();
    for class in CLASSES {
        for id in before.keys().chain(now.keys()) {
            let from = before.get(id).map_or("(new)", |x| x[class].as_str());
            let to = now.get(id).map_or("(gone)", |x| x[class].as_str());
            if from != to {
                want.insert((
                    id.clone(),
                    class.to_string(),
                    from.to_string(),
                    to.to_string(),
                ));
            }
        }
    }
    let mut rd = csv::Reader::from_path(out.join("movers.csv")).unwrap();
    assert_eq!(
        rd.headers().unwrap(),
        vec!["customer_id", "class", "from", "to"]
    );
    let got: BTreeSet<_> = rd
        .records()
        .map(|x| {
            let x = x.unwrap();
            (
                x[0].to_string(),
                x[1].to_string(),
                x[2].to_string(),
                x[3].to_string(),
            )
        })
        .collect();
    assert!(!want.is_empty());
    assert_eq!(got, want);
    // report.json carries the short summary.
    let report = json(&out.join("report.json"));
    let s = &report["migration"];
    assert_eq!(s["cuts"], "current");
    let new = now.keys().filter(|id| !before.contains_key(*id)).count();
    assert_eq!(s["new"].as_u64().unwrap(), new as u64);
    assert_eq!(s["gone"].as_u64().unwrap(), 0);
}

#[test]
fn previous_customers_csv_gives_the_same_matrices_and_every_matrix_conserves_customers() {
    let r = runs("previous");
    let base = r.dir.join("base.json");
    let before_csv = r.before.join("customers.csv");
    let out = segment(
        &r.input,
        &r.dir,
        "previous",
        &[
            "--recipe",
            base.to_str().unwrap(),
            "--previous",
            before_csv.to_str().unwrap(),
        ],
    );
    let (before, now) = (customers(&r.before), customers(&r.now));
    let m = json(&out.join("migration.json"));
    assert_eq!(m["source"], "previousFile");
    for class in CLASSES {
        assert_same_tab(&tab_of(&m, class), &cross_tab(&before, &now, class), class);
    }
    // Conservation: row sums are the earlier class sizes (the "(new)" row the new customers),
    // column sums the current ones (the "(gone)" column the departed), the total the union.
    let union: BTreeSet<&String> = before.keys().chain(now.keys()).collect();
    for c in m["classes"].as_array().unwrap() {
        let col = match c["class"].as_str().unwrap() {
            "valueTier" => "value_tier",
            other => other,
        };
        let from: Vec<&str> = c["from"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        let to: Vec<&str> = c["to"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        assert_eq!(from.last(), Some(&"(new)"));
        assert_eq!(to.last(), Some(&"(gone)"));
        let counts: Vec<Vec<u64>> = c["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| {
                row.as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_u64().unwrap())
                    .collect()
            })
            .collect();
        let total: u64 = counts.iter().flatten().sum();
        assert_eq!(total, union.len() as u64, "{col}: total");
        for (i, name) in from.iter().enumerate() {
            let want = if *name == "(new)" {
                now.keys().filter(|id| !before.contains_key(*id)).count()
            } else {
                before.values().filter(|x| x[col] == *name).count()
            };
            assert_eq!(
                counts[i].iter().sum::<u64>(),
                want as u64,
                "{col}: row {name}"
            );
        }
        for (j, name) in to.iter().enumerate() {
            let want = if *name == "(gone)" {
                before.keys().filter(|id| !now.contains_key(*id)).count()
            } else {
                now.values().filter(|x| x[col] == *name).count()
            };
            let sum: u64 = counts.iter().map(|row| row[j]).sum();
            assert_eq!(sum, want as u64, "{col}: column {name}");
        }
        assert_eq!(
            counts[from.len() - 1][to.len() - 1],
            0,
            "{col}: (new) → (gone)"
        );
    }
}

/// Score of `v` against ascending cut points as DESIGN documents it: 1 + cut points strictly
/// below (recency reversed: N − that count).
fn by_cuts(v: f64, cuts: &[f64], reversed: bool) -> u8 {
    let above = u8::try_from(cuts.iter().filter(|&&c| v > c).count()).unwrap();
    let bins = u8::try_from(cuts.len()).unwrap() + 1;
    if reversed {
        bins - above
    } else {
        1 + above
    }
}

#[test]
fn cuts_previous_scores_the_current_period_with_the_earlier_cut_points() {
    let r = runs("cuts");
    let cmp = recipe(
        &r.dir,
        "compare.json",
        &format!(r#"{{{BASE}, "compare": {{"asOf": "{EARLIER}", "cuts": "previous"}}}}"#),
    );
    let out = segment(&r.input, &r.dir, "compare", &["--recipe", &cmp]);
    let m = json(&out.join("migration.json"));
    assert_eq!(m["cuts"], "previous");
    assert_eq!(
        json(&out.join("report.json"))["migration"]["cuts"],
        "previous"
    );
    let earlier = json(&r.before.join("report.json"));
    let cuts = |metric: &str| -> Vec<f64> {
        let t = earlier["thresholds"].as_array().unwrap();
        let t = t.iter().find(|t| t["metric"] == metric).unwrap();
        t["cuts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_f64().unwrap())
            .collect()
    };
    let (rc, fc, mc) = (cuts("recency_days"), cuts("frequency"), cuts("monetary"));
    let got = customers(&out);
    let plain = customers(&r.now);
    let mut differs = 0;
    for (id, row) in &got {
        let num = |k: &str| row[k].parse::<f64>().unwrap();
        assert_eq!(
            row["r_score"],
            by_cuts(num("recency_days"), &rc, true).to_string(),
            "{id} r"
        );
        assert_eq!(
            row["f_score"],
            by_cuts(num("frequency"), &fc, false).to_string(),
            "{id} f"
        );
        // monetary is printed rounded: skip values within rounding of a cut point.
        let v = num("monetary");
        if mc.iter().all(|c| (c - v).abs() > 1e-5) {
            assert_eq!(row["m_score"], by_cuts(v, &mc, false).to_string(), "{id} m");
        }
        let p = &plain[id];
        if (&row["r_score"], &row["f_score"], &row["m_score"])
            != (&p["r_score"], &p["f_score"], &p["m_score"])
        {
            differs += 1;
        }
    }
    // The option does something on this data: re-cut quantiles would have scored some
    // customers differently.
    assert!(
        differs > 0,
        "the earlier and the current cut points give the same scores"
    );
    // And the matrices are the cross-tab of the earlier run against this run's classes.
    let before = customers(&r.before);
    for class in CLASSES {
        assert_same_tab(&tab_of(&m, class), &cross_tab(&before, &got, class), class);
    }
}

#[test]
fn the_compare_section_is_checked_with_its_own_codes() {
    let check = |json: &str| {
        tierlens::Recipe::from_json(json)
            .unwrap()
            .check()
            .unwrap_err()
    };
    let e = check(r#"{"compare": {"asOf": "2024-01-01", "cuts": "both"}}"#);
    assert_eq!(
        (e.code(), e.field()),
        ("compare_cuts", Some("compare.cuts"))
    );
    let e = check(r#"{"compare": {"cuts": "previous"}}"#);
    assert_eq!(
        (e.code(), e.field()),
        ("compare_cuts_need_as_of", Some("compare.cuts"))
    );
    let e = check(r#"{"asOf": "2024-01-01", "compare": {"asOf": "2024-01-01"}}"#);
    assert_eq!(
        (e.code(), e.field()),
        ("compare_as_of_order", Some("compare.asOf"))
    );
    assert!(tierlens::Recipe::from_json(
        r#"{"compare": {"asOf": "2024-01-01", "cuts": "previous"}}"#
    )
    .unwrap()
    .check()
    .is_ok());
    // An earlier date after the data's end (so after the default asOf) is refused at run time.
    let csv = "customer_id,date,amount\nA,2024-01-01,10\nB,2024-01-05,30\n";
    let plan = tierlens::Plan::from_json(r#"{"compare": {"asOf": "2024-03-01"}}"#).unwrap();
    let now = tierlens::Dataset::from_bytes(csv.as_bytes(), &plan).unwrap();
    let earlier_plan = tierlens::pipeline::earlier_plan(&plan).unwrap().unwrap();
    let earlier = tierlens::Dataset::from_bytes(csv.as_bytes(), &earlier_plan).unwrap();
    let e = now.analyze_compared(&plan, &earlier, None).unwrap_err();
    assert_eq!(e.code(), "compare_as_of_order");
}

#[test]
fn the_cli_writes_the_golden_migration_of_the_fixture() {
    // The golden files are what tests/migration_wasm.rs compares the Wasm bytes with; this keeps
    // them equal to the native CLI's output (their figures are checked by the oracle tests above).
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = scratch("golden");
    let input = root.join("tests/fixtures/migration/sample.csv");
    let recipe = root.join("tests/fixtures/migration/recipe.json");
    let out = segment(
        input.to_str().unwrap(),
        &dir,
        "out",
        &["--recipe", recipe.to_str().unwrap()],
    );
    let read = |p: PathBuf| std::fs::read(p).unwrap();
    assert!(
        read(out.join("migration.json")) == read(root.join("tests/golden/migration-sample.json"))
    );
    assert!(
        read(out.join("movers.csv")) == read(root.join("tests/golden/migration-sample-movers.csv"))
    );
}
