// The worker holds the data: it reads the file, runs the Wasm pipeline and answers the page's requests.
// It is started from a blob: URL (see client.js), so the page's Content-Security-Policy binds it too.
//
// It keeps the opened File (or the sample's bytes), so a setting that changes how rows are read
// (column roles, date order, cleaning, an earlier analysis date) re-reads the same source here, without
// asking the user to open it again; every other setting only re-analyses the loaded Dataset.
import * as engine from './generated/tierlens_embedded.js';

// A namespace import, so an export a given build lacks (defaultActions) is probed, not a link error.
const { init, Loader, sampleCsv, version } = engine;

init();

let source = null; // the File or sample bytes last loaded
let attempted = null; // the File last opened, loaded or not (a failed open can be retried with column roles)
let dataset = null; // the loaded file, re-analysable without re-reading
let loadedWith = null; // the recipe the dataset was loaded with
let analysis = null; // the latest analysis
let cancelled = false;

const PROGRESS_EVERY_MS = 100;

function errorInfo(err) {
  // A Rust panic in Wasm is a trap (`unreachable`): the instance cannot be trusted afterwards, so the
  // client replaces this worker. tierlens itself does not panic on input; calamine 0.38 can on some
  // damaged .xls files (see fuzz/known-calamine/), and that is the case this covers.
  if (err instanceof WebAssembly.RuntimeError) {
    return {
      message: 'the file could not be read: the reader stopped on damaged or unsupported content (a damaged .xls workbook?). Save it as .xlsx or .csv and try again.',
      code: 'engine_crashed',
      row: null,
      column: null,
      fatal: true,
    };
  }
  return {
    message: err?.message ?? String(err),
    code: err?.code ?? 'internal',
    row: err?.row ?? null,
    column: err?.column ?? null,
    // Recipe errors: the setting at fault and, in an expression or template, the 1-based character.
    field: err?.field ?? null,
    position: err?.position ?? null,
    // The error's fields by name, so the page can word it in Chinese from the code (i18n.js).
    params: err?.params ? { ...err.params } : null,
  };
}

/** Streams a File (or bytes) through the Loader so memory follows customers, not file size. */
async function load(src, recipe, id) {
  cancelled = false;
  attempted = src;
  const total = src.size ?? src.byteLength;
  // The source is read twice when the cleaning rules gain from it (duplicates found in a few bits
  // a row; the outlier threshold from every row): a File can be streamed again, bytes re-pushed.
  const loader = Loader.twoPass(asText(recipe), total);
  let last = 0;
  let next;
  try {
    for (let pass = 1; pass <= loader.passes; pass++) {
      if (pass === 2) loader.endFirstPass();
      const stage = pass < loader.passes ? 'scan' : 'read';
      if (src instanceof Uint8Array) {
        const step = 1 << 20;
        for (let at = 0; at < src.byteLength; at += step) {
          if (cancelled) throw Object.assign(new Error('cancelled'), { code: 'cancelled' });
          const progress = loader.push(src.subarray(at, at + step));
          last = report(progress, total, last, id, stage);
        }
      } else {
        const reader = src.stream().getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (cancelled) {
            await reader.cancel();
            throw Object.assign(new Error('cancelled'), { code: 'cancelled' });
          }
          const progress = loader.push(value);
          last = report(progress, total, last, id, stage);
        }
      }
    }
    if (cancelled) throw Object.assign(new Error('cancelled'), { code: 'cancelled' });
    postMessage({ id, type: 'progress', stage: 'aggregate', bytes: total, total });
    next = loader.finish();
  } catch (err) {
    // After a Wasm trap the instance is unusable and free() would throw over the original error.
    try { loader.free(); } catch { /* the instance trapped */ }
    throw err;
  }
  // Only a successful load replaces the previous data set (a failed or cancelled one keeps it).
  dataset?.free();
  dataset = next;
  source = src;
  loadedWith = recipe ?? {};
}

function report(progress, total, last, id, stage) {
  const now = performance.now();
  if (now - last < PROGRESS_EVERY_MS) return last;
  postMessage({ id, type: 'progress', stage, ...progress, total });
  return now;
}

// The recipe goes to Wasm as JSON text: the engine parses it with unknown keys rejected, as from a file.
const asText = (r) => (r == null ? null : JSON.stringify(r));

async function analyze(recipe, id) {
  if (!dataset) throw Object.assign(new Error('no file is loaded'), { code: 'invalid_state' });
  // The engine answers whether this recipe needs the file read again ({ code, field } or null).
  if (dataset.reloadNeeded(asText(recipe))) await load(source, recipe, id);
  const next = dataset.analyze(asText(recipe));
  analysis?.free();
  analysis = next;
  return resultMessage(analysis, recipe);
}

/** Per-customer columns go as typed arrays (transferred, not copied); the report is a small object. */
function resultMessage(a, recipe) {
  const columns = {
    recencyDays: a.recencyDays(),
    frequency: a.frequency(),
    monetary: a.monetary(),
    rScore: a.rScore(),
    fScore: a.fScore(),
    mScore: a.mScore(),
    segmentIndex: a.segmentIndex(),
  };
  // Optional per-customer columns from other builds: passed through when the Wasm module has them.
  // (Wire here: tierIndex, stageIndex, clusterIndex, mapX, mapY, codes — see the note in app.js.)
  // Page field ← Analysis getter (the names the scoring and clustering branches export).
  const optional = { tierIndex: 'tierIndex', stageIndex: 'lifecycleIndex', customTierIndex: 'customTierIndex', clusterIndex: 'clusterIndex', actionIndex: 'actionIndex', mapX: 'mapX', mapY: 'mapY' };
  for (const [key, method] of Object.entries(optional)) {
    if (typeof a[method] === 'function') columns[key] = a[method]();
  }
  // Without custom tier rules the engine gives an empty column: absent, so the page shows nothing.
  if (columns.customTierIndex?.length === 0) delete columns.customTierIndex;
  const extra = {};
  const lists = { customerColumns: 'customerColumns', tierNames: 'tierNames', stageNames: 'lifecycleNames', customTierNames: 'customTierNames', clusterNames: 'clusterNames', clusterNamesZh: 'clusterNamesZh', actionTexts: 'actionTexts', codes: 'codes', regions: 'regions', attributes: 'attributes' };
  for (const [key, method] of Object.entries(lists)) {
    if (typeof a[method] === 'function') extra[key] = a[method]();
  }
  const transfer = Object.values(columns).map((c) => c.buffer);
  return {
    payload: { report: a.report(), ids: a.ids(), segmentNames: a.segmentNames(), columns, ...extra, recipe: recipe ?? {} },
    transfer,
  };
}

/** The first rows of the source as the engine reads them (header first), for the column preview. */
async function preview(rows) {
  const src = attempted ?? source;
  if (!src) return null;
  const size = src.size ?? src.byteLength;
  const slice = async (n) => (src instanceof Uint8Array ? src.subarray(0, n) : new Uint8Array(await src.slice(0, n).arrayBuffer()));
  const HEAD = 1 << 20;
  const recipe = asText(loadedWith);
  let p = engine.previewRows(await slice(HEAD), size <= HEAD, recipe, rows);
  // Workbooks and JSON are read whole.
  if (p.needsWhole) p = engine.previewRows(await slice(size), true, recipe, rows);
  return p.header.length ? [p.header, ...p.rows] : p.rows;
}

/** What this build supports, from the engine's own tables (engine.capabilities()). */
function capabilities() {
  const caps = engine.capabilities();
  // Kept for the page until it reads caps.* directly: every recipe section exists in this build.
  const sections = Object.fromEntries(['valueTiers', 'lifecycle', 'customTiers', 'codes', 'actions', 'cluster'].map((k) => [k, true]));
  return { ...caps, sections, actionDefaults: engine.defaultActions(), xlsx: caps.exports.includes('xlsx') };
}

self.onmessage = async (event) => {
  const { id, type } = event.data;
  // The recipe crosses from the page as JSON text (client.js); parsed once here for needsReload().
  let recipe = null;
  try {
    recipe = typeof event.data.recipe === 'string' ? JSON.parse(event.data.recipe) : (event.data.recipe ?? null);
    switch (type) {
      case 'version':
        postMessage({ id, type: 'done', payload: version() });
        break;
      case 'open':
      case 'sample': {
        const src = type === 'open' ? event.data.file : sampleCsv(event.data.options ?? null);
        await load(src, recipe ?? null, id);
        const { payload, transfer } = await analyze(recipe ?? null, id);
        postMessage({ id, type: 'done', payload }, transfer);
        break;
      }
      case 'reopen': {
        if (!attempted) throw Object.assign(new Error('no file was opened'), { code: 'invalid_state' });
        await load(attempted, recipe ?? null, id);
        const { payload, transfer } = await analyze(recipe ?? null, id);
        postMessage({ id, type: 'done', payload }, transfer);
        break;
      }
      case 'analyze': {
        const { payload, transfer } = await analyze(recipe ?? null, id);
        postMessage({ id, type: 'done', payload }, transfer);
        break;
      }
      case 'capabilities':
        postMessage({ id, type: 'done', payload: capabilities() });
        break;
      case 'preview':
        postMessage({ id, type: 'done', payload: await preview(event.data.rows ?? 8) });
        break;
      case 'export': {
        if (!analysis) throw Object.assign(new Error('nothing to export yet'), { code: 'invalid_state' });
        let bytes;
        // Export options ({ passphrase?, dropColumns? }): the engine hashes the ids; the passphrase
        // lives only in this message and is not kept after it.
        const options = event.data.options ?? null;
        if (event.data.what === 'report') bytes = new TextEncoder().encode(options ? analysis.reportJsonFor(options) : analysis.reportJson());
        else if (event.data.what === 'json') bytes = analysis.customersJson(options);
        else if (event.data.what === 'xlsx' && typeof analysis.customersXlsx === 'function') bytes = options ? analysis.customersXlsxFor(options) : analysis.customersXlsx();
        else if (event.data.what === 'csv') bytes = options ? analysis.customersCsvFor(options) : analysis.customersCsv();
        else throw Object.assign(new Error(`this build cannot export ${event.data.what}`), { code: 'unsupported' });
        postMessage({ id, type: 'done', payload: bytes }, [bytes.buffer]);
        break;
      }
      case 'cancel':
        cancelled = true;
        break;
      default:
        throw Object.assign(new Error(`unknown request ${type}`), { code: 'invalid_state' });
    }
  } catch (err) {
    postMessage({ id, type: 'error', error: errorInfo(err) });
  }
};
