// The one JS loading call (issue 11 point 3): `loadFileWith(engine, source, recipe, { onProgress, signal })`
// reads a File / Blob / bytes through the engine's Loader — twice when the engine asks for two passes
// (every reading decision from the whole input) — and resolves to the loaded Dataset. The worker, the
// package's `tierlens/embedded` entry (`loadFile`) and the README use it; nobody writes the pass loop
// again.
//
// Progress events are the engine's own Progress ({ bytes, rows, customers, pass, passes }) plus a stage
// code and the fraction of the whole load done:
//   stage 'scan'      the first of two passes (duplicates, outlier threshold, reading decisions)
//         'read'      the last pass (rows become customers)
//         'aggregate' the input is read; the Loader builds the customers
// Plain JS, no DOM: runs in a page, a worker and Node.

/** How often progress is reported and the event loop given a turn (cancellation), in ms. */
const PROGRESS_EVERY_MS = 100;
/** Chunk size for bytes in memory. */
const CHUNK = 1 << 20;

/** The error a cancelled load rejects with (`code: 'cancelled'`, name `AbortError`). */
export function cancelledError() {
  return Object.assign(new Error('cancelled'), { name: 'AbortError', code: 'cancelled' });
}

// A macrotask turn, so a worker sees a 'cancel' message (or an AbortSignal fires) between chunks of
// bytes already in memory; a microtask would not let the message through.
const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

const asText = (recipe) => (recipe == null ? null : typeof recipe === 'string' ? recipe : JSON.stringify(recipe));

/** The byte length of a source (Blob/File `size`, bytes `byteLength`). */
export const sourceSize = (src) => src.size ?? src.byteLength;

/**
 * Loads `source` (File, Blob, Uint8Array or ArrayBuffer) with `recipe` through `engine`'s Loader.
 * `signal` (an AbortSignal) or `isCancelled()` stops it between chunks with a `cancelled` error; the
 * Loader's Wasm memory is released on every path.
 * @returns {Promise<object>} the engine's Dataset (call `free()` when done with it)
 */
export async function loadFileWith(engine, source, recipe, { onProgress, signal, isCancelled } = {}) {
  const src = source instanceof ArrayBuffer ? new Uint8Array(source) : source;
  const total = sourceSize(src);
  const stopped = () => signal?.aborted || isCancelled?.();
  if (stopped()) throw cancelledError();
  const loader = engine.Loader.twoPass(asText(recipe), total);
  let last = -Infinity;
  let latest = { bytes: 0, rows: 0, customers: 0, pass: 1, passes: loader.passes };
  const tell = (progress, stage, force = false) => {
    latest = progress;
    const now = Date.now();
    if (!onProgress || (!force && now - last < PROGRESS_EVERY_MS)) return;
    last = now;
    const passes = progress.passes ?? loader.passes;
    const pass = progress.pass ?? passes;
    const within = total ? Math.min(1, progress.bytes / total) : 1;
    const fraction = stage === 'aggregate' ? 1 : Math.min(1, (pass - 1 + within) / passes);
    onProgress({ ...progress, stage, fraction, total });
  };
  try {
    for (let pass = 1; pass <= loader.passes; pass++) {
      if (pass === 2) loader.endFirstPass();
      const stage = pass < loader.passes ? 'scan' : 'read';
      if (src instanceof Uint8Array) {
        let yielded = Date.now();
        for (let at = 0; at < src.byteLength; at += CHUNK) {
          if (Date.now() - yielded >= PROGRESS_EVERY_MS) { await turn(); yielded = Date.now(); }
          if (stopped()) throw cancelledError();
          tell(loader.push(src.subarray(at, at + CHUNK)), stage);
        }
      } else {
        const reader = src.stream().getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (stopped()) {
            await reader.cancel();
            throw cancelledError();
          }
          tell(loader.push(value), stage);
        }
      }
    }
    if (stopped()) throw cancelledError();
    tell({ ...latest, bytes: total }, 'aggregate', true);
    // finish() consumes the Loader's contents; its (now empty) handle is freed below.
    return loader.finish();
  } finally {
    // After a Wasm trap the instance is unusable and free() would throw over the original error.
    try { loader.free(); } catch { /* the instance trapped */ }
  }
}
