//! Keyed pseudonyms for customer ids in exports.
//!
//! Customer ids in Chinese CRM exports are often phone numbers or names. An export can replace each id
//! with `HMAC-SHA-256(key = passphrase, message = id)`, written as [`PREFIX`] followed by the first
//! [`HEX_CHARS`] hex digits of the tag. The passphrase is typed by the user for each export and never
//! stored (not in the recipe, not in `report.json`, not in the page's storage); the same passphrase
//! gives the same pseudonym in every run and on every face, so a later `--previous` still joins
//! ([`rekey_previous`]).
//!
//! **Collision odds.** 16 hex digits are 64 bits. For `n` distinct ids the chance that any two share
//! a pseudonym is about `n² / 2⁶⁵`: 2.7 × 10⁻⁸ for a million customers, 2.7 × 10⁻⁶ for ten
//! million. A collision is still detected: [`Pseudonymiser::check_unique`] refuses the export rather
//! than merging two customers in the file.
//!
//! **Why a letter prefix.** A bare hex string may be all digits (`4020417153263829`) or look like a
//! number in scientific notation (`12e4…`), which Excel turns into a rounded number on opening a CSV;
//! the prefix keeps every pseudonym text.
//!
//! Without the passphrase a pseudonym cannot be turned back into its id, except by guessing ids and
//! the passphrase together: a short passphrase over phone numbers (10¹¹ candidates) is weak against
//! that, so the page and the CLI ask for one and the README advises a long one.

use std::collections::{BTreeMap, BTreeSet};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::{Error, Result};

/// Text before the hex digits of every pseudonym.
pub const PREFIX: &str = "p_";
/// Hex digits of the HMAC tag kept (64 bits).
pub const HEX_CHARS: usize = 16;

type HmacSha256 = Hmac<Sha256>;

/// HMAC-SHA-256 of `message` under `key`, as 64 lowercase hex digits (RFC 2104 / FIPS 180-4).
pub fn hmac_sha256_hex(key: &[u8], message: &[u8]) -> String {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail; an empty tag would be the
    // result if it ever did, and `Pseudonymiser::new` refuses empty passphrases before this.
    let Ok(mut mac) = HmacSha256::new_from_slice(key) else {
        return String::new();
    };
    mac.update(message);
    hex(&mac.finalize().into_bytes())
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        for nibble in [b >> 4, b & 0x0f] {
            if let Some(&d) = DIGITS.get(usize::from(nibble)) {
                out.push(char::from(d));
            }
        }
    }
    out
}

/// Turns customer ids into keyed pseudonyms under one passphrase.
#[derive(Clone)]
pub struct Pseudonymiser {
    mac: HmacSha256,
}

impl std::fmt::Debug for Pseudonymiser {
    // Never print the key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pseudonymiser(…)")
    }
}

impl Pseudonymiser {
    /// A pseudonymiser keyed by `passphrase` (its UTF-8 bytes, as typed). An empty passphrase is
    /// refused: it would make the pseudonyms a plain hash anyone can recompute.
    pub fn new(passphrase: &str) -> Result<Pseudonymiser> {
        if passphrase.is_empty() {
            return Err(Error::InvalidExport {
                option: "pseudonymise".into(),
                message: "the passphrase is empty".into(),
            });
        }
        let mac = HmacSha256::new_from_slice(passphrase.as_bytes()).map_err(|e| {
            Error::InvalidExport {
                option: "pseudonymise".into(),
                message: e.to_string(),
            }
        })?;
        Ok(Pseudonymiser { mac })
    }

    /// The pseudonym of `id`: [`PREFIX`] + the first [`HEX_CHARS`] hex digits of its HMAC tag.
    pub fn pseudonym(&self, id: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(id.as_bytes());
        let tag = mac.finalize().into_bytes();
        let digits = hex(tag.get(..HEX_CHARS / 2).unwrap_or(&tag));
        format!("{PREFIX}{digits}")
    }

    /// Refuses when two different ids get one pseudonym (odds in the module docs), so an export never
    /// merges two customers silently.
    pub fn check_unique(&self, ids: &[String]) -> Result<()> {
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for id in ids {
            let p = self.pseudonym(id);
            if let Some(other) = seen.insert(p, id) {
                if other != id {
                    return Err(Error::InvalidExport {
                        option: "pseudonymise".into(),
                        message: "two customer ids share a pseudonym under this passphrase \
                                  (odds about n²/2⁶⁵); choose another passphrase"
                            .into(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// Rewrites a previous code map whose keys are pseudonyms (an earlier pseudonymised `customers.csv`)
/// to the raw `ids` of this run, so the codes join as they would have without pseudonyms. Keys that
/// are raw ids already are left alone; a pseudonym that matches no id of this run stays (a departed
/// customer).
pub fn rekey_previous(
    previous: &BTreeMap<String, String>,
    ids: &[String],
    p: &Pseudonymiser,
) -> BTreeMap<String, String> {
    let mut out = previous.clone();
    for id in ids {
        if out.contains_key(id) {
            continue;
        }
        let key = p.pseudonym(id);
        if let Some(code) = out.remove(&key) {
            out.insert(id.clone(), code);
        }
    }
    out
}

/// Replaces every raw id that stands as a whole token in `text` (between spaces, quotes, commas,
/// brackets and the like) by its pseudonym: warnings and evidence sometimes quote ids as examples.
pub fn scrub_text(text: &str, ids: &BTreeSet<&str>, p: &Pseudonymiser) -> String {
    const SEPARATORS: &[char] = &[
        ' ', '\t', '\n', '\r', '"', '\'', '“', '”', '‘', '’', '「', '」', ',', '，', ';', '；',
        ':', '：', '(', ')', '（', '）', '[', ']', '{', '}', '<', '>', '、', '=',
    ];
    let mut out = String::with_capacity(text.len());
    let mut token_start = 0;
    let flush = |out: &mut String, token: &str| {
        if !token.is_empty() && ids.contains(token) {
            out.push_str(&p.pseudonym(token));
        } else {
            out.push_str(token);
        }
    };
    for (i, c) in text.char_indices() {
        if SEPARATORS.contains(&c) {
            flush(&mut out, text.get(token_start..i).unwrap_or(""));
            out.push(c);
            token_start = i + c.len_utf8();
        }
    }
    flush(&mut out, text.get(token_start..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// RFC 4231 §4.2–4.7, HMAC-SHA-256 (test case 5 is truncated output and is checked on its
    /// first 128 bits, as the RFC gives it).
    #[test]
    fn rfc_4231_test_vectors() {
        let cases: [(&[u8], &[u8], &str); 5] = [
            (
                &[0x0b; 20],
                b"Hi There",
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            ),
            (
                b"Jefe",
                b"what do ya want for nothing?",
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            ),
            (
                &[0xaa; 20],
                &[0xdd; 50],
                "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
            ),
            (
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First",
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            ),
            (
                &[0xaa; 131],
                b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.",
                "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
            ),
        ];
        for (key, data, want) in cases {
            assert_eq!(hmac_sha256_hex(key, data), want);
        }
        // Test case 4: key 0x01..0x19, data 50 × 0xcd.
        let key: Vec<u8> = (1..=0x19).collect();
        assert_eq!(
            hmac_sha256_hex(&key, &[0xcd; 50]),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        );
        // Test case 5: truncated to 128 bits.
        let tag = hmac_sha256_hex(&[0x0c; 20], b"Test With Truncation");
        assert_eq!(&tag[..32], "a3b6167473100ee06e0c796c2955552b");
        assert_eq!(unhex(&tag).len(), 32);
    }

    /// Values from Python's standard library, an independent implementation:
    /// `hmac.new(b"correct horse battery staple", id.encode(), "sha256").hexdigest()[:16]`.
    #[test]
    fn pseudonyms_match_python_hmac() {
        let p = Pseudonymiser::new("correct horse battery staple").unwrap();
        assert_eq!(p.pseudonym("13800138000"), "p_35809c3aefedc50f");
        assert_eq!(p.pseudonym("张三"), "p_1e51e66b48687cb7");
        assert_eq!(p.pseudonym("C001"), "p_d153f39a5ba4d74c");
        // Another passphrase, another pseudonym; the same passphrase, the same one.
        let q = Pseudonymiser::new("another passphrase").unwrap();
        assert_ne!(q.pseudonym("C001"), p.pseudonym("C001"));
        assert_eq!(
            Pseudonymiser::new("correct horse battery staple")
                .unwrap()
                .pseudonym("C001"),
            p.pseudonym("C001")
        );
    }

    #[test]
    fn empty_passphrase_is_refused() {
        let e = Pseudonymiser::new("").unwrap_err();
        assert_eq!(e.code(), "invalid_export");
    }

    #[test]
    fn previous_map_of_pseudonyms_joins_raw_ids() {
        let p = Pseudonymiser::new("k").unwrap();
        let mut prev = BTreeMap::new();
        prev.insert(p.pseudonym("A"), "X1".to_string());
        prev.insert("B".to_string(), "X2".to_string());
        prev.insert(p.pseudonym("gone"), "X3".to_string());
        let ids = vec!["A".to_string(), "B".to_string(), "C".to_string()];
        let out = rekey_previous(&prev, &ids, &p);
        assert_eq!(out.get("A").map(String::as_str), Some("X1"));
        assert_eq!(out.get("B").map(String::as_str), Some("X2"));
        assert_eq!(
            out.get(&p.pseudonym("gone")).map(String::as_str),
            Some("X3")
        );
        assert_eq!(out.len(), 3);
    }

    #[test]
    fn ids_in_text_are_replaced_as_whole_tokens() {
        let p = Pseudonymiser::new("k").unwrap();
        let ids: BTreeSet<&str> = ["A1", "张三"].into_iter().collect();
        let out = scrub_text("ids “A1” and 张三, not A12 (A1)", &ids, &p);
        let a = p.pseudonym("A1");
        let z = p.pseudonym("张三");
        assert_eq!(out, format!("ids “{a}” and {z}, not A12 ({a})"));
    }
}
