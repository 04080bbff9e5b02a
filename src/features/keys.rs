//! The customer-key index of the [`super::Aggregator`]: each key is hashed once per row, its
//! 64-bit hash is kept beside its slot and compared before any bytes, and keys of up to
//! [`INLINE`] bytes (nearly every real customer id) are stored in the slot itself.
//!
//! Why not `HashMap<Box<str>, u32>`: every lookup followed the box to compare the key bytes, a
//! cache miss per row once there are more customers than fit in cache, and with the hashing and
//! `memcmp` that was about a third of a large load (issue 12). Here a lookup touches one slot.
//! Longer keys are compared against the customer's own id (`long`), so no second copy is kept.
//!
//! The hash is XXH3-64 (as in [`crate::hashing`]): fixed, 64 bits on every platform. Nothing
//! iterates the table, so its layout never reaches an output.

use hashbrown::HashTable;

/// Keys up to this many bytes are stored in the slot.
const INLINE: usize = 16;

#[derive(Debug, Clone, Copy)]
struct Slot {
    hash: u64,
    ix: u32,
    /// Key length in bytes (`u32::MAX` stands for "longer than that", compared through `long`).
    len: u32,
    inline: [u8; INLINE],
}

impl Slot {
    fn matches<'a>(&self, hash: u64, key: &[u8], long: impl Fn(u32) -> &'a str) -> bool {
        if self.hash != hash {
            return false;
        }
        match self.inline.get(..self.len as usize) {
            Some(bytes) if key.len() <= INLINE => bytes == key,
            _ => key.len() > INLINE && long(self.ix).as_bytes() == key,
        }
    }
}

/// Customer key → customer index, in the order keys were first seen.
#[derive(Debug, Clone, Default)]
pub(super) struct KeyTable {
    table: HashTable<Slot>,
}

fn hash_of(key: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(key.as_bytes())
}

impl KeyTable {
    /// The index of `key`, if it was inserted. `long(ix)` is the key of index `ix` (asked only
    /// for keys longer than the inline size, whose hash matched).
    pub(super) fn get<'a>(&self, key: &str, long: impl Fn(u32) -> &'a str) -> Option<u32> {
        let hash = hash_of(key);
        self.table
            .find(hash, |s| s.matches(hash, key.as_bytes(), &long))
            .map(|s| s.ix)
    }

    /// The index of `key`: its existing one (`false`), or `next` when it is new (`true`).
    pub(super) fn get_or_insert<'a>(
        &mut self,
        key: &str,
        next: u32,
        long: impl Fn(u32) -> &'a str,
    ) -> (u32, bool) {
        let hash = hash_of(key);
        let bytes = key.as_bytes();
        if let Some(s) = self.table.find(hash, |s| s.matches(hash, bytes, &long)) {
            return (s.ix, false);
        }
        let mut inline = [0u8; INLINE];
        let len = match inline.get_mut(..bytes.len()) {
            Some(dst) => {
                dst.copy_from_slice(bytes);
                // At most INLINE.
                #[allow(clippy::cast_possible_truncation)]
                let n = bytes.len() as u32;
                n
            }
            None => u32::MAX,
        };
        let slot = Slot {
            hash,
            ix: next,
            len,
            inline,
        };
        self.table.insert_unique(hash, slot, |s| s.hash);
        (next, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_keys_and_colliding_prefixes() {
        let keys: Vec<String> = [
            "",
            "A",
            "a",
            "C10001",
            "1234567890123456",  // exactly INLINE bytes
            "12345678901234567", // one more: compared through `long`
            "12345678901234568",
            "张三",
            "a very long customer name, Ltd. (Shanghai)",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut t = KeyTable::default();
        let long = |ix: u32| keys.get(ix as usize).map_or("", String::as_str);
        for (i, k) in keys.iter().enumerate() {
            let i = u32::try_from(i).unwrap();
            assert_eq!(t.get(k, long), None, "{k:?}");
            assert_eq!(t.get_or_insert(k, i, long), (i, true), "{k:?}");
        }
        for (i, k) in keys.iter().enumerate() {
            let i = u32::try_from(i).unwrap();
            assert_eq!(t.get_or_insert(k, 99, long), (i, false), "{k:?}");
            assert_eq!(t.get(k, long), Some(i), "{k:?}");
        }
        for k in ["c10001", "C1000", "123456789012345", "12345678901234569"] {
            assert_eq!(t.get(k, long), None, "{k:?}");
        }
    }
}
