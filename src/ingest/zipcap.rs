//! Size caps on the parts of a zip-based workbook (XLSX, XLSB, ODS), checked in the central
//! directory before calamine reads a byte of them.
//!
//! calamine holds some parts whole in memory (the shared strings, styles, the workbook part;
//! an ODS `content.xml` becomes cells) and streams the worksheets. A 5 MB file whose
//! `sharedStrings.xml` inflates to 2 GiB took 2 minutes and 6.9 GB before. The zip reader
//! (the `zip` crate, which calamine uses) stops any part at the uncompressed size its directory
//! entry declares, so checking the declared sizes bounds what can be inflated.

use std::io::Cursor;

use crate::error::{Error, Result};

/// Most bytes a part that is held in memory may inflate to.
pub const MAX_PART_BYTES: u64 = 128 << 20;
/// Most bytes a streamed worksheet part may inflate to (time, not memory: it is parsed as it is
/// inflated).
pub const MAX_SHEET_BYTES: u64 = 1 << 30;
/// Most bytes all parts together may inflate to.
pub const MAX_TOTAL_BYTES: u64 = 2 << 30;
/// Largest inflation ratio accepted for a part over [`RATIO_FLOOR`] bytes. Real worksheet XML
/// compresses 5 to 50 times; deflate's limit is about 1 030. Above this, the part is mostly one
/// repeated pattern, as in a zip bomb.
pub const MAX_RATIO: u64 = 250;
/// Parts smaller than this are not checked for their ratio.
pub const RATIO_FLOOR: u64 = 16 << 20;

/// True for parts calamine streams cell by cell.
fn is_streamed(name: &str) -> bool {
    name.starts_with("xl/worksheets/") || name == "content.xml"
}

fn too_large(what: String) -> Error {
    Error::UnsupportedFormat(format!("the workbook is too large to read: {what}"))
}

/// Checks every part's declared sizes. A file that is not a readable zip passes: calamine then
/// says why it cannot open it.
pub(super) fn check(bytes: &[u8]) -> Result<()> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let Ok(part) = archive.by_index_raw(i) else {
            continue;
        };
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        let size = part.size();
        let cap = if is_streamed(&name) {
            MAX_SHEET_BYTES
        } else {
            MAX_PART_BYTES
        };
        if size > cap {
            return Err(too_large(format!(
                "part {name:?} inflates to {} MiB (at most {} MiB are read)",
                size >> 20,
                cap >> 20
            )));
        }
        if size > RATIO_FLOOR && size / part.compressed_size().max(1) > MAX_RATIO {
            return Err(too_large(format!(
                "part {name:?} inflates {} times, to {} MiB: it looks like a zip bomb",
                size / part.compressed_size().max(1),
                size >> 20
            )));
        }
        total = total.saturating_add(size);
        if total > MAX_TOTAL_BYTES {
            return Err(too_large(format!(
                "its parts inflate to more than {} MiB",
                MAX_TOTAL_BYTES >> 20
            )));
        }
    }
    Ok(())
}
