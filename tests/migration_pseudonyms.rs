//! Movers under the export options (issue 14 part 2): `--pseudonymise` with a `--previous`
//! customers.csv whose ids are pseudonyms of the same passphrase, movers.csv and migration.json
//! under `--drop-columns`, and the coded refusals. The oracle is the plain run: the pseudonyms are
//! read from the two pseudonymised customers.csv (same rows as the plain ones), not recomputed.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const PASSPHRASE: &str = "correct horse battery staple";
const BASE: &str = r#"{"cluster": {"enabled": false}, "explain": {"enabled": false}}"#;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tierlens-m2p-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the CLI; `Ok(stderr)` on success, `Err(stderr)` otherwise.
fn tierlens(args: &[&str], passphrase: Option<&str>) -> Result<String, String> {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tierlens"));
    c.args(args).env_remove("TIERLENS_PASSPHRASE");
    if let Some(p) = passphrase {
        c.env("TIERLENS_PASSPHRASE", p);
    }
    let out = c.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    if out.status.success() {
        Ok(err)
    } else {
        Err(err)
    }
}

fn segment(input: &Path, out: &Path, extra: &[&str], passphrase: Option<&str>) -> PathBuf {
    let mut args = vec![
        "segment",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    tierlens(&args, passphrase).unwrap();
    out.to_path_buf()
}

fn ids(dir: &Path) -> Vec<String> {
    let mut r = csv::Reader::from_path(dir.join("customers.csv")).unwrap();
    let col = r.headers().unwrap().iter().position(|h| h == "customer_id");
    r.records()
        .map(|x| x.unwrap()[col.unwrap()].to_string())
        .collect()
}

/// raw id → pseudonym, from a plain and a pseudonymised customers.csv of the same run.
fn pseudonyms(plain: &Path, pseudo: &Path) -> BTreeMap<String, String> {
    let (a, b) = (ids(plain), ids(pseudo));
    assert_eq!(a.len(), b.len());
    assert!(b.iter().all(|p| p.starts_with("p_")));
    a.into_iter().zip(b).collect()
}

fn movers(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let h = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    (h, rows)
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

struct Setup {
    dir: PathBuf,
    recipe: PathBuf,
    now_input: PathBuf,
    before: PathBuf,
    before_p: PathBuf,
}

/// The fixture as of 2023-12-01 (plain and pseudonymised), and the current file: the whole fixture
/// without three customers of the earlier period, so there are gone customers too.
fn setup(name: &str) -> Setup {
    let dir = scratch(name);
    let recipe = dir.join("base.json");
    std::fs::write(&recipe, BASE).unwrap();
    let fixture = root().join("tests/fixtures/migration/sample.csv");
    let r = recipe.to_str().unwrap();
    let before = segment(
        &fixture,
        &dir.join("before"),
        &["--recipe", r, "--as-of", "2023-12-01"],
        None,
    );
    let before_p = segment(
        &fixture,
        &dir.join("before_p"),
        &["--recipe", r, "--as-of", "2023-12-01", "--pseudonymise"],
        Some(PASSPHRASE),
    );
    let gone: BTreeSet<String> = ids(&before).into_iter().take(3).collect();
    let text = std::fs::read_to_string(&fixture).unwrap();
    let kept: String = text
        .lines()
        .filter(|l| !gone.contains(l.split(',').nth(1).unwrap_or("")))
        .map(|l| format!("{l}\n"))
        .collect();
    let now_input = dir.join("now.csv");
    std::fs::write(&now_input, kept).unwrap();
    Setup {
        dir,
        recipe,
        now_input,
        before,
        before_p,
    }
}

#[test]
fn a_pseudonymised_previous_file_joins_under_the_same_passphrase() {
    let s = setup("join");
    let r = s.recipe.to_str().unwrap();
    let prev = s.before.join("customers.csv");
    let prev_p = s.before_p.join("customers.csv");
    let plain = segment(
        &s.now_input,
        &s.dir.join("plain"),
        &["--recipe", r, "--previous", prev.to_str().unwrap()],
        None,
    );
    let pseudo = segment(
        &s.now_input,
        &s.dir.join("pseudo"),
        &[
            "--recipe",
            r,
            "--previous",
            prev_p.to_str().unwrap(),
            "--pseudonymise",
        ],
        Some(PASSPHRASE),
    );
    // The matrices are the plain run's: every pseudonym joined its customer.
    let (mp, mq) = (
        json(&plain.join("migration.json")),
        json(&pseudo.join("migration.json")),
    );
    assert_eq!(mq["classes"], mp["classes"]);
    let gone = mp["previousCustomers"].as_u64().unwrap() - mp["both"].as_u64().unwrap();
    assert_eq!(gone, 3);
    // movers.csv: the plain rows with each id replaced by its pseudonym — a current customer's
    // from this run's pseudonymised customers.csv, a gone one's from the earlier file's (as it
    // is, not hashed again).
    let mut to_p = pseudonyms(&s.before, &s.before_p);
    to_p.extend(pseudonyms(&plain, &pseudo));
    let (hp, rows_p) = movers(&plain.join("movers.csv"));
    let (hq, rows_q) = movers(&pseudo.join("movers.csv"));
    assert_eq!(hq, hp);
    let want: BTreeSet<Vec<String>> = rows_p
        .iter()
        .map(|x| {
            let mut y = x.clone();
            y[0] = to_p[&x[0]].clone();
            y
        })
        .collect();
    let got: BTreeSet<Vec<String>> = rows_q.iter().cloned().collect();
    assert_eq!(got, want);
    assert_eq!(rows_q.len(), rows_p.len());
    assert!(rows_q.iter().any(|x| x[3] == "(gone)"));
    // Sorted by class, then (pseudonymised) id; migration.json's movers are the same list.
    let mut sorted = rows_q.clone();
    sorted.sort_by(|a, b| (a[1].as_str(), a[0].as_str()).cmp(&(b[1].as_str(), b[0].as_str())));
    let order = ["segment", "value_tier", "lifecycle", "custom_tier"];
    sorted.sort_by_key(|x| order.iter().position(|c| *c == x[1]));
    assert_eq!(rows_q, sorted);
    let listed: Vec<&str> = mq["movers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["customerId"].as_str().unwrap())
        .collect();
    assert_eq!(
        listed,
        rows_q.iter().map(|x| x[0].as_str()).collect::<Vec<_>>()
    );
    let all = std::fs::read_to_string(pseudo.join("migration.json")).unwrap()
        + &std::fs::read_to_string(pseudo.join("movers.csv")).unwrap();
    for raw in to_p.keys() {
        assert!(!all.contains(&format!("\"{raw}\"")) && !all.contains(&format!("\n{raw},")));
    }
}

#[test]
fn a_pseudonymised_previous_file_is_refused_with_a_code_without_its_passphrase() {
    let s = setup("refuse");
    let r = s.recipe.to_str().unwrap();
    let prev_p = s.before_p.join("customers.csv");
    let out = s.dir.join("x");
    let args = [
        "segment",
        s.now_input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--recipe",
        r,
        "--previous",
        prev_p.to_str().unwrap(),
    ];
    let e = tierlens(&args, None).unwrap_err();
    assert!(e.contains("pseudonymised customer ids"), "{e}");
    let mut wrong = args.to_vec();
    wrong.push("--pseudonymise");
    let e = tierlens(&wrong, Some("another passphrase")).unwrap_err();
    assert!(e.contains("under this passphrase"), "{e}");
    // The codes and parameters the page words.
    let plan = tierlens::Plan::from_json(BASE).unwrap();
    let bytes = std::fs::read(&s.now_input).unwrap();
    let mut a = tierlens::Dataset::from_bytes(&bytes, &plan)
        .unwrap()
        .analyze(&plan)
        .unwrap();
    let previous = std::fs::read(&prev_p).unwrap();
    let n = ids(&s.before_p).len().to_string();
    let e = a.migrate_from_csv(&previous, None).unwrap_err();
    assert_eq!(e.code(), "previous_pseudonymised");
    assert_eq!(e.params(), vec![("ids", n.clone())]);
    let other = tierlens::pseudonym::Pseudonymiser::new("another passphrase").unwrap();
    let e = a.migrate_from_csv(&previous, Some(&other)).unwrap_err();
    assert_eq!(e.code(), "previous_pseudonyms_unmatched");
    assert_eq!(e.params(), vec![("ids", n)]);
}

#[test]
fn dropped_columns_leave_movers_out() {
    let s = setup("drop");
    let r = s.recipe.to_str().unwrap();
    let prev = s.before.join("customers.csv");
    let p = prev.to_str().unwrap();
    let plain = segment(
        &s.now_input,
        &s.dir.join("plain"),
        &["--recipe", r, "--previous", p],
        None,
    );
    let (h, all) = movers(&plain.join("movers.csv"));
    let dropped = segment(
        &s.now_input,
        &s.dir.join("dropped"),
        &[
            "--recipe",
            r,
            "--previous",
            p,
            "--drop-columns",
            "value_tier",
        ],
        None,
    );
    let (hd, rows) = movers(&dropped.join("movers.csv"));
    assert_eq!(hd, h);
    let want: Vec<Vec<String>> = all
        .iter()
        .filter(|x| x[1] != "value_tier")
        .cloned()
        .collect();
    assert!(want.len() < all.len());
    assert_eq!(rows, want);
    let m = json(&dropped.join("migration.json"));
    assert!(m["movers"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["class"] != "valueTier"));
    // The matrices name no customer: kept.
    assert_eq!(m["classes"], json(&plain.join("migration.json"))["classes"]);
    let no_ids = segment(
        &s.now_input,
        &s.dir.join("noid"),
        &[
            "--recipe",
            r,
            "--previous",
            p,
            "--drop-columns",
            "customer_id",
        ],
        None,
    );
    let (hn, rows) = movers(&no_ids.join("movers.csv"));
    assert_eq!(hn, ["class", "from", "to"]);
    let want: Vec<Vec<String>> = all.iter().map(|x| x[1..].to_vec()).collect();
    assert_eq!(rows, want);
    assert_eq!(
        json(&no_ids.join("migration.json"))["movers"],
        Value::Array(vec![])
    );
}

#[test]
fn the_cli_writes_the_golden_pseudonymised_movers_of_the_fixture() {
    // tests/migration_wasm.rs compares `moversCsvFor({ passphrase })` with this golden file; here it
    // is kept equal to the CLI's `--pseudonymise` output (TIERLENS_BLESS=1 rewrites it).
    let dir = scratch("golden");
    let fixture = root().join("tests/fixtures/migration/sample.csv");
    let recipe = root().join("tests/fixtures/migration/recipe.json");
    let out = segment(
        &fixture,
        &dir.join("out"),
        &["--recipe", recipe.to_str().unwrap(), "--pseudonymise"],
        Some(PASSPHRASE),
    );
    let got = std::fs::read(out.join("movers.csv")).unwrap();
    let golden = root().join("tests/golden/migration-sample-movers-pseudonymised.csv");
    if std::env::var_os("TIERLENS_BLESS").is_some() {
        std::fs::write(&golden, &got).unwrap();
    }
    assert!(got == std::fs::read(&golden).unwrap());
    // The same rows as the plain golden, ids through this run's pseudonymised customers.csv.
    let plain = segment(
        &fixture,
        &dir.join("plain"),
        &["--recipe", recipe.to_str().unwrap()],
        None,
    );
    let to_p = pseudonyms(&plain, &out);
    let (_, rows) = movers(&root().join("tests/golden/migration-sample-movers.csv"));
    let (_, rows_p) = movers(&golden);
    let want: BTreeSet<Vec<String>> = rows
        .into_iter()
        .map(|mut x| {
            x[0] = to_p[&x[0]].clone();
            x
        })
        .collect();
    assert_eq!(rows_p.into_iter().collect::<BTreeSet<_>>(), want);
}
