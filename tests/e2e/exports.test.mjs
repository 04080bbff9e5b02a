// Browser tests of the export options (pseudonyms, dropped columns) and of the "What was read" panel's
// reading decisions. Needs `make build` and the release CLI (`make cli`).
//
// Fixtures (tests/fixtures/realworld/page_*): page_export_ids.csv (ids a spreadsheet takes for
// formulas, a phone number, Chinese names), page_title_row.csv (`Sales Report 2024,,,` and `,,,` above
// the header), page_sheets.xlsx (two sheets of one layout and a `Notes` sheet; made by
// tests/page_fixtures.rs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { inflateRawSync } from 'node:zlib';
import { join } from 'node:path';
import { root, artifacts, cliPath, startHarness } from './harness.mjs';


const fixture = (name) => join(root, 'tests', 'fixtures', 'realworld', name);
const PASSPHRASE = '月光 test passphrase';
// From Python's hmac module (an independent implementation), as in tests/exports.rs.
const PSEUDONYMS = { '-2+3': 'p_09c96a5648919092', '13800138000': 'p_d979cf4a4b1a5f3d', '=SUM(A1)': 'p_910fefa763a1aa64', '@王五': 'p_5d6a0cd4765d6838', 张三: 'p_c8ad2509bafd1c6a' };

let harness, browser, origin, work;
before(async () => {
  harness = await startHarness('tierlens-e2e-exports-');
  ({ browser, origin, work } = harness);
});
after(() => harness?.close());

let runs = 0;
/** The CLI on `input` with extra arguments and environment; its outputs as text. */
function cli(input, args = [], env = {}) {
  const out = join(work, `out-${runs++}`);
  const clean = { ...process.env };
  delete clean.TIERLENS_PASSPHRASE;
  execFileSync(cliPath, ['segment', input, '--out', out, ...args], { stdio: 'pipe', env: { ...clean, ...env } });
  return { report: JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')), csv: readFileSync(join(out, 'customers.csv'), 'utf8') };
}

async function openPage({ locale = 'en-US' } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, locale });
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}/`);
  await page.waitForSelector('body[data-worker=ready]', { timeout: 20_000 });
  return { context, page, requests, errors };
}

async function openFile(page, path) {
  await page.setInputFiles('#file', path);
  await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
}

async function saveDownload(page, click, name) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(click)]);
  const path = join(work, name);
  await download.saveAs(path);
  return { bytes: readFileSync(path), suggested: download.suggestedFilename() };
}

/** Every entry of a ZIP archive, inflated (enough for an XLSX). */
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
    files[name] = (method === 8 ? inflateRawSync(raw) : raw).toString('utf8');
    at += 46 + nameLen + extra + comment;
  }
  return files;
}

const stripBom = (buf) => (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf).toString('utf8');

test('pseudonymised exports: the page’s CSV equals the CLI’s, no raw id anywhere, no request made', async () => {
  const { context, page, requests, errors } = await openPage();
  const input = fixture('page_export_ids.csv');
  await openFile(page, input);
  const type = await page.getAttribute('#export-passphrase', 'type');
  assert.equal(type, 'password');
  assert.equal(await page.getAttribute('#export-passphrase', 'autocomplete'), 'off');
  await page.fill('#export-passphrase', PASSPHRASE);
  await page.check('#drop-region');
  await page.check('#drop-action');
  const loaded = requests.length;

  const csv = await saveDownload(page, '#export-csv', 'pseudo.csv');
  assert.equal(csv.suggested, 'page_export_ids-segmented-pseudonymised.csv');
  const { csv: cliCsv, report: cliReport } = cli(input, ['--pseudonymise', '--drop-columns', 'region,action'], { TIERLENS_PASSPHRASE: PASSPHRASE });
  assert.equal(stripBom(csv.bytes), cliCsv, 'the page and the CLI write the same pseudonymised list');
  const ids = cliCsv.trim().split('\r\n').slice(1).map((l) => l.split(',')[0]);
  assert.deepEqual(ids, Object.values(PSEUDONYMS), 'HMAC-SHA-256 pseudonyms as Python computes them');
  assert.ok(!cliCsv.split('\r\n')[0].split(',').includes('region'));

  const report = await saveDownload(page, '#export-report', 'pseudo-report.json');
  assert.deepEqual(JSON.parse(report.bytes.toString('utf8')), cliReport, 'report.json as the CLI writes it');
  const json = await saveDownload(page, '#export-json', 'pseudo.json');
  const records = JSON.parse(json.bytes.toString('utf8'));
  assert.deepEqual(records.map((r) => r.customer_id), Object.values(PSEUDONYMS));
  assert.ok(records.every((r) => !('region' in r) && !('action' in r)));
  const xlsx = await saveDownload(page, '#export-xlsx', 'pseudo.xlsx');
  const parts = Object.values(unzip(xlsx.bytes)).join('\n');
  assert.ok(parts.includes(PSEUDONYMS['13800138000']));
  for (const [raw] of Object.entries(PSEUDONYMS)) {
    for (const [what, text] of [['csv', stripBom(csv.bytes)], ['report', report.bytes.toString('utf8')], ['json', json.bytes.toString('utf8')], ['xlsx', parts]]) {
      assert.ok(!text.includes(raw.replace('&', '&amp;')), `${what} leaks ${raw}`);
    }
  }
  assert.ok(!report.bytes.toString('utf8').includes('月光'), 'the passphrase is in no output');
  assert.deepEqual(requests.slice(loaded).filter((u) => !u.startsWith('blob:')), [], 'exports are local blobs: no request made');
  // Nothing kept: no storage of any kind holds the passphrase.
  const stored = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie }));
  assert.ok(!stored.includes('月光'), stored);

  // Without a passphrase: the plain list, real ids (the CSV guarded, as always).
  await page.fill('#export-passphrase', '');
  await page.uncheck('#drop-region');
  await page.uncheck('#drop-action');
  const plain = await saveDownload(page, '#export-csv', 'plain.csv');
  assert.equal(plain.suggested, 'page_export_ids-segmented.csv');
  assert.equal(stripBom(plain.bytes), cli(input).csv);
  assert.deepEqual(errors, []);
  await page.locator('#export-title').scrollIntoViewIfNeeded();
  await page.fill('#export-passphrase', 'secret');
  await page.check('#drop-region');
  await page.locator('#export-title >> xpath=..').screenshot({ path: join(artifacts, 'export-options.png') });
  await context.close();
});

test('Excel export keeps formula-like ids as text without the CSV apostrophe', async () => {
  const { context, page } = await openPage();
  await openFile(page, fixture('page_export_ids.csv'));
  const xlsx = await saveDownload(page, '#export-xlsx', 'ids.xlsx');
  const files = unzip(xlsx.bytes);
  const strings = [...(files['xl/sharedStrings.xml'] ?? '').matchAll(/<t[^>]*>(.*?)<\/t>/gs)].map((m) => m[1].replace(/&amp;/g, '&'));
  for (const id of ['-2+3', '=SUM(A1)', '@王五']) {
    assert.ok(strings.includes(id), `${id} is a string cell as it is`);
    assert.ok(!strings.includes(`'${id}`), `${id} has no apostrophe`);
  }
  assert.ok(!/<f>/.test(files['xl/worksheets/sheet1.xml']), 'no formula cells');
  const csv = await saveDownload(page, '#export-csv', 'ids.csv');
  assert.match(stripBom(csv.bytes), /\r\n'-2\+3,/, 'the CSV keeps neutralising');
  await context.close();
});

test('What was read: every decision of report.json is a row with value, basis, evidence and setting, in both languages', async () => {
  const input = fixture('page_export_ids.csv');
  const { report } = cli(input);
  const decisions = report.input.decisions;
  assert.ok(decisions.length >= 4, 'the engine lists its decisions');
  for (const [locale, words] of [['en-US', { encoding: 'Text encoding', file: 'the file', role: 'Column for Customer id' }], ['zh-CN', { encoding: '文本编码', file: '文件内容', role: '客户 ID所在列' }]]) {
    const { context, page, errors } = await openPage({ locale });
    await openFile(page, input);
    const rows = await page.$$eval('#decisions tr.decision', (trs) => trs.map((tr) => ({
      code: tr.dataset.code, basis: tr.dataset.basis, what: tr.querySelector('th').textContent,
      value: tr.querySelector('[data-k=value]').textContent, how: tr.querySelector('[data-k=basis]').textContent,
      evidence: tr.querySelector('[data-k=evidence]').textContent, key: tr.querySelector('[data-k=key]').textContent,
    })));
    assert.deepEqual(rows.map((r) => [r.code, r.basis, r.key]), decisions.map((d) => [d.code, d.basis, d.key]));
    // Evidence without a code is the engine's English text; coded evidence is worded by the page in
    // its language and must carry every number the engine sent with it.
    rows.forEach((r, i) => {
      const d = decisions[i];
      if (!d.evidenceCode) return assert.equal(r.evidence, d.evidence, d.code);
      assert.ok(r.evidence && r.evidence !== d.evidenceCode, `${d.code}: worded evidence`);
      const flat = r.evidence.replace(/[\s,\u00a0\u202f]/g, '');
      for (const v of Object.values(d.evidenceParams ?? {})) {
        if (/^\d+$/.test(v)) assert.ok(flat.includes(v), `${d.code}: ${v} in ${r.evidence}`);
      }
    });
    const enc = rows.find((r) => r.code === 'encoding');
    assert.equal(enc.what, words.encoding);
    assert.equal(enc.how, words.file);
    assert.equal(enc.value, 'UTF-8');
    const id = rows.find((r) => r.key === 'input.columns.customerId');
    assert.equal(id.what, words.role);
    assert.equal(id.value, '“customer_id”');
    assert.match(await page.textContent('#read-summary'), /UTF-8/);
    await page.locator('#quality-title >> xpath=..').screenshot({ path: join(artifacts, `decisions-${locale}.png`) });
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('a decision with a warning is highlighted with its warning beside it; an unknown code shows as itself', async () => {
  const { context, page } = await openPage({ locale: 'zh-CN' });
  await openFile(page, fixture('page_export_ids.csv'));
  // The contract of src/ingest/decision.rs drawn by hand: the page draws whatever decisions come.
  await page.evaluate(() => {
    const result = window.tierlensPage.current();
    const report = structuredClone(result.report);
    report.input.decisions.push(
      { code: 'dateOrder', value: 'dmy', basis: 'default', evidence: 'no value has a day above 12', key: 'input.dateOrder', warning: { code: 'date_order_guessed', params: { column: 'date', example: '"03/04/2024"' }, message: 'dates such as "03/04/2024" in column "date" read either way' } },
      { code: 'someNewDecision', value: 'x', basis: 'file', evidence: 'because', key: 'input.someKey' },
    );
    window.tierlensPage.render({ ...result, report });
  });
  const warned = page.locator('#decisions tr.decision.warned[data-code=dateOrder]');
  assert.equal(await warned.count(), 1);
  assert.match(await warned.locator('[data-k=basis]').textContent(), /默认值/);
  assert.match(await warned.locator('[data-k=value]').textContent(), /日在前/);
  const warning = page.locator('#decisions tr.decision.warned[data-code=dateOrder] + tr.decision-warning');
  const text = await warning.textContent();
  // Worded in Chinese from the warning's code and params, not shown as the English message.
  assert.match(text, /03\/04\/2024/);
  assert.match(text, /input\.dateOrder/);
  assert.match(text, /已按日\/月\/年读取/);
  assert.doesNotMatch(text, /read either way/);
  const unknown = page.locator('#decisions tr.decision[data-code=someNewDecision] th');
  assert.equal(await unknown.textContent(), 'someNewDecision');
  await page.locator('#decisions').screenshot({ path: join(artifacts, 'decisions-warning-zh.png') });
  await context.close();
});

test('an Excel input is summarised as a workbook, not as text with an encoding and a delimiter', async () => {
  const { context, page } = await openPage();
  await openFile(page, join(root, 'tests', 'fixtures', 'ingest', 'orders.xlsx'));
  const line = await page.textContent('#read-summary');
  assert.match(line, /Read as an Excel workbook/);
  assert.doesNotMatch(line, /delimiter|windows-1252|null/);
  await context.close();
});

test('title-row CSV: the headerRow decision is shown (row 3, from the file, input.headerRow), in English and Chinese', async () => {
  for (const [locale, what, value] of [['en-US', /header/i, 'row 3'], ['zh-CN', /表头/, '第 3 行']]) {
    const { context, page } = await openPage({ locale });
    try {
      await openFile(page, fixture('page_title_row.csv'));
      const row = page.locator('#decisions tr.decision[data-code=headerRow]');
      assert.equal(await row.count(), 1);
      assert.equal(await row.locator('[data-k=value]').textContent(), value);
      assert.equal(await row.locator('[data-k=key]').textContent(), 'input.headerRow');
      assert.equal(await row.getAttribute('data-basis'), 'file');
      assert.match(await row.textContent(), what);
      // The two rows above the header are set aside as the preamble, not read as customers.
      assert.equal(await page.textContent('#row-accounting [data-k=customers]'), '3');
      assert.equal(await page.locator('#rejections tr[data-reason=preamble]').count(), 1);
      await page.locator('#quality-title >> xpath=..').screenshot({ path: join(artifacts, `title-row-${locale}.png`) });
    } finally {
      await context.close();
    }
  }
});

test('workbook with two quarterly sheets and a Notes sheet: the sheets warning is beside the decision, in English and Chinese', async () => {
  for (const [locale, own] of [['en-US', null], ['zh-CN', /工作表/]]) {
    const { context, page } = await openPage({ locale });
    try {
      await openFile(page, fixture('page_sheets.xlsx'));
      const row = page.locator('#decisions tr.decision.warned[data-code=sheets]');
      assert.equal(await row.count(), 1);
      const warning = await page.locator('#decisions tr.decision.warned[data-code=sheets] + tr.decision-warning').textContent();
      assert.match(warning, /Notes/);
      if (own) assert.match(warning, own);
      assert.equal(await page.textContent('#row-accounting [data-k=customers]'), '4');
      await page.locator('#quality-title >> xpath=..').screenshot({ path: join(artifacts, `sheets-warning-${locale}.png`) });
    } finally {
      await context.close();
    }
  }
});
