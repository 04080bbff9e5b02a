// ENGINE CONTRACT (helper `engine`, issue 11). Wasm exports the worker can use (src/wasm/facts.rs):
//   capabilities() → { version, presets: [{ name, bins, grid, segments }], bins, tierPresets: [{ name, bands }],
//     builtinFeatures, defaultFeatures, roles: [{ key, customerLevel }], codeSlots: [{ slot, aliases }],
//     fixedStages / relativeStages: [{ name, token }], inputFormats, exports }
//   previewRows(bytes, atEnd, recipe, rows) → { detected, preamble, header, rows, needsWhole }
//     (pass the head of a text file with atEnd=false; needsWhole=true: a workbook/JSON wants every byte)
//   Dataset.reloadNeeded(recipe) → null | { code: 'input'|'clean'|'as_of_changed'|'as_of_before_latest', field }
//   Analysis.customersJson(options) → JSON records from the CSV's column table (numbers as numbers, empty → null)
//   Analysis.customerColumnKinds() → [{ name, kind: 'number'|'text'|'plain' }]
//   benchKmeans only with cargo feature `bench` (not in the default package).
// Worker messages are unchanged so far ('capabilities' still returns { presets, sections, actionDefaults, xlsx });
// the switch of worker.js to these exports is not merged yet (see the engine report).

// Promise-based client for the tierlens worker. The worker is started from a blob: URL that imports
// worker.js: a blob worker inherits the page's Content-Security-Policy (even a <meta> one), whereas a
// worker loaded from its own URL would take its policy from response headers a static host may not send.

export class TierlensClient {
  constructor(workerUrl) {
    // The single-file page (pkg-config/standalone.mjs) carries the bundled worker as text; the
    // served page loads worker.js beside this module.
    this.workerSource = globalThis.document?.getElementById('tierlens-worker-source')?.textContent || null;
    this.workerUrl = this.workerSource ? null : (workerUrl ?? new URL('./worker.js', import.meta.url).href);
    this.pending = new Map();
    this.nextId = 1;
    this.restarts = 0;
    this.#start();
  }

  #start() {
    const boot = this.workerSource
      ? new Blob([this.workerSource], { type: 'text/javascript' })
      : new Blob([`import ${JSON.stringify(this.workerUrl)};`], { type: 'text/javascript' });
    this.bootUrl = URL.createObjectURL(boot);
    this.worker = new Worker(this.bootUrl, this.workerSource ? { name: 'tierlens' } : { type: 'module', name: 'tierlens' });
    this.worker.onmessage = (e) => this.#onMessage(e.data);
    this.worker.onerror = (e) => {
      for (const { reject } of this.pending.values()) reject(Object.assign(new Error(e.message || 'worker failed'), { code: 'worker' }));
      this.pending.clear();
    };
  }

  /** Replaces a worker whose Wasm instance trapped; the page keeps working (the data must be reopened). */
  #restart() {
    this.worker.terminate();
    URL.revokeObjectURL(this.bootUrl);
    for (const { reject } of this.pending.values()) reject(Object.assign(new Error('the analysis engine was restarted'), { code: 'engine_crashed' }));
    this.pending.clear();
    this.restarts += 1;
    this.#start();
    this.onRestart?.();
  }

  #onMessage(msg) {
    const entry = this.pending.get(msg.id);
    if (!entry) return;
    if (msg.type === 'progress') {
      entry.onProgress?.(msg);
      return;
    }
    this.pending.delete(msg.id);
    if (msg.type === 'done') entry.resolve(msg.payload);
    else entry.reject(Object.assign(new Error(msg.error.message), msg.error));
    if (msg.type === 'error' && msg.error.fatal) this.#restart();
  }

  #request(message, onProgress, transfer = []) {
    const id = this.nextId++;
    // The recipe crosses as JSON text: one string to copy, and exactly what the engine parses.
    if (message.recipe != null && typeof message.recipe !== 'string') message = { ...message, recipe: JSON.stringify(message.recipe) };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  /** Streams a File into the worker and analyses it. */
  open(file, recipe, onProgress) {
    return this.#request({ type: 'open', file, recipe }, onProgress);
  }

  /** Generates the built-in sample inside the worker and analyses it. */
  sample(recipe, onProgress, options) {
    return this.#request({ type: 'sample', recipe, options }, onProgress);
  }

  /** Re-analyses the loaded file with another recipe; the worker re-reads the kept file only when the
   * recipe changes how rows are read (input, clean, an earlier asOf). */
  analyze(recipe, onProgress) {
    return this.#request({ type: 'analyze', recipe }, onProgress);
  }

  /** Reads the file last opened again (e.g. after a failed open, with column roles in `recipe`). */
  reopen(recipe, onProgress) {
    return this.#request({ type: 'reopen', recipe }, onProgress);
  }

  /** The first `rows` rows of the opened file (header first), decoded as `detected` says. */
  preview(rows, detected) {
    return this.#request({ type: 'preview', rows, detected });
  }

  /** `{ presets: [{ name, bins }], xlsx }`: what this build of the Wasm module supports. */
  capabilities() {
    return this.#request({ type: 'capabilities' });
  }

  /** Bytes of an export: 'csv' (customers.csv), 'json' (the same rows as JSON), 'xlsx' (when the build
   * has it) or 'report' (report.json). `options` ({ passphrase?, dropColumns? }) pseudonymises the ids
   * and drops columns; the passphrase is sent with this one request only. */
  exportBytes(what, options = null) {
    return this.#request({ type: 'export', what, options });
  }

  version() {
    return this.#request({ type: 'version' });
  }

  cancel() {
    this.worker.postMessage({ type: 'cancel', id: 0 });
  }

  terminate() {
    this.worker.terminate();
    URL.revokeObjectURL(this.bootUrl);
  }
}
