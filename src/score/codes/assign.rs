//! Assigning codes: sequences per class key, previous codes kept where the class is unchanged.

use std::collections::HashSet;

use serde::Serialize;

use super::CodeMap;

/// A customer whose class changed since the previous code map.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
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
#[serde(rename_all = "camelCase")]
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
