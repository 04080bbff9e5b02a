//! Roles from values: how well a column's sampled values fit a role (dates, amounts, ids), used
//! when the header names too little or a name-matched column holds something else.

use super::*;

impl ColumnMap {
    /// Like [`ColumnMap::infer`], then fills required roles the header did not name from the
    /// values of `sample` (the first records), with a confidence from how well the values fit.
    pub fn infer_with_values(
        header: &[String],
        overrides: &RoleOverrides,
        sample: &[Vec<String>],
    ) -> Result<ColumnMap> {
        let mut map = match ColumnMap::infer(header, overrides) {
            Ok(mut map) => {
                map.prefer_id_by_values(sample);
                map.check_values(sample);
                return Ok(map);
            }
            Err(e @ Error::UnknownColumn { .. }) => return Err(e),
            Err(e) => (ColumnMap::infer_partial(header, overrides)?, e),
        };
        let (ref mut partial, first_error) = map;
        if partial.shape() == Shape::Customers {
            return Err(first_error);
        }
        let column = |i: usize| -> Vec<&str> {
            sample
                .iter()
                .filter_map(|r| r.get(i))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let free = |map: &ColumnMap, i: usize| map.roles.iter().all(|m| m.index != i);
        let width = header.len();
        // Date first: its values are the most distinctive; then amount; the customer id last.
        if partial.index(Role::Date).is_none() {
            let best = (0..width)
                .filter(|&i| free(partial, i))
                .map(|i| (i, date_fit(&column(i))))
                .filter(|&(_, fit)| fit >= 0.8)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            if let Some((i, fit)) = best {
                partial.push_value_match(Role::Date, i, fit);
            }
        }
        if partial.index(Role::Amount).is_none()
            && (partial.index(Role::Quantity).is_none() || partial.index(Role::UnitPrice).is_none())
        {
            let best = (0..width)
                .filter(|&i| free(partial, i))
                .map(|i| (i, amount_fit(&column(i))))
                .filter(|&(_, fit)| fit >= 0.8)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            if let Some((i, fit)) = best {
                partial.push_value_match(Role::Amount, i, fit.min(1.0));
            }
        }
        if partial.index(Role::CustomerId).is_none() {
            let best = (0..width)
                .filter(|&i| free(partial, i))
                .map(|i| (i, id_fit(&column(i), sample.len())))
                .filter(|&(_, fit)| fit >= 0.5)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            if let Some((i, fit)) = best {
                partial.push_value_match(Role::CustomerId, i, fit);
            }
        }
        partial.roles.sort_by_key(|m| m.role);
        partial.check_required().map_err(|_| first_error)?;
        partial.prefer_id_by_values(sample);
        partial.check_values(sample);
        Ok(std::mem::take(partial))
    }

    /// Two columns of the same name (`客户` for the name, then `客户` for the id): the customer id is
    /// the one whose values look like ids, never silently — its warning names both columns.
    pub(super) fn prefer_id_by_values(&mut self, sample: &[Vec<String>]) {
        let Some(pos) = self
            .roles
            .iter()
            .position(|m| m.role == Role::CustomerId && m.source.starts_with("header"))
        else {
            return;
        };
        let Some(current) = self.roles.get(pos).map(|m| m.index) else {
            return;
        };
        let own = normalise(self.name(current));
        let free = |i: usize| self.roles.iter().all(|m| m.index != i);
        let twins: Vec<usize> = (0..self.header.len())
            .filter(|&i| i != current && free(i) && normalise(self.name(i)) == own)
            .collect();
        if twins.is_empty() {
            return;
        }
        let likeness = |i: usize| {
            let values: Vec<&str> = sample
                .iter()
                .filter_map(|r| r.get(i))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect();
            names::id_likeness(&values)
        };
        let mut best = (current, likeness(current));
        for &i in &twins {
            let l = likeness(i);
            if l > best.1 {
                best = (i, l);
            }
        }
        let chosen = best.0;
        let mut all: Vec<usize> = std::iter::once(current).chain(twins).collect();
        all.sort_unstable();
        let positions: Vec<String> = all.iter().map(|i| format!("{}", i + 1)).collect();
        let column = self.name(chosen).to_string();
        let warning = Warning::role_id_twins(&column, &positions, chosen + 1, best.1);
        if let Some(m) = self.roles.get_mut(pos) {
            m.index = chosen;
            m.column = column;
            m.warning = Some(warning);
        }
    }

    /// Measures how well each named column's values fit its role, and lowers the confidence of
    /// a header match whose values do not fit (a "date" column of free text).
    pub(super) fn check_values(&mut self, sample: &[Vec<String>]) {
        for m in &mut self.roles {
            let values: Vec<&str> = sample
                .iter()
                .filter_map(|r| r.get(m.index))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect();
            if values.is_empty() {
                continue;
            }
            let fit = match m.role {
                Role::Date | Role::LastPurchase | Role::FirstPurchase => {
                    let p = crate::ingest::values::DateParser::from_samples(
                        values.iter().copied(),
                        None,
                    );
                    share(
                        values.iter().filter(|v| p.parse(v).is_some()).count(),
                        values.len(),
                    )
                }
                Role::Amount
                | Role::Quantity
                | Role::UnitPrice
                | Role::Orders
                | Role::TotalSpend
                | Role::Recency => {
                    let p =
                        crate::ingest::values::NumberParser::from_samples(values.iter().copied());
                    share(
                        values.iter().filter(|v| p.parse(v).is_some()).count(),
                        values.len(),
                    )
                }
                Role::CustomerId | Role::OrderId | Role::Region => continue,
            };
            let fit = (fit * 100.0).round() / 100.0;
            m.value_fit = Some(fit);
            if m.source != "recipe" {
                m.confidence = (m.confidence * (0.5 + 0.5 * fit) * 100.0).round() / 100.0;
            }
        }
    }

    pub(super) fn push_value_match(&mut self, role: Role, index: usize, fit: f64) {
        self.roles.push(RoleMatch {
            role,
            index,
            column: self.header.get(index).cloned().unwrap_or_default(),
            confidence: (fit * 100.0).round() / 100.0 * 0.9,
            source: "values".into(),
            value_fit: Some((fit.min(1.0) * 100.0).round() / 100.0),
            warning: None,
        });
    }
}

/// Whether a first record holds values rather than column names: no cell is a known column name
/// and some cell reads as a date or a number.
pub fn looks_like_data(cells: &[String]) -> bool {
    let named = cells.iter().any(|c| {
        let n = normalise(c);
        Role::ALL.iter().any(|r| r.synonyms().contains(&n.as_str()))
    });
    let dates = crate::ingest::values::DateParser::default();
    let numbers = crate::ingest::values::NumberParser::default();
    let valued = cells.iter().any(|c| {
        let c = c.trim();
        dates.parse(c).is_some() || (numbers.parse(c).is_some() && c.len() > 1)
    });
    !named && valued
}

#[allow(clippy::cast_precision_loss)]
pub(super) fn share(hits: usize, of: usize) -> f64 {
    if of == 0 {
        0.0
    } else {
        hits as f64 / of as f64
    }
}

/// Share of values that read as dates without the Excel-serial fallback (plain numbers are too
/// easily dates), or, for a column of integers all between 1982 and 2064 as serials, 0.85 of it.
pub(super) fn date_fit(values: &[&str]) -> f64 {
    let p = crate::ingest::values::DateParser::from_samples(values.iter().copied(), None);
    let strict = crate::ingest::values::DateParser {
        excel_serial: false,
        ..p
    };
    let fit = share(
        values.iter().filter(|v| strict.parse(v).is_some()).count(),
        values.len(),
    );
    if fit > 0.0 {
        return fit;
    }
    let serial = values
        .iter()
        .filter(|v| {
            v.parse::<f64>()
                .is_ok_and(|x| (30_000.0..=60_000.0).contains(&x))
        })
        .count();
    share(serial, values.len()) * 0.85
}

/// Share of values that read as numbers, with a bonus for money-looking values (decimals or a
/// currency sign) and a penalty for integer columns that never repeat (ids, not amounts).
pub(super) fn amount_fit(values: &[&str]) -> f64 {
    let p = crate::ingest::values::NumberParser::from_samples(values.iter().copied());
    let parsed: Vec<f64> = values.iter().filter_map(|v| p.parse(v)).collect();
    let fit = share(parsed.len(), values.len());
    let money = values
        .iter()
        .any(|v| v.contains(['.', ',', '¥', '￥', '$', '€', '£']));
    if money {
        fit
    } else {
        let mut distinct: Vec<u64> = parsed.iter().map(|v| v.to_bits()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let unique = share(distinct.len(), parsed.len().max(1));
        fit * (0.9 - 0.3 * unique)
    }
}

/// Ids repeat (customers buy more than once) and are not dates or amounts with decimals.
pub(super) fn id_fit(values: &[&str], rows: usize) -> f64 {
    if values.is_empty() || date_fit(values) > 0.5 {
        return 0.0;
    }
    let filled = share(values.len(), rows.max(1));
    let decimals = values.iter().filter(|v| v.contains('.')).count();
    if share(decimals, values.len()) > 0.5 {
        return 0.0;
    }
    let mut distinct: Vec<&str> = values.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    let repeats = 1.0 - share(distinct.len(), values.len());
    filled * (0.6 + 0.4 * repeats.min(0.5) * 2.0)
}
