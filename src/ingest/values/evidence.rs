//! Evidence for the reading decisions that one value cannot settle, counted over every value of a
//! column (in the first pass of a two-pass load, or over the buffered rows of a one-time stream),
//! and the decisions made from it.
//!
//! Counts do not depend on row order, and the one example kept is the smallest value of its kind,
//! so a decision and its evidence are the same for every order of the rows.

use super::{is_yyyymmdd, normalise_digits, split_dmy, DateOrder, DateParser, NumberParser};
use crate::error::Error;
use crate::ingest::{Basis, Decision};
use crate::warning::Warning;

/// Keeps the smallest of the values offered (an order-independent example).
fn keep_min(slot: &mut Option<String>, value: &str) {
    if slot.as_deref().is_none_or(|s| value < s) {
        *slot = Some(value.chars().take(40).collect());
    }
}

/// What the values of a date column say about day/month order and Excel serials.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateEvidence {
    /// Non-empty values.
    pub values: u64,
    /// `a/b/yyyy` values with `a` > 12: only day-first reads them.
    pub day_first: u64,
    /// `a/b/yyyy` values with `b` > 12: only month-first reads them.
    pub month_first: u64,
    /// `a/b/yyyy` values with `a` ≠ `b`, both ≤ 12: read as two different dates by the two orders.
    pub either: u64,
    /// Plain numbers in the Excel serial range (not `yyyymmdd`).
    pub serial_like: u64,
    /// Year-first values (`2024-12-31`, `20241231`, `1997年1月1日`): no day/month question.
    pub year_first: u64,
    example_either: Option<String>,
    example_day_first: Option<String>,
    example_month_first: Option<String>,
}

impl DateEvidence {
    /// Counts one cell.
    pub fn add(&mut self, raw: &str) {
        let s = raw.trim();
        if s.is_empty() {
            return;
        }
        self.values += 1;
        if let Some((a, b, _)) = split_dmy(s) {
            if a > 12 && b <= 12 {
                self.day_first += 1;
                keep_min(&mut self.example_day_first, s);
            } else if b > 12 && a <= 12 {
                self.month_first += 1;
                keep_min(&mut self.example_month_first, s);
            } else if a != b && a <= 12 && b <= 12 {
                self.either += 1;
                keep_min(&mut self.example_either, s);
            }
        } else if s
            .parse::<f64>()
            .is_ok_and(|v| (1.0..=2_958_465.0).contains(&v))
            && !is_yyyymmdd(s)
        {
            self.serial_like += 1;
        } else if super::parse_ymd(s).is_some() {
            self.year_first += 1;
        }
    }

    fn counts(&self) -> String {
        format!(
            "{} values: {} only day-first (day above 12 in the first place, e.g. {}), {} only month-first (e.g. {}), {} readable either way as different dates (e.g. {})",
            self.values,
            self.day_first,
            shown(self.example_day_first.as_ref()),
            self.month_first,
            shown(self.example_month_first.as_ref()),
            self.either,
            shown(self.example_either.as_ref()),
        )
    }
}

fn shown(v: Option<&String>) -> String {
    v.map_or_else(|| "none".to_string(), |s| format!("{s:?}"))
}

/// The reading of a date column decided from its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct DateChoice {
    /// The parser to read the column with.
    pub parser: DateParser,
    /// The `dateOrder` decision (and an Excel-serial one when serials are read).
    pub decisions: Vec<Decision>,
    /// Set when the column cannot settle the order and the choice changes dates: a run that has
    /// seen the whole input refuses with it; a one-time stream goes on with the decision's
    /// default and warning.
    pub undecided: Option<Error>,
}

fn order_name(o: DateOrder) -> &'static str {
    match o {
        DateOrder::Dmy => "dmy",
        DateOrder::Mdy => "mdy",
    }
}

/// Decides day/month order and Excel-serial reading of the column `column`.
///
/// - `input.dateOrder` set: it is used; values only the other order reads are rejected as
///   `bad_date`, and a warning says how many.
/// - both kinds of deciding values occur: the order that reads more of them wins, the others are
///   rejected as `bad_date` with a warning (a tie cannot be settled);
/// - one kind occurs: that order;
/// - none, but some values read as two different dates: the file cannot settle it
///   ([`DateChoice::undecided`], error code `ambiguous_dates`);
/// - otherwise no value depends on the order (day-first is recorded, nothing changes).
pub fn decide_dates(
    ev: &DateEvidence,
    forced: Option<DateOrder>,
    format: Option<&super::format::DateFormat>,
    column: &str,
) -> DateChoice {
    let excel_serial = ev.values > 0 && ev.serial_like * 2 > ev.values;
    let mut decisions = Vec::new();
    if excel_serial {
        decisions.push(
            Decision::new(
                "excelSerialDates",
                "true",
                Basis::File,
                format!(
                "{} of {} values of column {column:?} are plain numbers in the Excel serial range",
                ev.serial_like, ev.values
            ),
                "input.dateFormat",
            )
            .because(
                "excel_serials",
                [
                    ("column", column.to_string()),
                    ("serials", ev.serial_like.to_string()),
                    ("values", ev.values.to_string()),
                ],
            ),
        );
    }
    if let Some(f) = format {
        let parser = DateParser {
            format: Some(f.clone()),
            excel_serial: false,
            ..DateParser::default()
        };
        decisions.push(
            Decision::new(
                "dateFormat",
                f.pattern(),
                Basis::Recipe,
                format!("column {column:?} is read with the recipe's pattern"),
                "input.dateFormat",
            )
            .because("date_pattern", [("column", column.to_string())]),
        );
        return DateChoice {
            parser,
            decisions,
            undecided: None,
        };
    }
    let mut evidence = format!("column {column:?}: {}", ev.counts());
    let order_matters = ev.day_first + ev.month_first + ev.either > 0;
    // Year first when most values say so and none depends on the day/month order.
    let year_first = !order_matters && ev.year_first * 2 > ev.values;
    if year_first {
        evidence.push_str(&format!(
            "; {} write the year first, so the day/month order does not matter",
            ev.year_first
        ));
    } else if !order_matters {
        evidence.push_str("; no value depends on the order");
    }
    let parser = |order: DateOrder| DateParser {
        order,
        order_ambiguous: false,
        excel_serial,
        order_matters,
        year_first,
        format: None,
    };
    let value = |order: DateOrder| if year_first { "ymd" } else { order_name(order) };
    let because = |d: Decision| {
        let c = |k: &'static str, n: u64| (k, n.to_string());
        let (column, values) = (("column", column.to_string()), c("values", ev.values));
        if year_first {
            d.because(
                "date_year_first",
                [column, values, c("yearFirst", ev.year_first)],
            )
        } else if !order_matters {
            d.because("date_order_free", [column, values])
        } else {
            d.because(
                "date_counts",
                [
                    column,
                    values,
                    c("dayFirst", ev.day_first),
                    c("monthFirst", ev.month_first),
                    c("either", ev.either),
                ],
            )
        }
    };
    let lost = |order: DateOrder| match order {
        DateOrder::Dmy => ev.month_first,
        DateOrder::Mdy => ev.day_first,
    };
    let loss_warning =
        |order: DateOrder, n: u64| Warning::date_order_loss(n, column, order_name(order));
    if let Some(order) = forced {
        // The recipe's order is shown as set, even where no date depends on it.
        let mut d = Decision::new(
            "dateOrder",
            order_name(order),
            Basis::Recipe,
            evidence,
            "input.dateOrder",
        );
        d = because(d);
        if lost(order) > 0 {
            d = d.warn(loss_warning(order, lost(order)));
        }
        decisions.insert(0, d);
        return DateChoice {
            parser: parser(order),
            decisions,
            undecided: None,
        };
    }
    let undecided = |why: String| Error::Ambiguous {
        decision: "dateOrder",
        column: column.to_string(),
        key: "input.dateOrder".into(),
        detail: why,
    };
    let (order, basis, warning, refusal) = match (ev.day_first, ev.month_first) {
        (0, 0) if ev.either > 0 => (
            DateOrder::Dmy,
            Basis::Default,
            Some(Warning::date_order_guessed(
                column,
                &shown(ev.example_either.as_ref()),
            )),
            Some(undecided(format!(
                "{} values such as {} read as two different dates and none has a day above 12",
                ev.either,
                shown(ev.example_either.as_ref())
            ))),
        ),
        // Nothing depends on the order: recorded as day-first, no figure can change.
        (0, 0) => (DateOrder::Dmy, Basis::File, None, None),
        (d, m) if d == m => (
            DateOrder::Dmy,
            Basis::Default,
            Some(loss_warning(DateOrder::Dmy, m)),
            Some(undecided(format!(
                "{d} values read only day-first and as many only month-first"
            ))),
        ),
        (d, m) => {
            let order = if m > d {
                DateOrder::Mdy
            } else {
                DateOrder::Dmy
            };
            let n = lost(order);
            (
                order,
                Basis::File,
                (n > 0).then(|| loss_warning(order, n)),
                None,
            )
        }
    };
    let mut d = Decision::new(
        "dateOrder",
        value(order),
        basis,
        evidence,
        "input.dateOrder",
    );
    d = because(d);
    d.warning = warning;
    decisions.insert(0, d);
    DateChoice {
        parser: DateParser {
            order_ambiguous: refusal.is_some(),
            ..parser(order)
        },
        decisions,
        undecided: refusal,
    }
}

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

/// What the values of the customer-id column say about float-written ids (`12346.0`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdEvidence {
    /// Non-empty ids.
    pub values: u64,
    /// Ids of digits only.
    pub integers: u64,
    /// Ids of digits, a point and zeros only (`12346.0`).
    pub integral_floats: u64,
    example_float: Option<String>,
    example_other: Option<String>,
}

/// The length of the integer part when `s` is digits followed by `.` and one or more zeros.
pub fn integral_float_len(s: &str) -> Option<usize> {
    let (int, frac) = s.split_once('.')?;
    (!int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && !frac.is_empty()
        && frac.bytes().all(|b| b == b'0'))
    .then_some(int.len())
}

impl IdEvidence {
    /// Counts one id cell.
    pub fn add(&mut self, raw: &str) {
        let s = raw.trim();
        if s.is_empty() {
            return;
        }
        self.values += 1;
        if s.bytes().all(|b| b.is_ascii_digit()) {
            self.integers += 1;
        } else if integral_float_len(s).is_some() {
            self.integral_floats += 1;
            keep_min(&mut self.example_float, s);
        } else {
            keep_min(&mut self.example_other, s);
        }
    }
}

/// How float-written ids are read (`input.customerIds`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum IdReading {
    /// Ids are kept exactly as written.
    AsWritten,
    /// `12346.0` is the id `12346` (what pandas writes for an integer id column with blanks).
    Integers,
}

/// Decides whether `12346.0` is read as `12346`: yes when every id of the column is an integer or
/// an integral float and some are floats (or the recipe says so).
pub fn decide_ids(ev: &IdEvidence, forced: Option<IdReading>, column: &str) -> (bool, Decision) {
    let evidence = format!(
        "column {column:?}: {} ids, {} of digits only, {} written as integral floats (e.g. {}), {} other (e.g. {})",
        ev.values,
        ev.integers,
        ev.integral_floats,
        shown(ev.example_float.as_ref()),
        ev.values - ev.integers - ev.integral_floats,
        shown(ev.example_other.as_ref()),
    );
    let (strip, basis) = match forced {
        Some(r) => (r == IdReading::Integers, Basis::Recipe),
        None => (
            ev.integral_floats > 0 && ev.integers + ev.integral_floats == ev.values,
            Basis::File,
        ),
    };
    let mut d = Decision::new(
        "customerIds",
        if strip { "integers" } else { "asWritten" },
        basis,
        evidence,
        "input.customerIds",
    )
    .because(
        "id_counts",
        [
            ("column", column.to_string()),
            ("values", ev.values.to_string()),
            ("integers", ev.integers.to_string()),
            ("floats", ev.integral_floats.to_string()),
            (
                "other",
                (ev.values - ev.integers - ev.integral_floats).to_string(),
            ),
        ],
    );
    if forced.is_none() && !strip && ev.integral_floats > 0 {
        d = d.warn(Warning::id_floats_kept(
            ev.integral_floats,
            column,
            &shown(ev.example_float.as_ref()),
        ));
    }
    (strip, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(values: &[&str]) -> DateEvidence {
        let mut ev = DateEvidence::default();
        values.iter().for_each(|v| ev.add(v));
        ev
    }

    #[test]
    fn date_order_from_every_value() {
        // 3 values only month-first, 1 only day-first: mdy wins, one value is lost.
        let ev = dates(&[
            "12/1/2010 8:26",
            "12/13/2010",
            "1/25/2011",
            "3/30/2011",
            "25/1/2011",
            "1/1/2011",
        ]);
        assert_eq!((ev.day_first, ev.month_first, ev.either), (1, 3, 1));
        let c = decide_dates(&ev, None, None, "InvoiceDate");
        assert_eq!(c.parser.order, DateOrder::Mdy);
        assert!(c.undecided.is_none());
        let w = c.decisions[0].warning.as_ref().unwrap();
        assert_eq!(
            (w.code, w.params["count"].as_str()),
            ("date_order_loss", "1")
        );
        assert!(w.message.starts_with("1 values"));
        // Only values read either way: undecided, unless the recipe says.
        let ev = dates(&["01/02/2024", "03/04/2024", "05/05/2024"]);
        let c = decide_dates(&ev, None, None, "date");
        assert_eq!(
            c.undecided.as_ref().map(Error::code),
            Some("ambiguous_dates")
        );
        assert_eq!(c.decisions[0].basis, Basis::Default);
        let c = decide_dates(&ev, Some(DateOrder::Mdy), None, "date");
        assert!(c.undecided.is_none());
        assert_eq!(c.decisions[0].basis, Basis::Recipe);
        // Values that read the same both ways do not need an order.
        let c = decide_dates(&dates(&["01/01/2024", "2024-03-05"]), None, None, "date");
        assert!(c.undecided.is_none() && c.decisions[0].warning.is_none());
        // A tie cannot be settled.
        let c = decide_dates(&dates(&["13/01/2024", "01/13/2024"]), None, None, "date");
        assert!(c.undecided.is_some());
    }

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

    #[test]
    fn integral_float_ids() {
        let mut ev = IdEvidence::default();
        ["12346.0", "12347", "12348.00", ""]
            .iter()
            .for_each(|v| ev.add(v));
        assert!(decide_ids(&ev, None, "CustomerID").0);
        ev.add("A7");
        let (strip, d) = decide_ids(&ev, None, "CustomerID");
        assert!(!strip && d.warning.is_some());
        assert!(decide_ids(&ev, Some(IdReading::Integers), "CustomerID").0);
        assert_eq!(integral_float_len("12.5"), None);
        assert_eq!(integral_float_len("12."), None);
    }
}
