// The SQL export on the page (issue 15): the two buttons download the same query files as the CLI's
// `--sql duckdb --sql spark` for the same file and settings; what the query leaves out is shown beside
// the buttons as the engine's coded warning, in EN and ZH; settings that cannot be written as SQL turn
// the buttons off and say why. No console error; the harness checks that nothing beyond the page's own
// files was requested. Needs `make build` and the release CLI (`make cli`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { artifacts, cliPath, startHarness } from './harness.mjs';

let harness;
before(async () => { harness = await startHarness('tierlens-sql-export-'); });
after(() => harness?.close());

let runs = 0;
/** The CLI's SQL files for `input` with `recipe` (a path or null). */
function cliSql(input, recipe) {
  const out = join(harness.work, `cli-${runs++}`);
  execFileSync(cliPath, ['segment', input, '--out', out, '--sql', 'duckdb', '--sql', 'spark', ...(recipe ? ['--recipe', recipe] : [])], { stdio: 'pipe' });
  return { duckdb: readFileSync(join(out, 'segment.duckdb.sql'), 'utf8'), spark: readFileSync(join(out, 'segment.spark.sql'), 'utf8') };
}

async function settle(page, act) {
  await page.evaluate(() => { document.body.dataset.state = 'changing'; });
  await act();
  await page.waitForFunction(() => document.body.dataset.state === 'ready' && !document.body.dataset.busy, null, { timeout: 120_000 });
}

async function saveDownload(page, click, name) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(click)]);
  const path = join(harness.work, name);
  await download.saveAs(path);
  return { text: readFileSync(path, 'utf8'), suggested: download.suggestedFilename() };
}

test('SQL buttons: the downloads equal the CLI’s files; omitted columns and refusals are shown beside them in EN and ZH', async () => {
  const input = join(harness.work, 'shop.csv');
  execFileSync(cliPath, ['sample', '--out', input], { stdio: 'pipe' });
  const context = await harness.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${harness.origin}/`);
  await page.waitForSelector('body[data-worker=ready]', { timeout: 20_000 });
  await settle(page, () => page.setInputFiles('#file', input));

  // Default settings: every covered column is in the query, nothing to say.
  const cli = cliSql(input, null);
  const duck = await saveDownload(page, '#export-sql-duckdb', 'page.duckdb.sql');
  const spark = await saveDownload(page, '#export-sql-spark', 'page.spark.sql');
  assert.equal(duck.suggested, 'shop-segment.duckdb.sql');
  assert.equal(spark.suggested, 'shop-segment.spark.sql');
  assert.equal(duck.text, cli.duckdb, 'the page’s DuckDB query is the CLI’s');
  assert.equal(spark.text, cli.spark, 'the page’s Spark query is the CLI’s');
  assert.ok(duck.text.includes('FROM transactions'), 'a query over the transactions relation');
  assert.equal(await page.isHidden('#sql-notes'), true, 'no note when the query covers everything');

  // The probabilistic lifecycle comes from the fitted BG/NBD model, which the query does not evaluate:
  // the lifecycle column is left out, and the page says so with the engine's code.
  const probabilistic = join(harness.work, 'probabilistic.json');
  writeFileSync(probabilistic, JSON.stringify({ clv: { enabled: true }, lifecycle: { mode: 'probabilistic' } }));
  await settle(page, () => page.setInputFiles('#recipe-file', probabilistic));
  await page.waitForFunction(() => window.tierlensPage.current()?.report.clv != null, null, { timeout: 120_000 });
  await page.waitForSelector('#sql-notes p[data-code=sql_column_omitted]', { timeout: 30_000 });
  const note = await page.textContent('#sql-notes');
  assert.match(note, /lifecycle/, `the note names the column: ${note}`);
  assert.match(note, /P\(alive\)/);
  const withClv = cliSql(input, probabilistic);
  const duck2 = await saveDownload(page, '#export-sql-duckdb', 'page2.duckdb.sql');
  assert.equal(duck2.text, withClv.duckdb, 'still the CLI’s query under these settings');
  assert.ok(!/ AS lifecycle\b/.test(duck2.text), 'the query has no lifecycle column');
  await page.selectOption('#lang', 'zh');
  await page.waitForFunction(() => /SQL 导出不含 lifecycle 列/.test(document.querySelector('#sql-notes')?.textContent ?? ''), null, { timeout: 10_000 });
  await page.locator('#sql-notes').screenshot({ path: join(artifacts, 'sql-notes-zh.png') });
  await page.selectOption('#lang', 'en');

  // rankFirst splits ties by customer id, which literal cut points cannot reproduce: refused, buttons off.
  const rankFirst = join(harness.work, 'rank-first.json');
  writeFileSync(rankFirst, JSON.stringify({ score: { method: 'rankFirst' } }));
  await settle(page, () => page.setInputFiles('#recipe-file', rankFirst));
  await page.waitForSelector('#sql-notes p[data-code=invalid_export]', { timeout: 30_000 });
  assert.match(await page.textContent('#sql-notes'), /No SQL export for these settings:.*rankFirst/);
  assert.equal(await page.isDisabled('#export-sql-duckdb'), true);
  assert.equal(await page.isDisabled('#export-sql-spark'), true);
  assert.throws(() => cliSql(input, rankFirst), 'the CLI refuses the same settings');

  assert.deepEqual(errors, []);
  await context.close();
});
