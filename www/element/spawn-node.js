// The worker factory for TierlensClient in Node: the same bundled worker as in browsers, run as a
// worker thread from its source text (eval), with `self`/`postMessage`/`onmessage` mapped onto the
// thread's parentPort (the bundle is written for a browser worker).
import { Worker } from 'node:worker_threads';

const PRELUDE = `const { parentPort } = require('node:worker_threads');
globalThis.self = globalThis;
globalThis.postMessage = (message, transfer) => parentPort.postMessage(message, transfer);
parentPort.on('message', (data) => globalThis.onmessage?.({ data }));
`;

/** Starts a worker thread running the bundled worker. */
export async function nodeWorker() {
  const { default: source } = await import('../generated/tierlens_worker_source.js');
  return new Worker(PRELUDE + source, { eval: true, name: 'tierlens' });
}
