//! The optional first pass over an input that can be read twice (a file on disk, a browser `File`,
//! bytes in memory), and what it lets the second pass do with little memory.
//!
//! Two cleaning rules need the whole input before they can judge a row:
//!
//! - **exact duplicate rows.** In one pass, every row's 64-bit hash has to be remembered: 8 bytes
//!   a row plus hash-table slack, 400 MB and more for a 25 M-row file. The first pass instead puts
//!   every row's hash in a Bloom filter (12 bits a row) and remembers exactly only the hashes the
//!   filter says it may have seen before: true duplicates plus about 1 % false alarms. A row whose
//!   hash is not among those *candidates* has no twin anywhere in the file, so the second pass needs
//!   an exact set for the candidates only. The result is the same as the one-pass exact set: only
//!   which hashes get stored changes, never which rows are duplicates.
//! - **outlier amounts.** The threshold (Q3 + k × IQR of log10 |amount|) comes from every row's
//!   amount, held in a fine histogram (bins of 0.001 decade, so the threshold is exact to 0.23 %),
//!   not from the first 500 rows as a one-pass load must do.

use rustc_hash::FxHashSet;

use crate::hashing::mix64 as mix;

/// Bits of filter per expected row. With 8 probes in one 512-bit block this gives roughly 0.5 %
/// false alarms per stage.
const BITS_PER_ROW: u64 = 12;
/// Rows of the first filter stage when no size estimate is known.
const FIRST_STAGE_ROWS: u64 = 1 << 20;

/// One fixed-size blocked Bloom filter: all probes of a key land in one 64-byte block, so a test
/// costs one cache miss.
#[derive(Debug, Clone)]
struct Stage {
    blocks: Vec<[u64; 8]>,
    capacity: u64,
    len: u64,
}

impl Stage {
    fn new(rows: u64) -> Stage {
        let blocks = (rows.saturating_mul(BITS_PER_ROW) / 512).max(1);
        Stage {
            blocks: vec![[0; 8]; usize::try_from(blocks).unwrap_or(usize::MAX >> 7)],
            capacity: rows,
            len: 0,
        }
    }

    /// Block index and the 8 (word, bit) probes of `h`.
    fn probes(&self, h: u64) -> (usize, [(usize, u64); 8]) {
        let n = self.blocks.len() as u64;
        // Fast range reduction: the high half of h × n is uniform in 0..n.
        let block = usize::try_from(((u128::from(h) * u128::from(n)) >> 64) as u64).unwrap_or(0);
        let (a, b) = (mix(h), mix(h ^ 0x9e37_79b9_7f4a_7c15));
        let mut out = [(0usize, 0u64); 8];
        for (i, slot) in out.iter_mut().enumerate() {
            let bits = if i < 7 { a >> (i * 9) } else { b };
            let bit = bits & 511;
            *slot = (usize::try_from(bit >> 6).unwrap_or(0), 1u64 << (bit & 63));
        }
        (block, out)
    }

    fn contains(&self, h: u64) -> bool {
        let (block, probes) = self.probes(h);
        self.blocks.get(block).is_some_and(|b| {
            probes
                .iter()
                .all(|&(w, m)| b.get(w).is_some_and(|x| x & m != 0))
        })
    }

    fn insert(&mut self, h: u64) {
        let (block, probes) = self.probes(h);
        if let Some(b) = self.blocks.get_mut(block) {
            for (w, m) in probes {
                if let Some(x) = b.get_mut(w) {
                    *x |= m;
                }
            }
        }
        self.len += 1;
    }
}

/// Row hashes seen in the first pass: a growing series of Bloom filters (each twice the last, so
/// the false-alarm rate stays bounded without knowing the row count in advance) and the exact set
/// of hashes that may repeat.
#[derive(Debug, Clone, Default)]
pub struct DuplicateScan {
    stages: Vec<Stage>,
    candidates: FxHashSet<u64>,
    expected_rows: Option<u64>,
}

impl DuplicateScan {
    /// A scan sized for about `expected_rows` rows (it grows beyond that if needed).
    pub fn with_expected_rows(expected_rows: Option<u64>) -> Self {
        DuplicateScan {
            expected_rows,
            ..DuplicateScan::default()
        }
    }

    /// Notes one row's hash.
    pub fn add(&mut self, h: u64) {
        if self.stages.iter().any(|s| s.contains(h)) {
            self.candidates.insert(h);
            return;
        }
        let full = self.stages.last().is_none_or(|s| s.len >= s.capacity);
        if full {
            let rows = match self.stages.last() {
                Some(s) => s.capacity.saturating_mul(2),
                None => self
                    .expected_rows
                    .map_or(FIRST_STAGE_ROWS, |n| n.saturating_add(n / 4))
                    .clamp(1 << 12, 1 << 34),
            };
            self.stages.push(Stage::new(rows));
        }
        if let Some(s) = self.stages.last_mut() {
            s.insert(h);
        }
    }

    /// The hashes that may occur more than once (every real repeat is among them).
    pub fn into_candidates(self) -> FxHashSet<u64> {
        self.candidates
    }

    /// Bytes held by the filters and the candidate set (approximate).
    pub fn memory_bytes(&self) -> usize {
        self.stages
            .iter()
            .map(|s| s.blocks.len() * 64)
            .sum::<usize>()
            + self.candidates.capacity() * 9
    }
}

/// Histogram of log10 |amount| in bins of 0.001 decade from 1e-7 to 1e16 (values beyond are
/// counted in the end bins).
#[derive(Debug, Clone)]
pub struct LogHistogram {
    bins: Vec<u64>,
    n: u64,
}

const LOG_MIN: f64 = -7.0;
const BIN_WIDTH: f64 = 0.001;
const BINS: usize = 23_000;

impl Default for LogHistogram {
    fn default() -> Self {
        LogHistogram {
            bins: vec![0; BINS],
            n: 0,
        }
    }
}

impl LogHistogram {
    /// Adds one amount; zero and non-finite amounts are not counted (they have no log).
    pub fn add(&mut self, amount: f64) {
        if !amount.is_finite() || amount == 0.0 {
            return;
        }
        let pos = ((amount.abs().log10() - LOG_MIN) / BIN_WIDTH).floor();
        // Clamped to the bin range first, so the conversion is exact.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let bin = pos.clamp(0.0, (BINS - 1) as f64) as usize;
        if let Some(c) = self.bins.get_mut(bin) {
            *c += 1;
            self.n += 1;
        }
    }

    /// Amounts counted.
    pub fn len(&self) -> u64 {
        self.n
    }

    /// True when nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Type-7 quantile of the log10 amounts, with the values of a bin taken as evenly spread
    /// over it.
    pub fn quantile(&self, p: f64) -> Option<f64> {
        if self.n == 0 {
            return None;
        }
        #[allow(clippy::cast_precision_loss)]
        let rank = p.clamp(0.0, 1.0) * (self.n - 1) as f64;
        let mut before = 0u64;
        for (i, &c) in self.bins.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            if c > 0 && rank < (before + c) as f64 {
                let within = (rank - before as f64 + 0.5) / c as f64;
                let lo = LOG_MIN + i as f64 * BIN_WIDTH;
                return Some(lo + within * BIN_WIDTH);
            }
            before += c;
        }
        #[allow(clippy::cast_precision_loss)]
        Some(LOG_MIN + BINS as f64 * BIN_WIDTH)
    }
}

/// What the first pass found, handed to the second.
#[derive(Debug, Clone, Default)]
pub struct PrescanResult {
    /// Row hashes that may repeat; `None` when duplicates were not scanned.
    pub duplicate_candidates: Option<FxHashSet<u64>>,
    /// Histogram of the amounts of the rows; `None` when outliers were not scanned.
    pub amounts: Option<LogHistogram>,
    /// Data rows the first pass read.
    pub rows: u64,
}

/// Exact duplicate detection in the second pass (or in a one-pass load).
#[derive(Debug, Clone)]
pub enum Dedupe {
    /// One pass: every row hash is kept.
    Exact(FxHashSet<u64>),
    /// After a first pass: only the candidates' hashes are kept, once seen.
    Candidates {
        /// Hashes that may repeat.
        candidates: FxHashSet<u64>,
        /// Candidates seen so far in this pass.
        seen: FxHashSet<u64>,
    },
}

impl Default for Dedupe {
    fn default() -> Self {
        Dedupe::Exact(FxHashSet::default())
    }
}

impl Dedupe {
    /// True when a row with hash `h` was already seen (and notes it as seen).
    pub fn is_repeat(&mut self, h: u64) -> bool {
        match self {
            Dedupe::Exact(seen) => !seen.insert(h),
            Dedupe::Candidates { candidates, seen } => candidates.contains(&h) && !seen.insert(h),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_repeat_is_a_candidate_and_false_alarms_are_rare() {
        let mut scan = DuplicateScan::with_expected_rows(None);
        let n = 3_000_000u64;
        for i in 0..n {
            scan.add(mix(i));
        }
        // Repeats of 1000 earlier rows, far apart and across filter stages.
        for i in (0..n).step_by(3000) {
            scan.add(mix(i));
        }
        let c = scan.into_candidates();
        for i in (0..n).step_by(3000) {
            assert!(c.contains(&mix(i)));
        }
        let false_alarms = c.len() - 1000;
        assert!(false_alarms < 60_000, "{false_alarms} false alarms of {n}");
    }

    #[test]
    fn candidates_give_the_same_answer_as_the_exact_set() {
        let rows: Vec<u64> = [1, 2, 3, 2, 4, 1, 1, 5].map(mix).to_vec();
        let mut scan = DuplicateScan::with_expected_rows(Some(4));
        rows.iter().for_each(|&h| scan.add(h));
        let mut two = Dedupe::Candidates {
            candidates: scan.into_candidates(),
            seen: FxHashSet::default(),
        };
        let mut one = Dedupe::default();
        let a: Vec<bool> = rows.iter().map(|&h| two.is_repeat(h)).collect();
        let b: Vec<bool> = rows.iter().map(|&h| one.is_repeat(h)).collect();
        assert_eq!(a, b);
        assert_eq!(a, [false, false, false, true, false, true, true, false]);
    }

    #[test]
    fn histogram_quantiles_are_within_a_bin_of_the_exact_ones() {
        let mut h = LogHistogram::default();
        let values: Vec<f64> = (1..=1000).map(|i| f64::from(i) * 1.7).collect();
        values.iter().for_each(|&v| h.add(v));
        h.add(0.0);
        h.add(f64::NAN);
        assert_eq!(h.len(), 1000);
        let mut logs: Vec<f64> = values.iter().map(|v| v.log10()).collect();
        crate::stats::sort_total(&mut logs);
        for p in [0.25, 0.5, 0.75] {
            let exact = crate::score::quantiles::quantile_sorted(&logs, p).unwrap();
            let approx = h.quantile(p).unwrap();
            assert!(
                (exact - approx).abs() <= BIN_WIDTH,
                "{p}: {exact} vs {approx}"
            );
        }
        assert!(LogHistogram::default().quantile(0.5).is_none());
    }
}
