//! Day/month order and Excel serials of a date column, counted over every value.

use super::super::{is_yyyymmdd, split_dmy, DateOrder, DateParser};
use super::{keep_min, shown};
use crate::error::Error;
use crate::ingest::{Basis, Decision};
use crate::warning::Warning;

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
        if super::super::iso_digits(super::super::date_part(s).as_bytes()).is_some() {
            // `yyyy-mm-dd`: no day/month reading and no number, so only the year-first count
            // below can take it (the common case, decided without trying the others).
            if super::super::parse_ymd(s).is_some() {
                self.year_first += 1;
            }
            return;
        }
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
        } else if super::super::parse_ymd(s).is_some() {
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
    format: Option<&super::super::format::DateFormat>,
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
}
