//! Customer ids that differ only in ways a person does not see: letter case, full-width forms
//! (`ＡＢ１２` against `AB12`), invisible characters (zero-width space, BOM, word joiner) and
//! non-breaking spaces. Such ids are usually one customer typed or exported two ways, but
//! sometimes really two (case-sensitive codes), so they are flagged with examples, never merged.

use std::collections::{BTreeMap, HashSet};

/// The id as a person reads it: full-width ASCII forms to ASCII, the ideographic space and
/// non-breaking spaces to a space, invisible characters removed, lower case.
pub fn fold_id(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        let c = match c {
            '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{00ad}' => continue,
            '\u{00a0}' | '\u{202f}' | '\u{3000}' => ' ',
            // The full-width block mirrors printable ASCII at a fixed offset.
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(u32::from(c) - 0xfee0).unwrap_or(c),
            c => c,
        };
        out.extend(c.to_lowercase());
    }
    out.trim().to_string()
}

/// Whether `id` is its own [`fold_id`] without folding it: ASCII without upper-case letters,
/// and nothing to trim (ASCII has no invisible or full-width characters).
fn is_own_fold(id: &str) -> bool {
    id.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) && id.trim().len() == id.len()
}

/// Groups of two or more distinct ids with the same [`fold_id`], each sorted, groups in order of
/// their folded form (so the result does not depend on the order ids were seen).
///
/// Most ids (digits, lower-case codes) are their own folded form: two such ids never share a form,
/// so they join a group only as the form of some other id. Only the other ids are folded (each
/// allocates); the plain ones are looked up when a folded form needs them.
pub fn variant_groups(ids: &[String]) -> Vec<Vec<&str>> {
    let mut by_fold: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for id in ids.iter().filter(|id| !is_own_fold(id)) {
        by_fold.entry(fold_id(id)).or_default().push(id);
    }
    if by_fold.is_empty() {
        return Vec::new();
    }
    let plain: HashSet<&str> = ids
        .iter()
        .map(String::as_str)
        .filter(|id| is_own_fold(id))
        .collect();
    for (form, group) in &mut by_fold {
        if let Some(id) = plain.get(form.as_str()) {
            group.push(id);
        }
    }
    by_fold
        .into_values()
        .filter(|g| g.len() > 1)
        .map(|mut g| {
            g.sort_unstable();
            g.dedup();
            g
        })
        .filter(|g| g.len() > 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_width_and_invisible_characters() {
        assert_eq!(fold_id("ＡＢ１２"), "ab12");
        assert_eq!(fold_id("AB\u{200b}12"), "ab12");
        assert_eq!(fold_id("\u{feff}AB12"), "ab12");
        assert_eq!(fold_id("张 三"), fold_id("张\u{3000}三"));
        let ids: Vec<String> = ["AB12", "ab12", "C3", "ＣＤ", "cd", "E5"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            variant_groups(&ids),
            vec![vec!["AB12", "ab12"], vec!["cd", "ＣＤ"]]
        );
    }

    /// The grouping as its doc comment states it, folding every id: the oracle of the shortcut.
    fn reference(ids: &[String]) -> Vec<Vec<&str>> {
        let mut by_fold: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for id in ids {
            by_fold.entry(fold_id(id)).or_default().push(id);
        }
        by_fold
            .into_values()
            .map(|mut g| {
                g.sort_unstable();
                g.dedup();
                g
            })
            .filter(|g| g.len() > 1)
            .collect()
    }

    #[test]
    fn the_shortcut_groups_as_folding_every_id_does() {
        let cases: &[&[&str]] = &[
            &["a1", "b2", "c3"],
            &[
                "a1",
                "A1",
                "a1 ",
                " a1",
                "a\u{200b}1",
                "Ａ1",
                "b2",
                "B2",
                "c3",
            ],
            &["x", "x", "X", "X", "y"],
            &["İ", "i̇", "i", "I", "ß", "SS", "ss", "ǅ", "ǆ", "Ǆ"],
            &["", " ", "\u{3000}", "\u{feff}", "A", "a"],
            &["abc", "ＡＢＣ", "ａｂｃ", "AbC", "abc\u{00a0}"],
        ];
        for ids in cases {
            let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
            assert_eq!(variant_groups(&ids), reference(&ids), "{ids:?}");
        }
    }
}
