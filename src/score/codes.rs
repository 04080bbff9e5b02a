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

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

mod assign;
mod groups;
pub(crate) mod previous;
mod tokens;

pub use assign::{assign, CodeChange, CodeChanges, Key, Moved};
pub use groups::{code_groups, CodeGroup, CodeGroups, SlotClass};
pub use previous::{previous_from_bytes, CodeMap};
pub use tokens::{ClassToken, SlotTokens};

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

#[cfg(test)]
thread_local! {
    /// How often [`Template::parse`] ran on this thread (the plan test counts it).
    pub(crate) static PARSES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pieces: Vec<Piece>,
}

fn template_error(column: usize, message: impl Into<String>) -> Error {
    Error::CodeTemplate {
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
                return Err(Error::CodeToken {
                    table,
                    class: k.clone(),
                    max: MAX_TOKEN_CHARS,
                });
            }
        }
        Ok(())
    }
}

impl Template {
    /// Parses a template; errors give the 1-based column.
    pub fn parse(src: &str) -> Result<Template> {
        #[cfg(test)]
        PARSES.with(|c| c.set(c.get() + 1));
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

/// The checked `codes` settings: the parsed template and the token tables; made only by
/// [`CodeOptions::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct CodePlan {
    template: Template,
    maps: CodeMaps,
}

impl CodeOptions {
    /// Parses the template and checks the token tables, once.
    pub fn check(&self) -> Result<CodePlan> {
        let template = Template::parse(&self.template)?;
        self.maps.validate()?;
        Ok(CodePlan {
            template,
            maps: self.maps.clone(),
        })
    }
}

/// The classes a code is built from, each as (index per customer, names).
pub struct CodeClasses<'a> {
    /// Region per customer.
    pub region: &'a [Option<String>],
    /// Value tiers.
    pub tier: (&'a [u16], &'a [String]),
    /// Lifecycle stages.
    pub stage: (&'a [u16], &'a [String]),
    /// Segments.
    pub segment: (&'a [u16], &'a [String]),
    /// Custom tiers (empty without rules).
    pub custom: (&'a [u16], &'a [String]),
    /// Recency scores.
    pub r: &'a [u8],
    /// Frequency scores.
    pub f: &'a [u8],
    /// Monetary scores.
    pub m: &'a [u8],
}

fn label((labels, _): (&[u16], &[String]), i: usize) -> Option<usize> {
    labels.get(i).map(|&g| usize::from(g))
}

impl CodePlan {
    /// The template's slots.
    pub fn slots(&self) -> Vec<Slot> {
        self.template.slots()
    }

    /// The class key of each of `n` customers, interned: (index into the keys per customer, keys).
    /// A file has a few distinct keys, so this is one `u32` per customer.
    pub fn class_keys(&self, n: usize, c: &CodeClasses<'_>) -> (Vec<u32>, Vec<Key>) {
        let maps = &self.maps;
        let region_tokens = if self.template.slots().contains(&Slot::Region) {
            region_tokens(c.region.iter().map(Option::as_deref), &maps.region)
        } else {
            BTreeMap::new()
        };
        let mut interned: HashMap<Key, u32> = HashMap::new();
        let mut keys: Vec<Key> = Vec::new();
        // A customer's key is a function of its region and class indices alone: rendering it
        // once per distinct combination instead of once per customer saves a few strings per
        // customer on every analysis (the result is the same keys in the same first-seen order).
        let uses_region = self.template.slots().contains(&Slot::Region);
        let mut region_ids: HashMap<&str, u32> = HashMap::new();
        let mut by_signature: HashMap<[u32; 8], u32> = HashMap::new();
        let class_ix = |labels: &[u16], i: usize| labels.get(i).map_or(u32::MAX, |&g| u32::from(g));
        let score_ix = |scores: &[u8], i: usize| scores.get(i).map_or(u32::MAX, |&s| u32::from(s));
        let key_of = (0..n)
            .map(|i| {
                let region = if uses_region {
                    let r = c.region.get(i).and_then(Option::as_deref).unwrap_or("");
                    let next = u32::try_from(region_ids.len()).unwrap_or(u32::MAX);
                    *region_ids.entry(r).or_insert(next)
                } else {
                    0
                };
                let signature = [
                    region,
                    class_ix(c.tier.0, i),
                    class_ix(c.stage.0, i),
                    class_ix(c.segment.0, i),
                    class_ix(c.custom.0, i),
                    score_ix(c.r, i),
                    score_ix(c.f, i),
                    score_ix(c.m, i),
                ];
                if let Some(&k) = by_signature.get(&signature) {
                    return k;
                }
                let token = |slot: Slot| self.token_of(slot, c, &region_tokens, i);
                let key = self.template.key(&token);
                let k = if let Some(&k) = interned.get(&key) {
                    k
                } else {
                    let k = u32::try_from(keys.len()).unwrap_or(u32::MAX);
                    interned.insert(key.clone(), k);
                    keys.push(key);
                    k
                };
                by_signature.insert(signature, k);
                k
            })
            .collect();
        (key_of, keys)
    }
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
        assert_eq!(e.code(), "invalid_code_template");
        assert_eq!((e.field(), e.position()), (Some("codes.template"), Some(8)));
        assert!(e.to_string().contains("column 8"), "{e}");
        assert!(Template::parse("{tier}")
            .unwrap_err()
            .to_string()
            .contains("exactly one"));
        assert!(Template::parse("{tier").is_err());
        // A 1 MB template is refused before any code is made; 200 characters still parse.
        let huge = format!("{}{{seq}}", "X".repeat(1 << 20));
        let e = Template::parse(&huge).unwrap_err();
        assert_eq!(e.code(), "invalid_code_template");
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
        assert_eq!(
            (e.code(), e.field()),
            ("code_token_too_long", Some("codes.maps.stage"))
        );
        assert!(e.params().contains(&("class", "New".to_string())));
    }

    #[test]
    fn letters_run_past_z() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(letters(27), "AB");
    }
}
