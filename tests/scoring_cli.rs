//! The CLI face of scoring: `--previous` keeps codes across a refresh; bad expressions fail in one line.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/scoring")
        .join(name)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tierlens-scoring-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn codes(csv: &str) -> Vec<(String, String)> {
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let h = r.headers().unwrap().clone();
    let id = h.iter().position(|x| x == "customer_id").unwrap();
    let code = h.iter().position(|x| x == "code").unwrap();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (rec[id].to_string(), rec[code].to_string())
        })
        .collect()
}

#[test]
fn previous_codes_are_kept_through_the_cli() {
    let dir = scratch("previous");
    let bin = env!("CARGO_BIN_EXE_tierlens");
    let first = dir.join("first");
    let out = Command::new(bin)
        .args(["segment"])
        .arg(fixture("ten.csv"))
        .arg("--out")
        .arg(&first)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let second = dir.join("second");
    let out = Command::new(bin)
        .args(["segment"])
        .arg(fixture("ten-refresh.csv"))
        .arg("--out")
        .arg(&second)
        .arg("--previous")
        .arg(first.join("customers.csv"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("codes: 8 kept, 1 moved, 1 new, 1 departed"),
        "{stderr}"
    );
    let before = codes(&std::fs::read_to_string(first.join("customers.csv")).unwrap());
    let after = codes(&std::fs::read_to_string(second.join("customers.csv")).unwrap());
    for (id, code) in &after {
        let old = before
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, c)| c.as_str());
        match id.as_str() {
            "C10" => assert_eq!((old, code.as_str()), (Some("3X-0001"), "3A-0001")),
            "C11" => assert_eq!((old, code.as_str()), (None, "4N-0002")),
            _ => assert_eq!(old, Some(code.as_str()), "{id}"),
        }
    }
    let report = std::fs::read_to_string(second.join("report.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(
        v["codes"]["changes"]["movedExamples"][0]["customerId"],
        "C10"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_expression_is_one_clear_line() {
    let dir = scratch("badexpr");
    let recipe = dir.join("recipe.json");
    std::fs::write(
        &recipe,
        r#"{"customTiers": {"rules": [{"when": "monetary >= 10000 and frequncy >= 12", "tier": "VIP"}]}}"#,
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tierlens"))
        .args(["segment"])
        .arg(fixture("ten.csv"))
        .arg("--out")
        .arg(dir.join("out"))
        .arg("--recipe")
        .arg(&recipe)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("customTiers.rules[0].when at column 23: unknown field \"frequncy\""),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
