//! The decimal separator of an amount column, counted over every value.

use super::super::{normalise_digits, NumberParser};
use super::{keep_min, shown};
use crate::error::Error;
use crate::ingest::{Basis, Decision};
use crate::warning::Warning;

/// The decimal separator of an amount column, as the recipe's `input.decimalSeparator` sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DecimalSeparator {
    /// `1,234.56`.
    #[serde(rename = ".")]
    Dot,
    /// `1.234,56`.
    #[serde(rename = ",")]
    Comma,
}

/// What the values of an amount column say about the decimal separator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NumberEvidence {
    /// Non-empty values.
    pub values: u64,
    /// Values only a decimal comma reads sensibly (`12,50`, `1.234,5`, `0,500`, `1.234.567`).
    pub comma: u64,
    /// Values only a decimal point reads sensibly (`12.50`, `1,234.5`, `1,234,567`).
    pub dot: u64,
    /// Values with one separator followed by exactly three digits (`3.500`, `1,250`): a thousands
    /// group or three decimals, so the two readings differ by a factor of 1000.
    pub ambiguous: u64,
    /// Values that read as a number with either separator (counted by
    /// [`NumberEvidence::add_attribute`] only).
    pub numeric: u64,
    example_ambiguous: Option<String>,
    example_comma: Option<String>,
    example_dot: Option<String>,
}

/// Which separator one value votes for: `Some(true)` comma, `Some(false)` dot, `None` no vote;
/// and whether it is ambiguous.
fn vote(s: &str) -> (Option<bool>, bool) {
    let (commas, dots) = (s.matches(',').count(), s.matches('.').count());
    match (commas, dots) {
        (0, 0) => (None, false),
        (c, d) if c > 0 && d > 0 => {
            // Both: the last one is the decimal separator.
            (Some(s.rfind(',') > s.rfind('.')), false)
        }
        // The same separator more than once groups thousands: the other is the decimal one.
        (c, 0) if c > 1 => (Some(false), false),
        (0, d) if d > 1 => (Some(true), false),
        (c, _) => {
            let sep = if c == 1 { ',' } else { '.' };
            let Some(i) = s.find(sep) else {
                return (None, false);
            };
            let before = s.get(..i).unwrap_or("");
            let before_digits = before.bytes().filter(u8::is_ascii_digit).count();
            let integer_is_zero = before.bytes().all(|b| !b.is_ascii_digit() || b == b'0');
            let after = s
                .get(i + 1..)
                .unwrap_or("")
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            match after {
                0 => (None, false),
                // A thousands group follows 1–3 digits that are not all zero.
                3 if !integer_is_zero && before_digits <= 3 => (None, true),
                _ => (Some(sep == ','), false),
            }
        }
    }
}

impl NumberEvidence {
    /// Counts one cell.
    pub fn add(&mut self, raw: &str) {
        let s = raw.trim();
        if s.is_empty() {
            return;
        }
        self.values += 1;
        let s = normalise_digits(s);
        let (v, ambiguous) = vote(&s);
        match v {
            Some(true) => {
                self.comma += 1;
                keep_min(&mut self.example_comma, &s);
            }
            Some(false) => {
                self.dot += 1;
                keep_min(&mut self.example_dot, &s);
            }
            None => {}
        }
        if ambiguous {
            self.ambiguous += 1;
            keep_min(&mut self.example_ambiguous, &s);
        }
    }

    /// Counts one cell of an extra column: as [`NumberEvidence::add`], and whether it reads as a
    /// number with either separator (which decides numeric against categorical).
    pub fn add_attribute(&mut self, raw: &str) {
        self.add(raw);
        let s = raw.trim();
        if s.is_empty() {
            return;
        }
        let comma = NumberParser {
            decimal_comma: true,
        };
        if NumberParser::default().parse(s).is_some() || comma.parse(s).is_some() {
            self.numeric += 1;
        }
    }

    fn counts(&self) -> String {
        format!(
            "{} values: {} with a decimal comma (e.g. {}), {} with a decimal point (e.g. {}), {} either way (e.g. {})",
            self.values,
            self.comma,
            shown(self.example_comma.as_ref()),
            self.dot,
            shown(self.example_dot.as_ref()),
            self.ambiguous,
            shown(self.example_ambiguous.as_ref()),
        )
    }
}

/// The reading of an amount column decided from its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberChoice {
    /// The parser to read the column with.
    pub parser: NumberParser,
    /// The `decimalSeparator` decision.
    pub decision: Decision,
    /// Set when the column cannot settle it and the choice changes amounts (error code
    /// `ambiguous_decimal`); see [`DateChoice::undecided`].
    pub undecided: Option<Error>,
}

/// Decides the decimal separator of the amount column(s) `column`: the recipe's
/// `input.decimalSeparator`, else the separator more values need (a tie, or only values such as
/// `3.500` that read either way, cannot be settled), else `.` when no value depends on it.
pub fn decide_decimal(
    ev: &NumberEvidence,
    forced: Option<DecimalSeparator>,
    column: &str,
) -> NumberChoice {
    let evidence = format!("column {column:?}: {}", ev.counts());
    let make = |comma: bool, basis: Basis| {
        (
            NumberParser {
                decimal_comma: comma,
            },
            Decision::new(
                "decimalSeparator",
                if comma { "," } else { "." },
                basis,
                evidence.clone(),
                "input.decimalSeparator",
            )
            .because(
                "decimal_counts",
                [
                    ("column", column.to_string()),
                    ("values", ev.values.to_string()),
                    ("comma", ev.comma.to_string()),
                    ("dot", ev.dot.to_string()),
                    ("either", ev.ambiguous.to_string()),
                ],
            ),
        )
    };
    let other_warning = |comma: bool, n: u64| Warning::decimal_against(n, column, comma);
    if let Some(sep) = forced {
        let comma = sep == DecimalSeparator::Comma;
        let (parser, mut decision) = make(comma, Basis::Recipe);
        let against = if comma { ev.dot } else { ev.comma };
        if against > 0 {
            decision = decision.warn(other_warning(comma, against));
        }
        return NumberChoice {
            parser,
            decision,
            undecided: None,
        };
    }
    let undecided = |why: String| {
        Some(Error::Ambiguous {
            decision: "decimalSeparator",
            column: column.to_string(),
            key: "input.decimalSeparator".into(),
            detail: why,
        })
    };
    match (ev.comma, ev.dot) {
        (0, 0) if ev.ambiguous > 0 => {
            let (parser, decision) = make(false, Basis::Default);
            NumberChoice {
                parser,
                decision: decision.warn(Warning::decimal_guessed(
                    column,
                    &shown(ev.example_ambiguous.as_ref()),
                )),
                undecided: undecided(format!(
                    "{} values such as {} read either as thousands or with three decimals, and no value settles it",
                    ev.ambiguous,
                    shown(ev.example_ambiguous.as_ref())
                )),
            }
        }
        (c, d) if c == d && c > 0 => {
            let (parser, decision) = make(false, Basis::Default);
            NumberChoice {
                parser,
                decision: decision.warn(other_warning(false, c)),
                undecided: undecided(format!(
                    "{c} values need a decimal comma and as many a decimal point"
                )),
            }
        }
        (c, d) => {
            let comma = c > d;
            let (parser, mut decision) = make(comma, Basis::File);
            let against = if comma { d } else { c };
            if against > 0 {
                decision = decision.warn(other_warning(comma, against));
            }
            NumberChoice {
                parser,
                decision,
                undecided: None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(values: &[&str]) -> NumberEvidence {
        let mut ev = NumberEvidence::default();
        values.iter().for_each(|v| ev.add(v));
        ev
    }

    #[test]
    fn decimal_separator_from_every_value() {
        let ev = numbers(&["3.500", "1.250", "12,50", "7"]);
        assert_eq!((ev.comma, ev.dot, ev.ambiguous), (1, 0, 2));
        let c = decide_decimal(&ev, None, "Betrag");
        assert!(c.parser.decimal_comma && c.undecided.is_none());
        assert_eq!(c.parser.parse("3.500"), Some(3500.0));
        let c = decide_decimal(&numbers(&["3.500", "1.250"]), None, "Betrag");
        assert_eq!(
            c.undecided.as_ref().map(Error::code),
            Some("ambiguous_decimal")
        );
        let c = decide_decimal(
            &numbers(&["3.500"]),
            Some(DecimalSeparator::Comma),
            "Betrag",
        );
        assert!(c.parser.decimal_comma && c.undecided.is_none());
        // No separator at all: nothing to decide.
        let c = decide_decimal(&numbers(&["12", "7"]), None, "amount");
        assert!(c.undecided.is_none() && c.decision.warning.is_none());
        // Votes of each kind.
        for (v, want) in [
            ("1,234.5", Some(false)),
            ("1.234,5", Some(true)),
            ("1,234,567", Some(false)),
            ("1.234.567", Some(true)),
            ("0,500", Some(true)),
            ("1234.567", Some(false)),
            ("12.5", Some(false)),
            ("12,5000", Some(true)),
            ("3.500", None),
        ] {
            assert_eq!(vote(v).0, want, "{v}");
        }
    }
}
