// The build's consistency check (pkg-config/check-package.mjs) passes on pkg/ and fails, naming the
// problem, on copies of pkg/ damaged the ways issue 13 lists: a version mismatch, a path in `exports`
// missing, an exported name absent from the .d.ts, a stray file in `npm pack`, a benchmark hook.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, pkg } from './scratch.mjs';

const script = join(root, 'pkg-config', 'check-package.mjs');

/** Runs the check on `dir`: { ok, output }. */
function check(dir) {
  try {
    const out = execFileSync(process.execPath, [script], { env: { ...process.env, TIERLENS_PKG: dir }, encoding: 'utf8', stdio: 'pipe' });
    return { ok: true, output: out };
  } catch (e) {
    return { ok: false, output: `${e.stdout}${e.stderr}` };
  }
}

/** A copy of pkg/ with `damage(dir)` applied, checked, then removed. */
function damaged(damage) {
  const dir = mkdtempSync(join(tmpdir(), 'tierlens-check-'));
  try {
    cpSync(pkg, dir, { recursive: true });
    damage(dir);
    return check(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const editJson = (file, fn) => writeFileSync(file, JSON.stringify(fn(JSON.parse(readFileSync(file, 'utf8')))));

test('pkg/ as built passes the check', () => {
  const { ok, output } = check(pkg);
  assert.ok(ok, output);
});

test('the check fails on each kind of damage, naming it', () => {
  const cases = [
    [(d) => editJson(join(d, 'package.json'), (m) => ({ ...m, version: '9.9.9' })), /version 9\.9\.9/],
    [(d) => editJson(join(d, 'package.json'), (m) => ({ ...m, exports: { ...m.exports, './extra': './extra/index.js' } })), /extra\/index\.js does not exist/],
    [(d) => appendFileSync(join(d, 'client', 'index.js'), '\nexport const undeclared = 1;\n'), /exports undeclared, which client\/index\.d\.ts does not declare/],
    [(d) => appendFileSync(join(d, 'element', 'index.d.ts'), '\nexport declare function ghost(): void;\n'), /declares ghost, which element\/index\.js does not export/],
    [(d) => writeFileSync(join(d, 'web', 'notes.txt'), 'left over'), /stray file: web\/notes\.txt/],
    [(d) => appendFileSync(join(d, 'web', 'tierlens.js'), '\n// benchKmeans\n'), /benchKmeans/],
  ];
  for (const [damage, message] of cases) {
    const { ok, output } = damaged(damage);
    assert.equal(ok, false, `not caught: ${message}`);
    assert.match(output, message);
  }
});
