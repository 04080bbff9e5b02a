//! Bytes → UTF-8 for streamed text, with the encoding decided at the first non-ASCII byte.
//!
//! ASCII reads the same in UTF-8, GB18030 and Windows-1252, so while every byte seen is ASCII the
//! encoding is still open and bytes pass through unchanged. At the first non-ASCII byte, wherever
//! it is (a GBK export may start with tens of kilobytes of ASCII ids and dates), the next
//! [`SNIFF_BYTES`] from that byte (or up to the end of the file) are buffered and the encoding is
//! decided from them: valid UTF-8, else valid GB18030, else Windows-1252 (with a warning). The
//! window depends only on the file, never on how it was split into chunks.

use encoding_rs::{CoderResult, Decoder, Encoding, UTF_8};

use super::sniff::content_encoding;
use super::{Basis, Decision, SNIFF_BYTES};
use crate::format::grouped;

enum State {
    /// Every byte so far was ASCII: copied through.
    Ascii,
    /// Collecting the window that starts at the first non-ASCII byte (at `offset` in the file).
    Window { offset: u64, bytes: Vec<u8> },
    /// Decoding; `backlog[pos..]` (the window) is decoded before any new input.
    Fixed {
        decoder: Decoder,
        backlog: Vec<u8>,
        pos: usize,
    },
}

/// A streaming decoder whose encoding is either fixed up front (BOM, recipe, UTF-16) or decided
/// at the first non-ASCII byte.
pub(super) struct TextDecoder {
    state: State,
    /// Input bytes taken so far.
    offset: u64,
    /// The encoding decision, once made here (taken by the ingestor for the report).
    decision: Option<Decision>,
}

impl TextDecoder {
    /// A decoder for an encoding settled before reading (BOM sniffing stays on: a BOM is removed).
    pub(super) fn fixed(encoding: &'static Encoding) -> Self {
        TextDecoder {
            state: State::Fixed {
                decoder: encoding.new_decoder(),
                backlog: Vec::new(),
                pos: 0,
            },
            offset: 0,
            decision: None,
        }
    }

    /// A decoder that decides the encoding at the first non-ASCII byte.
    pub(super) fn open() -> Self {
        TextDecoder {
            state: State::Ascii,
            offset: 0,
            decision: None,
        }
    }

    /// The encoding decision made while decoding, once (then `None`).
    pub(super) fn take_decision(&mut self) -> Option<Decision> {
        self.decision.take()
    }

    /// Decodes from `input` into `out`. Returns the input bytes taken, the output bytes written and
    /// whether `out` filled up (call again with the rest of the input and a fresh `out`). `last`
    /// marks `input` as the end of the file.
    pub(super) fn decode(
        &mut self,
        input: &[u8],
        out: &mut [u8],
        last: bool,
    ) -> (usize, usize, bool) {
        let mut read = 0usize;
        let mut written = 0usize;
        loop {
            let rest = input.get(read..).unwrap_or_default();
            let room = out.get_mut(written..).unwrap_or_default();
            match &mut self.state {
                State::Ascii => {
                    // Scan only what fits: the rest is scanned by the next call.
                    let fits = rest.len().min(room.len());
                    let head = rest.get(..fits).unwrap_or_default();
                    let n = head.iter().take_while(|b| b.is_ascii()).count();
                    if let (Some(dst), Some(src)) = (room.get_mut(..n), rest.get(..n)) {
                        dst.copy_from_slice(src);
                    }
                    read += n;
                    written += n;
                    self.offset += n as u64;
                    if n == fits && fits < rest.len() {
                        return (read, written, true);
                    }
                    if n < rest.len() {
                        self.state = State::Window {
                            offset: self.offset,
                            bytes: Vec::with_capacity(SNIFF_BYTES.min(rest.len() - n) + 16),
                        };
                        continue;
                    }
                    if last {
                        self.decision = Some(all_ascii(self.offset));
                        self.state = State::Fixed {
                            decoder: UTF_8.new_decoder_without_bom_handling(),
                            backlog: Vec::new(),
                            pos: 0,
                        };
                    }
                    return (read, written, false);
                }
                State::Window { offset, bytes } => {
                    bytes.extend_from_slice(rest);
                    read += rest.len();
                    self.offset += rest.len() as u64;
                    if bytes.len() < SNIFF_BYTES && !last {
                        return (read, written, false);
                    }
                    let at_end = last && bytes.len() <= SNIFF_BYTES;
                    let window = bytes.get(..SNIFF_BYTES).unwrap_or(bytes);
                    let (encoding, decision) = decide(window, at_end, *offset);
                    self.decision = Some(decision);
                    self.state = State::Fixed {
                        decoder: encoding.new_decoder_without_bom_handling(),
                        backlog: std::mem::take(bytes),
                        pos: 0,
                    };
                }
                State::Fixed {
                    decoder,
                    backlog,
                    pos,
                } => {
                    if *pos < backlog.len() {
                        // The window holds all the input taken so far: `rest` is empty here.
                        let src = backlog.get(*pos..).unwrap_or_default();
                        let (result, r, w, _) =
                            decoder.decode_to_utf8(src, room, last && rest.is_empty());
                        *pos += r;
                        written += w;
                        if result == CoderResult::OutputFull {
                            return (read, written, true);
                        }
                        *backlog = Vec::new();
                        *pos = 0;
                        if rest.is_empty() {
                            return (read, written, false);
                        }
                        continue;
                    }
                    let (result, r, w, _) = decoder.decode_to_utf8(rest, room, last);
                    read += r;
                    written += w;
                    self.offset += r as u64;
                    return (read, written, result == CoderResult::OutputFull);
                }
            }
        }
    }
}

/// The encoding decision for a file read whole (JSON): the same rule as for streamed text.
pub(super) fn decide_whole(bytes: &[u8]) -> Decision {
    match bytes.iter().position(|b| !b.is_ascii()) {
        None => all_ascii(bytes.len() as u64),
        Some(at) => {
            let rest = bytes.get(at..).unwrap_or_default();
            let window = rest.get(..SNIFF_BYTES).unwrap_or(rest);
            decide(window, rest.len() <= SNIFF_BYTES, at as u64).1
        }
    }
}

fn all_ascii(bytes: u64) -> Decision {
    Decision::new(
        "encoding",
        UTF_8.name(),
        Basis::File,
        format!(
            "all {} bytes are ASCII, which reads the same in UTF-8, GB18030 and Windows-1252",
            grouped(bytes)
        ),
        "input.encoding",
    )
    .because("encoding_ascii", [("bytes", bytes.to_string())])
}

/// The encoding of the window that starts at the first non-ASCII byte, and its decision.
fn decide(window: &[u8], at_end: bool, offset: u64) -> (&'static Encoding, Decision) {
    let encoding = content_encoding(window, at_end);
    let span = if at_end {
        "the bytes from there to the end".to_string()
    } else {
        format!("the next {} KiB", window.len().div_ceil(1024))
    };
    let found = if encoding == UTF_8 {
        format!("{span} are valid UTF-8")
    } else if encoding == encoding_rs::GB18030 {
        format!("{span} are valid GB18030 (GBK), not UTF-8")
    } else {
        format!("{span} are neither valid UTF-8 nor GB18030")
    };
    let evidence = format!(
        "first non-ASCII byte at offset {}: {found}",
        grouped(offset)
    );
    let decision = Decision::new(
        "encoding",
        encoding.name(),
        Basis::File,
        evidence,
        "input.encoding",
    )
    .because(
        "encoding_non_ascii",
        [
            ("offset", offset.to_string()),
            ("encoding", encoding.name().to_string()),
        ],
    );
    if encoding == encoding_rs::WINDOWS_1252 {
        let mut d = decision.warn(crate::warning::Warning::encoding_fallback(offset));
        d.basis = Basis::Default;
        return (encoding, d);
    }
    (encoding, decision)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `bytes` pushed in chunks of `step` bytes through an `out` of `room` bytes.
    fn run(bytes: &[u8], step: usize, room: usize) -> (String, Option<Decision>) {
        let mut d = TextDecoder::open();
        let mut text = Vec::new();
        let mut buf = vec![0u8; room];
        let mut chunks: Vec<&[u8]> = bytes.chunks(step).collect();
        chunks.push(&[]);
        let n = chunks.len();
        for (i, chunk) in chunks.into_iter().enumerate() {
            let last = i + 1 == n;
            let mut input = chunk;
            loop {
                let (r, w, full) = d.decode(input, &mut buf, last);
                text.extend_from_slice(&buf[..w]);
                input = &input[r..];
                if !full {
                    break;
                }
            }
            assert!(input.is_empty());
        }
        (String::from_utf8(text).unwrap(), d.take_decision())
    }

    #[test]
    fn decides_at_the_first_non_ascii_byte() {
        let ascii = "C0001,2024-01-01,1\n".repeat(5000);
        let (gbk, _, _) = encoding_rs::GB18030.encode("张三,2024-02-01,2\n李四,2024-02-02,3\n");
        let mut bytes = ascii.as_bytes().to_vec();
        bytes.extend_from_slice(&gbk);
        let expected = format!("{ascii}张三,2024-02-01,2\n李四,2024-02-02,3\n");
        for (step, room) in [(1 << 20, 1 << 16), (7, 8), (4096, 13), (65_536, 65_536)] {
            let (text, decision) = run(&bytes, step, room);
            assert_eq!(text, expected, "step {step}");
            let decision = decision.unwrap();
            assert_eq!(decision.value, "gb18030");
            assert_eq!(
                decision.evidence,
                "first non-ASCII byte at offset 95 000: the bytes from there to the end are valid GB18030 (GBK), not UTF-8"
            );
        }
    }

    #[test]
    fn whole_files_use_the_same_rule() {
        let mut bytes = b"[".to_vec();
        bytes.extend(std::iter::repeat_n(b' ', 70_000));
        let (gbk, _, _) = encoding_rs::GB18030.encode("{\"客户\": \"张三\"}]");
        bytes.extend_from_slice(&gbk);
        let d = decide_whole(&bytes);
        assert_eq!(d.value, "gb18030");
        assert!(
            d.evidence
                .starts_with("first non-ASCII byte at offset 70 003:"),
            "{}",
            d.evidence
        );
        assert_eq!(decide_whole(b"[]").value, "UTF-8");
    }

    #[test]
    fn all_ascii_and_utf8() {
        let (text, d) = run(b"a,b\n1,2\n", 3, 8);
        assert_eq!(text, "a,b\n1,2\n");
        assert_eq!(
            d.unwrap().evidence,
            "all 8 bytes are ASCII, which reads the same in UTF-8, GB18030 and Windows-1252"
        );
        let (text, d) = run("a,b\n张,2\n".as_bytes(), 1, 8);
        assert_eq!(text, "a,b\n张,2\n");
        assert_eq!(d.unwrap().value, "UTF-8");
        let (text, d) = run(b"a,b\nJos\xe9,2\n", 5, 64);
        assert_eq!(text, "a,b\nJosé,2\n");
        let d = d.unwrap();
        assert_eq!(
            (d.value.as_str(), d.basis),
            ("windows-1252", Basis::Default)
        );
        assert!(d.warning.is_some());
        assert_eq!(grouped(81_234), "81 234");
        assert_eq!(grouped(1_000_000), "1 000 000");
        assert_eq!(grouped(999), "999");
    }
}
