//! Parsing the values found in real exports: dates in many spellings and amounts with currency
//! signs, thousands separators, decimal commas, parentheses for negatives and full-width digits.
//!
//! Choices that one value cannot settle (day/month order, decimal comma, float-written ids) are
//! made per column from every value where the input can be read twice ([`evidence`]) and
//! reported as decisions with their counts.

pub mod evidence;
pub mod format;
mod named;
mod number;

pub(crate) use number::normalise_digits;
pub use number::NumberParser;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Day number used throughout the pipeline: days since 1970-01-01.
pub type Day = i32;

/// Converts a calendar date to a [`Day`].
pub fn day_of(date: NaiveDate) -> Day {
    date.num_days_from_ce() - EPOCH_CE
}

/// Converts a [`Day`] back to a calendar date (clamped to chrono's range).
pub fn date_of(day: Day) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day.saturating_add(EPOCH_CE)).unwrap_or_default()
}

/// `NaiveDate::from_ymd(1970, 1, 1).num_days_from_ce()`.
const EPOCH_CE: i32 = 719_163;

/// Order of day and month in dates such as `03/04/2024`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// Day first (`31/12/2024`), as in most of Europe and Asia outside the US.
    Dmy,
    /// Month first (`12/31/2024`), as in the US.
    Mdy,
}

/// Parses dates of one column.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DateParser {
    /// Day/month order for `a/b/yyyy` dates.
    pub order: DateOrder,
    /// Whether the column could not settle the order (no deciding value, or a tie).
    pub order_ambiguous: bool,
    /// Whether plain numbers are read as Excel serial dates (1900 date system).
    pub excel_serial: bool,
    /// Whether some value of the column reads differently day first and month first; when not,
    /// `order` is only a default that changes no date (the page says the order did not matter).
    pub order_matters: bool,
    /// Whether most values write the year first (`2024-12-31`, `1997年1月1日`): their day/month
    /// order is fixed by the form, so the `dateOrder` decision is `ymd`.
    pub year_first: bool,
    /// `input.dateFormat`: when set, the column is read with this pattern only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<format::DateFormat>,
}

impl Default for DateParser {
    fn default() -> Self {
        DateParser {
            order: DateOrder::Dmy,
            order_ambiguous: false,
            excel_serial: false,
            order_matters: true,
            year_first: false,
            format: None,
        }
    }
}

impl DateParser {
    /// Decides day/month order and Excel-serial reading from `samples` (see
    /// [`evidence::decide_dates`]; an undecided order reads day-first and sets
    /// [`DateParser::order_ambiguous`]). `forced` (from the recipe) wins over the values.
    pub fn from_samples<'a>(
        samples: impl IntoIterator<Item = &'a str>,
        forced: Option<DateOrder>,
    ) -> Self {
        let mut ev = evidence::DateEvidence::default();
        samples.into_iter().for_each(|s| ev.add(s));
        evidence::decide_dates(&ev, forced, None, "").parser
    }

    /// Parses one value to a [`Day`]; `None` when it is not a date this parser reads.
    pub fn parse(&self, raw: &str) -> Option<Day> {
        let s = raw.trim();
        if s.is_empty() {
            return None;
        }
        if let Some(f) = &self.format {
            return f.parse(s);
        }
        if let Some(d) = parse_ymd(s) {
            return Some(d);
        }
        if let Some(d) = named::parse_named(s) {
            return Some(d);
        }
        if let Some((a, b, y)) = split_dmy(s) {
            let (d, m) = match self.order {
                DateOrder::Dmy => (a, b),
                DateOrder::Mdy => (b, a),
            };
            return ymd(y, m, d);
        }
        if self.excel_serial {
            if let Ok(v) = s.parse::<f64>() {
                return excel_serial_day(v);
            }
        }
        None
    }
}

/// Excel 1900-system serial number → [`Day`] (serial 25569 = 1970-01-01; fractions are times).
pub fn excel_serial_day(v: f64) -> Option<Day> {
    if !(1.0..=2_958_465.0).contains(&v) {
        return None;
    }
    // Excel counts a fictitious 1900-02-29; serials from 61 on are one day ahead of the calendar.
    let whole = v.floor();
    let days = if whole < 61.0 {
        whole - 25_568.0
    } else {
        whole - 25_569.0
    };
    // In range by the check above, so the conversion is exact.
    #[allow(clippy::cast_possible_truncation)]
    Some(days as Day)
}

fn ymd(y: i32, m: u32, d: u32) -> Option<Day> {
    NaiveDate::from_ymd_opt(y, m, d).map(day_of)
}

fn is_yyyymmdd(s: &str) -> bool {
    s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) && parse_ymd(s).is_some()
}

/// Splits the date part from a trailing time (`2024-03-05 13:45:00`, `2024-03-05T13:45Z`).
fn date_part(s: &str) -> &str {
    let cut = s
        .char_indices()
        .find(|&(i, c)| c == ' ' || (c == 'T' && i >= 8))
        .map_or(s.len(), |(i, _)| i);
    s.get(..cut).unwrap_or(s)
}

/// Year-first dates: ISO, `2024/3/5`, `2024.03.05`, `20240305`, `2024年3月5日`.
fn parse_ymd(s: &str) -> Option<Day> {
    let s = date_part(s);
    if let Some((y, m, d)) = iso_digits(s.as_bytes()) {
        // `yyyy-mm-dd` (or `/`, `.`), the common case: what the split below gives, without it.
        return ymd(y, m, d);
    }
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        let y = s.get(0..4)?.parse().ok()?;
        let m = s.get(4..6)?.parse().ok()?;
        let d = s.get(6..8)?.parse().ok()?;
        return if (1900..=2200).contains(&y) {
            ymd(y, m, d)
        } else {
            None
        };
    }
    // Without collecting: this runs once per row.
    let mut parts = s
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty());
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// `yyyy-mm-dd` with ASCII digits and any of `-`, `/`, `.` as the two separators: its year, month
/// and day, read as the general path of [`parse_ymd`] reads them; `None` for anything else.
fn iso_digits(b: &[u8]) -> Option<(i32, u32, u32)> {
    let [y0, y1, y2, y3, s1, m0, m1, s2, d0, d1] = *b else {
        return None;
    };
    let sep = |c: u8| matches!(c, b'-' | b'/' | b'.');
    if !(sep(s1) && sep(s2)) {
        return None;
    }
    let digits = [y0, y1, y2, y3, m0, m1, d0, d1];
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let [y0, y1, y2, y3, m0, m1, d0, d1] = digits.map(|c| u32::from(c - b'0'));
    let y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
    Some((i32::try_from(y).ok()?, m0 * 10 + m1, d0 * 10 + d1))
}

/// Day-or-month-first dates `a/b/yyyy` (also `-` and `.`; two-digit years 00–69 → 20xx).
fn split_dmy(s: &str) -> Option<(u32, u32, i32)> {
    let s = date_part(s);
    let mut parts = s.split(['/', '-', '.']);
    let (a, b, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    if a.len() > 2 || b.len() > 2 || !(y.len() == 4 || y.len() == 2) {
        return None;
    }
    let a: u32 = a.parse().ok()?;
    let b: u32 = b.parse().ok()?;
    let mut y: i32 = y.parse().ok()?;
    if y < 100 {
        y += if y < 70 { 2000 } else { 1900 };
    }
    Some((a, b, y))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> Option<Day> {
        Some(day_of(NaiveDate::from_ymd_opt(y, m, dd).unwrap()))
    }

    #[test]
    fn epoch_is_1970() {
        assert_eq!(day_of(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()), 0);
        assert_eq!(date_of(0), NaiveDate::from_ymd_opt(1970, 1, 1).unwrap());
    }

    #[test]
    fn year_first_dates_read_alike_on_the_short_and_the_general_path() {
        for (text, want) in [
            ("2023-03-28", d(2023, 3, 28)),
            ("2023/03/28", d(2023, 3, 28)),
            ("2023.03.28", d(2023, 3, 28)),
            ("2023-03/28", d(2023, 3, 28)),
            ("2024-02-29", d(2024, 2, 29)),
            ("2023-02-29", None),
            ("2023-13-01", None),
            ("2023-00-10", None),
            ("0999-01-01", d(999, 1, 1)),
            ("2023-03-28 13:45:00", d(2023, 3, 28)),
            ("2023-3-28", d(2023, 3, 28)),
            ("2023-03-2x", None),
            ("2023x03-28", None),
        ] {
            assert_eq!(parse_ymd(text), want, "{text}");
        }
        assert_eq!(iso_digits(b"2023-3-28"), None);
        assert_eq!(iso_digits(b"2023-03-28"), Some((2023, 3, 28)));
    }

    #[test]
    fn parses_date_spellings() {
        let p = DateParser::default();
        assert_eq!(p.parse("2024-03-05"), d(2024, 3, 5));
        assert_eq!(p.parse("2024-03-05 13:45:10"), d(2024, 3, 5));
        assert_eq!(p.parse("2024-03-05T13:45:10Z"), d(2024, 3, 5));
        assert_eq!(p.parse("20240305"), d(2024, 3, 5));
        assert_eq!(p.parse("2024/3/5"), d(2024, 3, 5));
        assert_eq!(p.parse("2024年3月5日"), d(2024, 3, 5));
        assert_eq!(p.parse("05/03/2024"), d(2024, 3, 5));
        assert_eq!(p.parse("Mar 5, 2024"), d(2024, 3, 5));
        assert_eq!(p.parse("05-Mar-2024"), d(2024, 3, 5));
        assert_eq!(p.parse("5 March 2024"), d(2024, 3, 5));
        assert_eq!(p.parse("March 5 2024"), d(2024, 3, 5));
        assert_eq!(p.parse("5-Mar-24"), d(2024, 3, 5));
        assert_eq!(p.parse("2024-02-30"), None);
        assert_eq!(p.parse("yesterday"), None);
        assert_eq!(p.parse(""), None);
    }

    #[test]
    fn decides_day_month_order_from_the_column() {
        let p = DateParser::from_samples(["03/04/2024", "12/25/2024"], None);
        assert_eq!(p.order, DateOrder::Mdy);
        assert!(!p.order_ambiguous);
        assert_eq!(p.parse("03/04/2024"), d(2024, 3, 4));
        let p = DateParser::from_samples(["03/04/2024", "25/12/2024"], None);
        assert_eq!(p.order, DateOrder::Dmy);
        let p = DateParser::from_samples(["03/04/2024", "05/06/2024"], None);
        assert!(p.order_ambiguous);
    }

    #[test]
    fn reads_excel_serials_when_the_column_is_numeric() {
        let p = DateParser::from_samples(["45356", "45357"], None);
        assert!(p.excel_serial);
        assert_eq!(p.parse("45356"), d(2024, 3, 5));
        assert_eq!(p.parse("45356.75"), d(2024, 3, 5));
    }
}
