// Wasm-in-Node k-means benchmark (prints figures; not a test).
//
//   node tests/benches/kmeans_node.mjs PKG_DIR fit FILE D K NINIT SEED [INIT_SAMPLE] → {"seconds", "inertia", "n_iter"}
//   node tests/benches/kmeans_node.mjs PKG_DIR analyze CUSTOMERS          → whole analysis (auto k) on the sample
//   node tests/benches/kmeans_node.mjs PKG_DIR segment FILE OUT_DIR        → customers.csv + report.json via Wasm
//
// PKG_DIR is `wasm-bindgen --target nodejs` output of the release build (see compare_sklearn.py).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [pkgDir, mode, ...rest] = process.argv.slice(2);
const require = createRequire(import.meta.url);
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
} else if (mode === "segment") {
  // Same as `tierlens segment FILE --out DIR` with the default recipe, through the Wasm build.
  const [file, outDir] = rest;
  const a = tl.segment(readFileSync(file), undefined);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, "customers.csv"), a.customersCsv());
  writeFileSync(path.join(outDir, "report.json"), a.reportJson());
  console.log(JSON.stringify({ customers: a.length }));
} else {
  console.error("usage: kmeans_node.mjs PKG_DIR fit FILE D K NINIT SEED [INIT_SAMPLE] | analyze CUSTOMERS | segment FILE OUT_DIR");
  process.exit(2);
}
