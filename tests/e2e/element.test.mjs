// <tierlens-view> as an embedder uses it: the plain HTML example (examples/html) in a scratch project that
// installed the packed tarball, served by the static server with the page's policy (connect-src 'none',
// style-src 'self', worker-src blob:), the element inside the host's own shadow root. The CLI is the
// oracle for the figures; the harness checks per test that nothing but the host's files was requested.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, artifacts, cliPath, startHarness } from './harness.mjs';
import { scratchProject } from '../package/scratch.mjs';

const small = join(root, 'tests', 'fixtures', 'small.csv');
let harness;
let dir;

before(async () => {
  dir = scratchProject('tierlens-element-', ['examples/html']);
  // The Vite example beside it, built offline with the repository's vite against the installed tarball.
  cpSync(join(root, 'examples', 'vite'), join(dir, 'vite'), { recursive: true });
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'vite', '--outDir', 'dist', '--base', './', '--emptyOutDir', '--logLevel', 'error'], { cwd: dir, stdio: 'pipe' });
  harness = await startHarness('tierlens-element-e2e-', { serve: dir });
});
after(async () => {
  await harness?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** customers.csv rows and report.json of the CLI for `input` (the oracle). */
function cli(input, recipe = null) {
  const out = mkdtempSync(join(tmpdir(), 'tierlens-element-cli-'));
  try {
    const args = ['segment', input, '--out', out];
    if (recipe) {
      writeFileSync(join(out, 'recipe.json'), JSON.stringify(recipe));
      args.push('--recipe', join(out, 'recipe.json'));
    }
    execFileSync(cliPath, args, { stdio: 'pipe' });
    const [head, ...rows] = readFileSync(join(out, 'customers.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    return { report: JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')), head, rows };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** A page of the example with console errors and page errors collected. */
async function openExample() {
  const context = await harness.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const response = await page.goto(`${harness.origin}/index.html`);
  assert.match(response.headers()['content-security-policy'], /connect-src 'none'/);
  await page.waitForFunction(() => customElements.get('tierlens-view') && document.getElementById('card').view);
  // Collects the element's events (they are composed: they reach the document from the host's shadow root).
  await page.evaluate(() => {
    window.seen = [];
    for (const type of ['tierlens-result', 'tierlens-progress', 'tierlens-error', 'tierlens-config-update', 'tierlens-select']) {
      document.addEventListener(type, (e) => window.seen.push({ type, detail: e.detail }));
    }
  });
  return { context, page, errors };
}

const bytesOf = (file) => Array.from(readFileSync(file));

test('the element in a host shadow root under connect-src \'none\': events, the CLI\'s figures, selection, restore/save, errors', async () => {
  const oracle = cli(small);
  const { context, page, errors } = await openExample();
  const sheetsBefore = await page.evaluate(() => ({ sheets: document.styleSheets.length, adopted: document.adoptedStyleSheets.length, styles: document.querySelectorAll('style, link[rel=stylesheet]').length }));

  const report = await page.evaluate(async (bytes) => {
    const view = document.getElementById('card').view;
    const r = await view.load(new Uint8Array(bytes));
    await view.flush();
    return r;
  }, bytesOf(small));
  assert.equal(report.customers, oracle.report.customers);
  assert.deepEqual(report.segments.summary.map((s) => [s.name, s.customers]), oracle.report.segments.summary.map((s) => [s.name, s.customers]));
  const seen = await page.evaluate(() => window.seen.map((e) => e.type));
  assert.ok(seen.includes('tierlens-progress'), 'progress events');
  assert.equal(seen.filter((t) => t === 'tierlens-result').length, 1);
  assert.equal(await page.textContent('#count'), `${oracle.report.customers} customers`);

  // Drawn inside the element's shadow root (inside the host's): segment rows with the CLI's counts, the
  // customer table with every customer.
  const drawn = await page.evaluate(() => {
    const inner = document.getElementById('card').shadowRoot.querySelector('tierlens-view').shadowRoot;
    return {
      rows: [...inner.querySelectorAll('#segment-table tbody tr')].map((tr) => [tr.dataset.segment, Number(tr.querySelector('[data-k=customers]').textContent.replace(/\D/g, ''))]),
      count: inner.getElementById('table-count').textContent,
      canvases: inner.querySelectorAll('canvas').length,
      adopted: inner.adoptedStyleSheets.length,
    };
  });
  assert.deepEqual(drawn.rows, oracle.report.segments.summary.map((s) => [s.name, s.customers]));
  assert.match(drawn.count, new RegExp(`${oracle.report.customers}`));
  assert.ok(drawn.canvases >= 2, 'charts drawn');
  assert.equal(drawn.adopted, 1, 'the element styles itself from its own shadow root');

  // Clicking a segment selects its customers: the ids are the CLI's customers of that segment.
  const first = oracle.report.segments.summary.find((s) => s.customers > 0).name;
  const segmentColumn = oracle.head.indexOf('segment');
  const expectedIds = oracle.rows.filter((r) => r[segmentColumn] === first).map((r) => r[0]).sort();
  await page.locator('dashboard-card tierlens-view #segment-table tbody tr', { hasText: first }).locator('button').first().click();
  const select = await page.evaluate(() => window.seen.filter((e) => e.type === 'tierlens-select').at(-1)?.detail);
  assert.equal(select.kind, 'segment');
  assert.equal(select.name, first);
  assert.deepEqual([...select.ids].sort(), expectedIds);

  // The customer table's search and sort work inside the element (its own view state, not the page's).
  const inner = page.locator('dashboard-card tierlens-view');
  await inner.locator('#search').fill('J');
  await page.waitForFunction(() => document.getElementById('card').shadowRoot.querySelector('tierlens-view').shadowRoot.querySelectorAll('.vt-rows .vt-row').length === 1);
  assert.deepEqual(await inner.locator('.vt-rows .vt-row').evaluateAll((rows) => rows.map((r) => r.dataset.id)), ['J']);
  await inner.locator('#search').fill('');
  await inner.locator('button[data-sort=monetary]').click();
  const monetaryColumn = oracle.head.indexOf('monetary');
  const cheapest = [...oracle.rows].sort((a, b) => Number(a[monetaryColumn]) - Number(b[monetaryColumn]))[0][0];
  await page.waitForFunction((id) => document.getElementById('card').shadowRoot.querySelector('tierlens-view').shadowRoot.querySelector('.vt-rows .vt-row')?.dataset.id === id, cheapest, { timeout: 5000 });

  // restore() merges, re-analyses and tells; save() is the page's "Save settings" text.
  const restored = await page.evaluate(async () => {
    const view = document.getElementById('card').view;
    const r = await view.restore({ score: { bins: 3 }, segments: { preset: 'three-level' } });
    await view.flush();
    return { bins: r.recipe.score.bins, preset: r.recipe.segments.preset, saved: view.save(), update: window.seen.filter((e) => e.type === 'tierlens-config-update').at(-1)?.detail };
  });
  assert.equal(restored.bins, 3);
  assert.equal(restored.preset, 'three-level');
  const recipe = { score: { bins: 3 }, segments: { preset: 'three-level' } };
  assert.deepEqual(restored.update, recipe);
  assert.equal(restored.saved, JSON.stringify(recipe, null, 2));

  // A file the engine refuses: tierlens-error with the engine's code; the element keeps working.
  const failed = await page.evaluate(async () => {
    const view = document.getElementById('card').view;
    const err = await view.load(new TextEncoder().encode('customer,amount\nA,1\n')).catch((e) => e);
    return { code: err.code, event: window.seen.filter((e) => e.type === 'tierlens-error').at(-1)?.detail };
  });
  assert.equal(failed.code, 'missing_column');
  assert.equal(failed.event.code, 'missing_column');
  assert.equal(typeof failed.event.message, 'string');
  assert.ok('row' in failed.event && 'column' in failed.event);

  await page.locator('dashboard-card').screenshot({ path: join(artifacts, 'element-in-host.png') });
  // Themed from the host: ::part(card) and --tierlens-accent reach inside; theme="dark" and lang="zh" redraw.
  const look = await page.evaluate(async () => {
    const view = document.getElementById('card').view;
    const inner = view.shadowRoot;
    const card = inner.querySelector('[part~=card]');
    const before = { border: getComputedStyle(card).borderTopColor, link: getComputedStyle(inner.querySelector('button.linkish')).color, background: getComputedStyle(card).backgroundColor };
    view.setAttribute('theme', 'dark');
    view.setAttribute('lang', 'zh');
    await view.flush();
    return { ...before, dark: getComputedStyle(card).backgroundColor, title: inner.getElementById('segments-title').textContent };
  });
  assert.equal(look.border, 'rgb(10, 125, 90)');
  assert.equal(look.link, 'rgb(10, 125, 90)');
  assert.notEqual(look.dark, look.background);
  assert.equal(look.title, '3 · 客户分群');
  await page.locator('dashboard-card').screenshot({ path: join(artifacts, 'element-in-host-dark-zh.png') });

  const sheetsAfter = await page.evaluate(() => ({ sheets: document.styleSheets.length, adopted: document.adoptedStyleSheets.length, styles: document.querySelectorAll('style, link[rel=stylesheet]').length }));
  assert.deepEqual(sheetsAfter, sheetsBefore, 'no stylesheet added to the host document');
  assert.deepEqual(errors, [], 'no console error');
  await context.close();
});

test('50 create/load/delete cycles leave no worker alive', async () => {
  const { context, page, errors } = await openExample();
  const bytes = bytesOf(small);
  const counts = await page.evaluate(async (bytes) => {
    const host = document.getElementById('card').shadowRoot;
    const data = new Uint8Array(bytes);
    const customers = [];
    for (let i = 0; i < 50; i++) {
      const view = document.createElement('tierlens-view');
      host.append(view);
      customers.push((await view.load(data)).customers);
      if (i % 2) view.delete(); // the other half by leaving the document (disconnect)
      view.remove();
    }
    return customers;
  }, bytes);
  assert.equal(counts.length, 50);
  assert.ok(counts.every((n) => n === 10));
  // The example's own element never loaded, so it has no worker either: none may be left.
  await page.waitForFunction(() => true);
  for (let i = 0; i < 50 && page.workers().length; i++) await page.waitForTimeout(100);
  assert.equal(page.workers().length, 0, `workers alive: ${page.workers().map((w) => w.url()).join(', ')}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the Vite example, built from the tarball, runs the element and the worker client', async () => {
  const oracle = cli(small, { valueTiers: { paretoPercent: 10 } }).report;
  const assets = readdirSync(join(dir, 'vite', 'dist', 'assets'));
  // The bundled worker (with the Wasm inside) is a chunk of its own, loaded when first needed.
  assert.ok(assets.some((f) => f.startsWith('worker_source')), assets.join(', '));
  const context = await harness.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${harness.origin}/vite/dist/index.html`);
  await page.waitForFunction(() => window.tierlensExample);
  await page.setInputFiles('#file', small);
  await page.waitForFunction(() => document.getElementById('summary').textContent, null, { timeout: 30_000 });
  const share = (oracle.valueTiers.pareto.revenueShare * 100).toFixed(1);
  assert.equal(await page.textContent('#summary'), `${oracle.customers} customers; the top 10 % bring ${share} % of revenue`);
  const rows = await page.evaluate(() => document.getElementById('view').shadowRoot.querySelectorAll('#segment-table tbody tr').length);
  assert.equal(rows, oracle.segments.summary.length);
  // load(result): a result the host's own client made is drawn as it is (no second reading).
  const three = cli(small, { score: { bins: 3 }, segments: { preset: 'three-level' } }).report;
  const fromResult = await page.evaluate(async () => {
    const { view, client } = window.tierlensExample;
    const result = await client.analyze({ score: { bins: 3 }, segments: { preset: 'three-level' } });
    const report = await view.load(result);
    await view.flush();
    return { customers: report.customers, rows: [...view.shadowRoot.querySelectorAll('#segment-table tbody tr')].map((tr) => tr.dataset.segment) };
  });
  assert.equal(fromResult.customers, three.customers);
  assert.deepEqual(fromResult.rows, three.segments.summary.map((s) => s.name));
  await page.evaluate(() => { window.tierlensExample.client.close(); document.getElementById('view').delete(); });
  assert.deepEqual(errors, []);
  await context.close();
});
