// Unit tests of the page's pure helpers (www/app/*.js), in Node without a browser. Expected values by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getPath, setPath, parseList, sameRecipe, recipeDiff } from '../../www/app/paths.js';
import { tableOrder } from '../../www/app/order.js';
import { fmtDate, liftClass, formatters } from '../../www/app/format.js';
import { fromWorker } from '../../www/app/result.js';
import { warningText, rejectText, featureLabel } from '../../www/app/words.js';
import { setLanguage } from '../../www/i18n.js';

test('setPath writes a copy, removes with undefined and leaves no empty objects', () => {
  const r = { score: { bins: 4 } };
  const next = setPath(r, ['cluster', 'k'], 3);
  assert.deepEqual(next, { score: { bins: 4 }, cluster: { k: 3 } });
  assert.deepEqual(r, { score: { bins: 4 } }, 'the original is untouched');
  assert.deepEqual(setPath(next, ['score', 'bins'], undefined), { cluster: { k: 3 } });
  assert.deepEqual(setPath({}, ['a', 'b', 'c'], undefined), {});
  assert.equal(getPath(next, ['cluster', 'k']), 3);
  assert.equal(getPath(next, ['nope', 'k']), undefined);
});

test('parseList reads numbers with commas, Chinese commas, semicolons or spaces', () => {
  assert.deepEqual(parseList('1, 2，3;4 5'), [1, 2, 3, 4, 5]);
  assert.equal(parseList('  '), undefined);
});

test('sameRecipe ignores key order; recipeDiff names the changed settings', () => {
  assert.ok(sameRecipe({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 }));
  assert.ok(!sameRecipe({ a: [1, 2] }, { a: [2, 1] }));
  assert.deepEqual(recipeDiff({ score: { bins: 5 }, asOf: '2024-01-01' }, { score: { bins: 4, method: 'rankFirst' }, asOf: '2024-01-01' }),
    ['score.bins', 'score.method']);
  assert.deepEqual(recipeDiff({ valueTiers: { paretoPercent: 20 } }, {}), ['valueTiers']);
});

test('tableOrder filters, searches ids and codes, and sorts with ties in id order', () => {
  const ids = ['a1', 'a2', 'b1', 'b2'];
  const seg = Uint8Array.from([0, 1, 0, 1]);
  const spend = [5, 3, 5, 1];
  const all = (q) => [...tableOrder({ n: 4, ids, filters: [], query: '', sortBy: null, ...q })];
  assert.deepEqual(all({}), [0, 1, 2, 3]);
  assert.deepEqual(all({ filters: [{ index: seg, value: 1 }] }), [1, 3]);
  assert.deepEqual(all({ query: 'B' }), [2, 3]);
  assert.deepEqual(all({ query: 'x9', codes: ['', 'X9-1', '', ''] }), [1], 'search by code, case-insensitive');
  assert.deepEqual(all({ sortBy: (i) => spend[i], dir: 1 }), [3, 1, 0, 2]);
  assert.deepEqual(all({ sortBy: (i) => spend[i], dir: -1 }), [2, 0, 1, 3]);
  assert.deepEqual(all({ byId: true, dir: -1 }), [3, 2, 1, 0]);
});

test('format helpers: dates, lift classes, percent', () => {
  assert.equal(fmtDate('2024-12-31', 'en-US'), 'Dec 31, 2024');
  assert.equal(fmtDate(null, 'en-US'), '–');
  assert.equal(liftClass(1.2), 'num hi');
  assert.equal(liftClass(0.8), 'num lo');
  assert.equal(liftClass(1), 'num');
  assert.equal(formatters('en-US').pct.format(0.7865), '78.7%');
});

test('fromWorker gives the lifecycle fields their one name, and is idempotent', () => {
  const payload = { ids: ['a'], columns: { stageIndex: Uint8Array.from([2]), monetary: [1] }, stageNames: ['New', 'Active', 'Lost'] };
  const r = fromWorker(payload);
  assert.deepEqual([...r.columns.lifecycleIndex], [2]);
  assert.deepEqual(r.lifecycleNames, ['New', 'Active', 'Lost']);
  assert.equal('stageIndex' in r.columns, false);
  assert.equal('stageNames' in r, false);
  assert.deepEqual(fromWorker(r), r);
  assert.equal('lifecycleIndex' in fromWorker({ columns: {} }).columns, false, 'no lifecycle: none invented');
});

test('warnings and rejection reasons are worded by code, falling back to the message or plain text', () => {
  setLanguage('zh');
  assert.equal(warningText('plain text from an older engine'), 'plain text from an older engine');
  assert.equal(warningText({ code: 'no_such_code_here', params: {}, message: 'the English message' }), 'the English message');
  assert.equal(rejectText('bad_amount', { message: 'x' }), '金额为空或不是数字');
  assert.equal(rejectText('unknown_reason', { message: 'the engine says' }), 'the engine says');
  assert.equal(featureLabel('recency_days'), '最近消费（天）');
  assert.equal(featureLabel('my_column'), 'my_column', 'a column of the file stays as it is');
  setLanguage('en');
  assert.equal(featureLabel('recency_days'), 'Recency (days)');
});
