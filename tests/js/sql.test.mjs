// Issue 15: Analysis.sql in both package builds gives byte-for-byte the query the native CLI writes
// (`--sql duckdb --sql spark`), and an unknown dialect is a coded error. (The queries themselves are
// run in DuckDB and Spark by tests/sql/check.py.) Needs `make build` and `make cli`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const input = join(root, 'tests', 'fixtures', 'realworld', 'column_roles.csv');
const require = createRequire(import.meta.url);
const nodeBuild = require(join(root, 'pkg', 'node', 'tierlens.js'));
const webBuild = await import(join(root, 'pkg', 'web', 'tierlens_embedded.js'));
webBuild.init();

function cliSql() {
  const out = mkdtempSync(join(tmpdir(), 'tierlens-sql-'));
  try {
    execFileSync(join(root, 'target', 'release', 'tierlens'),
      ['segment', input, '--out', out, '--sql', 'duckdb', '--sql', 'spark'], { stdio: 'pipe' });
    return {
      duckdb: readFileSync(join(out, 'segment.duckdb.sql'), 'utf8'),
      spark: readFileSync(join(out, 'segment.spark.sql'), 'utf8'),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const expected = cliSql();

for (const [name, build] of [['node', nodeBuild], ['web', webBuild]]) {
  test(`${name} build: Analysis.sql equals the CLI's files`, () => {
    const a = build.segment(readFileSync(input), null);
    for (const dialect of ['duckdb', 'spark']) {
      const r = a.sql(dialect, 'fit');
      assert.equal(r.sql, expected[dialect]);
      assert.equal(r.columns[0], 'customer_id');
      assert.ok(r.columns.includes('segment') && r.columns.includes('value_tier'));
      assert.deepEqual(r.warnings, []);
    }
    assert.match(a.sql('spark', 'data').sql, /MAX\(day\) \+ 1/);
    assert.throws(() => a.sql('oracle', null), (e) => e.code === 'invalid_export');
    assert.throws(() => a.sql('duckdb', 'tomorrow'), (e) => e.code === 'invalid_export');
    a.free();
  });
}
