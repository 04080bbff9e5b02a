// The Pareto figure is the engine's (report.valueTiers.pareto) on both panels: Segments and Tiers show
// the same sentence, with paretoPercent ≠ 20 and customers whose returns make them net-negative.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { root, artifacts, startHarness } from './harness.mjs';

let harness;
before(async () => { harness = await startHarness('tierlens-pareto-'); });
after(() => harness?.close());

test('the Pareto figure is identical on the Segments and Tiers panels (top 30 %, net-negative customers)', async () => {
  const context = await harness.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${harness.origin}/`);
  await page.waitForSelector('body[data-worker=ready]', { timeout: 20_000 });
  // 10 customers; net spend A 1000, B 600, C 300, D 200 − 500 = −300, E 100 − 250 = −150, F 50, G 40,
  // H 30, I 20, J 10: total 1600. The top 30 % = 3 customers (A, B, C) = 1900, so 1900 / 1600 = 118.75 %
  // of net revenue, shown as 118.8% (the page's old figure would have been other: top 20 %, returns
  // clamped to 0).
  await page.setInputFiles('#file', join(root, 'tests', 'fixtures', 'pareto_net_negative.csv'));
  await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
  await page.fill('#set-paretoPercent', '30');
  await page.dispatchEvent('#set-paretoPercent', 'change');
  await page.waitForFunction(() => window.tierlensPage.current()?.report.valueTiers.pareto.topPercent === 30, null, { timeout: 30_000 });
  await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
  const expected = 'The top 30 % of customers bring 118.8% of revenue.';
  assert.equal(await page.textContent('#pareto'), expected, 'Tiers panel');
  assert.ok((await page.textContent('#segments-note')).endsWith(` ${expected}`), 'Segments panel: the same sentence');
  await page.locator('#tiers-card').screenshot({ path: join(artifacts, 'pareto-tiers.png') });
  assert.deepEqual(errors, []);
  await context.close();
});
