//! The earlier period read from a tierlens `customers.csv` (the CLI's `--previous`).

use std::collections::{HashMap, HashSet};

use super::{ClassKind, Period, PeriodClass};
use crate::error::{Error, Result};
use crate::pseudonym::{Pseudonymiser, HEX_CHARS, PREFIX};
use crate::score::codes::previous::{previous_csv, unguard};

impl Period {
    /// Reads an earlier `customers.csv`: `customer_id` and whichever of `segment`, `value_tier`,
    /// `lifecycle`, `custom_tier` it has. Class names are listed in the order `current` declares
    /// them (names the current period does not know follow, sorted). `Ok(None)` when the file has
    /// none of the class columns (e.g. a code map of `customer_id,code` only); an id given twice
    /// is an error, since its earlier class would be a guess.
    pub fn from_customers_csv(bytes: &[u8], current: &Period) -> Result<Option<Period>> {
        let text = std::str::from_utf8(bytes).map_err(|_| {
            Error::UnsupportedFormat("the previous customers.csv is not UTF-8".into())
        })?;
        let text = text.trim_start_matches('\u{feff}');
        if text.trim_start().starts_with('{') {
            return Ok(None);
        }
        let (mut reader, header) = previous_csv(text)?;
        let find = |name: &str| header.iter().position(|h| h.trim() == name);
        let Some(id_col) = find("customer_id") else {
            return Err(Error::MissingColumn {
                role: "previous customers.csv".into(),
                looked_for: "customer_id".into(),
                found: header.iter().collect::<Vec<_>>().join(", "),
            });
        };
        let kinds: Vec<(ClassKind, usize)> = ClassKind::ALL
            .into_iter()
            .filter_map(|k| find(k.column()).map(|c| (k, c)))
            .collect();
        if kinds.is_empty() {
            return Ok(None);
        }
        let mut period = Period {
            classes: kinds
                .iter()
                .map(|&(kind, _)| PeriodClass {
                    kind,
                    names: current
                        .classes
                        .iter()
                        .find(|c| c.kind == kind)
                        .map(|c| c.names.clone())
                        .unwrap_or_default(),
                    of: Vec::new(),
                })
                .collect(),
            ..Period::default()
        };
        let mut seen = HashSet::new();
        for (i, rec) in reader.records().enumerate() {
            let row = u64::try_from(i + 2).unwrap_or(u64::MAX);
            let rec = rec.map_err(|e| Error::BadRow {
                row,
                column: None,
                message: format!("previous customers.csv: {e}"),
            })?;
            let id = unguard(rec.get(id_col).unwrap_or("")).to_string();
            if !seen.insert(id.clone()) {
                return Err(Error::BadRow {
                    row,
                    column: Some("customer_id".into()),
                    message: format!("previous customers.csv: customer {id} is listed twice"),
                });
            }
            period.ids.push(id);
            for (class, &(_, col)) in period.classes.iter_mut().zip(&kinds) {
                class
                    .of
                    .push(unguard(rec.get(col).unwrap_or("")).to_string());
            }
        }
        // A customers.csv without custom tier rules has an empty custom_tier column: no class.
        period
            .classes
            .retain(|c| !(c.kind == ClassKind::CustomTier && c.of.iter().all(String::is_empty)));
        Ok(Some(period))
    }

    /// Joins an earlier file keyed by pseudonyms to `current`'s raw ids. When every id here is a
    /// pseudonym (`p_` + 16 hex digits) and none is a current id as it is, `p` (the passphrase the
    /// file was exported with) renames each pseudonym of a current customer to its id; the rest
    /// are gone customers and stay pseudonyms ([`Period::pseudonymous`]). Refused, rather than
    /// giving everyone as new and gone, without a passphrase or when no pseudonym joins.
    pub fn rekey(&mut self, current: &Period, p: Option<&Pseudonymiser>) -> Result<()> {
        let looks = !self.ids.is_empty() && self.ids.iter().all(|id| is_pseudonym(id));
        let now: HashSet<&str> = current.ids.iter().map(String::as_str).collect();
        if !looks || self.ids.iter().any(|id| now.contains(id.as_str())) {
            return Ok(());
        }
        let ids = self.ids.len();
        let Some(p) = p else {
            return Err(Error::PreviousPseudonymised { ids });
        };
        let raw: HashMap<String, &String> =
            current.ids.iter().map(|id| (p.pseudonym(id), id)).collect();
        let mut joined = 0;
        for id in &mut self.ids {
            if let Some(&r) = raw.get(id.as_str()) {
                id.clone_from(r);
                joined += 1;
            }
        }
        if joined == 0 && !current.ids.is_empty() {
            return Err(Error::PreviousPseudonymsUnmatched { ids });
        }
        self.pseudonymous = true;
        Ok(())
    }
}

/// Whether `id` has the form of a tierlens pseudonym.
fn is_pseudonym(id: &str) -> bool {
    id.strip_prefix(PREFIX).is_some_and(|h| {
        h.len() == HEX_CHARS
            && h.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}
