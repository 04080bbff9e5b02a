#!/usr/bin/env node
// Page benchmark (not part of `make test`): opens a generated transactions file through the file
// input in headless Chromium and prints how long the page takes to show results, then to
// re-analyse after a setting change. Needs `make build` and the release CLI.
//
//   node tests/benches/page_open.mjs [customers=100000] [runs=3]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../www/serve.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const customers = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 3);
const work = mkdtempSync(join(tmpdir(), 'tierlens-bench-'));
const file = join(work, 'big.csv');
execFileSync(join(root, 'target', 'release', 'tierlens'), ['sample', '--customers', String(customers), '--out', file]);
const mb = statSync(file).size / 2 ** 20;

const server = await startServer(0);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const ready = (page) => page.waitForFunction(() => document.body.dataset.state === 'ready' && !document.body.dataset.busy, null, { timeout: 300_000 });
try {
  for (let run = 1; run <= runs; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    await page.waitForSelector('body[data-worker=ready]', { timeout: 20_000 });
    let t = performance.now();
    await page.setInputFiles('#file', file);
    await ready(page);
    const open = (performance.now() - t) / 1000;
    const shown = await page.textContent('#row-accounting dd[data-k=customers]');
    await page.evaluate(() => { document.body.dataset.state = 'changing'; });
    t = performance.now();
    const before = await page.textContent('#segments-note');
    await page.selectOption('#set-method', 'rankFirst');
    await ready(page);
    const again = (performance.now() - t) / 1000;
    const note = await page.textContent('#segments-note');
    const error = await page.isVisible('#error');
    if (error || note === before) throw new Error(`the re-analysis did not apply: ${note}`);
    const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
    console.log(`run ${run}: ${mb.toFixed(1)} MiB, ${shown.trim()} customers: open ${open.toFixed(2)} s, re-analyse (score method → rankFirst) ${again.toFixed(2)} s, page JS heap ${(heap / 2 ** 20).toFixed(0)} MiB`);
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
  rmSync(work, { recursive: true, force: true });
}
