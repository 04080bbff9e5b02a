// Tests of the built npm package in pkg/ (run `make build` first; `make test` does).
// The same contract is checked against the Node (CommonJS) build and the web build with embedded Wasm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = join(root, 'pkg');
const small = readFileSync(join(root, 'tests', 'fixtures', 'small.csv'));
const require = createRequire(import.meta.url);

const nodeBuild = require(join(pkg, 'node', 'tierlens.js'));
const webBuild = await import(join(pkg, 'web', 'tierlens_embedded.js'));
webBuild.init();

/** customers.csv and report.json from the native CLI for the same input (the reference). */
function cliOutput(input) {
  const out = mkdtempSync(join(tmpdir(), 'tierlens-js-'));
  try {
    execFileSync(join(root, 'target', 'release', 'tierlens'), ['segment', input, '--out', out], { stdio: 'pipe' });
    return { csv: readFileSync(join(out, 'customers.csv')), report: readFileSync(join(out, 'report.json'), 'utf8') };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

test('package.json exports point at files that exist, each with its own types', () => {
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
  assert.equal(manifest.version, /^version\s*=\s*"([^"]+)"/m.exec(cargo)[1]);
  const files = (v) => (typeof v === 'string' ? [v] : Object.values(v).flatMap(files));
  for (const file of files(manifest.exports)) assert.ok(existsSync(join(pkg, file)), file);
  assert.deepEqual(Object.keys(manifest.exports).sort(), ['.', './client', './element', './embedded', './package.json', './types']);
  // ./embedded's declarations have init() (issue 13: they pointed at a file without it).
  assert.equal(manifest.exports['./embedded'].types, './web/tierlens_embedded.d.ts');
  assert.match(readFileSync(join(pkg, 'web', 'tierlens_embedded.d.ts'), 'utf8'), /export function init\(\): void;[\s\S]*export function loadFile\(/);
  assert.equal(manifest.exports['.'].node.types, './node/tierlens.d.ts');
  // Only the element registers something when imported.
  assert.deepEqual(manifest.sideEffects, ['./element/index.js']);
  const dts = readFileSync(join(pkg, 'web', 'tierlens.d.ts'), 'utf8');
  for (const name of ['class Loader', 'class Dataset', 'class Analysis', 'function segment', 'function sampleCsv']) {
    assert.ok(dts.includes(`export ${name}`), `d.ts declares ${name}`);
  }
  // The JSON values are typed, not `any` (pkg-config/dts.mjs).
  assert.match(dts, /report\(\): Report;/);
  assert.match(dts, /analyze\(recipe\?: RecipeInput\): Analysis;/);
  assert.doesNotMatch(dts, /benchKmeans/);
});

for (const [label, lib] of [['node build', nodeBuild], ['web build (embedded wasm)', webBuild]]) {
  test(`${label}: segment() equals the CLI byte for byte`, () => {
    const reference = cliOutput(join(root, 'tests', 'fixtures', 'small.csv'));
    const result = lib.segment(small, undefined);
    assert.equal(result.length, 10);
    assert.deepEqual(Buffer.from(result.customersCsv()), reference.csv);
    assert.equal(result.reportJson(), reference.report);
    const report = result.report();
    assert.equal(report.rowsRead, 60);
    assert.equal(report.rowsUsed + Object.values(report.rowsRejected).reduce((s, r) => s + r.count, 0), 60);
    assert.ok(result.rScore() instanceof Uint8Array);
    assert.ok(result.monetary() instanceof Float64Array);
    assert.deepEqual(Array.from(result.frequency()), [10, 1, 2, 3, 9, 4, 5, 8, 7, 6]);
    result.free();
  });

  test(`${label}: streaming Loader, re-analysis and coded errors`, () => {
    const loader = new lib.Loader({ score: { bins: 5 } });
    for (let at = 0; at < small.length; at += 100) loader.push(small.subarray(at, at + 100));
    const dataset = loader.finish();
    const a = dataset.analyze({ asOf: '2024-07-11' });
    assert.equal(a.recencyDays()[0], 11);
    assert.throws(() => dataset.analyze({ score: { bins: 4 } }), (e) => e.code === 'segment_bins_mismatch' && /5 bins/.test(e.message));
    assert.throws(() => lib.segment(new TextEncoder().encode('customer,amount\nA,1\n')), (e) => e.name === 'TierlensError' && e.code === 'missing_column');
    assert.throws(() => lib.segment(small, { unknownKey: 1 }), (e) => e.code === 'recipe_syntax');
    assert.throws(() => loader.push(small), (e) => e.code === 'invalid_state');
  });

  test(`${label}: two-pass Loader gives the one-shot result`, () => {
    const loader = lib.Loader.twoPass({}, small.length);
    assert.equal(loader.passes, 2);
    for (let pass = 1; pass <= loader.passes; pass++) {
      if (pass === 2) loader.endFirstPass();
      for (let at = 0; at < small.length; at += 100) {
        assert.equal(loader.push(small.subarray(at, at + 100)).pass, pass);
      }
    }
    const a = loader.finish().analyze({});
    assert.deepEqual(Array.from(a.frequency()), Array.from(lib.segment(small, {}).frequency()));
    const one = lib.Loader.twoPass({ clean: { dropDuplicates: false, outliers: 'off' } }, undefined);
    // Every reading decision (date order, decimal separator, ids) comes from the whole input, so a
    // loader that can read twice always does, even with duplicate and outlier checks off.
    assert.equal(one.passes, 2, 'reading decisions need the whole input: two passes');
    one.free();
  });
}

test('the sample generated in Wasm equals the CLI sample', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tierlens-sample-'));
  try {
    execFileSync(join(root, 'target', 'release', 'tierlens'), ['sample', '--out', join(dir, 's.csv')]);
    assert.deepEqual(Buffer.from(nodeBuild.sampleCsv(undefined)), readFileSync(join(dir, 's.csv')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ------------------------------------------------ loadFile (issue 11's one JS loading call) and the client

test('loadFile (tierlens/embedded): a File read in two passes, progress as stage codes and fractions, equals segment()', async () => {
  const stages = [];
  const fractions = [];
  const sample = webBuild.sampleCsv({ customers: 3000 });
  const dataset = await webBuild.loadFile(new File([sample], 'sample.csv'), {}, {
    onProgress: (p) => { stages.push(p.stage); fractions.push(p.fraction); },
  });
  const a = dataset.analyze({});
  assert.equal(a.reportJson(), webBuild.segment(sample, {}).reportJson());
  assert.equal(stages.at(-1), 'aggregate');
  assert.ok(stages.includes('scan'), stages.join());
  assert.ok(fractions.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= fractions[i - 1])), fractions.join());
  assert.equal(fractions.at(-1), 1);
  a.free();
  dataset.free();
  const aborted = new AbortController();
  aborted.abort();
  await assert.rejects(webBuild.loadFile(small, {}, { signal: aborted.signal }), (e) => e.code === 'cancelled' && e.name === 'AbortError');
});

test('worker client in Node (worker_threads): open, progress, re-analysis without re-reading, reload when the engine says so, exports, abort, close', async () => {
  const { TierlensClient } = await import(join(pkg, 'client', 'node.js'));
  const client = new TierlensClient();
  const reference = cliOutput(join(root, 'tests', 'fixtures', 'small.csv'));
  try {
    const stages = [];
    const events = [];
    client.addEventListener('progress', (e) => events.push(e.detail.stage));
    const first = await client.open(new Blob([small]), {}, { onProgress: (p) => stages.push(p.stage) });
    assert.equal(first.report.customers, 10);
    assert.deepEqual(first.ids, reference.csv.toString('utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]));
    assert.ok(first.columns.monetary instanceof Float64Array && first.columns.lifecycleIndex instanceof Uint16Array);
    assert.deepEqual(Buffer.from(await client.exportBytes('csv')), reference.csv);
    assert.deepEqual(events, stages, 'the same progress as events');
    assert.ok(stages.includes('aggregate'));

    // A score change re-analyses the kept Dataset: no reading stage.
    const seen = [];
    const again = await client.analyze({ score: { bins: 3 }, segments: { preset: 'three-level' } }, { onProgress: (p) => seen.push(p.stage) });
    assert.deepEqual(seen, ['analyze']);
    assert.equal(again.report.recipe.score.bins, 3);
    // A cleaning change needs the file again (the engine's reloadNeeded): the worker re-reads the bytes it kept.
    const reread = [];
    const cleaned = await client.analyze({ clean: { dropDuplicates: true } }, { onProgress: (p) => reread.push(p.stage) });
    assert.ok(reread.includes('aggregate'), reread.join());
    assert.equal(cleaned.report.recipe.clean.dropDuplicates, true);

    // Abort during a load of a larger input: rejects at once, the data loaded before stays.
    const big = nodeBuild.sampleCsv({ customers: 30000 });
    const controller = new AbortController();
    const opening = client.open(big, {}, { signal: controller.signal, onProgress: () => controller.abort() });
    await assert.rejects(opening, (e) => e.code === 'cancelled');
    const after = await client.analyze({});
    assert.equal(after.report.customers, 10, 'the earlier data is still loaded');
    assert.deepEqual(Buffer.from(await client.exportBytes('csv')), reference.csv);

    // An analysis given up on while it runs finishes in the worker, but exports still follow the
    // result the caller holds (bins 5 here, not the abandoned bins 3).
    const giveUp = new AbortController();
    const abandoned = client.analyze({ score: { bins: 3 }, segments: { preset: 'three-level' } }, { signal: giveUp.signal, onProgress: () => giveUp.abort() });
    await assert.rejects(abandoned, (e) => e.code === 'cancelled');
    const report = JSON.parse(new TextDecoder().decode(await client.exportBytes('report')));
    assert.equal(report.recipe.score.bins, 5);
    assert.deepEqual(Buffer.from(await client.exportBytes('csv')), reference.csv);

    await assert.rejects(client.open(new TextEncoder().encode('customer,amount\nA,1\n')), (e) => e.code === 'missing_column');
  } finally {
    client.close();
  }
  await assert.rejects(client.version(), (e) => e.code === 'closed');
});

test('tierlens/element can be imported in Node (SSR): nothing registered, nothing thrown', async () => {
  const mod = await import(join(pkg, 'element', 'index.js'));
  assert.equal(mod.TAG, 'tierlens-view');
  assert.equal(typeof mod.TierlensView, 'function');
  assert.equal(globalThis.customElements, undefined);
  assert.deepEqual(mod.mergeRecipe({ score: { bins: 5 }, asOf: '2024-01-01' }, { score: { method: 'rankFirst' }, asOf: null }), { score: { bins: 5, method: 'rankFirst' } });
});
