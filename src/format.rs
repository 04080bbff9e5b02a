//! Cell formatting and the CSV writer: how a number becomes a cell, how a text cell is guarded
//! against formula injection, and a column table written as CSV (a leaf: the customer list's
//! column table in [`crate::report`] and the exports build on it).

/// Neutralises spreadsheet formula injection: a text cell starting with `=`, `+`, `-`, `@`, tab or CR
/// gets a leading apostrophe, unless the whole cell is a number (e.g. `-12.5`).
pub fn safe_cell(s: &str) -> std::borrow::Cow<'_, str> {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && s.parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Formats a float for CSV: integers without a fraction, others with up to 6 decimals, no trailing zeros.
pub fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    // One allocation: the digits are cut in place.
    let mut s = format!("{v:.6}");
    let keep = s.trim_end_matches('0').trim_end_matches('.').len();
    s.truncate(keep);
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// How a customer-list column is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// Free text (ids, class names, actions): guarded with [`safe_cell`] in the CSV, a string cell in
    /// XLSX (never a formula there, so written as it is).
    Text,
    /// A number (or empty): a number cell in XLSX.
    Number,
    /// Text tierlens writes itself (dates, `kept`/`moved`): neither a number nor at risk.
    Plain,
}

/// One column of the customer list: a header, how it is written and a cell by customer index.
pub struct CsvColumn<'a> {
    /// Header name.
    pub name: &'static str,
    /// How the cell is written.
    pub kind: CellKind,
    /// Cell text of customer `i`, as it is (the CSV writer guards [`CellKind::Text`] cells).
    pub cell: Box<dyn Fn(usize) -> String + 'a>,
}

/// A column of the given kind.
pub(crate) fn typed<'a>(
    name: &'static str,
    kind: CellKind,
    cell: impl Fn(usize) -> String + 'a,
) -> CsvColumn<'a> {
    CsvColumn {
        name,
        kind,
        cell: Box::new(cell),
    }
}

/// A number column.
pub(crate) fn col<'a>(name: &'static str, cell: impl Fn(usize) -> String + 'a) -> CsvColumn<'a> {
    typed(name, CellKind::Number, cell)
}

/// A column of text tierlens writes itself.
pub(crate) fn plain_col<'a>(
    name: &'static str,
    cell: impl Fn(usize) -> String + 'a,
) -> CsvColumn<'a> {
    typed(name, CellKind::Plain, cell)
}

/// A free-text column.
pub(crate) fn text_col<'a>(
    name: &'static str,
    cell: impl Fn(usize) -> &'a str + 'a,
) -> CsvColumn<'a> {
    typed(name, CellKind::Text, move |i| cell(i).to_string())
}

/// Writes `rows` rows of `columns` as CSV (UTF-8, no BOM, CRLF); text cells are guarded with
/// [`safe_cell`] against formula injection.
pub fn write_csv(columns: &[CsvColumn<'_>], rows: usize) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing into a Vec cannot fail; errors are ignored rather than unwrapped.
    let _ = w.write_record(columns.iter().map(|c| c.name));
    for i in 0..rows {
        let _ = w.write_record(columns.iter().map(|c| {
            let cell = (c.cell)(i);
            match c.kind {
                CellKind::Text => safe_cell(&cell).into_owned(),
                CellKind::Number | CellKind::Plain => cell,
            }
        }));
    }
    w.into_inner().unwrap_or_default()
}

/// `81234` → `81 234`, as the report writes large counts.
pub(crate) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_but_numbers_kept() {
        assert_eq!(safe_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_cell("+86 138"), "'+86 138");
        assert_eq!(safe_cell("-12.5"), "-12.5");
        assert_eq!(safe_cell("C001"), "C001");
    }

    #[test]
    fn numbers_are_formatted_compactly() {
        assert_eq!(fmt_num(12.0), "12");
        assert_eq!(fmt_num(12.5), "12.5");
        assert_eq!(fmt_num(-0.0000001), "0");
        assert_eq!(fmt_num(1.0 / 3.0), "0.333333");
        assert_eq!(fmt_num(f64::NAN), "");
    }

    #[test]
    fn csv_guards_text_cells_only_and_ends_lines_with_crlf() {
        let cells = ["=1+1", "-3"];
        let columns = [
            text_col("t", |i| cells.get(i).copied().unwrap_or("")),
            col("n", |i| cells.get(i).copied().unwrap_or("").to_string()),
        ];
        let out = String::from_utf8(write_csv(&columns, 2)).unwrap();
        assert_eq!(out, "t,n\r\n'=1+1,=1+1\r\n-3,-3\r\n");
    }
}
