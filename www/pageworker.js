// The page's worker factory for TierlensClient (client.js). The worker is started from a blob: URL: a
// blob worker inherits the page's Content-Security-Policy (even a <meta> one), whereas a worker loaded
// from its own URL would take its policy from response headers a static host may not send.
//
// The single-file page (pkg-config/standalone.mjs) carries the bundled worker as text in
// <script id="tierlens-worker-source">; the served page imports worker.js beside this module.

/** Starts the page's worker: `{ worker, revoke }` for TierlensClient's `worker` option. */
export function pageWorker() {
  const source = globalThis.document?.getElementById('tierlens-worker-source')?.textContent || null;
  const boot = source
    ? new Blob([source], { type: 'text/javascript' })
    : new Blob([`import ${JSON.stringify(new URL('./worker.js', import.meta.url).href)};`], { type: 'text/javascript' });
  const url = URL.createObjectURL(boot);
  const worker = new Worker(url, source ? { name: 'tierlens' } : { type: 'module', name: 'tierlens' });
  return { worker, revoke: () => URL.revokeObjectURL(url) };
}
