//! Float-written customer ids (`12346.0`), counted over every id of the column.

use super::{keep_min, shown};
use crate::ingest::{Basis, Decision};
use crate::warning::Warning;

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
