//! Property tests of ingestion: chunking never changes the result, and no byte sequence panics.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use tierlens::{Loader, Recipe};

/// Loads `bytes` pushed in pieces cut at `cuts` (positions, any order, any value) and analyses them.
/// The result is compared through `Debug` so that NaN-free equality of every field is checked.
fn run_split(bytes: &[u8], cuts: &[usize], recipe: &Recipe) -> String {
    let mut cuts: Vec<usize> = cuts
        .iter()
        .map(|c| {
            if bytes.is_empty() {
                0
            } else {
                c % (bytes.len() + 1)
            }
        })
        .collect();
    cuts.push(0);
    cuts.push(bytes.len());
    cuts.sort_unstable();
    cuts.dedup();
    let result = (|| {
        // Both passes of a two-pass load see the same splits.
        let mut loader = Loader::two_pass(recipe, Some(bytes.len() as u64))?;
        for pass in 1..=loader.passes() {
            if pass == 2 {
                loader.end_first_pass()?;
            }
            for w in cuts.windows(2) {
                loader.push(&bytes[w[0]..w[1]])?;
            }
        }
        loader.finish()?.analyze(recipe)
    })();
    format!("{result:?}")
}

#[path = "common/codes.rs"]
mod codes;
use codes::INPUT_CODES;

/// Checks that `e` is one of [`INPUT_CODES`] and carries the context its variant promises: a row
/// (≥ 1 — JSON lines have no header row — and no further than `max_row`) for `bad_row`, the column and recipe key
/// for the ambiguous decisions, the missing role for `missing_column`, and no row otherwise.
fn check_input_error(e: &tierlens::Error, max_row: u64) -> Result<(), TestCaseError> {
    let code = e.code();
    prop_assert!(INPUT_CODES.contains(&code), "unexpected code {code}: {e}");
    prop_assert!(!e.to_string().is_empty());
    match code {
        "bad_row" => {
            let row = e.row();
            prop_assert!(
                row.is_some_and(|r| (1..=max_row).contains(&r)),
                "bad_row at {row:?} (max {max_row}): {e}"
            );
        }
        "ambiguous_dates" | "ambiguous_decimal" => {
            prop_assert!(e.row().is_none());
            prop_assert!(e.column().is_some_and(|c| !c.is_empty()), "{e}");
            let key = if code == "ambiguous_dates" {
                "input.dateOrder"
            } else {
                "input.decimalSeparator"
            };
            prop_assert_eq!(e.field(), Some(key));
        }
        "missing_column" => {
            prop_assert!(e.row().is_none());
            prop_assert!(
                e.params()
                    .iter()
                    .any(|(k, v)| *k == "role" && !v.is_empty()),
                "{e}"
            );
        }
        _ => prop_assert!(e.row().is_none() && e.field().is_none(), "{e}"),
    }
    Ok(())
}

/// Upper bound of a 1-based row number in `bytes`: one row per line break, plus the last line.
fn max_row(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u64 + 1
}

fn run_whole(bytes: &[u8], recipe: &Recipe) -> String {
    format!("{:?}", tierlens::segment(bytes, recipe))
}

/// One cell value of a generated export, deliberately awkward.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9]{0,6}",
        Just("客户甲".to_string()),
        Just("Ünïcödé, \"quoted\"".to_string()),
        Just("line\nbreak".to_string()),
        Just("crlf\r\nbreak".to_string()),
        Just("".to_string()),
        Just("😀".to_string()),
    ]
}

fn date() -> impl Strategy<Value = String> {
    prop_oneof![
        (2020i32..2025, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        (2020i32..2025, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{d:02}/{m:02}/{y}")),
        (2020i32..2025, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}年{m}月{d}日")),
        Just("not a date".to_string()),
    ]
}

fn amount() -> impl Strategy<Value = String> {
    prop_oneof![
        (-500i64..5000).prop_map(|c| format!("{}.{:02}", c / 100, (c % 100).abs())),
        (0i64..100_000).prop_map(|c| format!("¥{},{:03}", c / 1000 + 1, c % 1000)),
        (1i64..999).prop_map(|c| format!("({c})")),
        Just("n/a".to_string()),
    ]
}

#[derive(Debug, Clone)]
struct Export {
    rows: Vec<(String, String, String, String)>,
    repeat: usize,
    encoding: u8,
    delimiter: u8,
    crlf: bool,
}

fn export() -> impl Strategy<Value = Export> {
    (
        prop::collection::vec(
            (
                prop_oneof![
                    "C[0-9]{1,2}",
                    Just("客户1".to_string()),
                    Just(String::new())
                ],
                date(),
                amount(),
                cell(),
            ),
            1..40,
        ),
        // Repeating the rows pushes some files past the 64 KiB sniff window and the decode buffer.
        prop_oneof![Just(1usize), Just(1usize), 200usize..1200],
        0u8..5,
        0u8..3,
        any::<bool>(),
    )
        .prop_map(|(rows, repeat, encoding, delimiter, crlf)| Export {
            rows,
            repeat,
            encoding,
            delimiter,
            crlf,
        })
}

fn quote(s: &str, delim: char) -> String {
    if s.contains([delim, '"', '\n', '\r']) || s.starts_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

impl Export {
    fn bytes(&self) -> Vec<u8> {
        let delim = [',', ';', '\t'][usize::from(self.delimiter)];
        let nl = if self.crlf { "\r\n" } else { "\n" };
        let mut text = ["customer_id", "order_date", "amount", "note"].join(&delim.to_string());
        text.push_str(nl);
        for _ in 0..self.repeat {
            for (c, d, a, n) in &self.rows {
                let line = [c, d, a, n]
                    .iter()
                    .map(|v| quote(v, delim))
                    .collect::<Vec<_>>()
                    .join(&delim.to_string());
                text.push_str(&line);
                text.push_str(nl);
            }
        }
        match self.encoding {
            0 => text.into_bytes(),
            1 => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            2 => {
                let mut v = vec![0xFF, 0xFE];
                text.encode_utf16().for_each(|u| v.extend(u.to_le_bytes()));
                v
            }
            3 => {
                let mut v = vec![0xFE, 0xFF];
                text.encode_utf16().for_each(|u| v.extend(u.to_be_bytes()));
                v
            }
            _ => encoding_rs::GB18030.encode(&text).0.into_owned(),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// The same file pushed in any chunk split gives an identical analysis (or the identical error).
    #[test]
    fn chunk_splits_never_change_the_analysis(
        e in export(),
        cuts in prop::collection::vec(any::<usize>(), 0..12),
        tiny in any::<bool>(),
    ) {
        let bytes = e.bytes();
        let recipe = Recipe::default();
        let whole = run_whole(&bytes, &recipe);
        // A file with at least one clean row must load, unless its whole column leaves the
        // day/month order (`05/06/2024` only) or the decimal separator (`¥1,000` only) open,
        // which is refused by name: otherwise this test compares errors only.
        let clean_row = e.rows.iter().any(|(c, d, a, _)| {
            !c.is_empty() && d != "not a date" && a != "n/a"
        });
        prop_assert!(
            !clean_row || whole.starts_with("Ok(") || whole.starts_with("Err(Ambiguous"),
            "{}",
            &whole[..whole.len().min(400)]
        );
        if let Err(err) = tierlens::segment(&bytes, &recipe) {
            // UTF-16 doubles nothing in line count; the BOM-less encodings keep one break per row.
            check_input_error(&err, (e.rows.len() * e.repeat * 2 + 2) as u64)?;
            if let Some(c) = err.column() {
                let ambiguous = err.code().starts_with("ambiguous_");
                prop_assert!(
                    !ambiguous || c == "order_date" || c == "amount",
                    "ambiguous column {c:?}"
                );
            }
        }
        let split = run_split(&bytes, &cuts, &recipe);
        prop_assert_eq!(&whole, &split);
        if tiny && bytes.len() < 20_000 {
            // One byte at a time: every multi-byte character and CRLF is cut somewhere.
            let every: Vec<usize> = (0..bytes.len()).collect();
            prop_assert_eq!(&whole, &run_split(&bytes, &every, &recipe));
        }
    }

    /// Arbitrary bytes give a result or a typed error, never a panic, however they are chunked.
    #[test]
    fn arbitrary_bytes_give_ok_or_typed_error(
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
        cuts in prop::collection::vec(any::<usize>(), 0..6),
    ) {
        let recipe = Recipe::default();
        let whole = tierlens::segment(&bytes, &recipe);
        if let Err(e) = &whole {
            check_input_error(e, max_row(&bytes))?;
        }
        prop_assert_eq!(format!("{whole:?}"), run_split(&bytes, &cuts, &recipe));
    }

    /// Text-like garbage (a header that parses, then noise) also never panics.
    #[test]
    fn csv_like_noise_gives_ok_or_typed_error(
        body in "[a-zA-Z0-9,;\"\t\r\n ¥.()/-年月日]{0,600}",
        prefix in prop_oneof![
            Just("customer_id,date,amount\n"),
            Just("[{\"customer_id\":"),
            Just("{\"customer\": \"A\", \"date\": \"2024-01-01\", \"amount\": 1}\n"),
            Just("PK\u{3}\u{4}"),
            Just(""),
        ],
    ) {
        let bytes = format!("{prefix}{body}").into_bytes();
        let r = tierlens::segment(&bytes, &Recipe::default());
        if let Err(e) = r {
            check_input_error(&e, max_row(&bytes))?;
        }
    }
}
