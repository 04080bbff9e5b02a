//! Golden files: outputs kept as text under `tests/golden/`, compared byte for byte natively and in
//! Wasm (the wasm32 tests embed the same files with `include_str!`): the sample's customers.csv and
//! report.json (tests/pipeline.rs, tests/wasm.rs), the k-means and clustering texts
//! (tests/cluster.rs, tests/cluster_wasm.rs), the CLV figures on CDNOW (tests/clv.rs,
//! tests/clv_pipeline.rs, tests/clv_wasm.rs). A mismatch shows the first differing lines instead of
//! two hashes. The normal run only compares; `TIERLENS_BLESS=1 cargo test --test <native test>`
//! rewrites the files that test checks (native only) — review the diff in git before committing.
#![allow(dead_code, clippy::panic)]

/// How many lines of each side are shown after the first difference.
const CONTEXT: usize = 3;

/// A readable description of the first difference between `want` and `got`, or `None` when equal.
pub fn first_difference(want: &str, got: &str) -> Option<String> {
    if want == got {
        return None;
    }
    let w: Vec<&str> = want.split('\n').collect();
    let g: Vec<&str> = got.split('\n').collect();
    let at = w
        .iter()
        .zip(&g)
        .position(|(a, b)| a != b)
        .unwrap_or(w.len().min(g.len()));
    let show = |lines: &[&str]| {
        lines
            .iter()
            .skip(at)
            .take(CONTEXT)
            .map(|l| format!("    {l:?}\n"))
            .collect::<String>()
    };
    Some(format!(
        "first difference at line {} (golden has {} lines, output has {}):\n  golden:\n{}  output:\n{}",
        at + 1,
        w.len(),
        g.len(),
        show(&w),
        show(&g)
    ))
}

/// Panics with [`first_difference`] when `got` differs from the golden text `want` of file `name`.
pub fn assert_same(name: &str, want: &str, got: &str) {
    assert_same_as(name, want, got, "pipeline");
}

/// [`assert_same`] for a golden file that the native test `test` writes when blessed.
pub fn assert_same_as(name: &str, want: &str, got: &str, test: &str) {
    if let Some(diff) = first_difference(want, got) {
        panic!(
            "tests/golden/{name} differs from the output; {diff}\
             (regenerate with TIERLENS_BLESS=1 cargo test --test {test} for an intended change)"
        );
    }
}

/// Whether this run writes the golden files instead of comparing (`TIERLENS_BLESS=1`, native only).
pub fn blessing() -> bool {
    cfg!(not(target_arch = "wasm32"))
        && std::env::var_os("TIERLENS_BLESS").is_some_and(|v| v == "1")
}

/// Compares `got` with the golden file `name` (its text `want`, embedded with `include_str!`, so
/// the same comparison runs in Wasm). When [`blessing`], writes `got` to the file instead: the
/// embedded text is then the old one until the test is built again.
pub fn check(name: &str, want: &str, got: &str, test: &str) {
    if blessing() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden")
            .join(name);
        if let Err(e) = std::fs::write(&path, got) {
            panic!("cannot write {}: {e}", path.display());
        }
        return;
    }
    assert_same_as(name, want, got, test);
}

/// report.json with its one volatile part, the crate version (`tierlens_version`, or
/// `tierlensVersion` once the keys are camelCase), replaced by `<version>`: a release bump is not a
/// change of the figures. Everything else is compared as it is.
pub fn without_version(report: &str) -> String {
    let version = format!("\"{}\"", env!("CARGO_PKG_VERSION"));
    report
        .split('\n')
        .map(|line| {
            let t = line.trim_start();
            if t.starts_with("\"tierlensVersion\":") {
                line.replacen(&version, "\"<version>\"", 1)
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
