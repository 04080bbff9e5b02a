// <tierlens-view>: the page's overview (segments, value tiers, the cluster map, the customer table) as a
// custom element for dashboards, drawn by the page's own panel code (www/app/panels/*, table.js) inside
// an open shadow root. The data stays in a worker of its own (the package's client with the Wasm bytes
// embedded): nothing is fetched, nothing is added to the host document.
//
//   import 'tierlens/element';
//   const view = document.querySelector('tierlens-view');
//   view.addEventListener('tierlens-result', (e) => console.log(e.detail.customers));
//   await view.load(file);                          // File | Blob | Uint8Array | ArrayBuffer | a result
//   await view.restore({ score: { bins: 4 } });     // merged into the recipe, re-analysed
//   const json = view.save();                       // the recipe, as the page's "Save settings" writes it
//   view.delete();                                  // ends the worker (also when removed from the page)
//
// Events (bubbling, composed): tierlens-result (detail: the report), tierlens-progress (the engine's
// progress), tierlens-error ({ code, row, column, message, params }), tierlens-config-update (the
// recipe), tierlens-select ({ kind: 'segment'|'tier'|'cluster', index, name, ids }).
// Attributes: lang ("en" | "zh"), theme ("light" | "dark").
import { TierlensClient } from '../client.js';
import { t, setLanguage, errorText, groupLabel } from '../i18n.js';
import { withRoot, charts, setFormats } from '../app/dom.js';
import { fromWorker } from '../app/result.js';
import { recipeText } from '../app/paths.js';
import { renderSegments } from '../app/panels/segments.js';
import { renderTiers } from '../app/panels/tiers.js';
import { renderClusters } from '../app/panels/clusters.js';
import { renderTable, refreshTable } from '../app/table.js';
import * as echarts from '../vendor/echarts.esm.min.mjs';
import { bundledWorker } from './spawn.js';
import { TEMPLATE } from './template.js';
import { CSS } from './styles.js';

/** The tag name. */
export const TAG = 'tierlens-view';

// In Node / SSR there is no HTMLElement: the class is still defined (and exported), never registered.
const Base = globalThis.HTMLElement ?? class {};

let sheet = null; // one constructed stylesheet, shared by every instance
const stylesheet = () => {
  if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); }
  return sheet;
};

const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v);

/** `base` with `partial` merged in (objects key by key, arrays and values replaced, `null` removes). */
export function mergeRecipe(base, partial) {
  const out = { ...base };
  for (const [k, v] of Object.entries(partial ?? {})) {
    if (v === null || v === undefined) delete out[k];
    else if (isPlainObject(v) && isPlainObject(out[k])) out[k] = mergeRecipe(out[k], v);
    else out[k] = structuredClone(v);
  }
  return out;
}

/** A worker result (already analysed data) rather than input to read. */
const isResult = (x) => isPlainObject(x) && 'report' in x && Array.isArray(x.ids) && isPlainObject(x.columns);

export class TierlensView extends Base {
  static observedAttributes = ['lang', 'theme'];

  #client = null;
  #recipe = {};
  #result = null;
  #queue = Promise.resolve();
  #load = null; // the AbortController of the load running
  #view = { result: null, table: { sortKey: null, sortDir: 1, filters: {}, query: '' } };
  #drawn = { order: null, cols: [], template: '', body: null, spacer: null, rows: null };
  #resize = null;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [stylesheet()];
    root.innerHTML = TEMPLATE;
    // A segment's name in its table selects it (the page opens its customer table the same way).
    root.getElementById('segment-table').addEventListener('click', (e) => {
      const b = e.target.closest('button[data-show-segment]');
      if (b) this.#select('segment', Number(b.dataset.showSegment));
    });
    root.getElementById('search').addEventListener('input', (e) => this.#applyView({ table: { ...this.#view.table, query: e.target.value } }, 'rows'));
    this.#words();
  }

  connectedCallback() {
    this.#resize ??= new ResizeObserver(() => this.#charts().forEach((c) => c.resize()));
    this.#resize.observe(this);
  }

  disconnectedCallback() {
    this.delete();
  }

  attributeChangedCallback(name) {
    if (name === 'lang') this.#draw();
  }

  /** The recipe in force (a copy). */
  get recipe() {
    return structuredClone(this.#recipe);
  }

  /** The latest report, or null. */
  get report() {
    return this.#result?.report ?? null;
  }

  /**
   * Reads and analyses `input` (File, Blob, Uint8Array, ArrayBuffer) in the element's worker, or draws
   * a result already made (a TierlensClient result). Resolves to the report; a later load cancels
   * this one.
   */
  load(input) {
    this.#load?.abort();
    const controller = new AbortController();
    this.#load = controller;
    return this.#enqueue(async () => {
      if (isResult(input)) return this.#show(input);
      return this.#show(await this.#worker().open(input, this.#recipe, {
        signal: controller.signal,
        onProgress: (p) => this.#progress(p),
      }));
    });
  }

  /** Merges `partial` into the recipe (`null` removes a key) and re-analyses the loaded data (the
   * worker reads it again only when the engine says the change needs it). Resolves to the report,
   * or null when nothing is loaded yet. */
  restore(partial) {
    const next = mergeRecipe(this.#recipe, partial);
    return this.#enqueue(async () => {
      if (!this.#result || !this.#client) {
        this.#recipe = next;
        this.#emit('tierlens-config-update', this.recipe);
        return null;
      }
      const result = await this.#worker().analyze(next, { onProgress: (p) => this.#progress(p) });
      this.#recipe = next;
      this.#emit('tierlens-config-update', this.recipe);
      return this.#show(result);
    });
  }

  /** The recipe as JSON text, byte for byte what the page's "Save settings" writes. */
  save() {
    return recipeText(this.#recipe);
  }

  /** Resolves when every load and restore asked so far is drawn. */
  async flush() {
    await this.#queue;
    // ECharts paints on the next animation frame; a hidden tab has none, so a timer ends the wait too.
    await new Promise((resolve) => { requestAnimationFrame(() => resolve()); setTimeout(resolve, 200); });
  }

  /** Ends the worker (its Wasm memory goes with it) and clears the drawing. The element can load
   * again afterwards (a new worker is started). Also run when the element leaves the document. */
  delete() {
    this.#load?.abort();
    this.#client?.close();
    this.#client = null;
    for (const c of this.#charts()) c.dispose();
    this.#resize?.disconnect();
    this.#result = null;
    this.#view = { ...this.#view, result: null };
    this.shadowRoot.getElementById('panels').hidden = true;
  }

  #worker() {
    this.#client ??= new TierlensClient({ worker: bundledWorker });
    return this.#client;
  }

  /** Runs `job` after the ones before it; errors are reported as tierlens-error and rethrown. */
  #enqueue(job) {
    const run = this.#queue.then(job).catch((err) => {
      if (err?.code !== 'cancelled') this.#fail(err);
      throw err;
    }).finally(() => this.#status(false));
    this.#queue = run.catch(() => {});
    return run;
  }

  #show(payload) {
    this.#result = fromWorker(payload);
    this.#view = { ...this.#view, result: this.#result };
    this.shadowRoot.getElementById('error').hidden = true;
    this.#draw();
    const report = this.#result.report;
    this.#emit('tierlens-result', report);
    return report;
  }

  #lang() {
    return (this.getAttribute('lang') ?? '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
  }

  /** Every shadow-root call into the page's modules goes through here: language, number formats and
   * the root `$` looks in are this element's for the call. */
  #inScope(fn) {
    setLanguage(this.#lang());
    setFormats();
    return withRoot(this.shadowRoot, fn);
  }

  #words() {
    this.#inScope(() => {
      for (const node of this.shadowRoot.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
      for (const node of this.shadowRoot.querySelectorAll('[data-i18n-aria]')) node.setAttribute('aria-label', t(node.dataset.i18nAria));
    });
  }

  #tableCtx() {
    return { state: this.#view, apply: (change, redraw) => this.#applyView(change, redraw), drawn: this.#drawn };
  }

  /** The table's writer: its view (sort, filters, search) lives in the element. */
  #applyView(change, redraw = 'none') {
    this.#view = { ...this.#view, ...change };
    if (!this.#result) return;
    if (redraw === 'table') this.#inScope(() => renderTable(this.#result, this.#tableCtx()));
    else if (redraw === 'rows') this.#inScope(() => refreshTable(this.#result, this.#tableCtx()));
  }

  #draw() {
    this.#words();
    const result = this.#result;
    if (!result) return;
    this.shadowRoot.getElementById('panels').hidden = false;
    this.#inScope(() => {
      renderSegments(result, 'bar', (i) => this.#select('segment', i));
      renderTiers(result);
      renderClusters(result);
      renderTable(result, this.#tableCtx());
      // Clicks on a tier band or a map point select that class (the panels draw, the element tells).
      charts.tiers?.off('click');
      charts.tiers?.on('click', (p) => {
        const i = (result.tierNames ?? []).findIndex((n) => groupLabel(n) === p.name);
        if (i >= 0) this.#select('tier', i);
      });
      charts.clusterMap?.off('click');
      charts.clusterMap?.on('click', (p) => this.#select('cluster', p.seriesIndex));
    });
  }

  /** The element's chart instances. */
  #charts() {
    return [...this.shadowRoot.querySelectorAll('.chart')].map((n) => echarts.getInstanceByDom(n)).filter(Boolean);
  }

  #select(kind, index) {
    const r = this.#result;
    if (!r) return;
    const [column, names] = {
      segment: [r.columns.segmentIndex, r.segmentNames],
      tier: [r.columns.tierIndex, r.tierNames],
      cluster: [r.columns.clusterIndex, r.clusterNames],
    }[kind];
    if (!column || !names) return;
    const ids = [];
    for (let i = 0; i < column.length; i++) if (column[i] === index) ids.push(r.ids[i]);
    this.#emit('tierlens-select', { kind, index, name: names[index], ids });
  }

  #progress(p) {
    this.#status(true, p);
    this.#emit('tierlens-progress', p);
  }

  #status(busy, p = null) {
    const root = this.shadowRoot;
    root.getElementById('status').hidden = !busy;
    if (!busy || !p) return;
    root.getElementById('progress').value = p.fraction ?? 0;
    const what = p.stage === 'scan' ? 'scanning' : p.stage === 'read' ? 'reading' : 'scoring';
    this.#inScope(() => { root.getElementById('status-text').textContent = t(what); });
  }

  #fail(err) {
    const detail = {
      code: err?.code ?? 'internal',
      row: err?.row ?? null,
      column: err?.column ?? null,
      message: this.#inScope(() => errorText(err ?? {})),
      params: err?.params ?? null,
    };
    const box = this.shadowRoot.getElementById('error');
    box.textContent = detail.message;
    box.hidden = false;
    this.#emit('tierlens-error', detail);
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

// Registered once, and only where custom elements exist (importing this in Node or during SSR is fine).
if (globalThis.customElements && !globalThis.customElements.get(TAG)) {
  globalThis.customElements.define(TAG, TierlensView);
}
