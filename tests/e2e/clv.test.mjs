// The CLV panel on the CDNOW sample (tests/fixtures/cdnow, MIT licence of `lifetimes`): the file is
// opened through the file input, CLV is turned on in the settings with the 39-week calibration period of
// the literature (calibration end 1997-09-30, weeks), and the panel must show the BG/NBD parameters
// published by Fader, Hardie & Lee (2005), "Counting your customers the easy way", Marketing Science
// 24(2): r = 0.2426, α = 4.4136, a = 0.7929, b = 2.4259 — and the holdout chart with 1,882 actual repeat
// purchases (the count of repeat purchase days after 1997-09-30 in the sample, as the lifetimes
// oracle counts them). Then in Chinese; no console error and no request beyond the page's own files
// (the harness checks the latter after the test).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, artifacts, startHarness } from './harness.mjs';

let harness;
before(async () => { harness = await startHarness('tierlens-clv-'); });
after(() => harness?.close());

/** CDNOW_sample.txt (whitespace-separated, no header: original id, sample id, YYYYMMDD, CDs, dollars)
 * as the CSV export a user would have: customer_id, date, amount. */
function cdnowCsv() {
  const text = readFileSync(join(root, 'tests', 'fixtures', 'cdnow', 'CDNOW_sample.txt'), 'utf8');
  const rows = text.split(/\r?\n/).map((l) => l.trim().split(/\s+/)).filter((f) => f.length >= 5)
    .map(([, id, d, , amount]) => `${Number(id)},${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)},${amount}`);
  return `customer_id,date,amount\n${rows.join('\n')}\n`;
}

const PUBLISHED = { r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 };

test('CLV panel: CDNOW with a 39-week calibration shows the published BG/NBD fit and the holdout chart, in EN and ZH', async () => {
  const file = join(harness.work, 'cdnow.csv');
  writeFileSync(file, cdnowCsv());
  const context = await harness.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${harness.origin}/`);
  await page.waitForSelector('body[data-worker=ready]', { timeout: 20_000 });
  await page.setInputFiles('#file', file);
  await page.waitForSelector('body[data-state=ready]', { timeout: 60_000 });
  assert.equal(await page.isHidden('#clv-card'), true, 'no CLV panel while CLV is off');

  // Turn CLV on (the worker re-reads the file to keep the purchases), then set the calibration end.
  await page.click('#sec-clv summary');
  await page.check('#set-clvEnabled');
  await page.waitForFunction(() => window.tierlensPage.current()?.report.clv != null, null, { timeout: 120_000 });
  await page.waitForSelector('body[data-state=ready]', { timeout: 60_000 });
  await page.fill('#set-clvCalibrationEnd', '1997-09-30');
  await page.dispatchEvent('#set-clvCalibrationEnd', 'change');
  await page.waitForFunction(() => window.tierlensPage.current()?.report.clv?.calibrationEnd === '1997-09-30', null, { timeout: 120_000 });
  await page.waitForSelector('body[data-state=ready]', { timeout: 60_000 });
  assert.equal(await page.inputValue('#set-clvTimeUnit'), 'week', 'weeks (the default) as in the literature');
  await page.selectOption('#set-clvTimeUnit', 'week');
  const recipe = await page.evaluate(() => window.tierlensPage.current().recipe);
  assert.equal(recipe.clv.calibrationEnd, '1997-09-30');
  assert.notEqual(recipe.clv.enabled, false);

  assert.equal(await page.isVisible('#clv-card'), true);
  for (const [name, published] of Object.entries(PUBLISHED)) {
    const shown = Number(await page.textContent(`#clv-params [data-param="${name}"]`));
    assert.ok(Math.abs(shown - published) <= 1e-4, `${name}: shown ${shown}, published ${published}`);
  }
  // The P(alive) bars: ten, one per tenth, summing to the calibration customers (2,357 in the sample).
  const bins = await page.locator('#clv-palive rect[data-bin]').count();
  assert.equal(bins, 10);
  const binTitles = await page.locator('#clv-palive rect[data-bin] title').allTextContents();
  assert.equal(binTitles.reduce((s, x) => s + Number(x.split(': ')[1].replace(/,/g, '')), 0), 2357);
  // The per-segment and per-tier tables: one row per class of the engine.
  assert.ok(await page.locator('#clv-segments tbody tr').count() > 0);
  assert.ok(await page.locator('#clv-tiers tbody tr').count() > 0);
  // The holdout chart: two curves, the actual one ending at 1,882.
  assert.equal(await page.isVisible('#clv-holdout-box'), true);
  assert.equal(await page.locator('#clv-holdout path[data-series]').count(), 2);
  assert.equal(await page.textContent('#clv-holdout text[data-end=actual]'), 'actual 1,882');
  assert.match(await page.textContent('#clv-holdout-summary'), /1,882 actual repeat purchases/);
  await page.locator('#clv-card').screenshot({ path: join(artifacts, 'clv-en.png') });
  assert.deepEqual(errors, [], 'no error in English');

  await page.selectOption('#lang', 'zh');
  await page.waitForFunction(() => document.querySelector('#clv-holdout-summary').textContent.includes('实际重复购买'), null, { timeout: 10_000 });
  assert.equal(await page.textContent('#clv-title'), '客户随时间的变化：存活概率、预期购买、CLV');
  assert.equal(await page.textContent('#clv-holdout text[data-end=actual]'), '实际 1,882');
  assert.equal(await page.textContent('label[for=set-clvEnabled]'), '预测存活概率、购买次数和 CLV ↻');
  await page.locator('#clv-card').screenshot({ path: join(artifacts, 'clv-zh.png') });
  assert.deepEqual(errors, [], 'no error in Chinese');
  await context.close();
});
