//! The customer-key index of the [`super::Aggregator`]: each key is hashed once per row, and keys
//! of up to [`INLINE`] bytes (nearly every real customer id) are stored in the slot itself, beside
//! the value the row updates (the customer's running figures), so a row touches one slot.
//!
//! Why not `HashMap<Box<str>, u32>` and a vector of figures: every lookup followed the box to
//! compare the key bytes, and then went to the figures, each a cache miss per row once there are
//! more customers than fit in cache (with the hashing and `memcmp`, about a third of a large load,
//! issue 12). Longer keys are compared against the customer's own id (`long`), so no second copy
//! is kept. The slot holds no hash: hashbrown's control byte already filters candidates (1 in 128
//! false matches), and comparing at most 16 inline bytes is cheaper than the 8 bytes it would add
//! to every slot; a growing table hashes its keys again (from the slot, or `long`).
//!
//! The hash is XXH3-64 (as in [`crate::hashing`]): fixed, 64 bits on every platform. The table is
//! iterated only to place values by index ([`KeyTable::for_each`]), so its layout never reaches an
//! output.

use hashbrown::hash_table::Entry;
use hashbrown::HashTable;

/// Keys up to this many bytes are stored in the slot.
const INLINE: usize = 16;

#[derive(Debug, Clone, Copy)]
struct Slot<V> {
    ix: u32,
    /// Key length in bytes (`u32::MAX` stands for "longer than that", compared through `long`).
    len: u32,
    inline: [u8; INLINE],
    value: V,
}

/// A key as looked up: short keys zero-padded to the slot's inline array, so that comparing
/// them is comparing two 16-byte arrays (no `memcmp` call); the slot's bytes past its length are
/// zero too.
enum Probe<'k> {
    Inline(u32, [u8; INLINE]),
    Long(&'k [u8]),
}

impl<'k> Probe<'k> {
    fn new(key: &'k [u8]) -> Self {
        let mut inline = [0u8; INLINE];
        match inline.get_mut(..key.len()) {
            Some(dst) => {
                dst.copy_from_slice(key);
                // At most INLINE.
                #[allow(clippy::cast_possible_truncation)]
                let n = key.len() as u32;
                Probe::Inline(n, inline)
            }
            None => Probe::Long(key),
        }
    }
}

impl<V> Slot<V> {
    fn matches<'a>(&self, key: &Probe<'_>, long: &impl Fn(u32) -> &'a str) -> bool {
        match key {
            Probe::Inline(len, bytes) => self.len == *len && self.inline == *bytes,
            Probe::Long(key) => self.len == u32::MAX && long(self.ix).as_bytes() == *key,
        }
    }

    /// The slot's key: inline, or through `long`.
    fn key<'s, 'a: 's>(&'s self, long: &impl Fn(u32) -> &'a str) -> &'s [u8] {
        match self.inline.get(..self.len as usize) {
            Some(bytes) => bytes,
            None => long(self.ix).as_bytes(),
        }
    }
}

/// Customer key → customer index (in the order keys were first seen) and a value.
#[derive(Debug, Clone)]
pub(super) struct KeyTable<V> {
    table: HashTable<Slot<V>>,
}

impl<V> Default for KeyTable<V> {
    fn default() -> Self {
        KeyTable {
            table: HashTable::new(),
        }
    }
}

fn hash_of(key: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(key)
}

impl<V> KeyTable<V> {
    /// The index and value of `key`, if it was inserted. `long(ix)` is the key of index `ix`
    /// (asked only for keys longer than the inline size).
    pub(super) fn get_mut<'a>(
        &mut self,
        key: &str,
        long: impl Fn(u32) -> &'a str,
    ) -> Option<(u32, &mut V)> {
        let hash = hash_of(key.as_bytes());
        let probe = Probe::new(key.as_bytes());
        self.table
            .find_mut(hash, |s| s.matches(&probe, &long))
            .map(|s| (s.ix, &mut s.value))
    }

    /// The index and value of `key`: its existing ones (`false`), or `next` and `init()` when it
    /// is new (`true`).
    pub(super) fn get_or_insert<'a>(
        &mut self,
        key: &str,
        next: u32,
        long: impl Fn(u32) -> &'a str,
        init: impl FnOnce() -> V,
    ) -> (u32, bool, &mut V) {
        let bytes = key.as_bytes();
        let hash = hash_of(bytes);
        let probe = Probe::new(bytes);
        let entry = self.table.entry(
            hash,
            |s| s.matches(&probe, &long),
            |s| hash_of(s.key(&long)),
        );
        match entry {
            Entry::Occupied(o) => {
                let s = o.into_mut();
                (s.ix, false, &mut s.value)
            }
            Entry::Vacant(v) => {
                let (len, inline) = match probe {
                    Probe::Inline(len, inline) => (len, inline),
                    Probe::Long(_) => (u32::MAX, [0u8; INLINE]),
                };
                let slot = Slot {
                    ix: next,
                    len,
                    inline,
                    value: init(),
                };
                let s = v.insert(slot).into_mut();
                (s.ix, true, &mut s.value)
            }
        }
    }

    /// Calls `f` with every index and its value, in no particular order.
    pub(super) fn for_each(&self, mut f: impl FnMut(u32, &V)) {
        for s in &self.table {
            f(s.ix, &s.value);
        }
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
        let mut t = KeyTable::<u32>::default();
        let long = |ix: u32| keys.get(ix as usize).map_or("", String::as_str);
        for (i, k) in keys.iter().enumerate() {
            let i = u32::try_from(i).unwrap();
            assert_eq!(t.get_mut(k, long), None, "{k:?}");
            let (ix, new, v) = t.get_or_insert(k, i, long, || i * 10);
            assert_eq!((ix, new, *v), (i, true, i * 10), "{k:?}");
        }
        for (i, k) in keys.iter().enumerate() {
            let i = u32::try_from(i).unwrap();
            let (ix, new, v) = t.get_or_insert(k, 99, long, || 0);
            assert_eq!((ix, new, *v), (i, false, i * 10), "{k:?}");
            *v += 1;
            assert_eq!(t.get_mut(k, long), Some((i, &mut (i * 10 + 1))), "{k:?}");
        }
        for k in ["c10001", "C1000", "123456789012345", "12345678901234569"] {
            assert_eq!(t.get_mut(k, long), None, "{k:?}");
        }
        let mut seen = vec![None; keys.len()];
        t.for_each(|ix, v| seen[ix as usize] = Some(*v));
        for (i, v) in seen.iter().enumerate() {
            assert_eq!(*v, Some(u32::try_from(i).unwrap() * 10 + 1));
        }
    }
}
