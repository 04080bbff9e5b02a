//! The delimiter of a text file from the lines of the sniff window: the count per line (outside
//! quotes) most lines share, or a space-separated layout when that agrees on more lines.

use super::super::decision::Evidence;
use super::super::spaces::{self, SpaceLayout};
use crate::format::grouped;

const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Lines of the sniff window for delimiter detection: at most 50 non-blank lines, split at line
/// breaks outside quotes (a quoted address over three lines is one line here), without the `sep=`
/// line and without a last line cut by the end of the window (`at_end`: the window is the whole
/// file).
pub(super) fn window_lines(text: &str, sep_line: bool, at_end: bool) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut in_quotes = false;
    let mut start = 0usize;
    let mut cut_last = true;
    for (i, b) in text.bytes().enumerate() {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if b == b'\n' && !in_quotes {
            lines.push(text.get(start..i).unwrap_or_default());
            start = i + 1;
            if lines.len() > 64 {
                cut_last = false;
                break;
            }
        }
    }
    if cut_last {
        if in_quotes {
            // A quote the window never closes: counting by quoted records would make the rest of
            // the window one line; physical lines say more about the delimiter.
            return window_lines_plain(text, sep_line, at_end);
        }
        lines.push(text.get(start..).unwrap_or_default());
    }
    let mut lines: Vec<&str> = lines
        .into_iter()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty())
        .skip(usize::from(sep_line))
        .take(51)
        .collect();
    // A partial last line (cut by the sniff window) would skew the counts.
    if (lines.len() > 50 || !at_end) && lines.len() > 2 {
        lines.pop();
    }
    lines
}

fn window_lines_plain(text: &str, sep_line: bool, at_end: bool) -> Vec<&str> {
    let mut lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .skip(usize::from(sep_line))
        .take(51)
        .collect();
    if (lines.len() > 50 || !at_end) && lines.len() > 2 {
        lines.pop();
    }
    lines
}

fn delimiter_name(d: u8) -> &'static str {
    match d {
        b',' => "commas",
        b';' => "semicolons",
        b'\t' => "tabs",
        _ => "pipes",
    }
}

/// Picks the delimiter whose count per line (outside quotes) is the most consistent over the
/// window's lines: the count most lines share (its mode), not the first line's, so that a title
/// line above the header (`Sales Report 2024`, `客户交易明细,,,,`) does not decide. The most lines
/// sharing one count win, then the larger count. A space-separated layout wins only when it agrees
/// on more lines than any delimiter. Returns the delimiter, its evidence and the layout for `' '`.
pub(super) fn detect_delimiter(lines: &[&str]) -> (char, Evidence, Option<SpaceLayout>) {
    let mut best: Option<(usize, usize, u8)> = None;
    for &d in &DELIMITERS {
        let mut counts: Vec<usize> = lines
            .iter()
            .map(|l| count_outside_quotes(l, d))
            .filter(|&c| c > 0)
            .collect();
        counts.sort_unstable();
        let mut mode: Option<(usize, usize)> = None;
        for group in counts.chunk_by(|a, b| a == b) {
            let (Some(&count), n) = (group.first(), group.len()) else {
                continue;
            };
            if mode.is_none_or(|(m_n, m_count)| (n, count) > (m_n, m_count)) {
                mode = Some((n, count));
            }
        }
        let Some((n, count)) = mode else {
            continue;
        };
        if best.is_none_or(|(b_n, b_count, _)| (n, count) > (b_n, b_count)) {
            best = Some((n, count, d));
        }
    }
    let layout = spaces::layout(lines);
    match (best, layout) {
        (Some((n, _, _)), Some(l)) if l.agreeing > n => {
            let evidence = l.evidence.clone();
            (' ', evidence, Some(l))
        }
        (Some((n, count, d)), _) => (
            char::from(d),
            Evidence::new(
                "delimiter_counts",
                [
                    ("agreeing", n.to_string()),
                    ("lines", lines.len().to_string()),
                    ("count", count.to_string()),
                    ("delimiter", char::from(d).to_string()),
                ],
                format!(
                    "{n} of {} lines have {count} {}",
                    lines.len(),
                    if count == 1 {
                        delimiter_name(d).trim_end_matches('s')
                    } else {
                        delimiter_name(d)
                    }
                ),
            ),
            None,
        ),
        (None, Some(l)) => {
            let evidence = l.evidence.clone();
            (' ', evidence, Some(l))
        }
        (None, None) => (
            ',',
            Evidence::new(
                "delimiter_none",
                [("lines", lines.len().to_string())],
                format!(
                    "no comma, semicolon, tab or pipe in the first {} lines: one column",
                    grouped(lines.len() as u64)
                ),
            ),
            None,
        ),
    }
}

fn count_outside_quotes(line: &str, delimiter: u8) -> usize {
    let mut in_quotes = false;
    let mut n = 0;
    for b in line.bytes() {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if b == delimiter && !in_quotes {
            n += 1;
        }
    }
    n
}
