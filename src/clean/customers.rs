//! Customer-level rows: one row per customer, figures ready-made, cleaned into a [`CustomerRow`].

use super::*;

impl RowCleaner {
    /// One row of customer-level input.
    pub(super) fn clean_customer<'a>(
        &mut self,
        row: u64,
        fields: &[&'a str],
    ) -> Result<Option<CustomerRow<'a>>> {
        let Some(customer) = self.prologue(row, fields) else {
            return Ok(None);
        };
        let get = |role: Role| -> Option<&'a str> {
            self.map
                .index(role)
                .and_then(|i| fields.get(i))
                .map(|s| s.trim())
        };
        // An empty purchase date (or recency) is a prospect — a contact without a purchase — as
        // long as the row has no orders and no spend either; checked below.
        let last_day = if self.map.index(Role::LastPurchase).is_some() {
            let cell = get(Role::LastPurchase).unwrap_or("");
            match self.dates.parse(cell) {
                Some(d) => Some(d),
                None if cell.is_empty() => None,
                None => {
                    self.accounting.reject(RejectReason::BadDate, row, cell);
                    return Ok(None);
                }
            }
        } else {
            let Some(as_of) = self.as_of else {
                return Err(crate::error::Error::recipe(
                    "asOf",
                    "this customer file gives recency in days but no purchase dates: set asOf to the date the export was made",
                ));
            };
            let cell = get(Role::Recency).unwrap_or("");
            match NumberParser::default()
                .parse(cell)
                .filter(|v| *v >= 0.0 && *v < 1e6)
            {
                // Bounded above, so the conversion is exact.
                #[allow(clippy::cast_possible_truncation)]
                Some(days) => Some(as_of - days.round() as Day),
                None if cell.is_empty() => None,
                None => {
                    self.accounting.reject(RejectReason::BadDate, row, cell);
                    return Ok(None);
                }
            }
        };
        let prospect = last_day.is_none();
        let first_day = get(Role::FirstPurchase).and_then(|c| self.dates.parse(c));
        let orders = match get(Role::Orders) {
            None if prospect => 0,
            None => 1,
            Some("") if prospect => 0,
            Some(cell) => match NumberParser::default()
                .parse(cell)
                .filter(|v| *v >= 0.0 && v.fract() == 0.0 && *v <= f64::from(u32::MAX))
            {
                // Checked to be a whole number in u32 range.
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                Some(v) => v as u32,
                None => {
                    self.accounting
                        .reject(RejectReason::BadOrderCount, row, cell);
                    return Ok(None);
                }
            },
        };
        let spend_role = [Role::TotalSpend, Role::Amount]
            .into_iter()
            .find(|r| self.map.index(*r).is_some());
        let spend = match spend_role {
            None => 0.0,
            Some(role) => {
                let cell = get(role).unwrap_or("");
                match self.numbers.parse(cell) {
                    Some(v) => v,
                    None if prospect && cell.is_empty() => 0.0,
                    None => {
                        self.accounting.reject(RejectReason::BadAmount, row, cell);
                        return Ok(None);
                    }
                }
            }
        };
        if prospect && (orders > 0 || spend != 0.0) {
            // Orders or spend without a purchase date: recency cannot be known.
            self.accounting.reject(RejectReason::BadDate, row, "");
            return Ok(None);
        }
        let Some(repeat) = check_repeat(
            &mut self.accounting,
            &mut self.dedupe,
            self.options.drop_duplicates,
            self.map.index(Role::OrderId).is_some(),
            (row, fields),
        ) else {
            return Ok(None);
        };
        if self.as_of.is_some_and(|a| last_day.is_some_and(|d| d > a)) {
            let cell = get(Role::LastPurchase).unwrap_or("");
            self.accounting.reject(RejectReason::AfterAsOf, row, cell);
            return Ok(None);
        }
        // A prospect has no purchase at all, not a zero-amount one.
        if spend == 0.0 && !prospect && self.options.drop_zero_amounts {
            self.accounting.reject(RejectReason::ZeroAmount, row, "0");
            return Ok(None);
        }
        self.pending_repeat = repeat;
        Ok(Some(CustomerRow {
            customer,
            last_day,
            first_day,
            orders,
            spend,
            region: get(Role::Region).filter(|s| !s.is_empty()),
        }))
    }
}
