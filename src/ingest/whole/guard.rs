//! Opening a workbook safely: container checks before the parser, and the parser's panics
//! turned into errors where they can be caught.

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Ods, Sheets, Xls, Xlsb, Xlsx};

use crate::error::{Error, Result};

/// Runs the spreadsheet parser. calamine 0.38 can panic on some damaged XLS files (found by the
/// fuzz target: an overflow in MULRK parsing with overflow checks on — release builds wrap and
/// return an error; a slice out of range in its CFB reader, now refused first by
/// [`check_container`]). Natively any panic left is turned into an error; on wasm32 panics abort
/// and cannot be caught (the page's worker catches the trap and restarts the engine).
pub(super) fn guarded<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        GUARDED.with(|g| g.set(true));
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        GUARDED.with(|g| g.set(false));
        result.unwrap_or_else(|_| {
            Err(Error::UnsupportedFormat(
                "the workbook is damaged: the spreadsheet reader could not parse it".into(),
            ))
        })
    }
    #[cfg(target_arch = "wasm32")]
    {
        f()
    }
}

#[cfg(not(target_arch = "wasm32"))]
thread_local! {
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// True while a spreadsheet parser runs under [`guarded`]: a panic hook (the CLI's) can then stay
/// quiet, because the panic becomes an ordinary `unsupported_format` error with its own message.
pub fn in_guarded_parser() -> bool {
    #[cfg(not(target_arch = "wasm32"))]
    {
        GUARDED.with(std::cell::Cell::get)
    }
    #[cfg(target_arch = "wasm32")]
    {
        false
    }
}

/// Signature of a Compound File Binary container: `.xls` workbooks, and password-protected `.xlsx`.
const CFB_SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Checks a CFB container with the `cfb` crate, which validates its allocation tables and
/// follows sector chains with loop detection, and reads every stream once. calamine 0.38's own
/// CFB reader trusts the tables: a cyclic sector chain made it grow a buffer until allocation
/// failed (an abort, natively and in Wasm), and a bad table index panicked. Both files of
/// `fuzz/known-calamine/` are refused here with a clear message instead.
fn check_container(bytes: &[u8]) -> Result<()> {
    let damaged = |e: std::io::Error| {
        Error::UnsupportedFormat(format!(
            "the workbook is damaged: its container is not valid ({e})"
        ))
    };
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(damaged)?;
    let streams: Vec<std::path::PathBuf> = file
        .walk()
        .filter(|e| e.is_stream())
        .map(|e| e.path().to_path_buf())
        .collect();
    for path in streams {
        let mut stream = file.open_stream(&path).map_err(damaged)?;
        std::io::copy(&mut stream, &mut std::io::sink()).map_err(damaged)?;
    }
    Ok(())
}

/// Opens the workbook with the reader its signature calls for: the XLS (CFB) reader never sees a
/// zip file, so a damaged XLSX cannot reach the XLS parser's bugs (calamine's own auto-detection
/// tries XLS first on everything).
pub(super) fn open_book(bytes: &[u8], xls: bool) -> Result<Sheets<Cursor<&[u8]>>> {
    if bytes.starts_with(&CFB_SIGNATURE) {
        check_container(bytes)?;
    }
    let c = || Cursor::new(bytes);
    let opened = if xls {
        open_workbook_from_rs::<Xls<_>, _>(c())
            .map(Sheets::Xls)
            .map_err(|e| e.to_string())
    } else {
        open_workbook_from_rs::<Xlsx<_>, _>(c())
            .map(Sheets::Xlsx)
            .or_else(|_| open_workbook_from_rs::<Xlsb<_>, _>(c()).map(Sheets::Xlsb))
            .or_else(|_| open_workbook_from_rs::<Ods<_>, _>(c()).map(Sheets::Ods))
            .map_err(|e| e.to_string())
    };
    opened.map_err(|e| {
        Error::UnsupportedFormat(format!("cannot open the workbook ({e}); is it damaged?"))
    })
}
