//! The earlier period read from a tierlens `customers.csv` (the CLI's `--previous`).

use std::collections::HashSet;

use super::{ClassKind, Period, PeriodClass};
use crate::error::{Error, Result};
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
}
