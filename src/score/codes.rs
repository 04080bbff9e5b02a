//! Classification codes: a template over the customer's classes plus a sequence number.
//!
//! The template (recipe `codes.template`, default `{tier}{stage}-{seq:04}`) mixes literal text with
//! placeholders: `{region}`, `{tier}`, `{stage}`, `{segment}`, `{custom}`, `{r}`, `{f}`, `{m}` and
//! exactly one `{seq}` or `{seq:0N}` (zero-padded to N digits; wider numbers are never cut). Each
//! class value becomes a short token through the mapping tables in `codes.maps`; values missing from a
//! table get a default token:
//!
//! - tier: its position in the tier list, top tier `1`; the zero-spend tier `0`;
//! - stage: Prospect `P`, New `N`, Active `A`, Due `D`, Lapsing `L`, Lost `X`, At Risk `R`,
//!   Churned `C` (other names: their first letter, upper-cased);
//! - segment: its two-digit position in the rule set (`01`, `02`, …); custom tier: its position;
//! - region: letters `A`, `B`, … over the regions sorted by name (those not mapped), `0` when the
//!   customer has no region. These depend on the regions present, so give a `region` table when codes
//!   must survive a refresh that adds regions.
//!
//! Everything but the sequence is the customer's *class key*. Sequences run within each key from 1 in
//! customer-id order, so codes are deterministic and unique. With a previous code map (from an earlier
//! `customers.csv` or a `{ "id": "code" }` JSON object), a customer whose previous code still fits its
//! class key keeps it; everyone else gets the next unused number of their key (numbers of departed or
//! moved customers are not reused), and the report lists who moved.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Mapping tables from class values to code tokens.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct CodeMaps {
    /// Region name → token (the key `""` maps customers without a region).
    pub region: BTreeMap<String, String>,
    /// Value tier → token.
    pub tier: BTreeMap<String, String>,
    /// Lifecycle stage → token.
    pub stage: BTreeMap<String, String>,
    /// Segment → token.
    pub segment: BTreeMap<String, String>,
    /// Custom tier → token.
    pub custom: BTreeMap<String, String>,
}

/// Code settings of the recipe (`codes`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct CodeOptions {
    /// Code template (default `{tier}{stage}-{seq:04}`).
    pub template: String,
    /// Mapping tables.
    pub maps: CodeMaps,
}

impl Default for CodeOptions {
    fn default() -> Self {
        CodeOptions {
            template: "{tier}{stage}-{seq:04}".into(),
            maps: CodeMaps::default(),
        }
    }
}

/// A placeholder of the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// `{region}`
    Region,
    /// `{tier}`
    Tier,
    /// `{stage}`
    Stage,
    /// `{segment}`
    Segment,
    /// `{custom}`
    Custom,
    /// `{r}`
    R,
    /// `{f}`
    F,
    /// `{m}`
    M,
}

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Lit(String),
    Slot(Slot),
    Seq(usize),
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pieces: Vec<Piece>,
}

fn template_error(column: usize, message: impl Into<String>) -> Error {
    Error::InvalidExpression {
        field: "codes.template".into(),
        column,
        message: message.into(),
    }
}

/// Most characters a template may have. Every customer's code is about as long as the template,
/// so a 1 MB template made 3.5 GB of codes for 3 500 customers.
pub const MAX_TEMPLATE_CHARS: usize = 200;

/// Most characters of one token in `codes.maps`: with the template bound, a code stays under
/// 200 + 8 × 32 characters plus its sequence number.
pub const MAX_TOKEN_CHARS: usize = 32;

impl CodeMaps {
    /// Checks the token lengths (see [`MAX_TOKEN_CHARS`]); errors name the table entry.
    pub fn validate(&self) -> Result<()> {
        let tables = [
            ("region", &self.region),
            ("tier", &self.tier),
            ("stage", &self.stage),
            ("segment", &self.segment),
            ("custom", &self.custom),
        ];
        for (table, map) in tables {
            if let Some((k, _)) = map
                .iter()
                .find(|(_, v)| v.chars().count() > MAX_TOKEN_CHARS)
            {
                return Err(Error::recipe(
                    format!("codes.maps.{table}"),
                    format!(
                        "the token of {k:?} is longer than {MAX_TOKEN_CHARS} characters; codes are meant to be short"
                    ),
                ));
            }
        }
        Ok(())
    }
}

impl Template {
    /// Parses a template; errors give the 1-based column.
    pub fn parse(src: &str) -> Result<Template> {
        if src.chars().count() > MAX_TEMPLATE_CHARS {
            return Err(template_error(
                MAX_TEMPLATE_CHARS + 1,
                format!("the template is longer than {MAX_TEMPLATE_CHARS} characters; codes are meant to be short"),
            ));
        }
        let mut pieces = Vec::new();
        let mut lit = String::new();
        let mut seqs = 0;
        let mut chars = src.chars().enumerate().peekable();
        while let Some((pos, c)) = chars.next() {
            match c {
                '{' => {
                    let mut name = String::new();
                    let mut closed = false;
                    for (_, d) in chars.by_ref() {
                        if d == '}' {
                            closed = true;
                            break;
                        }
                        name.push(d);
                    }
                    if !closed {
                        return Err(template_error(pos + 1, "\"{\" is not closed with \"}\""));
                    }
                    if !lit.is_empty() {
                        pieces.push(Piece::Lit(std::mem::take(&mut lit)));
                    }
                    let piece = match name.trim() {
                        "region" => Piece::Slot(Slot::Region),
                        "tier" | "value_tier" => Piece::Slot(Slot::Tier),
                        "stage" | "lifecycle" => Piece::Slot(Slot::Stage),
                        "segment" => Piece::Slot(Slot::Segment),
                        "custom" | "custom_tier" => Piece::Slot(Slot::Custom),
                        "r" => Piece::Slot(Slot::R),
                        "f" => Piece::Slot(Slot::F),
                        "m" => Piece::Slot(Slot::M),
                        "seq" => Piece::Seq(0),
                        other => {
                            let width = other
                                .strip_prefix("seq:")
                                .and_then(|w| w.parse::<usize>().ok())
                                .filter(|w| *w <= 12);
                            match width {
                                Some(w) => Piece::Seq(w),
                                None => {
                                    return Err(template_error(
                                        pos + 1,
                                        format!(
                                            "unknown placeholder {{{other}}}; use region, tier, stage, segment, custom, r, f, m, seq or seq:0N"
                                        ),
                                    ))
                                }
                            }
                        }
                    };
                    if matches!(piece, Piece::Seq(_)) {
                        seqs += 1;
                    }
                    pieces.push(piece);
                }
                '}' => return Err(template_error(pos + 1, "\"}\" without \"{\"")),
                _ => lit.push(c),
            }
        }
        if !lit.is_empty() {
            pieces.push(Piece::Lit(lit));
        }
        if seqs != 1 {
            return Err(template_error(
                1,
                format!(
                    "the template needs exactly one {{seq}} (found {seqs}), so codes are unique"
                ),
            ));
        }
        Ok(Template { pieces })
    }

    /// Slots used by the template.
    pub fn slots(&self) -> Vec<Slot> {
        self.pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Slot(s) => Some(*s),
                _ => None,
            })
            .collect()
    }

    /// Renders the class key: (text before the sequence, text after it) and the sequence width.
    pub fn key(&self, token: &dyn Fn(Slot) -> String) -> (String, String, usize) {
        let mut before = String::new();
        let mut after = String::new();
        let mut width = 0;
        let mut seen_seq = false;
        for p in &self.pieces {
            let out = if seen_seq { &mut after } else { &mut before };
            match p {
                Piece::Lit(s) => out.push_str(s),
                Piece::Slot(s) => out.push_str(&token(*s)),
                Piece::Seq(w) => {
                    width = *w;
                    seen_seq = true;
                }
            }
        }
        (before, after, width)
    }
}

/// Default stage token.
pub fn stage_token(name: &str) -> String {
    match name {
        "Prospect" => "P".into(),
        "New" => "N".into(),
        "Active" => "A".into(),
        "Due" => "D".into(),
        "Lapsing" => "L".into(),
        "Lost" => "X".into(),
        "At Risk" => "R".into(),
        "Churned" => "C".into(),
        other => other
            .chars()
            .next()
            .map(|c| c.to_uppercase().collect())
            .unwrap_or_default(),
    }
}

/// Letters A..Z, then AA, AB, … for index 0, 1, …
pub fn letters(mut i: usize) -> String {
    let mut out = Vec::new();
    while let Some(c) = u8::try_from(i % 26).ok().map(|d| char::from(b'A' + d)) {
        out.push(c);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.iter().rev().collect()
}

/// Default region tokens: letters over the distinct unmapped region names, sorted.
pub fn region_tokens<'a>(
    regions: impl Iterator<Item = Option<&'a str>>,
    map: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let distinct: std::collections::BTreeSet<&str> = regions.flatten().collect();
    let mut out = map.clone();
    let taken: HashSet<String> = map.values().cloned().collect();
    let mut next = 0usize;
    for r in distinct {
        if out.contains_key(r) {
            continue;
        }
        let mut t = letters(next);
        while taken.contains(&t) {
            next += 1;
            t = letters(next);
        }
        next += 1;
        out.insert(r.to_string(), t);
    }
    out.entry(String::new()).or_insert_with(|| "0".into());
    out
}

/// A previous code map: customer id → code.
pub type CodeMap = BTreeMap<String, String>;

/// Undoes the formula guard of [`crate::report::safe_cell`].
fn unguard(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

/// Reads a previous code map from a tierlens `customers.csv` (columns `customer_id` and `code`) or
/// from a JSON object `{ "customer id": "code", … }`.
pub fn previous_from_bytes(bytes: &[u8]) -> Result<CodeMap> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Error::UnsupportedFormat("the previous code map is not UTF-8".into()))?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('{') {
        return serde_json::from_str::<CodeMap>(text).map_err(|e| {
            Error::UnsupportedFormat(format!(
                "the previous code map is not a JSON object of id → code: {e}"
            ))
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| Error::UnsupportedFormat(format!("previous customers.csv: {e}")))?
        .clone();
    let find = |name: &str| header.iter().position(|h| h.trim() == name);
    let (Some(id_col), Some(code_col)) = (find("customer_id"), find("code")) else {
        return Err(Error::MissingColumn {
            role: "previous code map".into(),
            looked_for: "customer_id and code".into(),
            found: header.iter().collect::<Vec<_>>().join(", "),
        });
    };
    let mut map = CodeMap::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| Error::BadRow {
            row: u64::try_from(i + 2).unwrap_or(u64::MAX),
            column: None,
            message: format!("previous customers.csv: {e}"),
        })?;
        if let (Some(id), Some(code)) = (rec.get(id_col), rec.get(code_col)) {
            if !code.is_empty() {
                map.insert(unguard(id).to_string(), unguard(code).to_string());
            }
        }
    }
    Ok(map)
}

/// A customer whose class changed since the previous code map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moved {
    /// Customer id.
    pub customer_id: String,
    /// Previous code.
    pub from: String,
    /// New code.
    pub to: String,
}

/// How codes relate to a previous code map.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CodeChanges {
    /// Whether a previous map was given.
    pub previous: bool,
    /// Customers who kept their previous code.
    pub kept: usize,
    /// Customers whose class changed (count).
    pub moved: usize,
    /// Customers not in the previous map.
    pub new: usize,
    /// Customers in the previous map but not in this file.
    pub departed: usize,
    /// The first 1000 moved customers (all of them are in `customers.csv`, columns `previous_code` and
    /// `code_change`).
    pub moved_examples: Vec<Moved>,
}

/// Per-customer outcome against the previous map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum CodeChange {
    /// No previous map given.
    None,
    /// Kept the previous code.
    Kept,
    /// Had a previous code, class changed.
    Moved,
    /// Not in the previous map.
    New,
}

impl CodeChange {
    /// Lower-case label for the CSV.
    pub fn label(self) -> &'static str {
        match self {
            CodeChange::None => "",
            CodeChange::Kept => "kept",
            CodeChange::Moved => "moved",
            CodeChange::New => "new",
        }
    }
}

/// Digits between `before` and `after` in `code`, if the code has that shape.
fn seq_of(code: &str, before: &str, after: &str) -> Option<u64> {
    let mid = code.strip_prefix(before)?.strip_suffix(after)?;
    // At most 12 digits, so counters that continue from a previous number cannot overflow.
    if mid.is_empty() || mid.len() > 12 || !mid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    mid.parse().ok()
}

/// A class key: text before the sequence, text after it, sequence width.
pub type Key = (String, String, usize);

/// Assigns codes. `key_of[i]` indexes `keys` for customer `ids[i]`; ids are in id order.
///
/// Memory stays near one code per customer: keys are interned by the caller, and uniqueness is checked
/// with borrowed strings; only when two different keys render the same text (`A1` + `11` and
/// `A11` + `1`, possible with an unpadded `{seq}`) are the later duplicates renumbered.
pub fn assign(
    ids: &[String],
    key_of: &[u32],
    keys: &[Key],
    previous: Option<&CodeMap>,
) -> (Vec<String>, Vec<CodeChange>, CodeChanges) {
    let n = ids.len();
    let key = |i: usize| -> Option<&Key> { key_of.get(i).and_then(|&k| keys.get(k as usize)) };
    // Counters start after the highest number a previous code used in the key, so the numbers of
    // departed or moved customers are never handed to someone else.
    let mut next: Vec<u64> = vec![0; keys.len()];
    if let Some(prev) = previous {
        for code in prev.values() {
            for ((b, a, _), slot) in keys.iter().zip(next.iter_mut()) {
                if let Some(s) = seq_of(code, b, a) {
                    *slot = (*slot).max(s);
                }
            }
        }
    }
    let mut change = vec![CodeChange::None; n];
    let mut kept: Vec<Option<&str>> = vec![None; if previous.is_some() { n } else { 0 }];
    let mut summary = CodeChanges {
        previous: previous.is_some(),
        ..CodeChanges::default()
    };
    if let Some(prev) = previous {
        let mut taken: HashSet<&str> = HashSet::new();
        for i in 0..n {
            let (Some(id), Some((b, a, _))) = (ids.get(i), key(i)) else {
                continue;
            };
            let outcome = match prev.get(id) {
                None => CodeChange::New,
                Some(old) if seq_of(old, b, a).is_some() && taken.insert(old.as_str()) => {
                    if let Some(slot) = kept.get_mut(i) {
                        *slot = Some(old.as_str());
                    }
                    CodeChange::Kept
                }
                Some(_) => CodeChange::Moved,
            };
            if let Some(c) = change.get_mut(i) {
                *c = outcome;
            }
        }
        let current: HashSet<&str> = ids.iter().map(String::as_str).collect();
        summary.departed = prev
            .keys()
            .filter(|k| !current.contains(k.as_str()))
            .count();
    }
    let render = |k: &Key, seq: u64| format!("{}{:0w$}{}", k.0, seq, k.1, w = k.2);
    let mut out: Vec<String> = Vec::with_capacity(n);
    for i in 0..n {
        let code = match (kept.get(i).copied().flatten(), key_of.get(i)) {
            (Some(old), _) => old.to_string(),
            (None, Some(&k)) => match (keys.get(k as usize), next.get_mut(k as usize)) {
                (Some(key), Some(counter)) => {
                    *counter += 1;
                    render(key, *counter)
                }
                _ => String::new(),
            },
            (None, None) => String::new(),
        };
        out.push(code);
    }
    // Different keys can render the same text; renumber later duplicates (never seen in practice).
    let duplicated = {
        let mut seen: HashSet<&str> = HashSet::with_capacity(n);
        out.iter().any(|c| !seen.insert(c.as_str()))
    };
    if duplicated {
        let mut seen: HashSet<String> = previous
            .map(|p| p.values().cloned().collect())
            .unwrap_or_default();
        // Kept codes are in `seen` already (they come from the previous map): mark them as owned.
        let mut owned: HashSet<String> = HashSet::new();
        for i in 0..n {
            let is_kept = matches!(change.get(i), Some(CodeChange::Kept));
            let Some(code) = out.get(i).cloned() else {
                continue;
            };
            if is_kept {
                owned.insert(code);
                continue;
            }
            if !seen.contains(&code) && !owned.contains(&code) {
                seen.insert(code);
                continue;
            }
            let Some(&k) = key_of.get(i) else { continue };
            let (Some(key), Some(counter)) = (keys.get(k as usize), next.get_mut(k as usize))
            else {
                continue;
            };
            let fresh = loop {
                *counter += 1;
                let c = render(key, *counter);
                if !seen.contains(&c) && !owned.contains(&c) {
                    break c;
                }
            };
            seen.insert(fresh.clone());
            if let Some(slot) = out.get_mut(i) {
                *slot = fresh;
            }
        }
    }
    for (i, code) in out.iter().enumerate() {
        match change.get(i) {
            Some(CodeChange::Kept) => summary.kept += 1,
            Some(CodeChange::New) => summary.new += 1,
            Some(CodeChange::Moved) => {
                summary.moved += 1;
                if summary.moved_examples.len() < 1000 {
                    let id = ids.get(i).cloned().unwrap_or_default();
                    let from = previous
                        .and_then(|p| p.get(&id))
                        .cloned()
                        .unwrap_or_default();
                    summary.moved_examples.push(Moved {
                        customer_id: id,
                        from,
                        to: code.clone(),
                    });
                }
            }
            _ => {}
        }
    }
    (out, change, summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_parse_and_render() {
        let t = Template::parse("{region}{tier}-{seq:03}").unwrap();
        let key = t.key(&|s| match s {
            Slot::Region => "A".into(),
            Slot::Tier => "1".into(),
            _ => "?".into(),
        });
        assert_eq!(key, ("A1-".into(), String::new(), 3));
        let e = Template::parse("{tier}-{sequence}").unwrap_err();
        assert_eq!(e.code(), "invalid_expression");
        assert!(e.to_string().contains("column 8"), "{e}");
        assert!(Template::parse("{tier}")
            .unwrap_err()
            .to_string()
            .contains("exactly one"));
        assert!(Template::parse("{tier").is_err());
        // A 1 MB template is refused before any code is made; 200 characters still parse.
        let huge = format!("{}{{seq}}", "X".repeat(1 << 20));
        let e = Template::parse(&huge).unwrap_err();
        assert_eq!(e.code(), "invalid_expression");
        assert!(e.to_string().contains("codes.template"), "{e}");
        assert!(e.to_string().contains("longer than 200"), "{e}");
        assert!(Template::parse(&format!("{}{{seq}}", "X".repeat(195))).is_ok());
        assert!(Template::parse(&format!("{}{{seq}}", "X".repeat(196))).is_err());
        let mut maps = CodeMaps::default();
        maps.tier.insert("Gold".into(), "G".repeat(32));
        assert!(maps.validate().is_ok());
        maps.stage.insert("New".into(), "N".repeat(33));
        let e = maps.validate().unwrap_err();
        assert!(e.to_string().contains("codes.maps.stage"), "{e}");
    }

    #[test]
    fn letters_run_past_z() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(letters(27), "AB");
    }

    #[test]
    fn sequences_run_per_key_in_id_order() {
        let ids: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
        let k = |p: &str| (p.to_string(), String::new(), 3);
        let keys = vec![k("A1-"), k("B2-")];
        let (codes, _, s) = assign(&ids, &[0, 1, 0, 0], &keys, None);
        assert_eq!(codes, vec!["A1-001", "B2-001", "A1-002", "A1-003"]);
        assert!(!s.previous);
    }

    #[test]
    fn previous_codes_are_kept_and_moves_reported() {
        let ids: Vec<String> = ["a", "b", "c", "e"].iter().map(|s| s.to_string()).collect();
        let prev: CodeMap = [
            ("a", "A1-001"),
            ("b", "B2-001"),
            ("c", "A1-002"),
            ("d", "A1-003"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let k = |p: &str| (p.to_string(), String::new(), 3);
        // b moved from B2 to A1; e is new; d departed.
        let keys = vec![k("A1-"), k("B2-")];
        let (codes, change, s) = assign(&ids, &[0, 0, 0, 1], &keys, Some(&prev));
        assert_eq!(codes, vec!["A1-001", "A1-004", "A1-002", "B2-002"]);
        assert_eq!(
            change,
            vec![
                CodeChange::Kept,
                CodeChange::Moved,
                CodeChange::Kept,
                CodeChange::New
            ]
        );
        assert_eq!((s.kept, s.moved, s.new, s.departed), (2, 1, 1, 1));
        assert_eq!(s.moved_examples[0].from, "B2-001");
    }

    #[test]
    fn previous_maps_are_read_from_csv_and_json() {
        let csv = b"customer_id,recency_days,code\r\n'-x,3,1A-0001\r\nb,4,'=2B\r\n";
        let m = previous_from_bytes(csv).unwrap();
        assert_eq!(m.get("-x").map(String::as_str), Some("1A-0001"));
        assert_eq!(m.get("b").map(String::as_str), Some("=2B"));
        let m = previous_from_bytes(br#"{"a": "X-1"}"#).unwrap();
        assert_eq!(m.len(), 1);
        assert_eq!(
            previous_from_bytes(b"id,code\n1,2\n").unwrap_err().code(),
            "missing_column"
        );
    }

    #[test]
    fn keys_that_render_alike_still_give_unique_codes() {
        // "A1" + 11 and "A11" + 1 are both "A111" with an unpadded {seq}.
        let ids: Vec<String> = (0..12).map(|i| format!("c{i:02}")).collect();
        let keys = vec![
            ("A1".to_string(), String::new(), 0),
            ("A11".to_string(), String::new(), 0),
        ];
        let mut key_of = vec![0u32; 11];
        key_of.push(1);
        let (codes, _, _) = assign(&ids, &key_of, &keys, None);
        assert_eq!(codes[10], "A111");
        assert_eq!(codes[11], "A112");
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 12);
    }
}
