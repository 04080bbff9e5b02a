//! Which sheets of a workbook are read, and how their rows are numbered.
//!
//! Without `input.sheet`, every sheet whose header equals the first sheet's header is read
//! together with it (quarterly or monthly sheets of one export); sheets with another layout are
//! named in the `sheets` decision's warning; empty sheets are named in its evidence. `input.sheet`
//! takes a sheet name, a 1-based position, a list of them, or `"*"` (every sheet with data, which
//! must then share the first one's header).
//!
//! Row numbers continue from sheet to sheet so that a row number identifies one row of the
//! workbook: a row of a later sheet is numbered `rowOffset` + its own row number, where `rowOffset`
//! is the sum of the earlier sheets' last row numbers. The first sheet's numbers are its own (a
//! one-sheet workbook is numbered as before), and [`SheetSpan`]s in the report map numbers back.

use serde::{Deserialize, Serialize};

use super::decision::Evidence;
use super::{Basis, Decision};
use crate::error::{Error, Result};

/// One sheet named in `input.sheet`: by name, or by 1-based position (`2` or `"2"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SheetRef {
    /// 1-based position in the workbook.
    Position(u32),
    /// Sheet name (exact, else trimmed and ASCII-case-insensitive, else a position written as
    /// text); `"*"` alone means every sheet.
    Name(String),
}

/// The `input.sheet` setting: one sheet, or several read together (they must share a header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SheetSelection {
    /// One sheet, or `"*"` for every sheet.
    One(SheetRef),
    /// Several sheets, read in the order given.
    Many(Vec<SheetRef>),
}

impl SheetSelection {
    /// Checks what can be checked before the workbook is opened.
    pub fn validate(&self) -> Result<()> {
        match self {
            SheetSelection::Many(list) if list.is_empty() => Err(Error::recipe(
                "input.sheet",
                "the list of sheets is empty; name at least one sheet, or use \"*\"",
            )),
            SheetSelection::Many(list)
                if list
                    .iter()
                    .any(|r| matches!(r, SheetRef::Name(n) if n == "*")) =>
            {
                Err(Error::recipe(
                    "input.sheet",
                    "\"*\" means every sheet: use it alone, not in a list",
                ))
            }
            _ => Ok(()),
        }
    }
}

/// Where one sheet's rows are in the continuing row numbers (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SheetSpan {
    /// Sheet name.
    pub name: String,
    /// Continuing number of the sheet's first non-empty row (its header, or a title above it).
    pub first_row: u64,
    /// Continuing number of its last non-empty row.
    pub last_row: u64,
    /// Added to the sheet's own row numbers: continuing = `rowOffset` + row in the sheet.
    pub row_offset: u64,
}

/// What is known of one sheet before its data is read.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SheetHead {
    /// Sheet name.
    pub name: String,
    /// Its header (trimmed, trailing empty names dropped); `None` for a sheet without data.
    pub header: Option<Vec<String>>,
}

/// The sheets to read, in order (indices into the workbook's sheets), and the decision made.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SheetPlan {
    /// Sheets to read, in reading order.
    pub read: Vec<usize>,
    /// The `sheets` decision.
    pub decision: Decision,
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Resolves one [`SheetRef`] against the workbook's sheets.
fn resolve(r: &SheetRef, heads: &[SheetHead]) -> Result<usize> {
    let by_position = |p: usize| p.checked_sub(1).filter(|i| *i < heads.len());
    let found = match r {
        SheetRef::Position(p) => by_position(*p as usize),
        SheetRef::Name(wanted) => heads
            .iter()
            .position(|h| h.name == *wanted)
            .or_else(|| {
                heads
                    .iter()
                    .position(|h| h.name.trim().eq_ignore_ascii_case(wanted.trim()))
            })
            .or_else(|| by_position(wanted.trim().parse().ok()?)),
    };
    found.ok_or_else(|| {
        let names: Vec<&str> = heads.iter().map(|h| h.name.as_str()).collect();
        let what = match r {
            SheetRef::Position(p) => format!("no sheet at position {p}"),
            SheetRef::Name(n) => format!("no sheet {n:?}"),
        };
        Error::recipe(
            "input.sheet",
            format!("the workbook has {what}; its sheets are {}", quoted(&names)),
        )
    })
}

/// Chooses the sheets to read from their headers and the recipe's `input.sheet`.
pub(super) fn plan(heads: &[SheetHead], selection: Option<&SheetSelection>) -> Result<SheetPlan> {
    let names: Vec<&str> = heads.iter().map(|h| h.name.as_str()).collect();
    if heads.is_empty() {
        return Err(Error::UnsupportedFormat(
            "the workbook has no sheets".into(),
        ));
    }
    let with_data: Vec<usize> = (0..heads.len())
        .filter(|&i| heads.get(i).is_some_and(|h| h.header.is_some()))
        .collect();
    let header_of = |i: usize| heads.get(i).and_then(|h| h.header.as_ref());
    let name_of = |i: usize| names.get(i).copied().unwrap_or_default();
    let evidence_start = format!(
        "{} sheet{}",
        heads.len(),
        if heads.len() == 1 { "" } else { "s" }
    );
    let chosen: Vec<usize> = match selection {
        None => {
            // The first sheet with data leads; a workbook with no data is empty.
            let Some(&lead) = with_data.first() else {
                return Err(Error::EmptyInput);
            };
            let same: Vec<usize> = with_data
                .iter()
                .copied()
                .filter(|&i| header_of(i) == header_of(lead))
                .collect();
            let other: Vec<&str> = with_data
                .iter()
                .copied()
                .filter(|i| !same.contains(i))
                .map(name_of)
                .collect();
            let empty: Vec<&str> = (0..heads.len())
                .filter(|i| !with_data.contains(i))
                .map(name_of)
                .collect();
            let mut evidence = evidence_start;
            if heads.len() > 1 {
                evidence.push_str(&format!(
                    "; {} share{} the header of '{}'",
                    same.len(),
                    if same.len() == 1 { "s" } else { "" },
                    name_of(lead)
                ));
            }
            if !other.is_empty() {
                evidence.push_str(&format!(
                    "; {} ha{} another layout and {} not read",
                    quoted(&other),
                    if other.len() == 1 { "s" } else { "ve" },
                    if other.len() == 1 { "was" } else { "were" }
                ));
            }
            if !empty.is_empty() {
                evidence.push_str(&format!("; {} empty", quoted(&empty)));
            }
            let value = quoted(&same.iter().copied().map(name_of).collect::<Vec<_>>());
            let code = if heads.len() == 1 {
                Evidence::new("sheets_one", [], evidence)
            } else {
                Evidence::new(
                    "sheets_file",
                    [
                        ("sheets", heads.len().to_string()),
                        ("shared", same.len().to_string()),
                        ("lead", name_of(lead).to_string()),
                        ("other", quoted(&other)),
                        ("empty", quoted(&empty)),
                    ],
                    evidence,
                )
            };
            let mut decision =
                Decision::evidenced("sheets", value, Basis::File, code, "input.sheet");
            if !other.is_empty() {
                decision = decision.warn(crate::warning::Warning::sheets_skipped(
                    &other.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                    name_of(lead),
                ));
            }
            return Ok(SheetPlan {
                read: same,
                decision,
            });
        }
        Some(SheetSelection::One(SheetRef::Name(n))) if n.trim() == "*" => {
            if with_data.is_empty() {
                return Err(Error::EmptyInput);
            }
            with_data.clone()
        }
        Some(SheetSelection::One(r)) => vec![resolve(r, heads)?],
        Some(SheetSelection::Many(list)) => {
            let mut out = Vec::new();
            for r in list {
                let i = resolve(r, heads)?;
                if !out.contains(&i) {
                    out.push(i);
                }
            }
            out
        }
    };
    // Sheets named by the recipe are read together only with one header: the column roles are
    // found once for all of them.
    let lead = chosen.iter().copied().find(|&i| header_of(i).is_some());
    if let Some(lead) = lead {
        if let Some(&bad) = chosen
            .iter()
            .find(|&&i| header_of(i).is_some() && header_of(i) != header_of(lead))
        {
            return Err(Error::recipe(
                "input.sheet",
                format!(
                    "sheet '{}' has another header than '{}', so they cannot be read together; name the sheets that share one layout",
                    name_of(bad),
                    name_of(lead)
                ),
            ));
        }
    }
    let read: Vec<usize> = chosen
        .iter()
        .copied()
        .filter(|&i| header_of(i).is_some())
        .collect();
    if read.is_empty() {
        return Err(Error::EmptyInput);
    }
    let value = quoted(&read.iter().copied().map(name_of).collect::<Vec<_>>());
    let evidence = format!(
        "{evidence_start}; chosen by the recipe, {} read",
        read.len()
    );
    let decision = Decision::new("sheets", value, Basis::Recipe, evidence, "input.sheet").because(
        "sheets_recipe",
        [
            ("sheets", heads.len().to_string()),
            ("read", read.len().to_string()),
        ],
    );
    Ok(SheetPlan { read, decision })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(name: &str, header: Option<&[&str]>) -> SheetHead {
        SheetHead {
            name: name.into(),
            header: header.map(|h| h.iter().map(|s| s.to_string()).collect()),
        }
    }

    fn book() -> Vec<SheetHead> {
        let h: &[&str] = &["客户ID", "日期", "金额"];
        vec![
            head("Q1", Some(h)),
            head("Q2", Some(h)),
            head("Notes", Some(&["说明"])),
            head("Empty", None),
            head("Q3", Some(h)),
        ]
    }

    #[test]
    fn sheets_of_the_first_layout_are_read_together_and_others_warned() {
        let p = plan(&book(), None).unwrap();
        assert_eq!(p.read, [0, 1, 4]);
        assert_eq!(p.decision.code, "sheets");
        assert_eq!(p.decision.key, "input.sheet");
        assert_eq!(p.decision.value, "'Q1', 'Q2', 'Q3'");
        assert_eq!(
            p.decision.evidence,
            "5 sheets; 3 share the header of 'Q1'; 'Notes' has another layout and was not read; 'Empty' empty"
        );
        let w = p.decision.warning.unwrap();
        assert_eq!(w.code, "sheets_skipped");
        assert!(w.message.contains("'Notes' not read"), "{w}");
        assert_eq!(p.decision.basis, Basis::File);
    }

    #[test]
    fn one_sheet_is_settled_without_warning() {
        let p = plan(&[head("Sheet1", Some(&["a"]))], None).unwrap();
        assert_eq!(p.read, [0]);
        assert_eq!(p.decision.evidence, "1 sheet");
        assert!(p.decision.warning.is_none());
        assert_eq!(
            plan(&[head("S", None)], None).unwrap_err(),
            Error::EmptyInput
        );
    }

    #[test]
    fn the_recipe_names_sheets_by_name_position_list_or_star() {
        let b = book();
        let one = |s: &str| SheetSelection::One(SheetRef::Name(s.into()));
        assert_eq!(plan(&b, Some(&one("notes"))).unwrap().read, [2]);
        assert_eq!(plan(&b, Some(&one("2"))).unwrap().read, [1]);
        let pos = SheetSelection::One(SheetRef::Position(5));
        assert_eq!(plan(&b, Some(&pos)).unwrap().read, [4]);
        let list = SheetSelection::Many(vec![SheetRef::Name("Q3".into()), SheetRef::Position(1)]);
        let p = plan(&b, Some(&list)).unwrap();
        assert_eq!(p.read, [4, 0]);
        assert_eq!(p.decision.basis, Basis::Recipe);
        // "*" needs one header over every sheet with data: Notes differs.
        let e = plan(&b, Some(&one("*"))).unwrap_err();
        assert_eq!(e.code(), "invalid_recipe");
        assert!(e.to_string().contains("sheet 'Notes'"), "{e}");
        let e = plan(&b, Some(&one("Q9"))).unwrap_err();
        assert!(
            e.to_string().contains("'Q1', 'Q2', 'Notes', 'Empty', 'Q3'"),
            "{e}"
        );
        let e = plan(&b, Some(&SheetSelection::One(SheetRef::Position(0)))).unwrap_err();
        assert!(e.to_string().contains("no sheet at position 0"), "{e}");
        // Without Notes, "*" reads the three quarters and passes over the empty sheet.
        let mut b2 = b.clone();
        b2.remove(2);
        assert_eq!(plan(&b2, Some(&one("*"))).unwrap().read, [0, 1, 3]);
    }

    #[test]
    fn selections_parse_from_the_recipe() {
        let s: SheetSelection = serde_json::from_str("\"Q1\"").unwrap();
        assert_eq!(s, SheetSelection::One(SheetRef::Name("Q1".into())));
        let s: SheetSelection = serde_json::from_str("2").unwrap();
        assert_eq!(s, SheetSelection::One(SheetRef::Position(2)));
        let s: SheetSelection = serde_json::from_str("[\"Q1\", 3]").unwrap();
        assert_eq!(
            s,
            SheetSelection::Many(vec![SheetRef::Name("Q1".into()), SheetRef::Position(3)])
        );
        assert!(SheetSelection::Many(vec![]).validate().is_err());
        let star_in_list = SheetSelection::Many(vec![SheetRef::Name("*".into())]);
        assert!(star_in_list.validate().is_err());
    }
}
