//! One owner of loading: [`load`] reads a [`Source`] in two passes when it can be read twice (every
//! reading decision from the whole input), in one otherwise (decisions from the first rows, said
//! in a warning), and reports [`Progress`] after each chunk. The hand-written pass loop
//! (`two_pass`, push, `end_first_pass`, push again, `finish`) lives here only; the Wasm face
//! drives the same [`Loader`] chunk by chunk from JS.
//!
//! The crate does no I/O: a source that reads files or streams (the CLI's) implements [`Source`]
//! itself, with its own error type.

use super::{Dataset, Loader, Progress};
use crate::config::AsPlan;
use crate::error::{Error, Result};

/// An input [`load`] can read.
pub trait Source {
    /// What reading fails with: at least every [`Error`] of the load.
    type Error: From<Error>;

    /// Length in bytes, when known (sizes the first pass's duplicate filter).
    fn size(&self) -> Option<u64>;

    /// Whether the input can be read again from its start (then it is read twice).
    fn rereadable(&self) -> bool;

    /// Reads the input from its start, handing each chunk to `push` in order and stopping at the
    /// first error `push` returns.
    fn read(
        &mut self,
        push: &mut dyn FnMut(&[u8]) -> Result<()>,
    ) -> std::result::Result<(), Self::Error>;
}

/// Bytes in memory as a [`Source`]: pushed in chunks of 1 MiB (or [`Bytes::chunked`]), read
/// twice unless [`Bytes::once`] says to read them as a one-time stream.
#[derive(Debug, Clone, Copy)]
pub struct Bytes<'a> {
    bytes: &'a [u8],
    chunk: usize,
    once: bool,
}

impl<'a> Bytes<'a> {
    /// The whole input, read twice in 1 MiB chunks.
    pub fn new(bytes: &'a [u8]) -> Self {
        Bytes {
            bytes,
            chunk: 1 << 20,
            once: false,
        }
    }

    /// Pushes chunks of `size` bytes (at least 1): how a reader meets any chunk boundary.
    pub fn chunked(self, size: usize) -> Self {
        Bytes {
            chunk: size.max(1),
            ..self
        }
    }

    /// Reads the bytes once, as a stream that cannot be read again would be.
    pub fn once(self) -> Self {
        Bytes { once: true, ..self }
    }
}

impl Source for Bytes<'_> {
    type Error = Error;

    fn size(&self) -> Option<u64> {
        Some(self.bytes.len() as u64)
    }

    fn rereadable(&self) -> bool {
        !self.once
    }

    fn read(&mut self, push: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<()> {
        self.bytes.chunks(self.chunk).try_for_each(push)
    }
}

/// Loads `source` with `recipe`: two passes when the source can be read twice, one otherwise;
/// `on_progress` is told after every chunk.
///
/// ```
/// let csv = b"customer_id,date,amount\nA,2024-01-01,10\nB,2024-01-05,30\nA,2024-01-09,5\n";
/// let recipe = tierlens::Recipe::default();
/// let mut passes = Vec::new();
/// let dataset = tierlens::load(&mut tierlens::Bytes::new(csv), &recipe, &mut |p| passes.push(p.pass))?;
/// assert_eq!(passes, [1, 2]); // one chunk, read twice
/// assert_eq!(dataset.customers().frequency, vec![2, 1]);
/// let once = tierlens::load(&mut tierlens::Bytes::new(csv).once(), &recipe, &mut |_| {})?;
/// assert_eq!(once.customers().ids, dataset.customers().ids);
/// # Ok::<(), tierlens::Error>(())
/// ```
pub fn load<S: Source + ?Sized>(
    source: &mut S,
    recipe: &impl AsPlan,
    on_progress: &mut dyn FnMut(Progress),
) -> std::result::Result<Dataset, S::Error> {
    let mut loader = if source.rereadable() {
        Loader::two_pass(recipe, source.size())?
    } else {
        Loader::new(recipe)?
    };
    for pass in 1..=loader.passes() {
        if pass == 2 {
            loader.end_first_pass()?;
        }
        source.read(&mut |chunk| {
            let progress = loader.push(chunk)?;
            on_progress(progress);
            Ok(())
        })?;
    }
    Ok(loader.finish()?)
}
