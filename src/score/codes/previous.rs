//! Reading a previous code map (customer id → code), so codes stay stable across refreshes.

use std::collections::BTreeMap;

use crate::error::{Error, Result};

/// A previous code map: customer id → code.
pub type CodeMap = BTreeMap<String, String>;

/// Undoes the formula guard of [`crate::report::safe_cell`] (also used for an earlier period's
/// classes in `migration`).
pub(crate) fn unguard(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

/// An earlier tierlens `customers.csv` (BOM already stripped) opened for reading, with its header:
/// the one reader of `--previous` files, for codes here and for `migration`.
pub(crate) fn previous_csv(text: &str) -> Result<(csv::Reader<&[u8]>, csv::StringRecord)> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| Error::UnsupportedFormat(format!("previous customers.csv: {e}")))?
        .clone();
    Ok((reader, header))
}

/// Reads a previous code map from a tierlens `customers.csv` (columns `customer_id` and `code`) or
/// from a JSON object `{ "customer id": "code", … }`.
pub fn previous_from_bytes(bytes: &[u8]) -> Result<CodeMap> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Error::UnsupportedFormat("the previous code map is not UTF-8".into()))?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('{') {
        return serde_json::from_str::<CodeMap>(text).map_err(|e| {
            Error::UnsupportedFormat(format!(
                "the previous code map is not a JSON object of id → code: {e}"
            ))
        });
    }
    let (mut reader, header) = previous_csv(text)?;
    let find = |name: &str| header.iter().position(|h| h.trim() == name);
    let (Some(id_col), Some(code_col)) = (find("customer_id"), find("code")) else {
        return Err(Error::MissingColumn {
            role: "previous code map".into(),
            looked_for: "customer_id and code".into(),
            found: header.iter().collect::<Vec<_>>().join(", "),
        });
    };
    let mut map = CodeMap::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| Error::BadRow {
            row: u64::try_from(i + 2).unwrap_or(u64::MAX),
            column: None,
            message: format!("previous customers.csv: {e}"),
        })?;
        if let (Some(id), Some(code)) = (rec.get(id_col), rec.get(code_col)) {
            if !code.is_empty() {
                map.insert(unguard(id).to_string(), unguard(code).to_string());
            }
        }
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previous_maps_are_read_from_csv_and_json() {
        let csv = b"customer_id,recency_days,code\r\n'-x,3,1A-0001\r\nb,4,'=2B\r\n";
        let m = previous_from_bytes(csv).unwrap();
        assert_eq!(m.get("-x").map(String::as_str), Some("1A-0001"));
        assert_eq!(m.get("b").map(String::as_str), Some("=2B"));
        let m = previous_from_bytes(br#"{"a": "X-1"}"#).unwrap();
        assert_eq!(m.len(), 1);
        assert_eq!(
            previous_from_bytes(b"id,code\n1,2\n").unwrap_err().code(),
            "missing_column"
        );
    }
}
