// The worker client, shared by the page (www/app/engine.js) and the npm package (`tierlens/client`,
// which adds the worker factory: pkg-config/client-entry.js). The worker (worker.js) holds the data and
// the Wasm engine; this side sends requests and gets promises, progress events and typed arrays back.
//
//   const client = new TierlensClient({ worker });            // worker: () => Worker-like | Promise
//   const result = await client.open(file, recipe, { onProgress, signal });
//   const again = await client.analyze({ ...recipe, score: { bins: 4 } });   // no re-read
//   const csv = await client.exportBytes('csv');
//   client.close();                                            // ends the worker: Wasm memory freed
//
// Progress events are the engine's Progress plus a stage code and the fraction of the load done
// (loadfile.js): { stage: 'scan'|'read'|'aggregate'|'analyze', fraction, bytes, total, rows,
// customers, pass, passes }. They go to `onProgress` and are dispatched as 'progress' events on the
// client (an EventTarget; `event.detail` is the progress).
//
// Cancellation: `signal` (an AbortSignal) rejects the request at once with `{ name: 'AbortError',
// code: 'cancelled' }` and tells the worker, which stops a load between chunks and keeps the data it
// had; an analysis already running in the worker finishes, and exports always follow the result the
// caller last received (the export request carries its recipe).

/** The error a cancelled request rejects with. */
const cancelled = () => Object.assign(new Error('cancelled'), { name: 'AbortError', code: 'cancelled' });
const closedError = () => Object.assign(new Error('the client is closed'), { code: 'closed' });

/** Wraps a browser Worker or a Node worker_threads Worker in one small interface. */
function transport(worker) {
  if (typeof worker.on === 'function' && typeof worker.addEventListener !== 'function') {
    return {
      post: (msg, transfer) => worker.postMessage(msg, transfer),
      listen: (onMessage, onError) => {
        worker.on('message', onMessage);
        worker.on('error', onError);
      },
      terminate: () => worker.terminate(),
    };
  }
  return {
    post: (msg, transfer) => worker.postMessage(msg, transfer),
    listen: (onMessage, onError) => {
      worker.onmessage = (e) => onMessage(e.data);
      worker.onerror = (e) => { e.preventDefault?.(); onError(e); };
    },
    terminate: () => worker.terminate(),
  };
}

/** `(onProgress | options)` → options: the page's older calls pass the callback alone. */
const optionsOf = (o) => (typeof o === 'function' ? { onProgress: o } : (o ?? {}));

export class TierlensClient extends EventTarget {
  #spawn;
  #worker = null; // Promise of the transport
  #revoke = null;
  #pending = new Map();
  #nextId = 1;
  #closed = false;
  /** The recipe of the result last handed to the caller (exports follow it). */
  #resultRecipe = null;

  /**
   * @param {{ worker: () => (object | Promise<object>) }} options `worker` starts a Worker (or a Node
   *   worker thread) running worker.js; it may return `{ worker, revoke }` to release a blob: URL.
   */
  constructor({ worker } = {}) {
    super();
    if (typeof worker !== 'function') throw new TypeError('TierlensClient needs a worker factory ({ worker: () => Worker })');
    this.#spawn = worker;
    /** How many times a worker whose Wasm instance trapped was replaced. */
    this.restarts = 0;
    /** Called after such a replacement (the data must be opened again). */
    this.onRestart = null;
    this.#start();
  }

  #start() {
    this.#worker = Promise.resolve(this.#spawn()).then((made) => {
      const w = made?.worker ?? made;
      this.#revoke = made?.revoke ?? null;
      const t = transport(w);
      t.listen((msg) => this.#onMessage(msg), (e) => this.#failAll(Object.assign(new Error(e?.message || 'worker failed'), { code: 'worker' })));
      return t;
    });
    this.#worker.catch((e) => this.#failAll(e));
  }

  #failAll(err) {
    for (const { reject } of this.#pending.values()) reject(err);
    this.#pending.clear();
  }

  /** Replaces a worker whose Wasm instance trapped; the client keeps working (data must be reopened). */
  async #restart() {
    const old = await this.#worker;
    old.terminate();
    this.#revoke?.();
    this.#failAll(Object.assign(new Error('the analysis engine was restarted'), { code: 'engine_crashed' }));
    this.restarts += 1;
    this.#start();
    this.onRestart?.();
  }

  #onMessage(msg) {
    const entry = this.#pending.get(msg.id);
    if (!entry) return;
    if (msg.type === 'progress') {
      const { id: _, type: __, ...progress } = msg;
      entry.onProgress?.(progress);
      this.dispatchEvent(Object.assign(new Event('progress'), { detail: progress }));
      return;
    }
    this.#pending.delete(msg.id);
    entry.cleanup?.();
    if (msg.type === 'done') entry.resolve(msg.payload);
    else entry.reject(Object.assign(new Error(msg.error.message), msg.error));
    if (msg.type === 'error' && msg.error.fatal) this.#restart();
  }

  async #request(message, { onProgress, signal } = {}, transfer = []) {
    if (this.#closed) throw closedError();
    if (signal?.aborted) throw cancelled();
    const id = this.#nextId++;
    // The recipe crosses as JSON text: one string to copy, and exactly what the engine parses.
    if (message.recipe != null && typeof message.recipe !== 'string') message = { ...message, recipe: JSON.stringify(message.recipe) };
    const worker = await this.#worker;
    return new Promise((resolve, reject) => {
      // Aborted while the worker was starting: never sent.
      if (signal?.aborted) { reject(cancelled()); return; }
      const entry = { resolve, reject, onProgress };
      if (signal) {
        const onAbort = () => {
          if (!this.#pending.delete(id)) return;
          worker.post({ type: 'cancel', id: 0, target: id });
          reject(cancelled());
        };
        signal.addEventListener('abort', onAbort, { once: true });
        entry.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.#pending.set(id, entry);
      worker.post({ ...message, id }, transfer);
    });
  }

  /** A request whose answer is a result: remembers its recipe for the exports. */
  async #result(message, options) {
    const result = await this.#request(message, options);
    this.#resultRecipe = result.recipe ?? {};
    return result;
  }

  /** Reads `source` (File, Blob, Uint8Array or ArrayBuffer) in the worker and analyses it. */
  async open(source, recipe = null, options) {
    // Node's worker threads cannot be sent a Blob: its bytes go instead (browsers stream the File).
    const nodeBlob = typeof process !== 'undefined' && process.versions?.node && typeof globalThis.document === 'undefined' && typeof Blob !== 'undefined' && source instanceof Blob;
    const src = nodeBlob ? new Uint8Array(await source.arrayBuffer()) : source instanceof ArrayBuffer ? new Uint8Array(source) : source;
    return this.#result({ type: 'open', file: src, recipe }, optionsOf(options));
  }

  /** Generates the built-in sample inside the worker and analyses it (`options.sample`: { customers?,
   * seed?, language? }; the page's older call passes it as the third argument). */
  sample(recipe = null, options, sampleOptions) {
    const o = optionsOf(options);
    return this.#result({ type: 'sample', recipe, options: sampleOptions ?? o.sample ?? null }, o);
  }

  /** Re-analyses the loaded data with another recipe; the worker reads the kept file again only when
   * the recipe changes how rows are read (input, clean, an earlier asOf): the engine decides. */
  analyze(recipe, options) {
    return this.#result({ type: 'analyze', recipe }, optionsOf(options));
  }

  /** Compares with an earlier customers.csv (File, Blob, Uint8Array or ArrayBuffer; `null` stops): the
   * worker reads it and analyses the loaded data against it with `recipe` (migration and kept codes, as
   * the CLI's --previous). The file stays in the worker. */
  async previous(file, recipe = null, options) {
    const nodeBlob = typeof process !== 'undefined' && process.versions?.node && typeof globalThis.document === 'undefined' && typeof Blob !== 'undefined' && file instanceof Blob;
    const src = nodeBlob ? new Uint8Array(await file.arrayBuffer()) : file instanceof ArrayBuffer ? new Uint8Array(file) : file;
    return this.#result({ type: 'previous', file: src, recipe }, optionsOf(options));
  }

  /** Reads the file last opened again (e.g. after a failed open, with column roles in `recipe`). */
  reopen(recipe, options) {
    return this.#result({ type: 'reopen', recipe }, optionsOf(options));
  }

  /** The first `rows` rows of the opened file as the engine reads them (header first). */
  preview(rows = 8) {
    return this.#request({ type: 'preview', rows });
  }

  /** What this build of the engine supports (presets, tier presets, features, roles, code slots…). */
  capabilities() {
    return this.#request({ type: 'capabilities' });
  }

  /** Bytes of an export of the result last received: 'csv' (customers.csv), 'json', 'xlsx' or 'report'
   * (report.json). `options` ({ passphrase?, dropColumns? }) pseudonymises ids and drops columns. */
  exportBytes(what, options = null) {
    return this.#request({ type: 'export', what, options, recipe: this.#resultRecipe });
  }

  /** The engine's version. */
  version() {
    return this.#request({ type: 'version' });
  }

  /** Stops the load running in the worker (its request rejects with `cancelled`). */
  cancel() {
    this.#worker.then((w) => w.post({ type: 'cancel', id: 0 }));
  }

  /** Ends the worker: every pending request rejects with `closed`, the Wasm memory goes with it.
   * Idempotent. */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#failAll(closedError());
    this.#worker.then((w) => { w.terminate(); this.#revoke?.(); }, () => {});
  }

  /** The older name of `close()`. */
  terminate() {
    this.close();
  }
}
