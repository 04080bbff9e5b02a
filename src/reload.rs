//! Whether a change of recipe needs the file read again, and why, as a stable code.
//!
//! A [`crate::pipeline::Dataset`] keeps the customers as its load read them: the recipe's `input`
//! (format, encoding, columns, dates, …) and `clean` rules decide which rows exist, and an `asOf`
//! given at load time sets aside the rows after it. Everything else (scores, segments, tiers,
//! clusters) is computed from the loaded customers. The faces ask here instead of guessing from an
//! error's text.

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::Recipe;

/// Why the file must be read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ReloadCode {
    /// `input` changed: the rows are read differently.
    Input,
    /// `clean` changed: other rows are set aside or kept.
    Clean,
    /// The load had an explicit `asOf` (rows after it were set aside) and the new one differs.
    AsOfChanged,
    /// The new `asOf` is earlier than the latest transaction of the loaded data.
    AsOfBeforeLatest,
    /// The `clv` section is turned on but the load did not keep the purchases it needs.
    Clv,
}

impl ReloadCode {
    /// The stable code (`input`, `clean`, `as_of_changed`, `as_of_before_latest`).
    pub fn code(self) -> &'static str {
        match self {
            ReloadCode::Input => "input",
            ReloadCode::Clean => "clean",
            ReloadCode::AsOfChanged => "as_of_changed",
            ReloadCode::AsOfBeforeLatest => "as_of_before_latest",
            ReloadCode::Clv => "clv",
        }
    }

    /// The recipe field at the cause.
    pub fn field(self) -> &'static str {
        match self {
            ReloadCode::Input => "input",
            ReloadCode::Clean => "clean",
            ReloadCode::AsOfChanged | ReloadCode::AsOfBeforeLatest => "asOf",
            ReloadCode::Clv => "clv",
        }
    }
}

/// The answer for the faces: `{ code, field }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reload {
    /// Stable code, see [`ReloadCode::code`].
    pub code: &'static str,
    /// The recipe field at the cause.
    pub field: &'static str,
}

impl From<ReloadCode> for Reload {
    fn from(c: ReloadCode) -> Self {
        Reload {
            code: c.code(),
            field: c.field(),
        }
    }
}

/// Whether data loaded with `loaded` must be read again to be analysed with `next`; `latest` is the
/// latest transaction date of the loaded data (`None`: not known, or no dated rows). `None` means
/// the loaded data serve `next` as they are.
pub fn reload_needed(
    loaded: &Recipe,
    next: &Recipe,
    latest: Option<NaiveDate>,
) -> Option<ReloadCode> {
    if loaded.input != next.input {
        return Some(ReloadCode::Input);
    }
    if loaded.clean != next.clean {
        return Some(ReloadCode::Clean);
    }
    if loaded.as_of.is_some() && next.as_of != loaded.as_of {
        return Some(ReloadCode::AsOfChanged);
    }
    // A load keeps each purchase's value only with the clv section on (see pipeline `clv`).
    if next.clv.enabled && !loaded.clv.enabled {
        return Some(ReloadCode::Clv);
    }
    match (next.as_of, latest) {
        (Some(a), Some(l)) if next.as_of != loaded.as_of && a < l => {
            Some(ReloadCode::AsOfBeforeLatest)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turning_clv_on_needs_the_file_again_turning_it_off_does_not() {
        let off = Recipe::default();
        let on = Recipe::from_json(r#"{"clv": {}}"#).unwrap();
        assert_eq!(reload_needed(&off, &on, None), Some(ReloadCode::Clv));
        assert_eq!(reload_needed(&on, &off, None), None);
        let other = Recipe::from_json(r#"{"clv": {"horizon": 10}}"#).unwrap();
        assert_eq!(reload_needed(&on, &other, None), None);
        assert_eq!(Reload::from(ReloadCode::Clv).code, "clv");
    }
}
