// The single-file page (www/generated/tierlens-standalone.html, built by pkg-config/standalone.mjs)
// opened from disk: file:// refuses ES modules, so this is the copy for offline use. Needs `make build`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root, artifacts, cliPath, startHarness } from './harness.mjs';

let harness;
before(async () => { harness = await startHarness('tierlens-e2e-standalone-'); });
after(() => harness?.close());

const standalone = join(root, 'www', 'generated', 'tierlens-standalone.html');

test('the single-file copy runs the sample from file://, like the CLI, with no request beyond itself', async () => {
  const html = readFileSync(standalone, 'utf8');
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)[1];
  assert.match(csp, /connect-src 'none'/);
  assert.match(csp, /script-src 'sha256-[^']+' 'wasm-unsafe-eval';/, 'only the hashed inline script runs');
  assert.doesNotMatch(csp, /'self'|'unsafe-eval'|https?:/);
  assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+stylesheet/, 'nothing is loaded from other files');

  const context = await harness.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const url = pathToFileURL(standalone).href;
  await page.goto(url);
  await page.waitForSelector('body[data-worker=ready]', { timeout: 20_000 });
  await page.click('#sample');
  await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });

  const out = join(harness.work, 'out');
  const sample = join(harness.work, 'sample.csv');
  execFileSync(cliPath, ['sample', '--out', sample]);
  execFileSync(cliPath, ['segment', sample, '--out', out]);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  const table = await page.$$eval('#segment-table tbody tr', (rows) =>
    Object.fromEntries(rows.map((tr) => [tr.dataset.segment, Number(tr.querySelector('[data-k=customers]').textContent.replace(/[^\d]/g, ''))])));
  assert.deepEqual(table, Object.fromEntries(report.segments.summary.map((s) => [s.name, s.customers])));
  assert.deepEqual(errors, [], 'no error while running');
  // The policy holds here too: no fetch from the page, and only the file and its blob: worker loaded.
  assert.equal(await page.evaluate(() => fetch('https://example.com/').then(() => 'sent', () => 'blocked')), 'blocked');
  assert.deepEqual(requests.filter((u) => u !== url && !u.startsWith('blob:')), []);
  assert.equal(await page.locator('#offline-copy').count(), 0, 'the copy has no link to save itself again');
  await page.screenshot({ path: join(artifacts, 'standalone.png') });
  assert.ok(errors.every((e) => /Content Security Policy/.test(e)), errors.join('\n'));
  await context.close();
});
