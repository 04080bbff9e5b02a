// The page's wording of what the engine read (www/app/words.js), fed with the real engine's report
// (the Node build in pkg/; `make build` first): the "Read as …" line for every input format, and the
// reading decisions' evidence worded from codes in both languages with numbers grouped. Expected
// text by hand from the fixtures' bytes (encodings, delimiters, sheet names, line counts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSummary, evidenceText, warningText, paramWords } from '../../www/app/words.js';
import { setLanguage } from '../../www/i18n.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const engine = createRequire(import.meta.url)(join(root, 'pkg', 'node', 'tierlens.js'));
const fixture = (...p) => readFileSync(join(root, 'tests', 'fixtures', ...p));

/** report.json of the engine for a fixture (clusters and rules off: not what these tests read). */
function report(...path) {
  const result = engine.segment(fixture(...path), { cluster: { enabled: false }, explain: { enabled: false } });
  try {
    return result.report();
  } finally {
    result.free();
  }
}

const inLanguage = (l, f) => {
  setLanguage(l);
  try {
    return f();
  } finally {
    setLanguage('en');
  }
};

test('the summary line is right for every format (no "delimiter null" for a workbook)', () => {
  const cases = [
    [['ingest', 'utf8.csv'], 'Read as delimited text, UTF-8, delimiter “,”.', '按分隔文本读取，编码 UTF-8，分隔符 “,”。'],
    [['ingest', 'utf8_bom.csv'], 'Read as delimited text, UTF-8 with BOM, delimiter “,”.', '按分隔文本读取，编码 UTF-8（带 BOM），分隔符 “,”。'],
    [['ingest', 'tab.tsv'], 'Read as delimited text, UTF-8, delimiter tab.', '按分隔文本读取，编码 UTF-8，分隔符 制表符。'],
    [['ingest', 'gbk.csv'], 'Read as delimited text, gb18030, delimiter “,”.', '按分隔文本读取，编码 gb18030，分隔符 “,”。'],
    [['ingest', 'orders.json'], 'Read as JSON, UTF-8.', '按 JSON 读取，编码 UTF-8。'],
    [['ingest', 'orders.xlsx'], 'Read as an Excel workbook, sheet “Orders”.', '按 Excel 工作簿读取，工作表“Orders”。'],
  ];
  for (const [path, en, zh] of cases) {
    const d = report(...path).input.detected;
    assert.equal(inLanguage('en', () => readSummary(d)), en, path.join('/'));
    assert.equal(inLanguage('zh', () => readSummary(d)), zh, path.join('/'));
    for (const text of [en, zh]) assert.doesNotMatch(text, /null|undefined|\{/);
  }
});

test('every reading decision of these files is worded from its code in Chinese, not shown in English', () => {
  for (const path of [['ingest', 'tab.tsv'], ['ingest', 'gbk.csv'], ['ingest', 'space_aligned.txt'], ['ingest', 'headerless.csv'],
    ['ingest', 'orders.json'], ['realworld', 'quarterly.xlsx'], ['realworld', 'title_rows.csv'], ['realworld', 'reader_fixed_width.txt']]) {
    for (const d of report(...path).input.decisions) {
      assert.ok(d.evidenceCode, `${path.join('/')}: ${d.code} has no evidence code`);
      const zh = inLanguage('zh', () => evidenceText(d));
      assert.notEqual(zh, d.evidence, `${path.join('/')}: ${d.code} shows the English evidence`);
      assert.doesNotMatch(zh, /\{\w+\}|undefined/, `${path.join('/')}: ${d.code}: ${zh}`);
      assert.match(zh, /[\u4e00-\u9fff]/, `${path.join('/')}: ${d.code}: ${zh}`);
    }
  }
});

test('the decisions of a tab file and a workbook read as people would say them', () => {
  const tab = report('ingest', 'tab.tsv').input.decisions.find((d) => d.code === 'delimiter');
  assert.equal(inLanguage('en', () => evidenceText(tab)), '12 of 12 lines have 5 × tab.');
  assert.equal(inLanguage('zh', () => evidenceText(tab)), '12 行中有 12 行含 5 个 制表符。');
  const sheets = report('realworld', 'quarterly.xlsx').input.decisions.find((d) => d.code === 'sheets');
  assert.equal(inLanguage('en', () => evidenceText(sheets)),
    '9 sheets: 8 share the header of “Q1” and are read; another layout, not read: \'Notes\'; empty: (none).');
  // The matched names are listed in role order (customer id, order id, date, amount, region).
  const header = report('realworld', 'title_rows.csv').input.decisions.find((d) => d.code === 'headerRow');
  assert.equal(inLanguage('zh', () => evidenceText(header)),
    '第 3 行：客户ID, 订单号, 下单时间, 实付金额, 省份 对应 5 个角色；其上方的第 1–2 行作为前置说明被搁置。');
});

test('the header evidence counts roles and preamble rows in the right number (EN), unchanged in ZH', () => {
  const one = { code: 'headerRow', evidence: 'row 1: id match 1 role', evidenceCode: 'header_match', evidenceParams: { row: '1', names: 'id', roles: '1' } };
  assert.equal(inLanguage('en', () => evidenceText(one)), 'Row 1 has column names for 1 role: id.');
  assert.equal(inLanguage('zh', () => evidenceText(one)), '第 1 行：id 对应 1 个角色。');
  const three = { ...one, evidenceParams: { row: '2', names: 'id, date, amount', roles: '3' } };
  assert.equal(inLanguage('en', () => evidenceText(three)), 'Row 2 has column names for 3 roles: id, date, amount.');
  const above = (rows) => ({ ...one, evidenceCode: 'header_match_preamble', evidenceParams: { row: '3', names: 'id, amount', roles: '2', above: rows } });
  assert.equal(inLanguage('en', () => evidenceText(above('1–2'))), 'Row 3 has column names for 2 roles: id, amount; set aside above it (preamble): rows 1–2.');
  assert.equal(inLanguage('en', () => evidenceText(above('2'))), 'Row 3 has column names for 2 roles: id, amount; set aside above it (preamble): row 2.');
  assert.equal(inLanguage('zh', () => evidenceText(above('2'))), '第 3 行：id, amount 对应 2 个角色；其上方的第 2 行作为前置说明被搁置。');
  const recipe = { code: 'headerRow', evidenceCode: 'header_recipe_preamble', evidenceParams: { row: '2', above: '1' } };
  assert.equal(inLanguage('en', () => evidenceText(recipe)), 'Row 2, set by your settings; set aside above it (preamble): row 1.');
});

test('numbers in evidence and warning params are grouped through one helper; names stay as written', () => {
  // The sample's 20,228 order lines, as the engine sends them (plain digits).
  const d = { code: 'dateOrder', evidence: 'column "order_date": 20228 values: …', evidenceCode: 'date_order_free', evidenceParams: { column: '2024', values: '20228' } };
  assert.equal(inLanguage('en', () => evidenceText(d)), 'Column "2024", 20,228 values: no value depends on the day/month order.');
  assert.equal(inLanguage('zh', () => evidenceText(d)), '列“2024”共 20,228 个值：没有值受日/月顺序影响。');
  const w = { code: 'duplicates_kept', params: { kept: '1234567' }, message: '…' };
  assert.match(inLanguage('en', () => warningText(w)), /1,234,567/);
  assert.deepEqual(inLanguage('en', () => paramWords({ percent: '85', q: '0.8734', delimiter: ';', other: '' })),
    { percent: '85', q: '0.8734', delimiter: '“;”', other: '(none)' });
  // A one-time stream's decisions say they come from its first rows.
  const first = { ...d, evidenceParams: { ...d.evidenceParams, firstRows: '10000' } };
  assert.match(inLanguage('en', () => evidenceText(first)), /^First 10,000 rows only \(read once\): Column "2024"/);
});
