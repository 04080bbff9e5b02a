//! `input.dateFormat`: a strftime pattern for date spellings the built-in readers do not know
//! (`%d.%m.%Y %H:%M`, `%Y%m%d%H%M%S`, …). The pattern is checked once, when the recipe is read,
//! and compiled to chrono's items so a row costs no pattern parsing.

use chrono::format::{Item, Parsed, StrftimeItems};
use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use super::{day_of, Day};
use crate::error::{Error, Result};

/// A checked, compiled date pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct DateFormat {
    pattern: String,
    items: Vec<Item<'static>>,
}

impl Serialize for DateFormat {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.pattern)
    }
}

impl DateFormat {
    /// Compiles `pattern`; an error names `input.dateFormat` when the pattern has an unknown
    /// specifier or cannot yield a calendar date (no year, month and day, or day of year).
    pub fn new(pattern: &str) -> Result<DateFormat> {
        let bad = |why: &str| Error::recipe("input.dateFormat", format!("{pattern:?}: {why}"));
        if pattern.trim().is_empty() || pattern.len() > 200 {
            return Err(bad("give a strftime pattern such as \"%d.%m.%Y %H:%M\""));
        }
        let items = StrftimeItems::new(pattern).parse_to_owned().map_err(|_| {
            bad("has a specifier chrono does not know (see strftime: %Y %m %d %b %H %M …)")
        })?;
        let format = DateFormat {
            pattern: pattern.to_string(),
            items,
        };
        // A round trip proves the pattern names a whole date: format a known date-time with it
        // and read it back. `write!` reports a formatting failure instead of panicking.
        let probe = chrono::NaiveDate::from_ymd_opt(2024, 3, 5)
            .and_then(|d| d.and_hms_opt(13, 45, 10))
            .ok_or_else(|| bad("internal probe date"))?;
        let mut text = String::new();
        {
            use std::fmt::Write;
            write!(text, "{}", probe.format_with_items(format.items.iter()))
                .map_err(|_| bad("cannot format a date"))?;
        }
        match format.parse_date(&text) {
            Some(d) if d == probe.date() => Ok(format),
            _ => Err(bad(
                "does not give a whole calendar date (it needs the year, month and day)",
            )),
        }
    }

    /// The pattern as written in the recipe.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    fn parse_date(&self, s: &str) -> Option<NaiveDate> {
        let mut parsed = Parsed::new();
        chrono::format::parse(&mut parsed, s, self.items.iter()).ok()?;
        parsed.to_naive_date().ok()
    }

    /// Reads one value with the pattern.
    pub fn parse(&self, s: &str) -> Option<Day> {
        self.parse_date(s.trim()).map(day_of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_checked_once_and_read_values() {
        let f = DateFormat::new("%d.%m.%Y %H:%M").unwrap();
        let want = day_of(NaiveDate::from_ymd_opt(2024, 3, 5).unwrap());
        assert_eq!(f.parse("05.03.2024 13:45"), Some(want));
        assert_eq!(f.parse("05.03.2024"), None);
        assert_eq!(f.parse("31.02.2024 10:00"), None);
        let f = DateFormat::new("%Y%m%d%H%M%S").unwrap();
        assert_eq!(f.parse("20240305134510"), Some(want));
        for bad in ["%Q", "%H:%M", "%m/%d", "", "%Y-%m-%"] {
            let e = DateFormat::new(bad).unwrap_err();
            assert_eq!(e.field(), Some("input.dateFormat"), "{bad}: {e}");
        }
    }
}
