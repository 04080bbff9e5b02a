// The recipe-setting errors (one code per setting, src/error.rs) are worded in Chinese from their
// parameters, with the setting named as the page names it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorText, setLanguage } from '../../www/i18n.js';

test('recipe-setting errors are worded from their code and parameters', () => {
  setLanguage('zh');
  const bins = { code: 'score_bins', message: 'invalid recipe: score.bins: 7 bins: use 3, 4 or 5', params: { field: 'score.bins', bins: '7' } };
  assert.equal(errorText(bins), '设置无效：评分档数：7 档不可用，请用 3、4 或 5。');
  const twice = { code: 'tier_name_twice', message: 'invalid recipe: …', params: { field: 'valueTiers.bands[2].name', name: 'Gold' } };
  assert.equal(errorText(twice), '设置无效：价值分层第 3 层的名称：层级名称“Gold”重复使用。');
  const cuts = { code: 'cut_count', message: 'invalid recipe: …', params: { field: 'score.cuts.monetary', metric: 'monetary', given: '2', bins: '5', needed: '4' } };
  assert.equal(errorText(cuts), '设置无效：金额切分点：给出了 2 个切分点，5 档需要 4 个。');
  const asOf = { code: 'as_of_before_data', message: 'invalid recipe: asOf: …', params: { field: 'asOf', asOf: '2024-01-02', latest: '2024-01-09' } };
  assert.equal(errorText(asOf), '设置无效：分析日期：2024-01-02 早于最后一笔交易（2024-01-09）；请用这个分析日期重新读取文件。');
  const template = { code: 'invalid_code_template', message: 'invalid expression in codes.template at column 8: …', params: { field: 'codes.template', position: '8', detail: 'unknown placeholder {sequence}' } };
  assert.equal(errorText(template), '编号模板第 8 个字符处有误：unknown placeholder {sequence}');
  setLanguage('en');
  assert.equal(errorText(bins), bins.message, 'English: the engine\'s own text');
});

test('the compare section\'s errors are worded in Chinese', () => {
  setLanguage('zh');
  const order = { code: 'compare_as_of_order', message: 'invalid recipe: compare.asOf: …', params: { field: 'compare.asOf', compareAsOf: '2024-03-01', asOf: '2024-01-06' } };
  assert.equal(errorText(order), '设置无效：对比日期（前一期）：对比日期 2024-03-01 不早于分析日期 2024-01-06。');
  const cuts = { code: 'compare_cuts', message: 'invalid recipe: compare.cuts: …', params: { field: 'compare.cuts', given: 'both' } };
  assert.match(errorText(cuts), /^设置无效：对比的切分点：“both”不可用/);
  setLanguage('en');
  assert.equal(errorText(order), order.message);
});

test('the clv section\'s errors are worded in Chinese', () => {
  setLanguage('zh');
  const unit = { code: 'clv_time_unit', message: 'invalid recipe: clv.timeUnit: …', params: { field: 'clv.timeUnit', given: 'year' } };
  assert.equal(errorText(unit), '设置无效：CLV 时间单位：“year”不可用，请用 "day"（天）、"week"（周）或 "month"（月）。');
  const end = { code: 'clv_calibration_end', message: 'invalid recipe: clv.calibrationEnd: …', params: { field: 'clv.calibrationEnd', calibrationEnd: '1998-07-01', asOf: '1998-06-01' } };
  assert.equal(errorText(end), '设置无效：CLV 校准期截止日：校准期截止日 1998-07-01 不早于分析日期 1998-06-01。');
  const mode = { code: 'lifecycle_needs_clv', message: 'invalid recipe: lifecycle.mode: …', params: { field: 'lifecycle.mode' } };
  assert.match(errorText(mode), /^设置无效：生命周期模式：/);
  setLanguage('en');
  assert.equal(errorText(unit), unit.message);
});
