// The migration panel draws the engine's migration (compare.asOf): a heatmap and a Sankey, the summary
// in EN and ZH, the movers filter in the customer table and the movers.csv download — whose bytes equal
// the native CLI's (tests/golden/migration-sample-movers.csv, kept equal to the CLI by tests/migration.rs).
// The second test uploads an earlier customers.csv made by the CLI and compares with the CLI's
// `--previous` run of the same pair.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { root, artifacts, cliPath, startHarness } from './harness.mjs';

let harness;
before(async () => { harness = await startHarness('tierlens-migration-'); });
after(() => harness?.close());

const golden = readFileSync(join(root, 'tests', 'golden', 'migration-sample-movers.csv'));

test('migration panel: heatmap, Sankey, movers filter, movers.csv download, both languages', async () => {
  const context = await harness.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${harness.origin}/`);
  await page.waitForSelector('body[data-worker=ready]', { timeout: 20_000 });
  await page.setInputFiles('#file', join(root, 'tests', 'fixtures', 'migration', 'sample.csv'));
  await page.waitForSelector('body[data-state=ready]', { timeout: 60_000 });
  assert.equal(await page.isHidden('#migration-body'), true, 'nothing drawn before a date is given');
  await page.fill('#compare-as-of', '2023-12-01');
  await page.selectOption('#compare-cuts', 'previous');
  await page.click('#compare-apply');
  await page.waitForFunction(() => window.tierlensPage.current()?.migration != null, null, { timeout: 60_000 });
  await page.waitForSelector('body[data-state=ready]', { timeout: 60_000 });
  const rows = golden.toString('utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
  const summary = await page.textContent('#migration-summary');
  assert.equal(summary, `2023-12-01 → 2024-12-28: ${rows.length} moves (cut points: the earlier period's).`);
  assert.ok(await page.locator('#migration-heat canvas').count() > 0, 'heatmap drawn');
  // The Sankey's nodes are per period: "then · X" on the left, "now · X" on the right, so Champions →
  // Champions is a band between two nodes, not a cycle; every band is one non-zero cell of the matrix.
  const labels = await page.locator('#migration-sankey text').allTextContents();
  assert.ok(labels.some((l) => l.startsWith('then · (new)')), labels.join(' | '));
  assert.ok(labels.some((l) => l.startsWith('now · ')));
  const cells = await page.evaluate(() => window.tierlensPage.current().migration.classes[0].counts.flat().filter((n) => n > 0).length);
  assert.equal(await page.locator('#migration-sankey path').count(), cells);
  assert.deepEqual(errors, [], 'no error drawing the panel');
  // Movers filter: customers that moved segment.
  const segmentMovers = new Set(rows.filter((r) => r[1] === 'segment').map((r) => r[0])).size;
  await page.selectOption('#filter-moved', '0');
  await page.waitForFunction((n) => document.querySelector('#table-count').textContent.startsWith(`${n} of`), segmentMovers, { timeout: 10_000 });
  // Download: the engine's movers.csv behind a BOM.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#movers-download')]);
  const bytes = readFileSync(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.ok(Buffer.compare(bytes.subarray(3), golden) === 0, 'movers.csv equals the CLI\'s');
  await page.locator('#migration-card').screenshot({ path: join(artifacts, 'migration-en.png') });
  assert.deepEqual(errors, [], 'no error in English');
  await page.selectOption('#lang', 'zh');
  await page.waitForFunction(() => document.querySelector('#migration-summary').textContent.includes('次变动'), null, { timeout: 10_000 });
  assert.equal(await page.textContent('#migration-title'), '客户迁移');
  await page.locator('#migration-card').screenshot({ path: join(artifacts, 'migration-zh.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('migration panel: an earlier customers.csv uploaded in the page gives the CLI\'s --previous migration', async () => {
  const input = join(root, 'tests', 'fixtures', 'migration', 'sample.csv');
  const cli = (out, ...args) => {
    const env = { ...process.env };
    delete env.TIERLENS_PASSPHRASE;
    execFileSync(cliPath, ['segment', input, '--out', join(harness.work, out), ...args], { stdio: 'pipe', env: { ...env, ...(args.includes('--pseudonymise') ? { TIERLENS_PASSPHRASE: 'k' } : {}) } });
    return join(harness.work, out);
  };
  // The earlier period: the same file as of 2023-12-01; the CLI's pair: the whole file --previous it.
  const before = cli('before', '--as-of', '2023-12-01');
  const now = cli('now', '--previous', join(before, 'customers.csv'));
  const migration = JSON.parse(readFileSync(join(now, 'migration.json'), 'utf8'));
  const moversCsv = readFileSync(join(now, 'movers.csv'));
  const pseudonymised = cli('before-p', '--as-of', '2023-12-01', '--pseudonymise');

  const context = await harness.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${harness.origin}/`);
  await page.waitForSelector('body[data-worker=ready]', { timeout: 20_000 });
  await page.setInputFiles('#file', input);
  await page.waitForSelector('body[data-state=ready]', { timeout: 60_000 });
  await page.setInputFiles('#previous-customers', join(before, 'customers.csv'));
  await page.waitForFunction(() => window.tierlensPage.current()?.migration != null, null, { timeout: 60_000 });
  await page.waitForSelector('body[data-state=ready]', { timeout: 60_000 });
  const got = await page.evaluate(() => {
    const m = window.tierlensPage.current().migration;
    return { source: m.source, asOf: m.asOf, cuts: m.cuts, classes: m.classes, movers: m.movers };
  });
  assert.equal(got.source, 'previousFile');
  assert.equal(got.asOf, migration.asOf);
  assert.equal(got.cuts, migration.cuts);
  assert.deepEqual(got.classes, migration.classes, 'the matrices are the CLI\'s');
  assert.deepEqual(got.movers, migration.movers);
  const rows = moversCsv.toString('utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
  assert.equal(await page.textContent('#migration-summary'), `customers.csv → ${migration.asOf}: ${rows.length} moves (cut points: each period its own).`);
  assert.equal(await page.textContent('#migration-class-cuts'), 'Boundaries of this class now: each period its own.');
  assert.ok(await page.locator('#migration-heat canvas').count() > 0, 'heatmap drawn');
  const cells = migration.classes[0].counts.flat().filter((n) => n > 0).length;
  assert.equal(await page.locator('#migration-sankey path').count(), cells);
  // Movers filter: customers of this period that moved segment.
  const current = new Set(await page.evaluate(() => window.tierlensPage.current().ids));
  const segmentMovers = new Set(rows.filter((r) => r[1] === 'segment' && current.has(r[0])).map((r) => r[0])).size;
  assert.ok(segmentMovers > 0);
  await page.selectOption('#filter-moved', '0');
  await page.waitForFunction((n) => document.querySelector('#table-count').textContent.startsWith(`${n} of`), segmentMovers, { timeout: 10_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#movers-download')]);
  const bytes = readFileSync(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.ok(Buffer.compare(bytes.subarray(3), moversCsv) === 0, 'movers.csv equals the CLI\'s');
  assert.deepEqual(errors, [], 'no error in English');
  await page.selectOption('#lang', 'zh');
  await page.waitForFunction(() => document.querySelector('#migration-summary').textContent.includes('次变动'), null, { timeout: 10_000 });
  assert.ok((await page.textContent('#migration-summary')).startsWith('customers.csv → '));
  assert.equal(await page.textContent('#migration-class-cuts'), '此类别现在的边界：每期各自切分。');
  await page.locator('#migration-card').screenshot({ path: join(artifacts, 'migration-previous-zh.png') });
  // A pseudonymised earlier file without its passphrase: refused with the engine's code, worded in
  // Chinese; the comparison in force stays.
  await page.setInputFiles('#previous-customers', join(pseudonymised, 'customers.csv'));
  await page.waitForSelector('#error:not([hidden])', { timeout: 60_000 });
  assert.equal(await page.getAttribute('#error', 'data-code'), 'previous_pseudonymised');
  assert.match(await page.textContent('#error'), /已假名化/);
  assert.equal(await page.evaluate(() => window.tierlensPage.current().migration?.source), 'previousFile');
  // Stop comparing: the panel is empty again.
  await page.click('#previous-clear');
  await page.waitForFunction(() => window.tierlensPage.current()?.migration == null, null, { timeout: 60_000 });
  assert.equal(await page.isHidden('#migration-body'), true);
  assert.deepEqual(errors, [], 'no error in Chinese');
  await context.close();
});
