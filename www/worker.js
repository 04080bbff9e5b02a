// The worker holds the data: it reads the file, runs the Wasm engine and answers the client's requests
// (client.js). The page starts it from a blob: URL (pageworker.js), so the page's Content-Security-Policy
// binds it too; the npm package ships it bundled with the Wasm bytes inside (`tierlens/client`), which
// runs as a blob: worker where fetch() is forbidden and as a Node worker thread.
//
// It keeps the opened File (or bytes), so a setting that changes how rows are read (column roles, date
// order, cleaning, an earlier analysis date) re-reads the same source here, without asking for it again;
// every other setting only re-analyses the loaded Dataset. The engine decides which (reloadNeeded).
import * as engine from './generated/tierlens_embedded.js';
import { loadFileWith, sourceSize } from './loadfile.js';

engine.init();

let source = null; // the File or bytes last loaded
let attempted = null; // the source last opened, loaded or not (a failed open can be retried with column roles)
let dataset = null; // the loaded file, re-analysable without re-reading
let earlier = null; // the same file loaded as of the recipe's compare.asOf (migration), or null
let earlierKey = null; // [source, earlier recipe text] it was loaded with
let previousCsv = null; // an earlier customers.csv (bytes) the migration is computed from, or null
let loadedWith = null; // the recipe text the dataset was loaded with
let analysis = null; // the latest analysis
let analysedWith = null; // the recipe text of `analysis`
let cancelled = false; // a 'cancel' message arrived for the running load

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

const invalid = (message) => Object.assign(new Error(message), { code: 'invalid_state' });

/** Loads `src` with `recipe` (JSON text or null) through the one loading call; only a successful load
 * replaces the data (a failed or cancelled one keeps what was there). */
async function load(src, recipe, id) {
  cancelled = false;
  attempted = src;
  const next = await loadFileWith(engine, src, recipe, {
    onProgress: (p) => postMessage({ id, type: 'progress', ...p }),
    isCancelled: () => cancelled,
  });
  dataset?.free();
  dataset = next;
  source = src;
  loadedWith = recipe;
}

/** Analyses the loaded data with `recipe` (JSON text or null), reading the source again first when the
 * engine says this recipe needs it ({ code, field } or null). */
async function analyze(recipe, id) {
  if (!dataset) throw invalid('no file is loaded');
  if (dataset.reloadNeeded(recipe)) await load(source, recipe, id);
  postMessage({ id, type: 'progress', stage: 'analyze', fraction: 1, bytes: sourceSize(source), total: sourceSize(source) });
  const next = await analyzeCompared(recipe, id);
  analysis?.free();
  analysis = next;
  analysedWith = recipe ?? '{}';
  return resultMessage(analysis, recipe);
}

/** The analysis, against the earlier period when the recipe has compare.asOf: the engine names the
 * earlier period's recipe (earlierRecipe) and the same source is loaded with it once more. */
async function analyzeCompared(recipe, id) {
  const before = engine.earlierRecipe(recipe);
  if (!before) return analyzeAgain(recipe);
  const text = JSON.stringify(before);
  if (!earlier || earlierKey?.[0] !== source || earlierKey?.[1] !== text) {
    const next = await loadFileWith(engine, source, text, {
      onProgress: (p) => postMessage({ id, type: 'progress', ...p }),
      isCancelled: () => cancelled,
    });
    earlier?.free();
    earlier = next;
    earlierKey = [source, text];
  }
  return dataset.analyzeCompared(recipe, earlier);
}

/** The analysis with `recipe` from what is loaded: against compare.asOf's earlier dataset when the
 * recipe has it (as the CLI, it wins over a file), else against an earlier customers.csv uploaded in the
 * migration panel (the CLI's --previous: codes and migration), else plain. */
function analyzeAgain(recipe) {
  if (earlier && engine.earlierRecipe(recipe)) return dataset.analyzeCompared(recipe, earlier);
  if (previousCsv) return dataset.analyzeWithPrevious(recipe, previousCsv);
  return dataset.analyze(recipe);
}

/** Keeps (or, with null, forgets) an earlier customers.csv and analyses against it. The file is read
 * here, in the worker: it never leaves the page. A file the engine refuses is not kept. */
async function usePrevious(file, recipe, id) {
  if (!dataset) throw invalid('no file is loaded');
  const bytes = file == null ? null : file instanceof Uint8Array ? file : new Uint8Array(await file.arrayBuffer());
  const kept = previousCsv;
  previousCsv = bytes;
  try {
    return await analyze(recipe, id);
  } catch (err) {
    previousCsv = kept;
    throw err;
  }
}

/** Per-customer columns go as typed arrays (transferred, not copied); the report is a small object.
 * Field names are the engine's getters' (lifecycleIndex / lifecycleNames, …). */
function resultMessage(a, recipe) {
  const columns = {
    recencyDays: a.recencyDays(),
    frequency: a.frequency(),
    monetary: a.monetary(),
    rScore: a.rScore(),
    fScore: a.fScore(),
    mScore: a.mScore(),
    segmentIndex: a.segmentIndex(),
    tierIndex: a.tierIndex(),
    lifecycleIndex: a.lifecycleIndex(),
    actionIndex: a.actionIndex(),
  };
  // Columns that are empty when their recipe section is off (custom tiers, clustering): absent then,
  // so a panel shows nothing rather than an empty chart.
  const optional = { customTierIndex: a.customTierIndex(), clusterIndex: a.clusterIndex(), mapX: a.mapX(), mapY: a.mapY() };
  for (const [key, column] of Object.entries(optional)) if (column.length) columns[key] = column;
  const payload = {
    report: a.report(),
    ids: a.ids(),
    segmentNames: a.segmentNames(),
    columns,
    customerColumns: a.customerColumns(),
    tierNames: a.tierNames(),
    lifecycleNames: a.lifecycleNames(),
    customTierNames: a.customTierNames(),
    clusterNames: a.clusterNames(),
    clusterNamesZh: a.clusterNamesZh(),
    actionTexts: a.actionTexts(),
    codes: a.codes(),
    // The token of each class in the template's class slots, for the code editor.
    codeTokens: a.codeTokens(),
    // The code preview: customers grouped by their classes in the template, the 8 largest groups.
    codeGroups: a.codeGroups(8),
    regions: a.regions(),
    attributes: a.attributes(),
    // Migration against compare.asOf (null without it): the engine's matrices and movers.
    migration: a.migration(),
    // What the SQL export would leave out, or why it is refused, shown beside its buttons.
    sql: sqlNotes(a),
    recipe: recipe == null ? {} : JSON.parse(recipe),
  };
  return { payload, transfer: Object.values(columns).map((c) => c.buffer) };
}

/** The SQL export's warnings for both dialects (each code and column once), or the coded refusal
 * when the settings cannot be written as SQL: the page shows them before anyone downloads. */
function sqlNotes(a) {
  try {
    const seen = new Map();
    for (const dialect of ['duckdb', 'spark']) {
      for (const w of a.sql(dialect, 'fit').warnings ?? []) seen.set(JSON.stringify([w.code, w.params ?? {}]), w);
    }
    return { warnings: [...seen.values()], error: null };
  } catch (err) {
    return { warnings: [], error: errorInfo(err) };
  }
}

/** The first rows of the source as the engine reads them (header first), for the column preview. */
async function preview(rows) {
  const src = attempted ?? source;
  if (!src) return null;
  const size = sourceSize(src);
  const slice = async (n) => (src instanceof Uint8Array ? src.subarray(0, n) : new Uint8Array(await src.slice(0, n).arrayBuffer()));
  const HEAD = 1 << 20;
  let p = engine.previewRows(await slice(HEAD), size <= HEAD, loadedWith, rows);
  // Workbooks and JSON are read whole.
  if (p.needsWhole) p = engine.previewRows(await slice(size), true, loadedWith, rows);
  return p.header.length ? [p.header, ...p.rows] : p.rows;
}

/** What this build supports, from the engine's own tables, with the built-in action texts. */
function capabilities() {
  const caps = engine.capabilities();
  return { ...caps, actionDefaults: engine.defaultActions(), xlsx: caps.exports.includes('xlsx') };
}

/** Export bytes of the analysis made with `recipe` (the result the client last received). */
function exportBytes(what, options, recipe) {
  if (!analysis) throw invalid('nothing to export yet');
  if (recipe !== undefined && (recipe ?? '{}') !== analysedWith) {
    // A request the client gave up on (AbortSignal) may have replaced the analysis: redo the one
    // the caller holds, so an export never describes another result.
    const again = analyzeAgain(recipe);
    analysis.free();
    analysis = again;
    analysedWith = recipe ?? '{}';
  }
  // Export options ({ passphrase?, dropColumns? }): the engine hashes the ids; the passphrase lives
  // only in this message and is not kept after it.
  // movers.csv under the customers.csv options: the same pseudonyms, dropped columns left out.
  if (what === 'movers') return options ? analysis.moversCsvFor(options) : analysis.moversCsv();
  if (what === 'report') return new TextEncoder().encode(options ? analysis.reportJsonFor(options) : analysis.reportJson());
  if (what === 'json') return analysis.customersJson(options);
  if (what === 'xlsx') return options ? analysis.customersXlsxFor(options) : analysis.customersXlsx();
  if (what === 'csv') return options ? analysis.customersCsvFor(options) : analysis.customersCsv();
  // The fitted segmentation as one SQL query (issue 15): it holds no customer id, so export options
  // do not apply.
  if (what === 'sql-duckdb' || what === 'sql-spark') return new TextEncoder().encode(analysis.sql(what.slice(4), 'fit').sql);
  throw Object.assign(new Error(`this build cannot export ${what}`), { code: 'unsupported' });
}

async function handle(data) {
  const { id, type } = data;
  // The recipe crosses as JSON text (client.js), exactly what the engine parses.
  const recipe = data.recipe == null ? null : typeof data.recipe === 'string' ? data.recipe : JSON.stringify(data.recipe);
  switch (type) {
    case 'version':
      return { payload: engine.version() };
    case 'open':
    case 'sample': {
      const src = type === 'open' ? data.file : engine.sampleCsv(data.options ?? null);
      await load(src, recipe, id);
      previousCsv = null; // an earlier customers.csv belongs to the file it was compared with
      return analyze(recipe, id);
    }
    case 'reopen':
      if (!attempted) throw invalid('no file was opened');
      await load(attempted, recipe, id);
      return analyze(recipe, id);
    case 'analyze':
      return analyze(recipe, id);
    case 'previous':
      return usePrevious(data.file ?? null, recipe, id);
    case 'capabilities':
      return { payload: capabilities() };
    case 'preview':
      return { payload: await preview(data.rows ?? 8) };
    case 'export': {
      const bytes = exportBytes(data.what, data.options ?? null, data.recipe === undefined ? undefined : recipe);
      return { payload: bytes, transfer: [bytes.buffer] };
    }
    default:
      throw invalid(`unknown request ${type}`);
  }
}

self.onmessage = async (event) => {
  const data = event.data;
  // Cancel is answered by the load it stops (it rejects with `cancelled`); it has no answer itself.
  if (data.type === 'cancel') {
    cancelled = true;
    return;
  }
  try {
    const { payload, transfer = [] } = await handle(data);
    postMessage({ id: data.id, type: 'done', payload }, transfer);
  } catch (err) {
    postMessage({ id: data.id, type: 'error', error: errorInfo(err) });
  }
};
