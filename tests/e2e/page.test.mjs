// Headless-Chromium tests of the page (playwright-core driving Debian's /usr/bin/chromium).
// Needs `make build` and the release CLI (`make test` does both). Screenshots go to tests/e2e/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../www/serve.mjs';
import { CSP } from '../../www/csp.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const artifacts = join(root, 'tests', 'e2e', 'artifacts');
const cliPath = join(root, 'target', 'release', 'tierlens');
mkdirSync(artifacts, { recursive: true });

let server, browser, origin, work;

before(async () => {
  server = await startServer(0);
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  work = mkdtempSync(join(tmpdir(), 'tierlens-e2e-'));
});

after(async () => {
  await browser?.close();
  server?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Runs the CLI on `input` and returns its report.json and customers.csv. */
function cli(input) {
  const out = join(work, `out-${Math.random().toString(36).slice(2)}`);
  execFileSync(cliPath, ['segment', input, '--out', out], { stdio: 'pipe' });
  return { report: JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')), csv: readFileSync(join(out, 'customers.csv')) };
}

/** A fresh page with every request of the page and its worker recorded. */
async function openPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}/`);
  await page.waitForSelector('body[data-worker=ready]', { timeout: 20_000 });
  return { context, page, requests, errors };
}

async function segmentTable(page) {
  return page.$$eval('#segment-table tbody tr', (rows) =>
    Object.fromEntries(rows.map((tr) => [tr.dataset.segment, Number(tr.querySelector('[data-k=customers]').textContent.replace(/[^\d]/g, ''))])));
}

function ownOrigin(url) {
  return url.startsWith(`${origin}/`) || url.startsWith(`blob:${origin}/`) || url.startsWith('data:');
}

test('the sample runs in the browser, matches the CLI, and nothing leaves the page', async () => {
  const { context, page, requests, errors } = await openPage();
  const meta = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
  assert.equal(meta, CSP, 'the <meta> policy equals www/csp.mjs');
  const loaded = requests.length;

  await page.click('#sample');
  await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
  assert.deepEqual(requests.slice(loaded), [], 'no request at all after the data was opened');

  // Same file through the CLI: the page's segment table must match report.json.
  const samplePath = join(work, 'sample.csv');
  execFileSync(cliPath, ['sample', '--out', samplePath]);
  const { report } = cli(samplePath);
  const expected = Object.fromEntries(report.segments.summary.map((s) => [s.name, s.customers]));
  assert.deepEqual(await segmentTable(page), expected);
  const accounting = await page.$$eval('#row-accounting dd[data-k]', (dds) => Object.fromEntries(dds.map((d) => [d.dataset.k, d.textContent])));
  assert.equal(Number(accounting.rows_read.replace(/[^\d]/g, '')), report.rows_read);
  assert.equal(Number(accounting.rows_used.replace(/[^\d]/g, '')), report.rows_used);
  assert.equal(accounting.as_of, report.as_of);
  assert.equal(await page.locator('#rejections tbody tr').count(), Object.keys(report.rows_rejected).length);

  // The policy is enforced in the page and in the worker that holds the data.
  const pageFetch = await page.evaluate((u) => fetch(u).then(() => 'sent', () => 'blocked'), `${origin}/index.html`);
  assert.equal(pageFetch, 'blocked');
  const [worker] = page.workers();
  assert.ok(worker, 'the analysis runs in a worker');
  const workerFetch = await worker.evaluate((u) => fetch(u).then(() => 'sent', () => 'blocked'), `${origin}/index.html`);
  assert.equal(workerFetch, 'blocked');
  await page.evaluate((u) => { try { navigator.sendBeacon(u, 'x'); } catch { /* blocked */ } }, `${origin}/beacon`);
  await worker.evaluate((u) => { try { navigator.sendBeacon(u, 'x'); } catch { /* blocked */ } }, `${origin}/beacon-worker`);
  await page.waitForTimeout(500);
  const seen = server.hits.filter((u) => /index\.html|beacon/.test(u));
  assert.deepEqual(seen, [], 'the server never received the attempted fetches or beacons');

  await page.screenshot({ path: join(artifacts, 'sample.png'), fullPage: true });
  assert.ok(requests.every(ownOrigin), `only the page's own files: ${requests.filter((u) => !ownOrigin(u))}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a file opened through the picker is segmented, and exports equal the CLI output', async () => {
  const { context, page, requests } = await openPage();
  const fixture = join(root, 'tests', 'fixtures', 'small.csv');
  const loaded = requests.length;
  await page.setInputFiles('#file', fixture);
  await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
  const { report, csv } = cli(fixture);
  const table = await segmentTable(page);
  assert.equal(table['At Risk'], 2);
  assert.equal(table['Champions'], 1);
  assert.deepEqual(table, Object.fromEntries(report.segments.summary.map((s) => [s.name, s.customers])));

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const saved = join(work, 'export.csv');
  await download.saveAs(saved);
  const bytes = readFileSync(saved);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM for Excel');
  assert.deepEqual(bytes.subarray(3), csv, 'the exported list is the CLI customers.csv');
  assert.deepEqual(requests.slice(loaded).filter((u) => !u.startsWith('blob:')), [], 'downloads are local blobs');
  await context.close();
});

test('a file without a date column gets one clear message and the page keeps working', async () => {
  const { context, page } = await openPage();
  const bad = join(work, 'bad.csv');
  writeFileSync(bad, 'customer,amount\nA,1\n');
  await page.setInputFiles('#file', bad);
  await page.waitForSelector('#error:not([hidden])', { timeout: 20_000 });
  const message = await page.textContent('#error');
  assert.match(message, /missing required column: date/);
  assert.equal(await page.getAttribute('#error', 'data-code'), 'missing_column');
  await page.screenshot({ path: join(artifacts, 'error.png') });
  // The worker survived: the sample still runs.
  await page.click('#sample');
  await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
  assert.equal(await page.isHidden('#error'), true);
  await context.close();
});
