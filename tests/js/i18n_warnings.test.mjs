// Every warning code (src/warning.rs `CODES`), rejection reason (src/clean/accounting.rs
// `RejectReason` keys) and flag (the codes passed to `flag(` / inserted into `flags` in src/clean/)
// has an English and a Chinese template in www/i18n.js, and no template names a param its code
// does not send. Read from the Rust sources so a new code without a template fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { WARNINGS, t, setLanguage } from '../../www/i18n.js';

const root = new URL('../../', import.meta.url);
const read = (p) => readFileSync(new URL(p, root), 'utf8');

function warningCodes() {
  const src = read('src/warning.rs');
  const table = src.slice(src.indexOf('pub const CODES'), src.indexOf('];', src.indexOf('pub const CODES')));
  const codes = new Map();
  for (const m of table.matchAll(/\(\s*"(\w+)",\s*&\[([^\]]*)\],?\s*\)/g)) {
    codes.set(m[1], [...m[2].matchAll(/"(\w+)"/g)].map((p) => p[1]));
  }
  return codes;
}

function evidenceCodes() {
  const src = read('src/ingest/decision.rs');
  const start = src.indexOf('pub const EVIDENCE_CODES');
  const table = src.slice(start, src.indexOf('];', start));
  const codes = new Map();
  for (const m of table.matchAll(/\(\s*"(\w+)",\s*&\[([^\]]*)\],?\s*\)/g)) {
    codes.set(m[1], [...m[2].matchAll(/"(\w+)"/g)].map((p) => p[1]));
  }
  return codes;
}

function rejectReasons() {
  const src = read('src/clean/accounting.rs');
  return [...new Set([...src.matchAll(/RejectReason::\w+ => "([a-z_]+)"/g)].map((m) => m[1]))];
}

function flagCodes() {
  const dir = new URL('src/clean/', root);
  const flags = new Set();
  for (const f of readdirSync(dir)) {
    const src = readFileSync(new URL(f, dir), 'utf8');
    for (const m of src.matchAll(/\.flag\(\s*"([a-z_]+)"/g)) flags.add(m[1]);
    for (const m of src.matchAll(/accounting\.flag\(\s*"([a-z_]+)"/g)) flags.add(m[1]);
    for (const m of src.matchAll(/flags\.insert\(\s*"([a-z_]+)"/g)) flags.add(m[1]);
  }
  return [...flags];
}

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

test('the sources are read: codes, reasons and flags are found', () => {
  assert.ok(warningCodes().size >= 10, 'CODES table parsed');
  assert.ok(rejectReasons().includes('unclosed_quote') && rejectReasons().length >= 15);
  assert.deepEqual(flagCodes().sort(), ['customer_id_variant', 'duplicate_row', 'outlier_amount']);
});

test('every warning code has an English and a Chinese template using only its params', () => {
  for (const [code, params] of warningCodes()) {
    for (const l of ['en', 'zh']) {
      const s = WARNINGS[l][`warn_${code}`];
      assert.ok(s, `${l}: no template warn_${code}`);
      for (const p of placeholders(s)) {
        assert.ok(params.includes(p), `${l}: warn_${code} names {${p}}, which ${code} does not send`);
      }
    }
  }
});

test('every evidence code (src/ingest/decision.rs EVIDENCE_CODES) has an English and a Chinese template using only its params', () => {
  const codes = evidenceCodes();
  assert.ok(codes.size >= 15 && codes.has('date_year_first'), 'EVIDENCE_CODES parsed');
  for (const [code, params] of codes) {
    for (const l of ['en', 'zh']) {
      const s = WARNINGS[l][`evidence_${code}`];
      assert.ok(s, `${l}: no template evidence_${code}`);
      for (const p of placeholders(s)) {
        assert.ok(params.includes(p), `${l}: evidence_${code} names {${p}}, which ${code} does not send`);
      }
    }
  }
});

test('every rejection reason and flag has an English and a Chinese template', () => {
  for (const [prefix, keys] of [['reject_', rejectReasons()], ['flag_', flagCodes()]]) {
    for (const k of keys) {
      for (const l of ['en', 'zh']) {
        const s = WARNINGS[l][prefix + k];
        assert.ok(s, `${l}: no template ${prefix}${k}`);
        assert.deepEqual(placeholders(s), [], `${prefix}${k} has no params`);
      }
    }
  }
});

test('no template is left over for a code the engine no longer sends', () => {
  const known = new Set([
    ...[...warningCodes().keys()].map((c) => `warn_${c}`),
    ...rejectReasons().map((r) => `reject_${r}`),
    ...flagCodes().map((f) => `flag_${f}`),
    ...[...evidenceCodes().keys()].map((c) => `evidence_${c}`),
  ]);
  for (const l of ['en', 'zh']) {
    for (const k of Object.keys(WARNINGS[l])) assert.ok(known.has(k), `${l}: ${k} is not an engine code`);
  }
});

test('a warning is worded from its code and params through t()', () => {
  const w = { code: 'tier_empty', params: { tier: 'Platinum' }, message: 'value tier "Platinum" is empty: …' };
  setLanguage('zh');
  assert.equal(t(`warn_${w.code}`, w.params), '价值层级“Platinum”为空：有消费的客户太少，不足以填满该层的比例。');
  assert.equal(t('reject_duplicate_row'), '与前面某行完全重复');
  setLanguage('en');
  assert.equal(t(`warn_${w.code}`, w.params), 'Value tier "Platinum" is empty: too few spending customers for its share.');
});
