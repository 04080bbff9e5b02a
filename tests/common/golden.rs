//! Golden files: the sample's customers.csv and report.json kept under `tests/golden/`, compared byte
//! for byte natively (tests/pipeline.rs) and in Wasm (tests/wasm.rs embeds the same files). A mismatch
//! shows the first differing lines instead of two hashes. `TIERLENS_BLESS=1 cargo test --test pipeline`
//! rewrites the files (native only); review the diff in git before committing them.
#![allow(dead_code)]

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
    if let Some(diff) = first_difference(want, got) {
        panic!(
            "tests/golden/{name} differs from the output; {diff}\
             (regenerate with TIERLENS_BLESS=1 cargo test --test pipeline for an intended change)"
        );
    }
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
