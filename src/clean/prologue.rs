//! What every row goes through first, whatever its shape: the row prologue (counted as read; total
//! rows, extra fields and missing ids rejected; exact repeats checked), and the entry point
//! [`RowCleaner::clean_row`] that hands the row to its shape.

use super::*;

impl RowCleaner {
    /// Cleans one record of either shape: `Some` when used, with its extra-column cells, for the
    /// caller to hand to the aggregator. A transaction row is counted as used here; a
    /// customer-level row once the aggregator has taken it ([`RowCleaner::settle_customer`]).
    pub fn clean_row<'a>(&mut self, row: u64, fields: &[&'a str]) -> Result<Option<CleanRow<'a>>> {
        if self.shape == Shape::Customers {
            return Ok(self
                .clean_customer(row, fields)?
                .map(|r| CleanRow::Customer(r, self.attr_cells(fields))));
        }
        Ok(self.clean(row, fields)?.map(|t| {
            let cells = if self.attrs.is_empty() {
                Vec::new()
            } else {
                self.attr_cells(fields)
            };
            CleanRow::Transaction(t, cells)
        }))
    }

    /// Counts a customer-level row returned by [`RowCleaner::clean_row`]: used when the
    /// aggregator took it (`added`), else rejected as a second row of the same customer.
    pub fn settle_customer(&mut self, row: u64, fields: &[&str], customer: &str, added: bool) {
        if !added {
            self.accounting
                .reject(RejectReason::DuplicateCustomer, row, customer);
            return;
        }
        if std::mem::take(&mut self.pending_repeat) {
            flag_repeat(&mut self.accounting, row, fields);
        }
        self.accounting.rows_used += 1;
    }

    /// The row prologue, the same for both shapes: the row is counted as read; a total row, a row
    /// with cells beyond the header and a row without a customer id are rejected. The customer
    /// id (as compared, see [`crate::clean::ids`]) when the row goes on, `None` when rejected.
    pub(super) fn prologue<'a>(&mut self, row: u64, fields: &[&'a str]) -> Option<&'a str> {
        self.accounting.rows_read += 1;
        if self.rejects_total_row(row, fields) || self.rejects_extra_fields(row, fields) {
            return None;
        }
        let raw = self
            .map
            .index(Role::CustomerId)
            .and_then(|i| fields.get(i))
            .map_or("", |s| s.trim());
        let customer = self.customer_id(raw);
        if customer.is_empty() {
            self.accounting
                .reject(RejectReason::MissingCustomerId, row, "");
            return None;
        }
        Some(customer)
    }

    /// Rejects a row with non-empty cells beyond the header's columns (trailing empty cells, which
    /// spreadsheet exports often add, are fine).
    pub(super) fn rejects_extra_fields(&mut self, row: u64, fields: &[&str]) -> bool {
        let width = self.map.header.len();
        match fields.iter().skip(width).find(|f| !f.trim().is_empty()) {
            Some(extra) => {
                self.accounting
                    .reject(RejectReason::ExtraFields, row, extra);
                true
            }
            None => false,
        }
    }

    /// Rejects a total or subtotal row (reason `total_row`): its customer id cell, or its first
    /// cell, is exactly one of the [`crate::clean::total_word`] words.
    pub(super) fn rejects_total_row(&mut self, row: u64, fields: &[&str]) -> bool {
        match self.total_cell(fields) {
            Some(cell) => {
                let cell = cell.to_string();
                self.accounting.reject(RejectReason::TotalRow, row, &cell);
                true
            }
            None => false,
        }
    }

    /// The cell that makes `fields` a total row, if any.
    pub(super) fn total_cell<'a>(&self, fields: &[&'a str]) -> Option<&'a str> {
        let id = self.map.index(Role::CustomerId).and_then(|i| fields.get(i));
        id.into_iter()
            .chain(fields.first())
            .copied()
            .find(|c| total_word(c))
    }
}

/// The exact-repeat check, once the row's values have been read: `Some(repeat)` when the row
/// goes on (a kept repeat is flagged once used), `None` when it is dropped as a repeat. A free
/// function over the parts it needs, so that the shapes' cell getters (borrowing the column map)
/// stay usable around it.
pub(super) fn check_repeat(
    accounting: &mut RowAccounting,
    dedupe: &mut crate::prescan::Dedupe,
    policy: DropDuplicates,
    has_order_id: bool,
    (row, fields): (u64, &[&str]),
) -> Option<bool> {
    let repeat = policy.checks() && dedupe.is_repeat(row_hash(fields));
    if repeat && policy.drops(has_order_id) {
        accounting.reject(RejectReason::DuplicateRow, row, &fields.join(","));
        return None;
    }
    Some(repeat)
}

/// Flags a kept exact repeat (once the row is used).
pub(super) fn flag_repeat(accounting: &mut RowAccounting, row: u64, fields: &[&str]) {
    accounting.flag(
        "duplicate_row",
        "exact repeat of an earlier row, kept: without an order id identical lines are usually repeat purchases (clean.dropDuplicates: true drops them)",
        row,
        &fields.join(","),
    );
}

/// Whether a cell marks a total or subtotal row: exactly `合计`, `总计`, `小计`, `共计`, `Total`,
/// `Totals`, `Grand total`, `Subtotal` or `Sub-total` after trimming, case-insensitively, with
/// inner spaces (`合　计`) and a trailing `:`/`：` ignored. `Total Fitness Ltd` is a customer.
pub fn total_word(cell: &str) -> bool {
    /// The words, squeezed and lower-cased as below. The longest is 10 chars (`grandtotal`).
    const WORDS: [&str; 9] = [
        "合计",
        "总计",
        "小计",
        "共计",
        "总合计",
        "total",
        "totals",
        "grandtotal",
        "subtotal",
    ];
    let t = cell.trim().trim_end_matches([':', '：']);
    if t.len() > 16 {
        return false;
    }
    // Fast exit for the usual cell: an ASCII first letter no word starts with (`-` and spaces are
    // squeezed out below, so they are skipped here too). Non-ASCII goes the whole way.
    let first = t
        .bytes()
        .find(|&b| b != b'-' && !char::from(b).is_whitespace());
    if first.is_some_and(|b| b.is_ascii() && !matches!(b.to_ascii_lowercase(), b't' | b'g' | b's'))
    {
        return false;
    }
    // Squeezed into a stack buffer: this runs on every row (twice), and a `String` per call was
    // a tenth of a large load. 16 bytes of input lower-case to at most 48 bytes of UTF-8.
    let mut buf = [0u8; 64];
    let mut len = 0;
    for c in t
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
    {
        let Some(dst) = buf.get_mut(len..len + c.len_utf8()) else {
            return false;
        };
        c.encode_utf8(dst);
        len += c.len_utf8();
    }
    let squeezed = buf.get(..len).unwrap_or_default();
    WORDS.iter().any(|w| w.as_bytes() == squeezed)
}

/// 64-bit hash of the record's cells (lengths included, so `a,bc` ≠ `ab,c`); trailing empty cells
/// are ignored so a row with an extra empty column still equals its twin. rustc-hash 2 hashes
/// byte strings with a wyhash-style function: well mixed, fast, the same on every platform.
pub(super) fn row_hash(fields: &[&str]) -> u64 {
    let used = fields
        .iter()
        .rposition(|f| !f.trim().is_empty())
        .map_or(0, |i| i + 1);
    crate::hashing::hash_strs(fields.iter().take(used).map(|f| f.trim()))
}

#[cfg(test)]
mod tests {
    use super::total_word;

    /// The rule as the doc comment states it, written the plain way (allocating): the oracle the
    /// fast version must agree with.
    fn reference(cell: &str) -> bool {
        let t = cell.trim().trim_end_matches([':', '：']);
        if t.len() > 16 {
            return false;
        }
        let squeezed: String = t
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .flat_map(char::to_lowercase)
            .collect();
        [
            "合计",
            "总计",
            "小计",
            "共计",
            "总合计",
            "total",
            "totals",
            "grandtotal",
            "subtotal",
        ]
        .contains(&squeezed.as_str())
    }

    #[test]
    fn agrees_with_the_plain_rule_on_edge_cells() {
        let cells = [
            "-\u{b}total",
            "\u{b}-Total:",
            "- - s u b - t o t a l",
            "-合\u{3000}计",
            "GRAND TOTAL：",
            "Ｔｏｔａｌ",
            "İİİİİİİİ",
            "total total",
            "totalx",
            "T",
            "-",
            "",
            "   ",
            "合计合计合计",
            "总 合 计:",
            "Subtotal::",
            "sub-total",
            "ß",
            "\u{200b}total",
        ];
        let mut hits = 0;
        for c in cells {
            assert_eq!(total_word(c), reference(c), "{c:?}");
            hits += usize::from(reference(c));
        }
        // The list exercises both answers.
        assert_eq!(hits, 7);
    }
}
