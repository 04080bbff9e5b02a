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

test('package.json exports point at files that exist', () => {
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
  assert.equal(manifest.version, /^version\s*=\s*"([^"]+)"/m.exec(cargo)[1]);
  for (const entry of Object.values(manifest.exports)) {
    for (const file of Object.values(entry)) assert.ok(existsSync(join(pkg, file)), file);
  }
  const dts = readFileSync(join(pkg, 'web', 'tierlens.d.ts'), 'utf8');
  for (const name of ['class Loader', 'class Dataset', 'class Analysis', 'function segment', 'function sampleCsv']) {
    assert.ok(dts.includes(`export ${name}`), `d.ts declares ${name}`);
  }
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
