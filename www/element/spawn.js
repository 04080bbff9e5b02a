// Starts the bundled worker (www/worker.js with the Wasm bytes inside, built by pkg-config/assemble.mjs
// into generated/tierlens_worker_source.js) as a classic worker from a blob: URL. Nothing is fetched:
// it works under `connect-src 'none'` (the host's CSP needs `worker-src blob:` and, for Wasm,
// `script-src 'wasm-unsafe-eval'`), from file:// and inside any bundler. The source is imported
// lazily, so a bundler puts the ~4 MB of Wasm text in a chunk of its own.

/** The worker factory for TierlensClient in a browser: `{ worker, revoke }`. */
export async function bundledWorker() {
  const { default: source } = await import('../generated/tierlens_worker_source.js');
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  return { worker: new Worker(url, { name: 'tierlens' }), revoke: () => URL.revokeObjectURL(url) };
}
