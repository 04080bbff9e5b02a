//! Transaction rows: one order line each, cleaned into a [`Transaction`].

use super::*;

impl RowCleaner {
    /// The row's amount: the amount cell, or quantity × unit price. `Err` holds the bad cell text.
    pub(super) fn amount_of(&self, fields: &[&str]) -> std::result::Result<f64, String> {
        self.amount_with(fields, self.numbers)
    }

    /// [`RowCleaner::amount_of`] with another number parser.
    pub(super) fn amount_with(
        &self,
        fields: &[&str],
        numbers: NumberParser,
    ) -> std::result::Result<f64, String> {
        let get = |role: Role| -> &str {
            self.map
                .index(role)
                .and_then(|i| fields.get(i))
                .map_or("", |s| s.trim())
        };
        if self.map.index(Role::Amount).is_some() {
            let cell = get(Role::Amount);
            return numbers.parse(cell).ok_or_else(|| cell.to_string());
        }
        let (q_cell, p_cell) = (get(Role::Quantity), get(Role::UnitPrice));
        match (numbers.parse(q_cell), numbers.parse(p_cell)) {
            (Some(q), Some(p)) => Ok(q * p),
            _ => Err(format!("{q_cell} × {p_cell}")),
        }
    }

    /// Cleans one record: `Some` when used (already counted as used), `None` when rejected.
    pub fn clean<'a>(&mut self, row: u64, fields: &[&'a str]) -> Result<Option<Transaction<'a>>> {
        let Some(customer) = self.prologue(row, fields) else {
            return Ok(None);
        };
        let get = |role: Role| -> Option<&'a str> {
            self.map
                .index(role)
                .and_then(|i| fields.get(i))
                .map(|s| s.trim())
        };
        let date_cell = get(Role::Date).unwrap_or("");
        let Some(day) = self.dates.parse(date_cell) else {
            self.accounting
                .reject(RejectReason::BadDate, row, date_cell);
            return Ok(None);
        };
        let amount = match self.amount_of(fields) {
            Ok(v) => v,
            Err(cell) => {
                self.accounting.reject(RejectReason::BadAmount, row, &cell);
                return Ok(None);
            }
        };
        let Some(repeat) = check_repeat(
            &mut self.accounting,
            &mut self.dedupe,
            self.options.drop_duplicates,
            self.map.index(Role::OrderId).is_some(),
            (row, fields),
        ) else {
            return Ok(None);
        };
        let order = get(Role::OrderId).filter(|s| !s.is_empty());
        if let (Some(id), Some(prefix)) = (order, self.options.cancelled_prefix.as_deref()) {
            let cancelled = !prefix.is_empty()
                && id.strip_prefix(prefix).is_some_and(|rest| {
                    !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())
                });
            if cancelled {
                self.accounting.reject(RejectReason::Cancelled, row, id);
                return Ok(None);
            }
        }
        if self.as_of.is_some_and(|a| day > a) {
            self.accounting
                .reject(RejectReason::AfterAsOf, row, date_cell);
            return Ok(None);
        }
        if amount == 0.0 && self.options.drop_zero_amounts {
            self.accounting.reject(RejectReason::ZeroAmount, row, "0");
            return Ok(None);
        }
        let negative_qty = get(Role::Quantity)
            .and_then(|q| self.numbers.parse(q))
            .is_some_and(|q| q < 0.0);
        if (amount < 0.0 || negative_qty) && self.options.returns == ReturnsPolicy::Drop {
            let cell = if amount < 0.0 {
                crate::format::fmt_num(amount)
            } else {
                get(Role::Quantity).unwrap_or("").to_string()
            };
            self.accounting.reject(RejectReason::Return, row, &cell);
            return Ok(None);
        }
        if let Some(limit) = self.outlier_threshold {
            if amount.abs() > limit {
                let text = crate::format::fmt_num(amount);
                if self.options.outliers == OutlierPolicy::Drop {
                    self.accounting
                        .reject(RejectReason::OutlierAmount, row, &text);
                    return Ok(None);
                }
                let message = format!(
                    "amount beyond {} (Q3 + {}×IQR of the log amounts of {}); used, worth a check",
                    crate::format::fmt_num(limit),
                    self.options.outlier_iqr,
                    self.outlier_basis
                );
                self.accounting.flag("outlier_amount", &message, row, &text);
            }
        }
        if amount < 0.0 {
            self.accounting.returns += 1;
        }
        if repeat {
            flag_repeat(&mut self.accounting, row, fields);
        }
        self.accounting.rows_used += 1;
        Ok(Some(Transaction {
            row,
            customer,
            order,
            day,
            amount,
            region: get(Role::Region).filter(|s| !s.is_empty()),
        }))
    }
}
