//! Parsing the values found in real exports: dates in many spellings and amounts with currency
//! signs, thousands separators, decimal commas, parentheses for negatives and full-width digits.
//!
//! Choices that one value cannot settle (day/month order, decimal comma, float-written ids) are
//! made per column from every value where the input can be read twice ([`evidence`]) and
//! reported as decisions with their counts.

pub mod evidence;
pub mod format;
mod named;

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

/// Parses amounts of one column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NumberParser {
    /// `1.234,56` style: comma is the decimal separator, dot (or space) groups thousands.
    pub decimal_comma: bool,
}

/// Exact powers of ten as `f64` (every one up to 10²² is representable).
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// `-?digits[.digits]` with at most 15 digits, read as `str::parse::<f64>` reads it, without its
/// general algorithm: the digits make an integer below 2⁵³ and the fraction a power of ten up to
/// 10¹⁵, both exact as `f64`, so their IEEE quotient is the correctly rounded value of the decimal
/// (Clinger's fast path), which is what `parse` returns. `None` for any other spelling.
fn short_decimal(s: &str) -> Option<f64> {
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let mut mantissa: u64 = 0;
    let mut count = 0usize;
    let mut fraction: Option<usize> = None;
    for b in digits.bytes() {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                count += 1;
                if let Some(f) = fraction.as_mut() {
                    *f += 1;
                }
                if count > 15 {
                    return None;
                }
            }
            b'.' if fraction.is_none() => fraction = Some(0),
            _ => return None,
        }
    }
    if count == 0 {
        return None;
    }
    // Below 10^15 < 2^53: exact.
    #[allow(clippy::cast_precision_loss)]
    let v = mantissa as f64 / POW10.get(fraction.unwrap_or(0))?;
    Some(if negative { -v } else { v })
}

impl NumberParser {
    /// Decides the decimal separator from `samples` (see [`evidence::decide_decimal`]; a column
    /// that cannot settle it reads a decimal point).
    pub fn from_samples<'a>(samples: impl IntoIterator<Item = &'a str>) -> Self {
        let mut ev = evidence::NumberEvidence::default();
        samples.into_iter().for_each(|s| ev.add(s));
        evidence::decide_decimal(&ev, None, "").parser
    }

    /// Parses one amount; `None` when it is not a number.
    pub fn parse(&self, raw: &str) -> Option<f64> {
        // Fast path for the common plain spelling (`12.50`, `-3`): no allocation.
        let plain = raw.trim();
        if !self.decimal_comma
            && !plain.is_empty()
            && plain
                .bytes()
                .enumerate()
                .all(|(i, b)| b.is_ascii_digit() || b == b'.' || (i == 0 && b == b'-'))
            && plain.bytes().any(|b| b.is_ascii_digit())
        {
            return short_decimal(plain)
                .or_else(|| plain.parse::<f64>().ok())
                .filter(|v| v.is_finite());
        }
        let s = normalise_digits(raw);
        let mut t = s.trim();
        if t.is_empty() {
            return None;
        }
        let mut negative = false;
        if let Some(inner) = t.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
            negative = true;
            t = inner.trim();
        }
        let mut percent = false;
        if let Some(inner) = t.strip_suffix('%') {
            percent = true;
            t = inner.trim_end();
        }
        // Currency codes around the number: "USD 12", "30 RMB".
        t = strip_code(t);
        // Chinese units: `1,280元`, `1280.00 元`, `¥1.2万` (× 10⁴), `3亿` (× 10⁸), `1.2万元`.
        if let Some(inner) = t.strip_suffix('元') {
            t = inner.trim_end();
        }
        let mut exponent = 0;
        if let Some(inner) = t.strip_suffix('万') {
            exponent = 4;
            t = inner.trim_end();
        } else if let Some(inner) = t.strip_suffix('亿') {
            exponent = 8;
            t = inner.trim_end();
        }
        let mut cleaned = String::with_capacity(t.len());
        let mut seen_digit = false;
        for c in t.chars() {
            match c {
                '0'..='9' => {
                    seen_digit = true;
                    cleaned.push(c);
                }
                '-' | '−' if !seen_digit && !cleaned.contains('-') => cleaned.push('-'),
                '+' if !seen_digit => {}
                '.' if self.decimal_comma => {}
                ',' if self.decimal_comma => cleaned.push('.'),
                ',' | '\'' | '_' | ' ' | '\u{a0}' | '\u{202f}' => {}
                '.' => cleaned.push('.'),
                '¥' | '￥' | '$' | '€' | '£' | '元' | '₩' | '₹' | '¢'
                    if !seen_digit || cleaned.ends_with(|c: char| c.is_ascii_digit()) => {}
                _ => return None,
            }
        }
        if !seen_digit {
            return None;
        }
        if exponent > 0 {
            // Scaled in decimal, so `1.2万` is exactly 12000 (1.2 × 10⁴ in binary is not).
            cleaned.push('e');
            cleaned.push(if exponent == 4 { '4' } else { '8' });
        }
        let v: f64 = cleaned.parse().ok()?;
        if !v.is_finite() {
            return None;
        }
        let v = if percent { v / 100.0 } else { v };
        Some(if negative { -v } else { v })
    }
}

/// Removes a leading or trailing run of up to 3 ASCII letters (a currency code) and the space after it.
fn strip_code(t: &str) -> &str {
    let lead = t.bytes().take_while(u8::is_ascii_alphabetic).count();
    let t = if (1..=3).contains(&lead) {
        t.get(lead..).unwrap_or(t).trim_start()
    } else {
        t
    };
    let trail = t.bytes().rev().take_while(u8::is_ascii_alphabetic).count();
    if (1..=3).contains(&trail) {
        t.get(..t.len() - trail).unwrap_or(t).trim_end()
    } else {
        t
    }
}

/// Full-width digits and signs (common in Chinese exports) to ASCII.
fn normalise_digits(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii() {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| match c {
                '０'..='９' => {
                    char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
                }
                '．' => '.',
                '，' => ',',
                '－' => '-',
                '＋' => '+',
                '（' => '(',
                '）' => ')',
                '％' => '%',
                c => c,
            })
            .collect(),
    )
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
    fn short_decimals_read_as_the_standard_parser_reads_them() {
        // The oracle is `str::parse::<f64>` (correctly rounded), bit for bit.
        let mut texts: Vec<String> = [
            "0",
            "-0",
            "0.0",
            "-0.00",
            "1.",
            ".5",
            "-.5",
            "007.50",
            "9.04",
            "2.87",
            "0.1",
            "0.3",
            "123456789012345",
            "12345678901234.5",
            "0.000000000000001",
            "999999999999999",
            "-999999.999999999",
            "4503599627370497",
            "1.2.3",
            "-",
            ".",
            "1-2",
            "",
            "1e5",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Cents and sub-cent amounts over a wide range (a simple LCG, fixed seed).
        let mut x: u64 = 7;
        for _ in 0..20_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let int = (x >> 20) % 10_000_000;
            let frac = (x >> 8) % 1000;
            let places = usize::try_from(x % 4).unwrap();
            let f = format!("{frac:03}");
            texts.push(format!("{int}.{}", f.get(..places).unwrap()));
        }
        for t in &texts {
            let want = t.parse::<f64>().ok();
            if let Some(v) = short_decimal(t) {
                assert_eq!(Some(v.to_bits()), want.map(f64::to_bits), "{t}");
            }
        }
        assert_eq!(short_decimal("9.04"), Some(9.04));
        assert_eq!(short_decimal("1234567890123456"), None);
        assert_eq!(short_decimal("1.2.3"), None);
        assert_eq!(short_decimal("-").or(short_decimal(".")), None);
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

    #[test]
    fn parses_amounts() {
        let p = NumberParser::default();
        assert_eq!(p.parse("1234.5"), Some(1234.5));
        assert_eq!(p.parse("¥1,234.50"), Some(1234.5));
        assert_eq!(p.parse("￥ 88"), Some(88.0));
        assert_eq!(p.parse("$-12.5"), Some(-12.5));
        assert_eq!(p.parse("-$12.5"), Some(-12.5));
        assert_eq!(p.parse("(45.00)"), Some(-45.0));
        assert_eq!(p.parse("１２３．５"), Some(123.5));
        assert_eq!(p.parse("12%"), Some(0.12));
        assert_eq!(p.parse("100元"), Some(100.0));
        assert_eq!(p.parse("1,280元"), Some(1280.0));
        assert_eq!(p.parse("1280.00 元"), Some(1280.0));
        assert_eq!(p.parse("¥1.2万"), Some(12_000.0));
        assert_eq!(p.parse("1.2万元"), Some(12_000.0));
        assert_eq!(p.parse("3亿"), Some(300_000_000.0));
        assert_eq!(p.parse("-0.35万"), Some(-3_500.0));
        assert_eq!(p.parse("万"), None);
        assert_eq!(p.parse("1万2"), None);
        assert_eq!(p.parse("abc"), None);
        assert_eq!(p.parse("USD 12"), Some(12.0));
        assert_eq!(p.parse("30 RMB"), Some(30.0));
        assert_eq!(p.parse("12abcd"), None);
        assert_eq!(p.parse("1.2.3"), None);
        assert_eq!(p.parse(""), None);
        let c = NumberParser::from_samples(["1.234,56", "12,5", "3"]);
        assert!(c.decimal_comma);
        assert_eq!(c.parse("1.234,56"), Some(1234.56));
        assert_eq!(c.parse("€ 12,50"), Some(12.5));
        assert!(!NumberParser::from_samples(["1,234", "12.5"]).decimal_comma);
    }
}
