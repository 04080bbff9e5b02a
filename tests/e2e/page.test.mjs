// Headless-Chromium tests of the page (playwright-core driving Debian's /usr/bin/chromium).
// Needs `make build` and the release CLI (`make test` does both). Screenshots go to tests/e2e/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { inflateRawSync } from 'node:zlib';
import { join } from 'node:path';
import { root, artifacts, cliPath, startHarness, foreignRequests, requestsOfThisTest, forgetRequest } from './harness.mjs';
import { CSP } from '../../www/csp.mjs';

let server, browser, origin, work;

let harness;
before(async () => {
  harness = await startHarness('tierlens-e2e-');
  ({ server, browser, origin, work } = harness);
});

after(() => harness?.close());

/** Runs the CLI on `input` (with `recipe`, if given) and returns its report.json and customers.csv. */
function cli(input, recipe) {
  const out = join(work, `out-${Math.random().toString(36).slice(2)}`);
  const args = ['segment', input, '--out', out];
  if (recipe) {
    const path = join(work, `recipe-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, JSON.stringify(recipe));
    args.push('--recipe', path);
  }
  execFileSync(cliPath, args, { stdio: 'pipe' });
  return { report: JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')), csv: readFileSync(join(out, 'customers.csv')) };
}

/** A fresh page with every request of the page and its worker recorded. */
async function openPage({ locale = 'en-US', width = 1280 } = {}) {
  const context = await browser.newContext({ viewport: { width, height: 800 }, acceptDownloads: true, locale });
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
  assert.equal(Number(accounting.rowsRead.replace(/[^\d]/g, '')), report.rowsRead);
  assert.equal(Number(accounting.rowsUsed.replace(/[^\d]/g, '')), report.rowsUsed);
  assert.equal(accounting.asOf, report.asOf);
  assert.equal(await page.locator('#rejections tbody tr').count(), Object.keys(report.rowsRejected).length);

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

// ---------------------------------------------------------------------------------------------------
// The analyst's page: settings, column roles, table, exports, language, screenshots of every panel.

let sampleCache;
/** The sample CSV written by the CLI (the same bytes the page generates in its worker). */
function samplePath() {
  if (!sampleCache) {
    sampleCache = join(work, 'sample-cli.csv');
    execFileSync(cliPath, ['sample', '--out', sampleCache]);
  }
  return sampleCache;
}

async function runSample(page) {
  await page.click('#sample');
  await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
}

/** Changes a settings control and waits for the re-analysis (or its error). */
async function changeSetting(page, selector, value) {
  await page.evaluate(() => { document.body.dataset.state = 'changing'; });
  const input = page.locator(selector);
  await input.focus();
  if ((await input.evaluate((n) => n.tagName)) === 'SELECT') await input.selectOption(String(value));
  else { await input.fill(String(value)); await input.dispatchEvent('change'); }
  await page.waitForFunction(() => document.body.dataset.state === 'ready' && !document.body.dataset.busy, null, { timeout: 30_000 });
}

async function saveDownload(page, click, name) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(click)]);
  const path = join(work, name);
  await download.saveAs(path);
  return { path, bytes: readFileSync(path), suggested: download.suggestedFilename() };
}

/** Parses the CLI's CSV (no quoted newlines in it). */
function parseCsv(text) {
  const rows = [];
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (!line) continue;
    const cells = [];
    let cell = '', q = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (q) { if (c === '"') { if (line[i + 1] === '"') { cell += '"'; i++; } else q = false; } else cell += c; }
      else if (c === '"') q = true;
      else if (c === ',') { cells.push(cell); cell = ''; }
      else cell += c;
    }
    cells.push(cell);
    rows.push(cells);
  }
  return rows;
}

test('every results panel renders for the sample; screenshots of each panel', async () => {
  const { context, page, errors } = await openPage();
  await runSample(page);
  const panels = {
    'panel-quality': '#quality-title >> xpath=..',
    'panel-segments': '[data-panel=segments]',
    'panel-grid': '[data-panel=grid]',
    'panel-customers': '#customers-card',
    'panel-crosstab': '#cross-card',
    'panel-settings': '.settings',
  };
  await page.click('#columns-box summary');
  for (const [name, sel] of Object.entries(panels)) {
    await page.locator(sel).screenshot({ path: join(artifacts, `${name}.png`) });
  }
  // The grid's counts add up to every customer; the sample's R×FM cells are all populated.
  const { report, csv } = cli(samplePath());
  const [csvHeader, ...rows] = parseCsv(csv.toString('utf8'));
  const [si, ri] = [csvHeader.indexOf('segment'), csvHeader.indexOf('region')];
  const region = new Map();
  for (const r of rows) region.set(r[si], (region.get(r[si]) ?? new Map()).set(r[ri], ((region.get(r[si])?.get(r[ri])) ?? 0) + 1));
  // Cross-tab cells equal the CLI customers.csv counts per (segment, region).
  const cross = await page.$$eval('#cross-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.segment, [...tr.querySelectorAll('td')].map((td) => td.firstChild.textContent)]));
  const heads = await page.$$eval('#cross-table thead th', (ths) => ths.slice(1, -1).map((th) => th.textContent));
  assert.ok(heads.length >= 3, 'several regions');
  for (const [segment, cells] of cross) {
    heads.forEach((h, i) => {
      if (h === '…') return;
      assert.equal(Number(cells[i].replace(/[^\d]/g, '')), region.get(segment)?.get(h) ?? 0, `${segment} × ${h}`);
    });
  }
  // Column roles with confidence, and the wasm-free preview of the first rows.
  assert.equal(await page.locator('#roles tbody tr').count(), 7);
  const header = await page.$$eval('#preview-table thead th', (ths) => ths.map((th) => th.firstChild.textContent));
  assert.deepEqual(header, report.input.header);
  assert.equal(await page.locator('#preview-table tbody tr').count(), 8);
  const firstCsvRow = readFileSync(samplePath(), 'utf8').split('\n')[1].trim().split(',');
  assert.deepEqual(await page.$$eval('#preview-table tbody tr:first-child td', (tds) => tds.map((td) => td.textContent)), firstCsvRow);
  assert.deepEqual(errors, []);
  await context.close();
});

test('settings re-analyse without re-reading and agree with the CLI given the same recipe', async () => {
  const { context, page, requests } = await openPage();
  await runSample(page);
  const loaded = requests.length;
  // rankFirst + custom monetary cut points.
  await changeSetting(page, '#set-method', 'rankFirst');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'set-method', 'focus stays on the control');
  await changeSetting(page, '#set-cutsMonetary', '100, 300, 1000, 3000');
  const recipe = { score: { method: 'rankFirst', cuts: { monetary: [100, 300, 1000, 3000] } } };
  const { report } = cli(samplePath(), recipe);
  assert.deepEqual(await segmentTable(page), Object.fromEntries(report.segments.summary.map((s) => [s.name, s.customers])));
  const cuts = await page.textContent('#threshold-table tr[data-metric=monetary] .cuts');
  assert.match(cuts, /1,000\.00/);
  // The saved recipe is exactly what was set.
  const saved = await saveDownload(page, '#save-recipe', 'saved-recipe.json');
  assert.deepEqual(JSON.parse(saved.bytes.toString('utf8')), recipe);

  // Bins 4: the page and the CLI both accept it (same table) or both reject it (same message).
  let cliError = null, cliReport = null;
  try { cliReport = cli(samplePath(), { ...recipe, score: { ...recipe.score, bins: 4, cuts: {} } }).report; } catch (e) { cliError = e.stderr.toString(); }
  await changeSetting(page, '#set-cutsMonetary', '');
  await changeSetting(page, '#set-bins', '4');
  if (cliError) {
    assert.match(await page.textContent('#error'), /4/);
    assert.match(await page.textContent('#recipe-status'), /bins/, 'the message is beside the settings too');
    assert.equal(await page.inputValue('#set-bins'), '5', 'the form returns to the recipe in force');
    assert.match(cliError, /bins/);
  } else {
    assert.deepEqual(await segmentTable(page), Object.fromEntries(cliReport.segments.summary.map((s) => [s.name, s.customers])));
  }

  // An earlier analysis date re-reads the kept data and matches the CLI's --recipe with asOf.
  await changeSetting(page, '#set-bins', '5');
  await changeSetting(page, '#set-asOf', '2024-06-30');
  const early = cli(samplePath(), { asOf: '2024-06-30', score: { method: 'rankFirst' } }).report;
  assert.equal(await page.textContent('#row-accounting dd[data-k=asOf]'), '2024-06-30');
  assert.equal(Number((await page.textContent('#row-accounting dd[data-k=rowsUsed]')).replace(/[^\d]/g, '')), early.rowsUsed);
  assert.deepEqual(await segmentTable(page), Object.fromEntries(early.segments.summary.map((s) => [s.name, s.customers])));
  assert.deepEqual(requests.slice(loaded).filter((u) => !u.startsWith('blob:')), [], 'no request while re-analysing');
  await context.close();
});

test('a column role change re-reads the file with the override, like the CLI', async () => {
  const { context, page } = await openPage();
  const file = join(work, 'two-amounts.csv');
  writeFileSync(file, 'order_id,customer_id,order_date,amount,net_amount\nO1,A,2024-01-05,10,8\nO2,A,2024-02-01,20,18\nO3,B,2024-03-01,500,1\nO4,C,2024-03-02,5,400\nO5,D,2024-01-20,30,30\nO6,E,2024-02-20,70,60\n');
  await page.setInputFiles('#file', file);
  await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
  assert.equal(await page.inputValue('#role-amount'), '', 'auto-detected');
  await page.click('#columns-box summary');
  await changeSetting(page, '#role-amount', 'net_amount');
  const { report, csv } = cli(file, { input: { columns: { amount: 'net_amount' } } });
  assert.deepEqual(await segmentTable(page), Object.fromEntries(report.segments.summary.map((s) => [s.name, s.customers])));
  const exported = await saveDownload(page, '#export-csv', 'roles.csv');
  assert.deepEqual(exported.bytes.subarray(3), csv, 'the export uses the override too');
  const confidence = await page.textContent('#roles tr[data-role=amount] td.num');
  assert.match(confidence, /100/);
  await context.close();
});

test('the customer table scrolls virtually, searches ids, filters and sorts', async () => {
  const { context, page } = await openPage();
  await runSample(page);
  const { csv } = cli(samplePath());
  const rows = parseCsv(csv.toString('utf8')).slice(1);
  const domRows = await page.locator('#vt .vt-rows .vt-row').count();
  assert.ok(domRows > 10 && domRows < 60, `only visible rows are in the DOM (${domRows})`);
  // Scroll to the end: the last customer is drawn.
  await page.$eval('#vt .vt-body', (b) => { b.scrollTop = b.scrollHeight; });
  await page.waitForTimeout(100);
  const lastIds = await page.$$eval('#vt .vt-rows .vt-row', (rs) => rs.map((r) => r.dataset.id));
  assert.equal(lastIds.at(-1), rows.at(-1)[0]);
  // Search.
  await page.fill('#search', 'c1002');
  await page.waitForTimeout(300);
  const expected = rows.filter((r) => r[0].toLowerCase().includes('c1002')).map((r) => r[0]);
  const found = await page.$$eval('#vt .vt-rows .vt-row', (rs) => rs.map((r) => r.dataset.id));
  assert.deepEqual(found, expected.slice(0, found.length));
  assert.match(await page.textContent('#table-count'), new RegExp(`^${expected.length} of`));
  await page.fill('#search', '');
  // Filter by segment (from the segment table's link), then sort by spend descending.
  await page.click('#segment-table tr[data-segment=Champions] button');
  const names = await page.$$eval('#filter-segment option', (os) => os.map((o) => [o.value, o.textContent]));
  const [value] = names.find(([, label]) => label === 'Champions');
  assert.equal(await page.inputValue('#filter-segment'), value);
  await page.click('button[data-sort=monetary]');
  await page.click('button[data-sort=monetary]');
  await page.waitForTimeout(100);
  const champions = rows.filter((r) => r[7] === 'Champions').sort((a, b) => Number(b[3]) - Number(a[3]) || (a[0] < b[0] ? -1 : 1));
  assert.match(await page.textContent('#table-count'), new RegExp(`^${champions.length} of`));
  const shown = await page.$$eval('#vt .vt-rows .vt-row', (rs) => rs.map((r) => r.dataset.id));
  assert.deepEqual(shown.slice(0, 5), champions.slice(0, 5).map((r) => r[0]));
  assert.equal(await page.getAttribute('button[data-sort=monetary] >> xpath=..', 'aria-sort'), 'descending');
  await page.locator('#customers-card').screenshot({ path: join(artifacts, 'panel-customers-filtered.png') });
  await context.close();
});

test('exports: CSV, JSON and report equal the CLI output; chart PNG; recipe round trip', async () => {
  const { context, page, requests } = await openPage();
  const fixture = join(root, 'tests', 'fixtures', 'small.csv');
  await page.setInputFiles('#file', fixture);
  await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
  const loaded = requests.length;
  const { report, csv } = cli(fixture);
  const csvRows = parseCsv(csv.toString('utf8'));
  const json = await saveDownload(page, '#export-json', 'export.json');
  assert.equal(json.suggested, 'small-segmented.json');
  const records = JSON.parse(json.bytes.toString('utf8'));
  const [header, ...body] = csvRows;
  assert.equal(records.length, body.length);
  body.forEach((r, i) => header.forEach((h, j) => {
    const v = records[i][h];
    // The engine's JSON is typed: an empty number is null (the CSV's empty cell).
    assert.equal(typeof v === 'number' ? v : v === null ? '' : String(v), typeof v === 'number' ? Number(r[j]) : r[j], `${h} of ${r[0]}`);
  }));
  const rep = await saveDownload(page, '#export-report', 'export-report.json');
  const pageReport = JSON.parse(rep.bytes.toString('utf8'));
  assert.deepEqual(pageReport, report, 'report.json equals the CLI report');
  const png = await saveDownload(page, 'button[data-chart=segments]', 'segments.png');
  assert.deepEqual([...png.bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join(''), 'PNG');
  assert.ok(png.bytes.length > 5000, 'a real image');
  const grid = await saveDownload(page, 'button[data-chart=grid]', 'grid.png');
  assert.ok(grid.bytes.length > 5000);
  // Load a recipe back: a bad key is rejected with the engine's message, a good one is applied.
  const bad = join(work, 'bad-recipe.json');
  writeFileSync(bad, JSON.stringify({ score: { binz: 4 } }));
  await page.setInputFiles('#recipe-file', bad);
  await page.waitForSelector('#error:not([hidden])');
  assert.match(await page.textContent('#error'), /binz/);
  const good = join(work, 'good-recipe.json');
  writeFileSync(good, JSON.stringify({ score: { method: 'rankFirst' } }));
  await page.evaluate(() => { document.body.dataset.state = 'changing'; });
  await page.setInputFiles('#recipe-file', good);
  await page.waitForFunction(() => document.body.dataset.state === 'ready' && !document.body.dataset.busy);
  assert.equal(await page.inputValue('#set-method'), 'rankFirst');
  assert.match(await page.textContent('#recipe-status'), /good-recipe\.json/);
  const ranked = cli(fixture, { score: { method: 'rankFirst' } });
  assert.deepEqual(await segmentTable(page), Object.fromEntries(ranked.report.segments.summary.map((s) => [s.name, s.customers])));
  const csv2 = await saveDownload(page, '#export-csv', 'ranked.csv');
  assert.deepEqual(csv2.bytes.subarray(3), ranked.csv);
  assert.deepEqual(requests.slice(loaded).filter((u) => !u.startsWith('blob:')), [], 'exports are local blobs');
  await context.close();
});

test('language: Chinese from the browser locale, switchable; data names stay as in the exports', async () => {
  const { context, page, errors } = await openPage({ locale: 'zh-CN' });
  assert.equal(await page.inputValue('#lang'), 'zh');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.match(await page.textContent('#open-title'), /打开/);
  await page.click('#sample-zh');
  await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
  // The Chinese sample's headers are recognised, and the result equals the CLI on the same file.
  const zhPath = join(work, 'sample-zh.csv');
  execFileSync(cliPath, ['sample', '--language', 'zh', '--out', zhPath]);
  const { report } = cli(zhPath);
  assert.deepEqual(await segmentTable(page), Object.fromEntries(report.segments.summary.map((s) => [s.name, s.customers])));
  assert.equal(await page.textContent('#segment-table tr[data-segment=Champions] th'), '冠军客户');
  assert.match(await page.textContent('#roles tr[data-role=customerId] select option'), /客户ID/);
  await page.screenshot({ path: join(artifacts, 'zh.png'), fullPage: true });
  await page.selectOption('#lang', 'en');
  assert.match(await page.textContent('#open-title'), /Open an export/);
  assert.equal(await page.textContent('#segment-table tr[data-segment=Champions] th'), 'Champions');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.deepEqual(errors, []);
  await context.close();
});

test('readable on a tablet (800 px) and the header snippets carry the same policy', async () => {
  const { context, page } = await openPage({ width: 800 });
  await runSample(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal page scroll at 800 px (${overflow})`);
  await page.screenshot({ path: join(artifacts, 'tablet.png'), fullPage: true });
  await context.close();
  const headersFile = readFileSync(join(root, 'www', '_headers'), 'utf8');
  const md = readFileSync(join(root, 'www', 'HEADERS.md'), 'utf8');
  const policy = `${CSP}; frame-ancestors 'none'`;
  assert.ok(headersFile.includes(`Content-Security-Policy: ${policy}`), '_headers');
  assert.equal(md.split(policy).length - 1, 3, 'nginx, Apache and Caddy snippets');
});

/** The entries of a ZIP archive (enough for XLSX: stored or deflated, read from the central directory). */
function unzip(buf) {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const files = {};
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28), extra = buf.readUInt16LE(at + 30), comment = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(dataAt, dataAt + size);
    files[name] = method === 8 ? inflateRawSync(raw) : raw;
    at += 46 + nameLen + extra + comment;
  }
  return files;
}

/** Sheet 1 of an XLSX as rows of cell values (shared strings resolved, numbers as numbers). */
function readXlsx(buf) {
  const files = unzip(buf);
  const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const shared = [...(files['xl/sharedStrings.xml']?.toString('utf8') ?? '').matchAll(/<si>(.*?)<\/si>/gs)]
    .map((m) => unescape([...m[1].matchAll(/<t[^>]*>(.*?)<\/t>/gs)].map((x) => x[1]).join('')));
  const sheet = files['xl/worksheets/sheet1.xml'].toString('utf8');
  const col = (ref) => [...ref.replace(/\d+/, '')].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;
  return [...sheet.matchAll(/<row[^>]*>(.*?)<\/row>/gs)].map((row) => {
    const cells = [];
    for (const c of row[1].matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
      const v = /<v>(.*?)<\/v>/s.exec(c[3] ?? '')?.[1];
      if (v === undefined) continue;
      cells[col(c[1])] = /t="s"/.test(c[2]) ? shared[Number(v)] : /t="str"|t="inlineStr"/.test(c[2]) ? unescape(v) : Number(v);
    }
    return cells;
  });
}

test('Excel export: the workbook holds the CLI customers.csv, numbers as numbers', async (t) => {
  const { context, page } = await openPage();
  await runSample(page);
  if (await page.isHidden('#export-xlsx')) {
    await context.close();
    t.skip('this Wasm build has no customersXlsx()');
    return;
  }
  const { csv } = cli(samplePath());
  const expected = parseCsv(csv.toString('utf8'));
  const xlsx = await saveDownload(page, '#export-xlsx', 'export.xlsx');
  assert.equal(xlsx.suggested, 'tierlens-sample-segmented.xlsx');
  const rows = readXlsx(xlsx.bytes);
  assert.equal(rows.length, expected.length);
  const numeric = new Set(['recency_days', 'frequency', 'monetary', 'r_score', 'f_score', 'm_score', 'aov', 'tenure_days', 'cluster', 'mean_gap_days']);
  const header = expected[0];
  assert.deepEqual(rows[0], header);
  for (let i = 1; i < expected.length; i++) {
    header.forEach((h, j) => {
      const want = expected[i][j];
      const got = rows[i][j];
      if (want === '') assert.equal(got, undefined, `${h} row ${i}`);
      else if (numeric.has(h)) assert.equal(got, Number(want), `${h} row ${i}`);
      else assert.equal(got, want, `${h} row ${i}`);
    });
  }
  await context.close();
});

test('a file whose columns are not recognised can be fixed on the spot by choosing them', async () => {
  const { context, page } = await openPage();
  const file = join(work, 'odd-names.csv');
  writeFileSync(file, 'buyer;moment;paid\nA;2024-01-05;10\nA;2024-02-01;20\nB;2024-03-01;500\nC;2024-03-02;5\nD;2024-01-20;30\n');
  await page.setInputFiles('#file', file);
  await page.waitForSelector('#error:not([hidden]) #fix-read', { timeout: 20_000 });
  await page.screenshot({ path: join(artifacts, 'column-fix.png') });
  await page.selectOption('#fix-customerId', 'buyer');
  await page.selectOption('#fix-date', 'moment');
  await page.selectOption('#fix-amount', 'paid');
  await page.click('#fix-read');
  await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
  const recipe = { input: { columns: { customerId: 'buyer', date: 'moment', amount: 'paid' } } };
  const { report } = cli(file, recipe);
  assert.deepEqual(await segmentTable(page), Object.fromEntries(report.segments.summary.map((s) => [s.name, s.customers])));
  assert.equal(await page.inputValue('#role-date'), 'moment', 'the roles panel shows the choice');
  assert.equal(await page.isHidden('#error'), true);
  await context.close();
});

test('tier, lifecycle, cluster and rules panels draw what the real engine made for the sample', async () => {
  // The page's real Wasm engine analyses the sample; the expectations come from the CLI's output for the
  // same file (customers.csv and report.json), not from objects made up in the test.
  const { context, page, errors } = await openPage();
  await runSample(page);
  const { report, csv } = cli(samplePath());
  const [head, ...rows] = parseCsv(csv.toString('utf8'));
  const col = (name) => head.indexOf(name);
  const tiers = report.valueTiers.summary.map((g) => g.name);
  const stages = report.lifecycle.summary.map((g) => g.name);
  for (const card of ['#tiers-card', '#lifecycle-card', '#clusters-card']) assert.equal(await page.isVisible(card), true, card);
  // The filters list every tier, stage and cluster of the engine's result, plus "all".
  assert.equal(await page.locator('#filter-tier option').count(), tiers.length + 1);
  assert.equal(await page.locator('#filter-lifecycle option').count(), stages.length + 1);
  assert.equal(await page.locator('#filter-cluster option').count(), report.clusters.clusters.length + 1);
  await page.selectOption('#filter-tier', '0');
  const inTier0 = rows.filter((r) => r[col('value_tier')] === tiers[0]).length;
  assert.ok(inTier0 > 0);
  assert.match(await page.textContent('#table-count'), new RegExp(`^${inTier0.toLocaleString('en-US')} of`));
  await page.selectOption('#filter-tier', '');
  // Search by the engine's customer code finds exactly that customer.
  const [id, code] = [rows[5][col('customer_id')], rows[5][col('code')]];
  await page.fill('#search', code.toLowerCase());
  await page.waitForTimeout(300);
  assert.deepEqual(await page.$$eval('#vt .vt-rows .vt-row', (rs) => rs.map((r) => r.dataset.id)), [id], 'search by code');
  const rules = report.rules.clusters.rules;
  assert.equal(await page.locator('#rules-table tbody tr').count(), rules.length);
  assert.equal(await page.textContent('#rules-table tbody tr:first-child td:nth-child(2)'), rules[0].class);
  const p = report.valueTiers.pareto;
  const share = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 }).format(p.revenueShare);
  assert.match(await page.textContent('#pareto'), new RegExp(`top ${p.topPercent} % of customers bring ${share.replace('.', '\\.')}`));
  const titles = { value_tier: 'Segment × Value tier', lifecycle: 'Segment × Lifecycle stage' };
  const picks = report.crosstabs.map((x, i) => [i, titles[x.columnsBy]]).filter(([, t]) => t);
  assert.equal(picks.length, 2, 'the engine made both cross-tabs');
  for (const [i, title] of picks) {
    await page.selectOption('#cross-pick', String(i));
    assert.equal(await page.textContent('#cross-title'), title);
  }
  assert.equal(await page.locator('#vt .vt-head [data-sort=action]').count(), 1, 'action column');
  await page.waitForTimeout(300);
  await page.locator('#tiers-card').screenshot({ path: join(artifacts, 'panel-tiers-engine.png') });
  await page.locator('#lifecycle-card').screenshot({ path: join(artifacts, 'panel-lifecycle-engine.png') });
  await page.locator('#clusters-card').screenshot({ path: join(artifacts, 'panel-clusters-engine.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('segment, grid, tier, lifecycle and cluster charts draw the engine\'s numbers for the sample (read back from ECharts)', async () => {
  const { context, page, errors } = await openPage();
  await runSample(page);
  const { report } = cli(samplePath());
  const drawn = (key) => page.evaluate((k) => window.tierlensPage.chartData(k), key);
  const close = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

  // Segments: bars by customers, largest first; customer and revenue shares as the report has them.
  const seg = await drawn('segments');
  const sorted = [...report.segments.summary].sort((a, b) => b.customers - a.customers);
  assert.deepEqual(seg.xAxis[0].data, sorted.map((s) => s.name));
  assert.deepEqual(seg.series[0].data, sorted.map((s) => s.share));
  assert.deepEqual(seg.series[1].data, sorted.map((s) => s.revenueShare));

  // R × FM grid: every cell's count and segment.
  const grid = await drawn('grid');
  const cells = Object.fromEntries(grid.series[0].data.map((d) => [`${d.value[1] + 1}:${d.value[0] + 1}`, [d.value[2], d.segment]]));
  for (const c of report.segments.grid.cells) assert.deepEqual(cells[`${c.r}:${c.col}`], [c.customers, c.segment], `cell R${c.r} FM${c.col}`);
  assert.equal(grid.series[0].data.reduce((s, d) => s + d.value[2], 0), report.customers);

  // Value tiers: one band per tier with customers, with the report's counts and revenue.
  const tiers = await drawn('tiers');
  const bands = tiers.series[0].data;
  const nonEmpty = report.valueTiers.summary.filter((x) => x.customers > 0);
  assert.deepEqual(bands.map((b) => [b.name, b.customers]), nonEmpty.map((x) => [x.name, x.customers]));
  bands.forEach((b, i) => close(b.revenue, nonEmpty[i].revenue, `${b.name} revenue`));
  assert.match(await page.textContent('#pareto'), new RegExp(`top ${report.valueTiers.pareto.topPercent} % of customers bring ${Math.round(report.valueTiers.pareto.revenueShare * 1000) / 10}%`));

  // Lifecycle: every stage in order with its count.
  const life = await drawn('lifecycle');
  assert.deepEqual(life.yAxis[0].data, report.lifecycle.summary.map((x) => x.name));
  assert.deepEqual(life.series[0].data.map((d) => d.value), report.lifecycle.summary.map((x) => x.customers));

  // Clusters: one map series per cluster with as many points as members; k curves and the chosen k;
  // profiles at the centroids (original units); decision rules.
  const cl = report.clusters;
  const map = await drawn('clusterMap');
  assert.deepEqual(map.series.map((x) => [x.name, x.data.length]), cl.clusters.map((c) => [c.name, c.size]));
  const curves = await drawn('kCurves');
  const sil = curves.series.find((x) => x.name === 'silhouette');
  assert.deepEqual(sil.data.map((d) => d[0]), cl.selection.k);
  assert.deepEqual(sil.data.map((d) => d[2]), cl.selection.silhouette);
  assert.equal(sil.markLine.data[0].xAxis, cl.k);
  const radar = await drawn('clusterRadar');
  const features = Object.keys(cl.clusters[0].centroid);
  assert.deepEqual(radar.radar[0].indicator.map((x) => x.name), features);
  assert.deepEqual(radar.series[0].data.map((d) => d.value), cl.clusters.map((c) => features.map((f) => c.centroid[f])));
  assert.equal(await page.locator('#rules-table tbody tr').count(), report.rules.clusters.rules.length);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a large file streams with progress and can be cancelled; drag-and-drop and the keyboard open files', async () => {
  const { context, page, errors } = await openPage();
  const big = join(work, 'big.csv');
  execFileSync(cliPath, ['sample', '--customers', '200000', '--out', big]);
  // Progress texts seen while reading (stage, percent, rows so far); Cancel is pressed on the first one.
  await page.evaluate(() => {
    window.seen = [];
    new MutationObserver(() => {
      const text = document.getElementById('status-text').textContent;
      window.seen.push(text);
      if (/rows/.test(text) && !window.cancelPressed) { window.cancelPressed = true; document.getElementById('cancel').click(); }
    }).observe(document.getElementById('status-text'), { childList: true, characterData: true, subtree: true });
  });
  await page.setInputFiles('#file', big);
  await page.waitForFunction(() => window.cancelPressed, null, { timeout: 20_000 });
  await page.waitForSelector('#status', { state: 'hidden', timeout: 20_000 });
  assert.equal(await page.isHidden('#error'), true, 'a cancel is not an error');
  assert.equal(await page.isHidden('#results'), true, 'nothing half-read is shown');
  const seen = await page.evaluate(() => window.seen);
  // Two passes: a check of the whole file (duplicates, outlier threshold), then the reading proper.
  const firstScan = seen.findIndex((s) => /^Checking the file \(pass 1 of 2\) \d+(\.\d)?%$/.test(s));
  const firstRead = seen.findIndex((s) => /^Reading \d+(\.\d)?% · [\d,]+ rows · [\d,]+ customers$/.test(s));
  assert.ok(firstScan >= 0 && firstRead > firstScan, JSON.stringify(seen.slice(0, 8)));
  // Drag-and-drop of a file onto the drop zone.
  const text = readFileSync(join(root, 'tests', 'fixtures', 'small.csv'), 'utf8');
  await page.evaluate((content) => {
    const dt = new DataTransfer();
    dt.items.add(new File([content], 'dropped.csv', { type: 'text/csv' }));
    document.getElementById('drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, text);
  await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
  const { report } = cli(join(root, 'tests', 'fixtures', 'small.csv'));
  assert.deepEqual(await segmentTable(page), Object.fromEntries(report.segments.summary.map((s) => [s.name, s.customers])));
  // Keyboard: focus the sample button by tabbing and press Enter.
  await page.evaluate(() => { document.body.dataset.state = ''; document.activeElement?.blur(); });
  for (let i = 0; i < 12 && (await page.evaluate(() => document.activeElement?.id)) !== 'sample'; i++) await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'sample');
  await page.keyboard.press('Enter');
  await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
  assert.equal(Number((await page.textContent('#row-accounting dd[data-k=customers]')).replace(/[^\d]/g, '')), 3000);
  // Every form control of the settings has a label.
  const unlabelled = await page.$$eval('#settings input, #settings select, #columns select, #filters select, #filters input',
    (els) => els.filter((e) => !e.labels?.length && !e.getAttribute('aria-label')).map((e) => e.id));
  assert.deepEqual(unlabelled, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the rule grid editor: a changed cell gives the same segments as the CLI with the saved recipe', async () => {
  const { context, page, errors } = await openPage();
  await runSample(page);
  await page.click('#rules-editor summary');
  assert.equal(await page.locator('#rules-grid input.rule-cell').count(), 25);
  assert.equal(await page.inputValue('#rules-grid input[data-r="5"][data-fm="1"]'), 'Recent Customers');
  assert.equal(await page.inputValue('#rules-grid input[data-r="1"][data-fm="1"]'), 'Lost');
  await page.fill('#rules-grid input[data-r="5"][data-fm="1"]', 'Fresh Faces');
  await page.fill('#rules-grid input[data-r="1"][data-fm="5"]', '');
  await page.evaluate(() => { document.body.dataset.state = 'changing'; });
  await page.click('#apply-rules');
  await page.waitForFunction(() => document.body.dataset.state === 'ready' && !document.body.dataset.busy, null, { timeout: 30_000 });
  assert.equal(await page.inputValue('#set-preset'), '', 'the preset select says: your rules');
  const saved = JSON.parse((await saveDownload(page, '#save-recipe', 'rules-recipe.json')).bytes.toString('utf8'));
  assert.equal(saved.segments.rules.rules.length, 24);
  const { report } = cli(samplePath(), saved);
  const table = await segmentTable(page);
  assert.deepEqual(table, Object.fromEntries(report.segments.summary.map((s) => [s.name, s.customers])));
  assert.ok(table['Fresh Faces'] > 0 && table['Others'] > 0);
  // R 1 × FM 5 is 3 of the 125 R×F×M cells: (F, M) = (4, 5), (5, 4), (5, 5).
  assert.match(await page.textContent('#coverage'), /^3 of 125 /);
  await page.locator('[data-panel=grid]').screenshot({ path: join(artifacts, 'panel-rules-editor.png') });
  // Back to a preset: the custom rules are dropped.
  await changeSetting(page, '#set-preset', 'rfm11');
  assert.equal(await page.locator('#segment-table tr[data-segment="Fresh Faces"]').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a UTF-16 export with Chinese headers: preview decoded like the engine, result like the CLI', async () => {
  const { context, page } = await openPage();
  const text = '订单号\t客户ID\t订单日期\t金额\t地区\r\nA1\t张三\t2024-03-05\t¥1,200.50\t华东\r\nA2\t李四\t2024-03-06\t88\t华南\r\nA3\t张三\t2024-04-01\t300\t华东\r\n';
  const file = join(work, 'utf16.txt');
  writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
  await page.setInputFiles('#file', file);
  await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
  const { report } = cli(file);
  assert.deepEqual(await segmentTable(page), Object.fromEntries(report.segments.summary.map((s) => [s.name, s.customers])));
  const head = await page.$$eval('#preview-table thead th', (ths) => ths.map((th) => th.firstChild.textContent));
  assert.deepEqual(head, ['订单号', '客户ID', '订单日期', '金额', '地区']);
  assert.deepEqual(await page.$$eval('#preview-table tbody tr:first-child td', (tds) => tds.map((td) => td.textContent)), ['A1', '张三', '2024-03-05', '¥1,200.50', '华东']);
  assert.match(await page.textContent('#quality'), /UTF-16/);
  await context.close();
});

for (const name of ['gbk.csv', 'orders.xlsx', 'orders.json', 'semicolon_decimal_comma.csv']) {
  test(`fixture ${name} opened through the file input gives the CLI's result`, async () => {
    const { context, page, errors } = await openPage();
    const fixture = join(root, 'tests', 'fixtures', 'ingest', name);
    await page.setInputFiles('#file', fixture);
    await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
    const { report } = cli(fixture);
    assert.ok(report.customers > 0);
    assert.deepEqual(await segmentTable(page), Object.fromEntries(report.segments.summary.map((s) => [s.name, s.customers])));
    const accounting = await page.$$eval('#row-accounting dd[data-k]', (dds) => Object.fromEntries(dds.map((d) => [d.dataset.k, d.textContent])));
    assert.equal(Number(accounting.rowsRead.replace(/[^\d]/g, '')), report.rowsRead);
    assert.equal(Number(accounting.rowsUsed.replace(/[^\d]/g, '')), report.rowsUsed);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('a damaged .xls that used to make the spreadsheet reader trap: clear message, page keeps working', async () => {
  const { context, page } = await openPage();
  await page.setInputFiles('#file', join(root, 'tests', 'fixtures', 'ingest', 'damaged_cfb.xls'));
  await page.waitForSelector('#error:not([hidden])', { timeout: 30_000 });
  const code = await page.getAttribute('#error', 'data-code');
  // calamine 0.38 panics on this file (fuzz/known-calamine/), a trap in Wasm; the container check
  // refuses it first, so the engine answers with an error instead of dying.
  assert.equal(code, 'unsupported_format');
  assert.match(await page.textContent('#error'), /damaged|损坏/);
  await page.click('#sample');
  await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
  const { report } = cli(samplePath());
  assert.deepEqual(await segmentTable(page), Object.fromEntries(report.segments.summary.map((s) => [s.name, s.customers])));
  await context.close();
});

test('the per-test privacy check (tests/e2e/harness.mjs afterEach) catches a request to another site', async () => {
  // Every test of every harness file is checked after it ends; this shows the check can fail: a page
  // that requests https://example.com/ is recorded and reported as foreign.
  const context = await browser.newContext();
  const page = await context.newPage();
  const foreign = 'https://example.com/';
  await page.goto(foreign, { timeout: 5_000 }).catch(() => {}); // offline: the request is made, then fails
  await context.close();
  assert.deepEqual(foreignRequests(requestsOfThisTest(), origin), [foreign]);
  assert.deepEqual(foreignRequests([`${origin}/app.js`, `blob:${origin}/x`, 'data:,x'], origin), []);
  forgetRequest(foreign); // so that the afterEach check of this very test passes
});
