// The worker holds the data: it reads the file, runs the Wasm pipeline and answers the page's requests.
// It is started from a blob: URL (see client.js), so the page's Content-Security-Policy binds it too.
import { init, Loader, sampleCsv, version } from './generated/tierlens_embedded.js';

init();

let dataset = null; // the loaded file, re-analysable without re-reading
let analysis = null; // the latest analysis
let cancelled = false;

const PROGRESS_EVERY_MS = 100;

function errorInfo(err) {
  return {
    message: err?.message ?? String(err),
    code: err?.code ?? 'internal',
    row: err?.row ?? null,
    column: err?.column ?? null,
  };
}

/** Streams a File (or bytes) through the Loader so memory follows customers, not file size. */
async function load(source, recipe, id) {
  cancelled = false;
  dataset?.free();
  dataset = null;
  const loader = new Loader(recipe);
  const total = source.size ?? source.byteLength;
  let last = 0;
  try {
    if (source instanceof Uint8Array) {
      const step = 1 << 20;
      for (let at = 0; at < source.byteLength; at += step) {
        const progress = loader.push(source.subarray(at, at + step));
        last = report(progress, total, last, id);
      }
    } else {
      const reader = source.stream().getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (cancelled) {
          await reader.cancel();
          throw Object.assign(new Error('cancelled'), { code: 'cancelled' });
        }
        const progress = loader.push(value);
        last = report(progress, total, last, id);
      }
    }
    postMessage({ id, type: 'progress', stage: 'aggregate', bytes: total, total });
    dataset = loader.finish();
  } catch (err) {
    loader.free();
    throw err;
  }
}

function report(progress, total, last, id) {
  const now = performance.now();
  if (now - last < PROGRESS_EVERY_MS) return last;
  postMessage({ id, type: 'progress', stage: 'read', ...progress, total });
  return now;
}

function analyze(recipe) {
  if (!dataset) throw Object.assign(new Error('no file is loaded'), { code: 'invalid_state' });
  const next = dataset.analyze(recipe);
  analysis?.free();
  analysis = next;
  return resultMessage(analysis);
}

/** Per-customer columns go as typed arrays (transferred, not copied); the report is a small object. */
function resultMessage(a) {
  const columns = {
    recencyDays: a.recencyDays(),
    frequency: a.frequency(),
    monetary: a.monetary(),
    rScore: a.rScore(),
    fScore: a.fScore(),
    mScore: a.mScore(),
    segmentIndex: a.segmentIndex(),
  };
  const transfer = Object.values(columns).map((c) => c.buffer);
  return {
    payload: { report: a.report(), ids: a.ids(), segmentNames: a.segmentNames(), columns },
    transfer,
  };
}

self.onmessage = async (event) => {
  const { id, type, recipe } = event.data;
  try {
    switch (type) {
      case 'version':
        postMessage({ id, type: 'done', payload: version() });
        break;
      case 'open':
      case 'sample': {
        const source = type === 'open' ? event.data.file : sampleCsv(event.data.options ?? null);
        await load(source, recipe ?? null, id);
        const { payload, transfer } = analyze(recipe ?? null);
        postMessage({ id, type: 'done', payload }, transfer);
        break;
      }
      case 'analyze': {
        const { payload, transfer } = analyze(recipe ?? null);
        postMessage({ id, type: 'done', payload }, transfer);
        break;
      }
      case 'export': {
        if (!analysis) throw Object.assign(new Error('nothing to export yet'), { code: 'invalid_state' });
        const bytes = event.data.what === 'report'
          ? new TextEncoder().encode(analysis.reportJson())
          : analysis.customersCsv();
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
