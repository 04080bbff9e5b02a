//! Dates with an English month name: `Mar 5, 2024`, `March 5 2024`, `05-Mar-2024`,
//! `5 March 2024`, `5-Mar-24`, optionally followed by a time (`Mar 5, 2024 1:45 PM`).
//!
//! A month name settles which number is the day, so these never depend on the column's
//! day/month order.

use super::{ymd, Day};

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// 1-based month of an English month name or its abbreviation of at least three letters
/// (`Mar`, `Sept`, `September`; any case).
fn month_of(token: &str) -> Option<u32> {
    if token.len() < 3 || !token.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let lower = token.to_ascii_lowercase();
    let lower = if lower == "sept" {
        "sep".to_string()
    } else {
        lower
    };
    MONTHS
        .iter()
        .position(|m| m.starts_with(lower.as_str()))
        .and_then(|i| u32::try_from(i + 1).ok())
}

fn number(token: &str, max_len: usize) -> Option<u32> {
    if token.is_empty() || token.len() > max_len || !token.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    token.parse().ok()
}

fn year(token: &str) -> Option<i32> {
    let y: i32 = match token.len() {
        4 => token.parse().ok()?,
        // Two-digit years as elsewhere: 00–69 → 20xx, 70–99 → 19xx.
        2 => {
            let y: i32 = token.parse().ok()?;
            y + if y < 70 { 2000 } else { 1900 }
        }
        _ => return None,
    };
    token.bytes().all(|b| b.is_ascii_digit()).then_some(y)
}

/// What may follow the date: nothing, or a time (`13:45`, `1:45:10 PM`, `8:26`).
fn is_time_tail(rest: &[&str]) -> bool {
    match rest {
        [] => true,
        [t] | [t, _] if t.contains(':') => rest
            .get(1)
            .is_none_or(|ampm| matches!(ampm.to_ascii_lowercase().as_str(), "am" | "pm")),
        _ => false,
    }
}

/// Parses a month-name date; `None` for anything else.
pub fn parse_named(s: &str) -> Option<Day> {
    // Cheap rejection for the common numeric spellings.
    if !s.bytes().any(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let mut tokens = [""; 6];
    let mut n = 0;
    for t in s.split([' ', ',', '-', '/', '.']).filter(|t| !t.is_empty()) {
        let slot = tokens.get_mut(n)?;
        *slot = t;
        n += 1;
    }
    let (a, b, c) = (tokens.first()?, tokens.get(1)?, tokens.get(2)?);
    if !is_time_tail(tokens.get(3..n)?) {
        return None;
    }
    let (d, m, y) = if let Some(m) = month_of(a) {
        (number(b, 2)?, m, year(c)?)
    } else {
        (number(a, 2)?, month_of(b)?, year(c)?)
    };
    ymd(y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::values::day_of;
    use chrono::NaiveDate;

    #[test]
    fn reads_month_name_spellings() {
        let want = Some(day_of(NaiveDate::from_ymd_opt(2024, 3, 5).unwrap()));
        for s in [
            "Mar 5, 2024",
            "March 5 2024",
            "05-Mar-2024",
            "5 March 2024",
            "5-Mar-24",
            "5-MAR-2024",
            "Mar 5, 2024 1:45 PM",
            "05-Mar-2024 13:45:10",
        ] {
            assert_eq!(parse_named(s), want, "{s}");
        }
        assert_eq!(
            parse_named("Sept 30, 2023"),
            Some(day_of(NaiveDate::from_ymd_opt(2023, 9, 30).unwrap()))
        );
        for s in [
            "Feb 30, 2024",
            "Ma 5 2024",
            "5 Mars",
            "yesterday",
            "Mar 5, 2024 later",
            "2024-03-05",
        ] {
            assert_eq!(parse_named(s), None, "{s}");
        }
    }
}
