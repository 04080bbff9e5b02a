//! The shape of the module graph (issue 11): reads every `src/**/*.rs`, collects the `crate::…`
//! (and `super::…`) path edges between modules, and fails on
//!
//! - an edge between top-level modules against the declared layer order (a module may use its own
//!   layer or lower ones; `wasm` and `bin` are faces on top),
//! - a circle between top-level modules,
//! - a circle between the submodules of one module (e.g. `cluster::kmeans` ↔ `cluster::metrics`);
//!   a submodule using its parent's own items (`super::Thing`, e.g. `ingest`'s shared types) is
//!   allowed, the parent being the module's face,
//! - a top-level module that is not declared in a layer (so a new module must be placed).
//!
//! The checker is plain functions on an edge list, tested on hand-made lists below, so it can fail.
//! Exceptions only in [`EXCEPTIONS`], each with its reason.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layer order, low → high (common.md of issue 11). Within a layer any edge is allowed, as
/// long as it makes no circle.
const LAYERS: &[&[&str]] = &[
    // 1. leaves
    &["error", "hashing", "stats", "format", "labels", "warning"],
    // 2. reading
    &["ingest", "orders", "prescan", "sample", "pseudonym"],
    // 3. cleaning: returns rows, does not import `features`
    &["clean"],
    // 4. aggregation
    &["features"],
    // 5. shared analysis leaves
    &["summary", "matrix", "kernel", "clv"],
    // 6. scoring
    &["score"],
    // 7. clustering
    &["cluster"],
    // 7½. explanations: above `cluster` in the drawing, but see FORBIDDEN — they use `matrix`
    &["explain"],
    // 8. settings and what the page asks about them
    &["config", "capabilities", "preview", "reload", "migration"],
    // 9. documents and exports
    &["report", "export", "columns"],
    // 10. the pipeline
    &["pipeline"],
    // 10½. the fitted segmentation as SQL (reads a finished analysis)
    &["sql"],
    // 11. faces
    &["wasm", "bin"],
];

/// Edges the layer order would allow but the design rules out, with the reason.
const FORBIDDEN: &[(&str, &str, &str)] = &[(
    "explain",
    "cluster",
    "explain needs only the feature matrix, which lives in `matrix` so both can use it",
)];

/// Edges tolerated against the rules: `(from, to, reason)`. Keep this empty; an entry needs a reason
/// a reviewer would accept.
const EXCEPTIONS: &[(&str, &str, &str)] = &[];

/// One module-to-module dependency found in a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Edge {
    /// Module path of the using file (`["cluster", "metrics"]`).
    from: Vec<String>,
    /// Module path reached (`["kernel"]`); may end at the item's module, never at the item.
    to: Vec<String>,
    /// The file, for the failure message.
    file: String,
}

/// Module path of a source file: `src/a/b.rs` and `src/a/b/mod.rs` → `[a, b]`; `src/bin/*.rs` →
/// `[bin]`; `src/lib.rs` → `[]`.
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts.first().map(String::as_str) == Some("bin") {
        return vec!["bin".into()];
    }
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_string());
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without comments and without its trailing `#[cfg(test)] mod tests` block
/// (whose `use super::*` means the file itself).
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(at) => &l[..at],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path that starts with `crate::` or `super::` in `code`, as its segments (`use
/// crate::{a::X, b}` gives `[a, X]` and `[b]`; `super` is kept as a segment).
fn paths_in(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    for anchor in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(pos) = code[from..].find(anchor) {
            let start = from + pos;
            from = start + anchor.len();
            // Not part of a longer identifier (`tierlens_crate::`, `$crate::`).
            if start > 0 {
                let prev = bytes[start - 1];
                if prev.is_ascii_alphanumeric() || prev == b'_' || prev == b'$' {
                    continue;
                }
            }
            let head: Vec<String> = if anchor == "super::" {
                vec!["super".into()]
            } else {
                Vec::new()
            };
            let rest = &code[from..];
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    let mut p = head.clone();
                    p.extend(segments(item.trim()));
                    if p.len() > head.len() {
                        out.push(p);
                    }
                }
            } else {
                let mut p = head;
                p.extend(segments(rest));
                out.push(p);
            }
        }
    }
    out
}

/// The leading `a::b::c` identifiers of `s`; `super::super::x` keeps each `super`.
fn segments(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        out.push(rest[..end].to_string());
        match rest[end..].strip_prefix("::") {
            Some(r) => rest = r,
            None => break,
        }
    }
    out
}

/// Resolves a `crate::`/`super::` path used in module `from` to the deepest known module on it.
fn resolve(from: &[String], path: &[String], known: &BTreeSet<Vec<String>>) -> Vec<String> {
    let mut base: Vec<String> = Vec::new();
    let mut rest = path;
    if path.first().map(String::as_str) == Some("super") {
        base = from.to_vec();
        while rest.first().map(String::as_str) == Some("super") {
            base.pop();
            rest = &rest[1..];
        }
    }
    let mut best = base.clone();
    let mut cur = base;
    for seg in rest {
        cur.push(seg.clone());
        if known.contains(&cur) {
            best = cur.clone();
        } else {
            break;
        }
    }
    best
}

/// Reads the edges of every file under `src/`.
fn edges_of_tree(src: &Path) -> (Vec<Edge>, BTreeSet<Vec<String>>) {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: Vec<(PathBuf, Vec<String>)> = files
        .into_iter()
        .map(|f| {
            let m = module_of(f.strip_prefix(src).unwrap());
            (f, m)
        })
        .collect();
    let mut known: BTreeSet<Vec<String>> = BTreeSet::new();
    for (_, m) in &modules {
        for i in 1..=m.len() {
            known.insert(m[..i].to_vec());
        }
    }
    let mut edges = Vec::new();
    for (file, from) in &modules {
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        for p in paths_in(&code) {
            let to = resolve(from, &p, &known);
            if &to != from {
                edges.push(Edge {
                    from: from.clone(),
                    to,
                    file: file.strip_prefix(src).unwrap().display().to_string(),
                });
            }
        }
    }
    edges.sort();
    edges.dedup();
    (edges, known)
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn excepted(from: &str, to: &str) -> bool {
    EXCEPTIONS.iter().any(|&(f, t, _)| f == from && t == to)
}

/// Problems with top-level edges `(from, to, where)`: unknown modules, edges against the order,
/// forbidden edges and circles.
fn check_layers(
    edges: &[(String, String, String)],
    layer_of: &dyn Fn(&str) -> Option<usize>,
    forbidden: &[(&str, &str, &str)],
) -> Vec<String> {
    let mut problems = Vec::new();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to, at) in edges {
        if from == to || excepted(from, to) {
            continue;
        }
        graph.entry(from.clone()).or_default().insert(to.clone());
        match (layer_of(from), layer_of(to)) {
            (None, _) => problems.push(format!("{from} is in no layer ({at})")),
            (_, None) => problems.push(format!("{to} is in no layer (used by {from} in {at})")),
            (Some(a), Some(b)) if b > a => problems.push(format!(
                "{from} (layer {}) uses {to} (layer {}) in {at}: against the layer order",
                a + 1,
                b + 1
            )),
            _ => {}
        }
        if let Some((_, _, why)) = forbidden.iter().find(|f| f.0 == from && f.1 == to) {
            problems.push(format!("{from} uses {to} in {at}: forbidden ({why})"));
        }
    }
    problems.extend(
        circles(&graph)
            .into_iter()
            .map(|c| format!("circle: {}", c.join(" → "))),
    );
    problems
}

/// Every elementary circle found by a depth-first search, one per back edge, as `a → b → … → a`.
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let nodes: BTreeSet<&String> = graph.keys().chain(graph.values().flatten()).collect();
    let mut mark: BTreeMap<&String, Mark> = nodes.iter().map(|&n| (n, Mark::New)).collect();
    let mut found = Vec::new();
    // Iterative DFS (no recursion): a stack of (node, its remaining successors).
    for &root in &nodes {
        if mark[root] != Mark::New {
            continue;
        }
        let mut stack: Vec<(&String, Vec<&String>)> = Vec::new();
        mark.insert(root, Mark::Open);
        let succ = |n: &String| -> Vec<&String> {
            graph
                .get(n)
                .map(|s| s.iter().rev().collect())
                .unwrap_or_default()
        };
        stack.push((root, succ(root)));
        while let Some((node, rest)) = stack.last_mut() {
            let node = *node;
            match rest.pop() {
                Some(next) => match mark[next] {
                    Mark::New => {
                        mark.insert(next, Mark::Open);
                        let s = succ(next);
                        stack.push((next, s));
                    }
                    Mark::Open => {
                        let at = stack.iter().position(|(n, _)| *n == next).unwrap_or(0);
                        let mut c: Vec<String> =
                            stack[at..].iter().map(|(n, _)| (*n).clone()).collect();
                        c.push(next.clone());
                        found.push(c);
                    }
                    Mark::Done => {}
                },
                None => {
                    mark.insert(node, Mark::Done);
                    stack.pop();
                }
            }
        }
    }
    found
}

/// Problems inside one parent module: circles among its children.
fn check_children(edges: &[Edge]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut by_parent: BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for e in edges {
        // The longest common prefix is the parent whose children the edge connects.
        let common = e.from.iter().zip(&e.to).take_while(|(a, b)| a == b).count();
        if common == 0 || e.from.len() <= common {
            // A top-level edge, or a parent using its own child: nothing to check here.
            continue;
        }
        let parent = e.from[..common].to_vec();
        let child = e.from[common].clone();
        if e.to.len() == common {
            // The parent's own items: allowed (see the module doc).
            continue;
        }
        let target = e.to[common].clone();
        by_parent
            .entry(parent)
            .or_default()
            .entry(child)
            .or_default()
            .insert(target);
    }
    for (parent, graph) in by_parent {
        for c in circles(&graph) {
            problems.push(format!(
                "circle in {}: {}",
                parent.join("::"),
                c.join(" → ")
            ));
        }
    }
    problems
}

/// The top-level edges of the tree with the file each comes from.
fn top_level(edges: &[Edge]) -> Vec<(String, String, String)> {
    edges
        .iter()
        .filter_map(|e| {
            let (f, t) = (e.from.first()?, e.to.first()?);
            (f != t).then(|| (f.clone(), t.clone(), e.file.clone()))
        })
        .collect()
}

#[test]
fn the_module_graph_follows_the_layer_order_without_circles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let (edges, known) = edges_of_tree(&src);
    // The reader must see the graph at all (a parser that finds nothing would pass everything).
    assert!(known.contains(&vec!["cluster".to_string(), "kmeans".to_string()]));
    assert!(edges
        .iter()
        .any(|e| e.from == ["cluster"] && e.to == ["summary"]));
    let mut problems = check_layers(&top_level(&edges), &layer_of, FORBIDDEN);
    problems.extend(check_children(&edges));
    for m in known.iter().filter(|m| m.len() == 1) {
        if layer_of(&m[0]).is_none() {
            problems.push(format!("module {} is in no layer: add it to LAYERS", m[0]));
        }
    }
    problems.sort();
    problems.dedup();
    assert!(
        problems.is_empty(),
        "{} problem(s) in the module graph:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

#[test]
fn every_exception_names_a_reason() {
    for (from, to, why) in EXCEPTIONS.iter().chain(FORBIDDEN) {
        assert!(
            why.split_whitespace().count() >= 4,
            "{from} → {to}: say why"
        );
    }
}

// ---- the checker itself, on hand-made edge lists ----

fn hand(list: &[(&str, &str)]) -> Vec<(String, String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string(), "hand.rs".to_string()))
        .collect()
}

fn hand_layer(m: &str) -> Option<usize> {
    ["low", "mid", "high", "top"].iter().position(|&l| l == m)
}

#[test]
fn checker_accepts_a_downward_graph() {
    let e = hand(&[
        ("top", "high"),
        ("high", "mid"),
        ("high", "low"),
        ("mid", "low"),
    ]);
    assert_eq!(check_layers(&e, &hand_layer, &[]), Vec::<String>::new());
}

#[test]
fn checker_finds_a_backwards_edge() {
    let e = hand(&[("high", "mid"), ("low", "high")]);
    let p = check_layers(&e, &hand_layer, &[]);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with("low (layer 1) uses high (layer 3)"),
        "{p:?}"
    );
}

#[test]
fn checker_finds_a_circle_within_one_layer() {
    // Both in one layer, so only the circle is wrong.
    let layer = |m: &str| ["a", "b", "c"].contains(&m).then_some(0);
    let e = hand(&[("a", "b"), ("b", "c"), ("c", "a")]);
    let p = check_layers(&e, &layer, &[]);
    assert_eq!(p, vec!["circle: a → b → c → a".to_string()]);
}

#[test]
fn checker_finds_undeclared_and_forbidden_modules() {
    let e = hand(&[("mid", "stray"), ("high", "mid")]);
    let p = check_layers(&e, &hand_layer, &[("high", "mid", "a reason given here")]);
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(p.iter().any(|m| m.contains("stray is in no layer")));
    assert!(p.iter().any(|m| m.contains("forbidden")));
}

#[test]
fn checker_finds_sibling_circles() {
    let m = |s: &str| s.split("::").map(String::from).collect::<Vec<_>>();
    let edge = |f: &str, t: &str| Edge {
        from: m(f),
        to: m(t),
        file: "x.rs".into(),
    };
    let ok = [
        edge("c::kmeans", "c::stats"),
        edge("c::metrics", "c::stats"),
    ];
    assert_eq!(check_children(&ok), Vec::<String>::new());
    let bad = [
        edge("c::kmeans", "c::metrics"),
        edge("c::metrics", "c::kmeans"),
        edge("c::naming", "c"),
    ];
    let p = check_children(&bad);
    assert_eq!(
        p,
        vec!["circle in c: kmeans → metrics → kmeans".to_string()]
    );
}

#[test]
fn reader_resolves_crate_super_and_grouped_paths() {
    let known: BTreeSet<Vec<String>> = [
        vec!["cluster"],
        vec!["cluster", "kmeans"],
        vec!["cluster", "kmeans", "init"],
        vec!["stats"],
        vec!["report"],
    ]
    .into_iter()
    .map(|v| v.into_iter().map(String::from).collect())
    .collect();
    let code = code_of(
        "use crate::{stats::median, report};\n// use crate::nothing;\nuse super::init::seed;\n\
         let x = crate::cluster::Thing;\nlet y = $crate::no;\n#[cfg(test)]\nmod tests { use crate::zzz; }",
    );
    let from: Vec<String> = ["cluster", "kmeans", "algorithm"]
        .map(String::from)
        .to_vec();
    let got: Vec<Vec<String>> = paths_in(&code)
        .iter()
        .map(|p| resolve(&from, p, &known))
        .collect();
    let want: Vec<Vec<String>> = [
        vec!["stats"],
        vec!["report"],
        vec!["cluster"],
        vec!["cluster", "kmeans", "init"],
    ]
    .into_iter()
    .map(|v| v.into_iter().map(String::from).collect())
    .collect();
    assert_eq!(got, want);
}
