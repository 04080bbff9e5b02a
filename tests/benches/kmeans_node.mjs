// Wasm-in-Node k-means benchmark (prints figures; not a test).
//
//   node tests/benches/kmeans_node.mjs PKG_DIR fit FILE D K NINIT SEED [INIT_SAMPLE] → {"seconds", "inertia", "n_iter"}
//   node tests/benches/kmeans_node.mjs PKG_DIR analyze CUSTOMERS          → whole analysis (auto k) on the sample
//   node tests/benches/kmeans_node.mjs PKG_DIR reanalyze CUSTOMERS        → first analysis vs re-analyses that reuse the fit
//   node tests/benches/kmeans_node.mjs PKG_DIR segment FILE OUT_DIR        → customers.csv + report.json via Wasm
//   node tests/benches/kmeans_node.mjs PKG_DIR pipeline FILE OUT_DIR       → the same through the Loader, streamed
//        in 1 MiB chunks as the page's worker does, each stage timed, and the Wasm memory size (tests/benches/run.py)
//
// PKG_DIR is `wasm-bindgen --target nodejs` output of the release build (see compare_sklearn.py).
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [pkgDir, mode, ...rest] = process.argv.slice(2);
const require = createRequire(import.meta.url);
// The pipeline mode reports the Wasm memory size: the instance is caught as wasm-bindgen's glue creates
// it (a release build does not export it), without any hook in the module.
let instance = null;
if (mode === "pipeline") {
  WebAssembly.Instance = new Proxy(WebAssembly.Instance, {
    construct(target, args, newTarget) {
      instance = Reflect.construct(target, args, newTarget);
      return instance;
    },
  });
}
const tl = require(path.resolve(pkgDir, "tierlens.js"));

if (mode === "fit") {
  const [file, d, k, nInit, seed, initSample] = rest;
  const buf = readFileSync(file);
  const data = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
  const n = data.length / Number(d);
  const t = performance.now();
  const [inertia, nIter, hi, lo] = tl.benchKmeans(data, n, Number(d), Number(k), BigInt(seed), Number(nInit), Number(initSample ?? 0));
  const seconds = (performance.now() - t) / 1000;
  const fingerprint = ((BigInt(hi) << 32n) | BigInt(lo)).toString();
  console.log(JSON.stringify({ seconds, inertia, n_iter: nIter, fingerprint }));
} else if (mode === "analyze") {
  const customers = Number(rest[0] ?? 100000);
  const bytes = tl.sampleCsv({ customers });
  const loader = new tl.Loader(undefined);
  let t = performance.now();
  loader.push(bytes);
  const ds = loader.finish();
  const load = (performance.now() - t) / 1000;
  t = performance.now();
  const a = ds.analyze(undefined);
  const analyze = (performance.now() - t) / 1000;
  const r = a.report();
  const sel = r.clusters.selection;
  console.log(JSON.stringify({
    customers: ds.customers, load_seconds: load, analyze_seconds: analyze, k: r.clusters.k,
    sweep_customers: sel.sweepCustomers, silhouette_customers: sel.silhouetteCustomers,
  }));
} else if (mode === "reanalyze") {
  // Issue 12: a first analysis, then re-analyses after settings changes that do not touch clustering
  // (the k-means fit is reused); each timed with the report crossing to JS, as the page does.
  const customers = Number(rest[0] ?? 100000);
  const bytes = tl.sampleCsv({ customers });
  const loader = new tl.Loader(undefined);
  loader.push(bytes);
  const ds = loader.finish();
  const time = (recipe) => {
    const t = performance.now();
    const a = ds.analyze(recipe);
    a.report();
    const s = (performance.now() - t) / 1000;
    a.free();
    return s;
  };
  const first = time(undefined);
  const second = time(JSON.stringify({ score: { method: "rankFirst" } }));
  const third = time(JSON.stringify({ segments: { preset: "rf10" } }));
  const off = time(JSON.stringify({ cluster: { enabled: false } }));
  console.log(JSON.stringify({
    customers: ds.customers, first, second, third, clusteringOff: off,
    secondOverFirst: second / first, thirdOverFirst: third / first,
  }));
} else if (mode === "segment") {
  // Same as `tierlens segment FILE --out DIR` with the default recipe, through the Wasm build.
  const [file, outDir] = rest;
  const a = tl.segment(readFileSync(file), undefined);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, "customers.csv"), a.customersCsv());
  writeFileSync(path.join(outDir, "report.json"), a.reportJson());
  console.log(JSON.stringify({ customers: a.length }));
} else if (mode === "pipeline") {
  const [file, outDir] = rest;
  const stages = {};
  const lap = (name, since) => {
    const now = performance.now();
    stages[name] = (now - since) / 1000;
    return now;
  };
  const start = performance.now();
  const fd = openSync(file, "r");
  const size = fstatSync(fd).size;
  const chunk = Buffer.allocUnsafe(1 << 20);
  let t = performance.now();
  const loader = tl.Loader.twoPass(undefined, size);
  const passes = loader.passes;
  for (let pass = 1; pass <= passes; pass++) {
    if (pass === 2) loader.endFirstPass();
    for (let at = 0; at < size; ) {
      const n = readSync(fd, chunk, 0, chunk.length, at);
      if (n === 0) break;
      loader.push(chunk.subarray(0, n));
      at += n;
    }
    t = lap(pass < passes ? "scan" : "read", t);
  }
  closeSync(fd);
  const ds = loader.finish();
  loader.free();
  t = lap("aggregate", t);
  const a = ds.analyze(undefined);
  t = lap("analyze", t);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, "customers.csv"), a.customersCsv());
  writeFileSync(path.join(outDir, "report.json"), a.reportJson());
  t = lap("export", t);
  const seconds = (t - start) / 1000;
  const k = a.report().clusters?.k ?? null;
  // Clustering's share: the same dataset analysed again with clustering off (not in `seconds`).
  const t2 = performance.now();
  ds.analyze(JSON.stringify({ cluster: { enabled: false } })).free();
  const analyzeNoCluster = (performance.now() - t2) / 1000;
  const memory = instance?.exports.memory ?? tl.__wasm?.memory ?? null;
  console.log(JSON.stringify({
    seconds, stages, passes, customers: a.length, k, analyzeNoCluster,
    wasmBytes: memory ? memory.buffer.byteLength : null,
  }));
} else {
  console.error("usage: kmeans_node.mjs PKG_DIR fit FILE D K NINIT SEED [INIT_SAMPLE] | analyze CUSTOMERS | reanalyze CUSTOMERS | segment FILE OUT_DIR | pipeline FILE OUT_DIR");
  process.exit(2);
}
