// Every error code the engine can emit has a Chinese message in www/i18n.js. The codes are read from
// src/error/codes.rs (`Error::code`, an exhaustive match), so a new variant without a Chinese message fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERRORS_ZH, errorText, setLanguage } from '../../www/i18n.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const source = readFileSync(join(root, 'src', 'error', 'codes.rs'), 'utf8');

/** The string literals returned by `fn code(&self)` in src/error/codes.rs. */
function engineCodes() {
  const start = source.indexOf('pub fn code(&self)');
  assert.ok(start > 0, 'Error::code is in src/error/codes.rs');
  const body = source.slice(start, source.indexOf('\n    }\n', start));
  return [...body.matchAll(/=>\s*"([a-z_]+)"/g)].map((m) => m[1]);
}

/** The parameter names `Error::params` can give (the `("name", …)` pairs in its body). */
function engineParams() {
  const start = source.indexOf('pub fn params(&self)');
  assert.ok(start > 0, 'Error::params is in src/error/codes.rs');
  const body = source.slice(start, source.indexOf('\n    }\n', start));
  return new Set([...body.matchAll(/\("([a-zA-Z]+)",/g)].map((m) => m[1]));
}

test('every engine error code has a Chinese message', () => {
  const codes = engineCodes();
  assert.ok(codes.length >= 12, `found ${codes.length} codes`);
  const missing = codes.filter((c) => !ERRORS_ZH[c]);
  assert.deepEqual(missing, [], 'add these codes to ERRORS_ZH in www/i18n.js');
});

test('the Chinese messages use only parameters the engine gives', () => {
  const known = new Set([...engineParams(), 'atColumn']);
  for (const [code, template] of Object.entries(ERRORS_ZH)) {
    for (const [, name] of template.matchAll(/\{(\w+)\}/g)) assert.ok(known.has(name), `${code}: {${name}}`);
  }
});

test('errors are worded by code and parameters; unknown codes keep the English message', () => {
  setLanguage('zh');
  const bad = { code: 'bad_row', message: 'row 17, column "date": unterminated quote', params: { row: '17', column: 'date', detail: 'unterminated quote' } };
  assert.equal(errorText(bad), '第 17 行，列“date”：unterminated quote');
  const missing = { code: 'missing_column', message: 'missing required column: date (…)', params: { role: 'date', lookedFor: 'date, 日期', found: 'customer, amount' } };
  assert.equal(errorText(missing), '缺少必需的列：日期（可识别的表头如 date, 日期；文件中的列：customer, amount）');
  const expr = { code: 'invalid_expression', message: 'invalid expression …', params: { field: 'customTiers.rules[1].when', position: '9', detail: 'unknown field "monetry"' } };
  assert.equal(errorText(expr), '自定义层级规则 2 的条件第 9 个字符处有误：unknown field "monetry"');
  const band = { code: 'invalid_recipe', message: 'invalid recipe: …', params: { field: 'valueTiers.bands[2].name', detail: 'tier name "Gold" is used twice' } };
  assert.equal(errorText(band), '设置无效：价值分层第 3 层的名称：tier name "Gold" is used twice');
  assert.equal(errorText({ ...band, params: { field: 'some.newSetting', detail: 'x' } }), '设置无效：some.newSetting：x', 'an unnamed setting keeps its path');
  assert.equal(errorText({ code: 'something_new', message: 'an English message' }), 'an English message');
  // Parameters missing (an older engine without params): the English message, not a broken sentence.
  assert.equal(errorText({ code: 'bad_row', message: 'row 3: x' }), 'row 3: x');
  setLanguage('en');
  assert.equal(errorText(bad), bad.message);
});
