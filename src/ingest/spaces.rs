//! Space-separated legacy text: how the header and the rows are split into fields.
//!
//! Old systems write reports whose columns are separated by spaces, not by one delimiter byte.
//! Two shapes are common and must not be confused:
//!
//! - the header names are separated by runs of spaces (`Customer ID   Order Date`), so a single
//!   space belongs to a name or a value;
//! - the header names are separated by single spaces (`CustomerID OrderDate Amount Name`) while the
//!   rows use runs of spaces and their values may contain single spaces (`2024-03-05 13:45`,
//!   `Li Wei`).
//!
//! The layout is decided once, on the header and the rows of the sniff window: rows are split on
//! runs of two or more spaces when that gives the header's field count on most rows, else on any
//! white space when that does; otherwise the columns are cut at the header names' positions
//! (fixed width), at a column that is blank on every line of the window. Two header names are
//! never merged into one column.

/// Most fields one record may have: a longer record is an error (a wrong delimiter or a hostile
/// file), before its fields are allocated.
pub const MAX_FIELDS: usize = 16_384;

/// How the rows of a space-separated file are split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowSplit {
    /// Two or more spaces (or a tab) separate fields; single spaces are part of a value.
    Wide,
    /// Any run of white space separates fields.
    Any,
    /// Fixed width: field `i + 1` starts at display column `cuts[i]`.
    Columns(Vec<usize>),
}

/// The layout of a space-separated file, decided from the sniff window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpaceLayout {
    /// The header names are separated by runs of two or more spaces (else by any white space).
    pub wide_header: bool,
    /// How rows are split.
    pub rows: RowSplit,
    /// Header fields.
    pub fields: usize,
    /// For people: what in the window led to the layout.
    pub evidence: super::decision::Evidence,
    /// Lines of the window (header included) that the layout splits into `fields` fields, for
    /// comparing with a delimiter's consistency.
    pub agreeing: usize,
}

impl SpaceLayout {
    /// Splits the header line into names.
    pub fn header<'a>(&self, line: &'a str) -> Vec<&'a str> {
        if self.wide_header {
            split_wide(line, MAX_FIELDS + 1)
        } else {
            trimmed(line)
                .split_whitespace()
                .take(MAX_FIELDS + 1)
                .collect()
        }
    }

    /// Splits a data line into fields (at most `MAX_FIELDS + 1`: the caller refuses more).
    pub fn row<'a>(&self, line: &'a str) -> Vec<&'a str> {
        match &self.rows {
            RowSplit::Wide => split_wide(line, MAX_FIELDS + 1),
            RowSplit::Any => trimmed(line)
                .split_whitespace()
                .take(MAX_FIELDS + 1)
                .collect(),
            RowSplit::Columns(cuts) => split_columns(line, cuts),
        }
    }
}

/// The layout of `lines` (the window's non-blank lines, header first), if they look space-separated:
/// at least two header names, and most rows agree with the header on the field count (or the
/// header's gaps line up with blank columns of every row).
pub fn layout(lines: &[&str]) -> Option<SpaceLayout> {
    let (header, rows) = lines.split_first()?;
    if rows.is_empty() {
        // A header alone says nothing about how rows are split.
        return None;
    }
    let has_runs = trimmed(header).contains("  ") || header.contains('\t');
    let wide_names = split_wide(header, MAX_FIELDS + 1).len();
    let any_names = trimmed(header).split_whitespace().count();
    let total = rows.len();
    let agree =
        |split: &dyn Fn(&str) -> usize, n: usize| rows.iter().filter(|r| split(r) == n).count();
    let majority = |k: usize| k * 2 > total;
    let wide_rows = |r: &str| split_wide(r, MAX_FIELDS + 1).len();
    let any_rows = |r: &str| trimmed(r).split_whitespace().count();
    let make = |wide_header: bool,
                rows: RowSplit,
                fields: usize,
                agreeing: usize,
                evidence: super::decision::Evidence| {
        Some(SpaceLayout {
            wide_header,
            rows,
            fields,
            evidence,
            agreeing,
        })
    };
    // Names with single spaces inside (`Customer ID   Order Date`), rows alike — unless a word
    // inside such a name starts a column of values (`CustomerID InvoiceDate   Amount`: two names
    // one space apart, above values that line up under each): then the names are not merged.
    if has_runs && wide_names >= 2 && !inner_word_starts_column(header, rows) {
        let k = agree(&wide_rows, wide_names);
        if majority(k) {
            return make(true, RowSplit::Wide, wide_names, k + 1, super::decision::Evidence::new(
                "spaces_wide",
                [("agreeing", k.to_string()), ("rows", total.to_string()), ("fields", wide_names.to_string())],
                format!("space-separated: the header and {k} of {total} rows split into {wide_names} fields on runs of two or more spaces"),
            ));
        }
    }
    if any_names < 2 {
        return None;
    }
    // Names separated by single spaces; rows by runs (their values may hold single spaces).
    let k = agree(&wide_rows, any_names);
    if majority(k) {
        return make(false, RowSplit::Wide, any_names, k + 1, super::decision::Evidence::new(
            "spaces_names_wide",
            [("names", any_names.to_string()), ("agreeing", k.to_string()), ("rows", total.to_string())],
            format!("space-separated: the header splits into {any_names} names on white space, {k} of {total} rows into {any_names} fields on runs of two or more spaces"),
        ));
    }
    let k = agree(&any_rows, any_names);
    if majority(k) {
        return make(false, RowSplit::Any, any_names, k + 1, super::decision::Evidence::new(
            "spaces_any",
            [("agreeing", k.to_string()), ("rows", total.to_string()), ("fields", any_names.to_string())],
            format!("space-separated: the header and {k} of {total} rows split into {any_names} fields on white space"),
        ));
    }
    // No split agrees with the header: cut at the header names' columns (every name its own
    // column first; names with single spaces inside next), if most rows then have a value in
    // every column (a delimited file under a spaced title line does not).
    let agreeing = agree(&wide_rows, any_names).max(agree(&any_rows, any_names));
    for wide_header in [false, true] {
        if wide_header && !has_runs {
            continue;
        }
        let Some(cuts) = column_cuts(header, rows, wide_header) else {
            continue;
        };
        let full = rows
            .iter()
            .filter(|r| split_columns(r, &cuts).iter().all(|f| !f.is_empty()))
            .count();
        if !majority(full) || cuts.is_empty() {
            continue;
        }
        let n = cuts.len() + 1;
        let shown: Vec<String> = cuts.iter().map(|c| (c + 1).to_string()).collect();
        return make(wide_header, RowSplit::Columns(cuts), n, full + 1, super::decision::Evidence::new(
            "spaces_fixed",
            [
                ("agreeing", agreeing.to_string()),
                ("rows", total.to_string()),
                ("fields", n.to_string()),
                ("lines", (total + 1).to_string()),
                ("starts", format!("1, {}", shown.join(", "))),
                ("full", full.to_string()),
            ],
            format!(
                "fixed-width: {agreeing} of {total} rows split into the header's {n} names on white space; columns are cut where each of the first {} lines is blank (fields start at characters 1, {}), which fills every column on {full} rows",
                total + 1,
                shown.join(", ")
            ),
        ));
    }
    None
}

/// True when a word that follows a single space inside a header name begins, in most rows, a value
/// (a blank display column just before it, a non-blank one at it): the header put two names one
/// space apart, and splitting it on runs of spaces would merge them.
fn inner_word_starts_column(header: &str, rows: &[&str]) -> bool {
    let columns = |line: &str| -> Vec<bool> {
        let mut out = Vec::new();
        for c in line.chars() {
            let blank = is_blank(c);
            out.extend(std::iter::repeat_n(!blank, width(c)));
        }
        out
    };
    let head = columns(header);
    // Display columns where a word begins after exactly one blank, inside the header's text.
    let starts: Vec<usize> = (2..head.len())
        .filter(|&i| {
            head.get(i) == Some(&true)
                && head.get(i - 1) == Some(&false)
                && head.get(i - 2) == Some(&true)
        })
        .collect();
    if starts.is_empty() || rows.is_empty() {
        return false;
    }
    let grids: Vec<Vec<bool>> = rows.iter().map(|r| columns(r)).collect();
    starts.iter().any(|&p| {
        let begins = grids
            .iter()
            .filter(|g| g.get(p) == Some(&true) && g.get(p - 1) != Some(&true))
            .count();
        begins * 10 >= grids.len() * 9
    })
}

/// Where each header name after the first begins a column: for the gap before name `i + 1`, the
/// rightmost display column of that gap which is blank on every row (values left-aligned under
/// their name may run into the gap; right-aligned numbers may start in it). `None` when a gap has
/// no such column: the lines are not aligned.
fn column_cuts(header: &str, rows: &[&str], wide_header: bool) -> Option<Vec<usize>> {
    let spans = token_columns(header, wide_header);
    let mut occupied: Vec<bool> = Vec::new();
    for row in rows {
        let mut col = 0usize;
        for c in row.chars() {
            let w = width(c);
            if !is_blank(c) {
                let end = col + w;
                if occupied.len() < end {
                    // Bounded by the window (64 KiB of text): no unbounded allocation.
                    occupied.resize(end, false);
                }
                for slot in occupied.iter_mut().take(end).skip(col) {
                    *slot = true;
                }
            }
            col += w;
        }
    }
    let mut cuts = Vec::with_capacity(spans.len().saturating_sub(1));
    for pair in spans.windows(2) {
        let (Some(&(_, end)), Some(&(start, _))) = (pair.first(), pair.get(1)) else {
            return None;
        };
        let blank = (end..start)
            .rev()
            .find(|&c| !occupied.get(c).copied().unwrap_or(false))?;
        cuts.push(blank + 1);
    }
    Some(cuts)
}

/// Display columns `[start, end)` of each token of `line`: separated by any white space, or with
/// `wide`, by runs of two or more blanks (a single space stays inside a name).
fn token_columns(line: &str, wide: bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut col = 0usize;
    let mut start: Option<usize> = None;
    // End column of the current token's last non-blank character, and blanks since.
    let mut end = 0usize;
    let mut blanks = 0usize;
    for c in line.chars() {
        let w = width(c);
        if is_blank(c) {
            blanks += if c == '\t' { 2 } else { w };
            if let Some(s) = start {
                if !wide || blanks >= 2 {
                    out.push((s, end));
                    start = None;
                }
            }
        } else {
            if start.is_none() {
                start = Some(col);
            }
            blanks = 0;
            end = col + w;
        }
        col += w;
    }
    if let Some(s) = start {
        out.push((s, end));
    }
    out
}

fn split_columns<'a>(line: &'a str, cuts: &[usize]) -> Vec<&'a str> {
    let line = line.trim_end_matches(['\r', '\n']);
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut col = 0usize;
    let mut start = 0usize;
    let mut next = cuts.iter().peekable();
    for (i, c) in line.char_indices() {
        while next.peek().is_some_and(|&&cut| col >= cut) {
            next.next();
            out.push(line.get(start..i).unwrap_or_default().trim());
            start = i;
        }
        col += width(c);
    }
    out.push(line.get(start..).unwrap_or_default().trim());
    // A short line still has every column (empty ones at the end).
    out.resize(cuts.len() + 1, "");
    out.iter_mut()
        .for_each(|f| *f = f.trim_matches(|c: char| is_blank(c) || c == '\u{FEFF}'));
    out
}

/// Splits on runs of two or more spaces (a tab counts as two); single spaces stay in the value.
fn split_wide(line: &str, max: usize) -> Vec<&str> {
    let line = trimmed(line);
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut gap_start: Option<usize> = None;
    let mut gap_len = 0usize;
    for (i, c) in line.char_indices() {
        if c == ' ' || c == '\t' || c == '\u{3000}' {
            if gap_start.is_none() {
                gap_start = Some(i);
                gap_len = 0;
            }
            gap_len += if c == '\t' { 2 } else { 1 };
        } else if let Some(g) = gap_start.take() {
            if gap_len >= 2 {
                out.push(line.get(start..g).unwrap_or_default());
                start = i;
                if out.len() >= max {
                    return out;
                }
            }
        }
    }
    out.push(line.get(start..).unwrap_or_default().trim_end());
    out
}

fn trimmed(line: &str) -> &str {
    line.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}')
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\u{3000}' || c == '\u{FEFF}' || c == '\r'
}

/// Display width of a character in a fixed-width export: East Asian wide and full-width characters
/// take two columns (as they take two bytes in GBK, which is how such exports were aligned).
/// A small table of the wide blocks is enough here; only alignment depends on it.
fn width(c: char) -> usize {
    let u = u32::from(c);
    let wide = matches!(u,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD);
    if wide {
        2
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_runs_of_spaces() {
        assert_eq!(
            split_wide("Customer ID   Order Date         Amount", 100),
            ["Customer ID", "Order Date", "Amount"]
        );
        assert_eq!(
            split_wide("  C1            2024-03-05 13:45   12.50  ", 100),
            ["C1", "2024-03-05 13:45", "12.50"]
        );
        assert_eq!(split_wide("a\tb c", 100), ["a", "b c"]);
    }

    #[test]
    fn single_spaced_header_with_runs_in_rows() {
        let lines = [
            "CustomerID OrderDate Amount Name",
            "C1   2024-03-05 13:45   12.50   Li Wei",
            "C2   2024-03-06 09:00   7.00   Wu Fang",
        ];
        let l = layout(&lines).unwrap();
        assert_eq!(l.rows, RowSplit::Wide);
        assert_eq!(
            l.header(lines[0]),
            ["CustomerID", "OrderDate", "Amount", "Name"]
        );
        assert_eq!(
            l.row(lines[1]),
            ["C1", "2024-03-05 13:45", "12.50", "Li Wei"]
        );
    }

    #[test]
    fn fixed_width_when_no_split_agrees() {
        // Columns by hand: CustomerID 0-9, OrderDate 11-19, Amount 28-33 (right-aligned values),
        // Name 35-; the blank columns of every line are 10, 27 and 34.
        let lines = [
            "CustomerID OrderDate        Amount Name".to_string(),
            format!("C1{}2024-03-05 13:45  12.50 Li Wei", " ".repeat(9)),
            format!("C22{}2024-03-06 9:00  123.00 Wu Fang", " ".repeat(8)),
            format!("C3{}2024-03-07{}7.00 Zhao", " ".repeat(9), " ".repeat(9)),
        ];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let l = layout(&lines).unwrap();
        assert_eq!(l.rows, RowSplit::Columns(vec![11, 28, 35]));
        assert_eq!(
            l.row(lines[1]),
            ["C1", "2024-03-05 13:45", "12.50", "Li Wei"]
        );
        assert_eq!(
            l.row(lines[2]),
            ["C22", "2024-03-06 9:00", "123.00", "Wu Fang"]
        );
        assert_eq!(l.row(lines[3]), ["C3", "2024-03-07", "7.00", "Zhao"]);
        assert_eq!(l.row("C4"), ["C4", "", "", ""]);
    }

    #[test]
    fn wide_characters_take_two_columns() {
        // 张三 takes display columns 0-3, like `Name`; with one column per character the date
        // would start under the name.
        let lines = ["Name Date Amount", "张三 3 5  12", "Wu   3 6  7"];
        let l = layout(&lines).unwrap();
        assert_eq!(l.rows, RowSplit::Columns(vec![5, 10]));
        assert_eq!(l.row(lines[1]), ["张三", "3 5", "12"]);
        assert_eq!(l.row(lines[2]), ["Wu", "3 6", "7"]);
        assert_eq!(width('张'), 2);
        assert_eq!(token_columns("客户 日期", false), [(0, 4), (5, 9)]);
        assert_eq!(
            token_columns("Customer ID  Date", true),
            [(0, 11), (13, 17)]
        );
    }

    #[test]
    fn not_space_separated() {
        assert_eq!(
            layout(&[
                "Sales Report 2024",
                "customer,date,amount",
                "C1,2024-03-05,3"
            ]),
            None
        );
        assert_eq!(layout(&["amount", "3"]), None);
    }
}
