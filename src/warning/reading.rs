//! The warnings of reading decisions (date order, decimal separator, sheets, roles, …), one code
//! per kind of decision outcome. Each decision that the file could not settle, or whose result
//! deserves a second look, carries one of these (`Decision::warning`); the report lists it again
//! under `warnings`. The English messages are the sentences the ingest modules wrote before the
//! codes, so the CLI prints what it printed.

use super::Warning;

/// `"a", "b"` for a list of names (the message form the sheet decision used).
fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Warning {
    /// The header row the file gave by default names at most one column (a title row?).
    pub fn header_title_row(row: u64) -> Warning {
        Warning::new(
            "header_title_row",
            [("row", row.to_string())],
            format!("row {row} is taken as the header but names at most one column (a title?): set input.headerRow to the row number of the real header"),
        )
    }

    /// Exact repeats of earlier rows kept as repeat purchases because there is no order id.
    pub fn duplicates_kept(kept: u64) -> Warning {
        Warning::new(
            "duplicates_kept",
            [("kept", kept.to_string())],
            format!("{kept} rows repeat an earlier row exactly and, without an order id, are kept as repeat purchases; set clean.dropDuplicates to true if they are the same line exported twice"),
        )
    }

    /// Text that is neither UTF-8 nor GB18030 is read as Windows-1252; `offset` is already grouped.
    pub fn encoding_fallback(offset: u64) -> Warning {
        let at = crate::format::grouped(offset);
        Warning::new(
            "encoding_fallback",
            [("offset", offset.to_string())],
            format!("the text from offset {at} is neither UTF-8 nor GB18030: it is read as Windows-1252; set input.encoding if names look wrong"),
        )
    }

    /// Sheets whose header differs from the first sheet's (`lead`) are not read.
    pub fn sheets_skipped(skipped: &[String], lead: &str) -> Warning {
        let one = skipped.len() == 1;
        Warning::new(
            "sheets_skipped",
            [
                ("sheets", skipped.join(", ")),
                ("count", skipped.len().to_string()),
                ("lead", lead.to_string()),
            ],
            format!(
                "sheet{} {} not read: {} header differs from '{lead}'; set input.sheet to choose the sheets to read",
                if one { "" } else { "s" },
                quoted(skipped),
                if one { "its" } else { "their" },
            ),
        )
    }

    /// `count` dates of `column` cannot be read in the order taken (`"dmy"` / `"mdy"`) and are
    /// rejected as `bad_date`.
    pub fn date_order_loss(count: u64, column: &str, order: &str) -> Warning {
        let why = if order == "mdy" {
            "month above 12 in the first place"
        } else {
            "month above 12 in the second place"
        };
        Warning::new(
            "date_order_loss",
            [
                ("count", count.to_string()),
                ("column", column.to_string()),
                ("order", order.to_string()),
            ],
            format!("{count} values of column {column:?} cannot be read as {order} ({why}): they are rejected as bad_date; set input.dateOrder if that is wrong"),
        )
    }

    /// No value of `column` settles the day/month order; read day first. `example` is quoted.
    pub fn date_order_guessed(column: &str, example: &str) -> Warning {
        Warning::new(
            "date_order_guessed",
            [
                ("column", column.to_string()),
                ("example", example.to_string()),
            ],
            format!("dates such as {example} in column {column:?} read either way and no value settles the order: read as day/month/year; set input.dateOrder to \"mdy\" if they are month/day/year"),
        )
    }

    /// `count` amounts of `column` look written with the other decimal separator than the one
    /// read with (`comma`: read with a decimal comma).
    pub fn decimal_against(count: u64, column: &str, comma: bool) -> Warning {
        let (looks, read) = if comma {
            ("point", "comma")
        } else {
            ("comma", "point")
        };
        Warning::new(
            "decimal_against",
            [
                ("count", count.to_string()),
                ("column", column.to_string()),
                ("readWith", read.to_string()),
            ],
            format!("{count} values of column {column:?} look written with a decimal {looks} but are read with a decimal {read}; set input.decimalSeparator if that is wrong"),
        )
    }

    /// No amount of `column` settles the decimal separator; read with a point. `example` is quoted.
    pub fn decimal_guessed(column: &str, example: &str) -> Warning {
        Warning::new(
            "decimal_guessed",
            [
                ("column", column.to_string()),
                ("example", example.to_string()),
            ],
            format!("amounts such as {example} in column {column:?} read either as thousands or as decimals and no value settles it: read with a decimal point; set input.decimalSeparator to \",\" if the comma is the decimal separator"),
        )
    }

    /// Float-written ids (`12346.0`) among other ids are kept as written. `example` is quoted.
    pub fn id_floats_kept(count: u64, column: &str, example: &str) -> Warning {
        Warning::new(
            "id_floats_kept",
            [
                ("count", count.to_string()),
                ("column", column.to_string()),
                ("example", example.to_string()),
            ],
            format!("{count} customer ids of column {column:?} are written as floats (e.g. {example}) among other ids: kept as written, so \"12346.0\" and \"12346\" are two customers; set input.customerIds to \"integers\" to read them as integers"),
        )
    }

    /// No customer id column: a name column stands in for it.
    pub fn role_name_as_id(column: &str) -> Warning {
        Warning::new(
            "role_name_as_id",
            [("column", column.to_string())],
            format!("no customer id column: the name column {column:?} is used as the customer id, so customers who share a name are merged; set input.columns.customerId to an id column if the file has one"),
        )
    }

    /// No paid amount is named: the amount before discounts stands in for it.
    pub fn role_before_discounts(column: &str) -> Warning {
        Warning::new(
            "role_before_discounts",
            [("column", column.to_string())],
            format!("{column:?} is the amount due before discounts, used as the amount because no paid amount (实付金额, 订单金额, 成交金额) is named; set input.columns.amount if another column holds what was paid"),
        )
    }

    /// Two columns share the name of the one used for `role` (a role key); positions are 1-based.
    pub fn role_same_name(
        column: &str,
        used: usize,
        other: usize,
        role: &str,
        label: &str,
    ) -> Warning {
        Warning::new(
            "role_same_name",
            [
                ("column", column.to_string()),
                ("used", used.to_string()),
                ("other", other.to_string()),
                ("role", role.to_string()),
            ],
            format!("columns {used} and {other} are both named {column:?}: column {used} is used as the {label}; rename one in the file, or set input.columns.{role} to \"#{other}\" to use the other"),
        )
    }

    /// Another free column also names `role` (a role key).
    pub fn role_rival(column: &str, rival: &str, role: &str, label: &str, exact: bool) -> Warning {
        let how = if exact { "exact" } else { "partial" };
        Warning::new(
            "role_rival",
            [
                ("column", column.to_string()),
                ("rival", rival.to_string()),
                ("role", role.to_string()),
                ("match", how.to_string()),
            ],
            format!("{column:?} and {rival:?} both name the {label}: {column:?} is used ({how} match); set input.columns.{role} to choose"),
        )
    }

    /// The column for `role` (a role key) was found by a partial name match only.
    pub fn role_partial(column: &str, role: &str, label: &str) -> Warning {
        Warning::new(
            "role_partial",
            [("column", column.to_string()), ("role", role.to_string())],
            format!("{column:?} is used as the {label} by a partial name match; check it, or set input.columns.{role}"),
        )
    }

    /// Several columns are named like the customer id; the one whose values look most like ids is
    /// used. `positions` are 1-based, `fit` is the share of id-like values.
    pub fn role_id_twins(column: &str, positions: &[String], chosen: usize, fit: f64) -> Warning {
        let percent = format!("{:.0}", fit * 100.0);
        let columns = positions.join(" and ");
        Warning::new(
            "role_id_twins",
            [
                ("column", column.to_string()),
                ("columns", positions.join(", ")),
                ("chosen", chosen.to_string()),
                ("percent", percent.clone()),
            ],
            format!("columns {columns} are named {column:?}: column {chosen} is used as the customer id because its values look like ids ({percent} % hold a digit or are plain codes); set input.columns.customerId to \"#N\" (the column's position) to choose another"),
        )
    }
}
