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
    fn hash_into<'a>(buf: &mut Vec<u8>, parts: impl IntoIterator<Item = &'a str>) -> u64 {
        buf.clear();
        for p in parts {
            buf.extend_from_slice(&(p.len() as u64).to_le_bytes());
            buf.extend_from_slice(p.as_bytes());
        }
        xxhash_rust::xxh3::xxh3_64(buf)
    }
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => hash_into(&mut buf, parts),
        // Re-entered (nothing inside calls back, but never panic): a buffer of its own.
        Err(_) => hash_into(&mut Vec::new(), parts),
    })
}

/// SplitMix64's finaliser: spreads every input bit over the whole word. For keys that are already
/// hashes or small integers (order keys, Bloom-filter probes, shard choice).
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
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
        let mut bytes = 2u64.to_le_bytes().to_vec();
        bytes.extend_from_slice(b"ab");
        bytes.extend_from_slice(&1u64.to_le_bytes());
        bytes.push(b'c');
        assert_eq!(hash_strs(["ab", "c"]), xxhash_rust::xxh3::xxh3_64(&bytes));
        assert_eq!(hash_strs([]), xxhash_rust::xxh3::xxh3_64(&[]));
    }
}
