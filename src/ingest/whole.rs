//! Spreadsheets, read whole at `finish` (XLSX, XLS, XLSB, ODS via calamine): they hand a header
//! and records to the same [`RecordSink`] as delimited text, so cleaning and row accounting are
//! shared. JSON is read in [`super::json`]; which sheets are read together in [`super::sheets`].

use std::fmt;
use std::io::Cursor;

use calamine::{Cell, Data, DataRef, Reader, Sheets, Xlsb, Xlsx};

use super::roles::{self, RoleOverrides};
use super::sheets::{self, SheetHead, SheetSelection, SheetSpan};
use super::{zipcap, Decision, RecordSink};
use crate::error::{Error, Result};

mod cells;
mod guard;
use cells::{cell_is_blank_ref, cell_text, trim_trailing_empty, RowBuilder};
pub use guard::in_guarded_parser;
use guard::{guarded, open_book};

/// Most columns a sheet may use: a cell beyond column AMJ is refused. Rows are handed on as wide
/// as the sheet, so a stray cell at `XFD1048576` would make every row 16 384 fields wide (and
/// calamine's dense range of it took 550 GB).
pub const MAX_COLUMNS: u32 = 1024;
/// Most cells scanned in one read of a workbook (empty ones included), to bound the time spent
/// on a sheet part full of nothing.
pub const MAX_CELLS: u64 = 50_000_000;
/// Most cells of a sheet whose rows are stored out of order: such a sheet is held whole and
/// sorted (no writer we know of does this; the XML allows it).
pub const MAX_UNORDERED_CELLS: u64 = 4_000_000;
/// Non-empty rows of a sheet looked at to find its header.
const HEAD_ROWS: usize = 20;

/// What was read from a workbook: the sheets, where their rows are numbered, the decision.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct WorkbookRead {
    /// The sheets read, in reading order, with their continuing row numbers.
    pub spans: Vec<SheetSpan>,
    /// Every sheet of the workbook, in workbook order.
    pub all: Vec<String>,
    /// The `sheets` decision.
    pub decision: Decision,
}

/// Reads the sheets of a workbook chosen by [`sheets::plan`], in order, into `sink`: the first as
/// a text file would be (header, then records), later ones with their header rows and anything
/// above them as preamble rows. Row numbers continue from sheet to sheet (see [`super::sheets`]).
pub(super) fn read_spreadsheet(
    bytes: &[u8],
    xls: bool,
    selection: Option<&SheetSelection>,
    overrides: &RoleOverrides,
    sink: &mut dyn RecordSink,
) -> Result<WorkbookRead> {
    if bytes.starts_with(b"PK") {
        zipcap::check(bytes)?;
    }
    guarded(|| read_book(bytes, xls, selection, overrides, sink))
}

fn read_book(
    bytes: &[u8],
    xls: bool,
    selection: Option<&SheetSelection>,
    overrides: &RoleOverrides,
    sink: &mut dyn RecordSink,
) -> Result<WorkbookRead> {
    let mut book = Book::open(bytes, xls)?;
    let all = book.names();
    let mut budget = MAX_CELLS;
    let mut scans = Vec::with_capacity(all.len());
    let mut heads = Vec::with_capacity(all.len());
    for name in &all {
        let scan = book.scan(name, &mut budget)?;
        let head = if scan.last_row.is_some() {
            book.head(name, &scan)?
        } else {
            Vec::new()
        };
        let texts: Vec<Vec<String>> = head.iter().map(|(_, r)| r.clone()).collect();
        let at = roles::find_header(&texts, overrides, None);
        let header = at.and_then(|i| head.get(i)).map(|(row, cells)| {
            let names = trim_trailing_empty(cells.iter().map(|c| c.trim().to_string()).collect());
            (*row, names)
        });
        heads.push(SheetHead {
            name: name.clone(),
            header: header.as_ref().map(|(_, h)| h.clone()),
        });
        scans.push((scan, header.map(|(row, _)| row)));
    }
    let plan = sheets::plan(&heads, selection)?;
    let mut spans = Vec::with_capacity(plan.read.len());
    let mut offset: u64 = 0;
    for (k, &i) in plan.read.iter().enumerate() {
        let (Some(name), Some((scan, header_row))) = (all.get(i), scans.get(i)) else {
            continue;
        };
        let (Some(first), Some(last)) = (scan.first_row, scan.last_row) else {
            continue;
        };
        if k == 0 {
            emit_first(&mut book, name, scan, sink)?;
        } else {
            let header_row = header_row.unwrap_or(first);
            emit_later(&mut book, name, scan, offset, header_row, sink)?;
        }
        spans.push(SheetSpan {
            name: name.clone(),
            first_row: offset + u64::from(first) + 1,
            last_row: offset + u64::from(last) + 1,
            row_offset: offset,
        });
        offset += u64::from(last) + 1;
    }
    Ok(WorkbookRead {
        spans,
        all,
        decision: plan.decision,
    })
}

/// The first sheet, as before sheets were read together: its first non-empty row is the header
/// (the sink finds the real one below any title rows), every later non-blank row a record.
fn emit_first(book: &mut Book, name: &str, scan: &Scan, sink: &mut dyn RecordSink) -> Result<()> {
    let mut header_sent = false;
    book.rows(name, scan, &mut |row, cells| {
        if !header_sent {
            header_sent = true;
            let names =
                trim_trailing_empty(cells.into_iter().map(|h| h.trim().to_string()).collect());
            // A sheet's lines are its rows: the sink numbers a title row above the header by it.
            sink.at_line(u64::from(row) + 1);
            sink.header(names)?;
            return Ok(true);
        }
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        sink.at_line(u64::from(row) + 1);
        sink.record(u64::from(row) + 1, &refs)?;
        Ok(true)
    })?;
    if !header_sent {
        return Err(Error::EmptyInput);
    }
    Ok(())
}

/// A later sheet: rows down to its header row are preamble (counted, not read as data).
fn emit_later(
    book: &mut Book,
    name: &str,
    scan: &Scan,
    offset: u64,
    header_row: u32,
    sink: &mut dyn RecordSink,
) -> Result<()> {
    book.rows(name, scan, &mut |row, cells| {
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        let number = offset + u64::from(row) + 1;
        sink.at_line(number);
        if row <= header_row {
            sink.preamble(number, &refs)?;
        } else {
            sink.record(number, &refs)?;
        }
        Ok(true)
    })
}

/// What one pass over a sheet's cells found, before any row is handed on.
#[derive(Debug, Clone, Default)]
struct Scan {
    /// 0-based rows of the first and last non-empty cells.
    first_row: Option<u32>,
    last_row: Option<u32>,
    /// Leftmost and rightmost columns with a non-empty cell (rows start at the leftmost).
    min_col: u32,
    max_col: u32,
    /// Rows come in ascending order (else the sheet is sorted before it is read).
    ordered: bool,
    /// Non-empty cells.
    cells: u64,
}

impl Scan {
    fn width(&self) -> usize {
        (self.max_col.saturating_sub(self.min_col) as usize) + 1
    }
}

/// Column letters of a 0-based column (`0` → `A`, `26` → `AA`, `16383` → `XFD`).
fn column_name(col: u32) -> String {
    let mut out = Vec::new();
    let mut n = u64::from(col) + 1;
    while n > 0 {
        let d = u8::try_from((n - 1) % 26).unwrap_or(0);
        out.push(char::from(b'A' + d));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// An open workbook. XLSX and XLSB sheets are read cell by cell (calamine's streaming readers),
/// so nothing is allocated by the sheet's declared or used range; XLS and ODS through calamine's
/// dense ranges (calamine parses those formats whole when it opens them).
enum Book<'a> {
    Xlsx(Box<Xlsx<Cursor<&'a [u8]>>>),
    Xlsb(Box<Xlsb<Cursor<&'a [u8]>>>),
    Other(Box<Sheets<Cursor<&'a [u8]>>>),
}

impl<'a> Book<'a> {
    fn open(bytes: &'a [u8], xls: bool) -> Result<Book<'a>> {
        match open_book(bytes, xls)? {
            Sheets::Xlsx(x) => Ok(Book::Xlsx(Box::new(x))),
            Sheets::Xlsb(x) => Ok(Book::Xlsb(Box::new(x))),
            other => Ok(Book::Other(Box::new(other))),
        }
    }

    fn names(&self) -> Vec<String> {
        match self {
            Book::Xlsx(x) => x.sheet_names(),
            Book::Xlsb(x) => x.sheet_names(),
            Book::Other(o) => o.sheet_names(),
        }
    }

    fn sheet_error(name: &str, e: impl fmt::Display) -> Error {
        Error::UnsupportedFormat(format!("cannot read sheet {name:?} of the workbook ({e})"))
    }

    /// One pass over the sheet's cells: bounds (columns, cell count) and row order.
    fn scan(&mut self, name: &str, budget: &mut u64) -> Result<Scan> {
        let mut scan = Scan {
            ordered: true,
            min_col: u32::MAX,
            ..Scan::default()
        };
        match self {
            Book::Xlsx(x) => {
                let mut reader = match x.worksheet_cells_reader(name) {
                    Ok(r) => r,
                    // A chart sheet or dialog sheet: no cells.
                    Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Scan::default()),
                    Err(e) => return Err(Self::sheet_error(name, e)),
                };
                scan_cells(
                    &mut || reader.next_cell().map_err(|e| Self::sheet_error(name, e)),
                    name,
                    &mut scan,
                    budget,
                )?;
            }
            Book::Xlsb(x) => {
                let mut reader = x
                    .worksheet_cells_reader(name)
                    .map_err(|e| Self::sheet_error(name, e))?;
                scan_cells(
                    &mut || reader.next_cell().map_err(|e| Self::sheet_error(name, e)),
                    name,
                    &mut scan,
                    budget,
                )?;
            }
            Book::Other(o) => {
                let range = o
                    .worksheet_range(name)
                    .map_err(|e| Self::sheet_error(name, e))?;
                let start = range.start().unwrap_or((0, 0));
                for (row, col, value) in range.used_cells() {
                    spend(budget)?;
                    if cell_text(value).is_empty() {
                        continue;
                    }
                    let row = u32::try_from(row)
                        .unwrap_or(u32::MAX)
                        .saturating_add(start.0);
                    let col = u32::try_from(col)
                        .unwrap_or(u32::MAX)
                        .saturating_add(start.1);
                    note_cell(&mut scan, name, row, col)?;
                }
            }
        }
        if scan.last_row.is_none() {
            return Ok(Scan::default());
        }
        if !scan.ordered && scan.cells > MAX_UNORDERED_CELLS {
            return Err(Error::UnsupportedFormat(format!(
                "the workbook is too large to read: sheet {name:?} stores its rows out of order and has more than {MAX_UNORDERED_CELLS} cells; open it in a spreadsheet program and save it again"
            )));
        }
        Ok(scan)
    }

    /// The sheet's first [`HEAD_ROWS`] non-blank rows.
    fn head(&mut self, name: &str, scan: &Scan) -> Result<Vec<(u32, Vec<String>)>> {
        let mut head = Vec::new();
        self.rows(name, scan, &mut |row, cells| {
            head.push((row, cells));
            Ok(head.len() < HEAD_ROWS)
        })?;
        Ok(head)
    }

    /// Calls `f` with every non-blank row in ascending order: its 0-based row and its cells from
    /// the sheet's leftmost used column, as wide as the sheet. `f` returns false to stop.
    fn rows(
        &mut self,
        name: &str,
        scan: &Scan,
        f: &mut dyn FnMut(u32, Vec<String>) -> Result<bool>,
    ) -> Result<()> {
        let mut rows = RowBuilder::new(scan, f);
        match self {
            Book::Xlsx(x) => {
                let mut reader = match x.worksheet_cells_reader(name) {
                    Ok(r) => r,
                    Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(()),
                    Err(e) => return Err(Self::sheet_error(name, e)),
                };
                let next = &mut || reader.next_cell().map_err(|e| Self::sheet_error(name, e));
                if !rows_of_cells(next, scan.ordered, &mut rows)? {
                    return Ok(());
                }
            }
            Book::Xlsb(x) => {
                let mut reader = x
                    .worksheet_cells_reader(name)
                    .map_err(|e| Self::sheet_error(name, e))?;
                let next = &mut || reader.next_cell().map_err(|e| Self::sheet_error(name, e));
                if !rows_of_cells(next, scan.ordered, &mut rows)? {
                    return Ok(());
                }
            }
            Book::Other(o) => {
                let range = o
                    .worksheet_range(name)
                    .map_err(|e| Self::sheet_error(name, e))?;
                let start = range.start().unwrap_or((0, 0));
                for (row, col, value) in range.used_cells() {
                    let row = u32::try_from(row)
                        .unwrap_or(u32::MAX)
                        .saturating_add(start.0);
                    let col = u32::try_from(col)
                        .unwrap_or(u32::MAX)
                        .saturating_add(start.1);
                    if !rows.push(row, col, cell_text(value))? {
                        return Ok(());
                    }
                }
            }
        }
        rows.finish()
    }
}

/// The next cell of a streaming sheet reader, or `None` at the end of the sheet.
type NextCell<'n, 'c> = dyn FnMut() -> Result<Option<Cell<DataRef<'c>>>> + 'n;

/// Records one non-empty cell in the scan, refusing cells beyond [`MAX_COLUMNS`].
fn note_cell(scan: &mut Scan, name: &str, row: u32, col: u32) -> Result<()> {
    if col >= MAX_COLUMNS {
        return Err(Error::UnsupportedFormat(format!(
            "the workbook is too large to read: cell {}{} of sheet {name:?} is beyond column {}; at most {MAX_COLUMNS} columns are read",
            column_name(col),
            u64::from(row) + 1,
            column_name(MAX_COLUMNS - 1)
        )));
    }
    if scan.last_row.is_some_and(|last| row < last) {
        scan.ordered = false;
    }
    scan.first_row = Some(scan.first_row.map_or(row, |f| f.min(row)));
    scan.last_row = Some(scan.last_row.map_or(row, |l| l.max(row)));
    scan.min_col = scan.min_col.min(col);
    scan.max_col = scan.max_col.max(col);
    scan.cells += 1;
    Ok(())
}

/// Takes one cell from the workbook's budget of [`MAX_CELLS`].
fn spend(budget: &mut u64) -> Result<()> {
    *budget = budget.checked_sub(1).ok_or_else(|| {
        Error::UnsupportedFormat(format!(
            "the workbook is too large to read: it has more than {MAX_CELLS} cells"
        ))
    })?;
    Ok(())
}

/// Scans a streamed sheet: every cell spends budget, non-empty ones are noted.
fn scan_cells(
    next: &mut NextCell<'_, '_>,
    name: &str,
    scan: &mut Scan,
    budget: &mut u64,
) -> Result<()> {
    while let Some(cell) = next()? {
        spend(budget)?;
        if cell_is_blank_ref(cell.get_value()) {
            continue;
        }
        let (row, col) = cell.get_position();
        note_cell(scan, name, row, col)?;
    }
    Ok(())
}

/// Hands a streamed sheet's cells to `rows` in row order: as they come when the scan found them
/// ordered, else sorted first (held whole, bounded by [`MAX_UNORDERED_CELLS`], checked by the
/// scan). False when the receiver asked to stop.
fn rows_of_cells(
    next: &mut NextCell<'_, '_>,
    ordered: bool,
    rows: &mut RowBuilder<'_>,
) -> Result<bool> {
    let text_of = |cell: &Cell<DataRef<'_>>| cell_text(&Data::from(cell.get_value().clone()));
    if ordered {
        while let Some(cell) = next()? {
            let (row, col) = cell.get_position();
            if !rows.push(row, col, text_of(&cell))? {
                return Ok(false);
            }
        }
        return Ok(true);
    }
    let mut cells: Vec<(u32, u32, String)> = Vec::new();
    while let Some(cell) = next()? {
        let text = text_of(&cell);
        if !text.is_empty() {
            let (row, col) = cell.get_position();
            cells.push((row, col, text));
        }
    }
    // Stable: of two cells at one place the later one wins, as in calamine.
    cells.sort_by_key(|(r, c, _)| (*r, *c));
    for (row, col, text) in cells {
        if !rows.push(row, col, text)? {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_are_spreadsheet_letters() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(1023), "AMJ");
        assert_eq!(column_name(16383), "XFD");
    }
}
