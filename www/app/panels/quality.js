// "What was read": row accounting, how the bytes were read, the reading decisions, rejections,
// warnings; and the Columns box (roles and the first rows of the file).
import { t, locale } from '../../i18n.js';
import { $, el, fmt } from '../dom.js';
import { state, base } from '../state.js';
import { setPath } from '../paths.js';
import { fmtDate } from '../format.js';
import { label, warningText, rejectText, evidenceText, readSummary, datesLine } from '../words.js';
import { applyRecipe, client } from '../engine.js';
import { roles } from '../known.js';

export function renderQuality(r) {
  const box = $('quality');
  box.replaceChildren();
  const rejected = Object.values(r.rowsRejected).reduce((s, x) => s + x.count, 0);
  const stat = (key, k, v) => el('div', {}, el('dt', {}, t(key)), el('dd', { 'data-k': k }, v));
  box.append(el('dl', { class: 'stats', id: 'row-accounting' },
    stat('rowsRead', 'rowsRead', fmt.nf.format(r.rowsRead)),
    stat('rowsUsed', 'rowsUsed', fmt.nf.format(r.rowsUsed)),
    stat('rowsAside', 'rowsRejected', fmt.nf.format(rejected)),
    stat('customers', 'customers', fmt.nf.format(r.customers)),
    stat('analysisDate', 'asOf', r.asOf),
    stat('dateRange', 'dateRange', r.input.dateRange ? r.input.dateRange.map((d) => fmtDate(d, locale())).join(' → ') : '–')));
  const d = r.input.detected;
  if (d) {
    box.append(el('p', { class: 'muted', id: 'read-summary' }, readSummary(d),
      ' ', datesLine(r.input.dates),
      r.returns ? ` ${t('returns')}: ${fmt.nf.format(r.returns)}.` : ''));
  }
  const decisions = renderDecisions(r.input.decisions ?? []);
  if (decisions) box.append(decisions);
  box.append(el('p', { class: 'muted' }, t('cleaningRules', { zero: t(r.recipe?.clean?.dropZeroAmounts ? 'zeroDropped' : 'zeroKept') })));
  if (rejected > 0) {
    const tbody = el('tbody');
    for (const [code, rej] of Object.entries(r.rowsRejected)) {
      tbody.append(el('tr', { 'data-reason': code },
        el('td', {}, rejectText(code, rej)), el('td', { class: 'num' }, fmt.nf.format(rej.count)),
        el('td', {}, rej.rows.map((n, i) => `${t('rowN', { n })}${rej.examples?.[i] ? ` (“${rej.examples[i]}”)` : ''}`).join(', '))));
    }
    box.append(el('div', { class: 'scroll-x' }, el('table', { class: 'data', id: 'rejections' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('asideBecause')), el('th', { scope: 'col', class: 'num' }, t('rows')), el('th', { scope: 'col' }, t('firstRows')))),
      tbody)));
  }
  for (const w of r.warnings) box.append(el('p', { class: 'warning', 'data-code': typeof w === 'object' ? w.code ?? null : null }, `⚠ ${warningText(w)}`));
}

/** What a decision is about and its value, worded for people; an unknown code shows as itself. */
export function decisionWords(d) {
  if (d.code === 'columnRole') {
    // value `role=column`; the role is also the last part of the key (input.columns.<role>).
    const role = d.key?.startsWith('input.columns.') ? d.key.slice('input.columns.'.length) : d.value.split('=')[0];
    const column = d.value.startsWith(`${role}=`) ? d.value.slice(role.length + 1) : d.value;
    return { what: t('decision_columnRole', { role: label('role_', role) }), value: column ? `“${column}”` : t('none') };
  }
  const what = label('decision_', d.code);
  let value = d.value;
  if (d.code === 'delimiter') value = d.value === '\t' ? t('tab') : d.value === ' ' ? t('space') : `“${d.value}”`;
  else if (d.code === 'decimalSeparator' || d.code === 'thousandsSeparator') value = `“${d.value}”`;
  else if (d.code === 'headerRow' && /^\d+$/.test(d.value)) value = t('rowN', { n: d.value });
  else value = label(`decisionValue_${d.code}_`, d.value);
  return { what, value };
}

/** The reading decisions (report.input.decisions) as a table: what, value, how decided, evidence,
 * the setting that overrides it; a decision with a warning is highlighted with the warning below it. */
function renderDecisions(list) {
  if (!list.length) return null;
  const tbody = el('tbody');
  list.forEach((d, i) => {
    const { what, value } = decisionWords(d);
    const warned = Boolean(d.warning);
    tbody.append(el('tr', { class: warned ? 'decision warned' : 'decision', 'data-code': d.code, 'data-basis': d.basis, 'data-index': i },
      el('th', { scope: 'row' }, warned ? '⚠ ' : '', what),
      el('td', { 'data-k': 'value' }, value),
      el('td', { 'data-k': 'basis' }, label('decisionBasis_', d.basis)),
      el('td', { 'data-k': 'evidence', lang: d.evidenceCode ? null : 'en', 'data-evidence': d.evidenceCode || null }, evidenceText(d)),
      el('td', { 'data-k': 'key' }, d.key ? el('code', {}, d.key) : '–')));
    if (warned) {
      // The warning crosses as { code, params, message }; worded like the report's warnings.
      tbody.append(el('tr', { class: 'decision-warning', 'data-code': d.code, 'data-index': i, 'data-warning': d.warning.code ?? null },
        el('td', { colspan: 5 }, el('p', { class: 'warning' }, `⚠ ${t('decisionCheck', { key: d.key })} `, warningText(d.warning)))));
    }
  });
  return el('div', { class: 'scroll-x' }, el('table', { class: 'data decisions', id: 'decisions' },
    el('caption', {}, t('decisionsTitle')),
    el('thead', {}, el('tr', {}, ['decisionWhat', 'decisionValue', 'decisionBasis', 'decisionEvidence', 'decisionKey'].map((k) => el('th', { scope: 'col' }, t(k))))),
    tbody));
}

/** The roles found (and the user's choices), then the first rows of the file as the reader read them. */
export async function renderColumns(r) {
  const header = r.input.header ?? [];
  const found = Object.fromEntries((r.input.columns ?? []).map((c) => [c.role, c]));
  const overrides = state.recipe.input?.columns ?? {};
  const tbody = el('tbody');
  for (const role of roles(state.caps, r.input.shape)) {
    const c = found[role];
    const id = `role-${role}`;
    const select = el('select', { id, 'data-role': role },
      el('option', { value: '' }, c && c.source !== 'recipe' ? `${c.column} (${t('auto')})` : t('none')),
      header.map((h) => el('option', { value: h, selected: overrides[role] === h }, h)));
    select.addEventListener('change', () => {
      const cols = { ...overrides };
      if (select.value) cols[role] = select.value; else delete cols[role];
      applyRecipe(setPath(base(), ['input', 'columns'], Object.keys(cols).length ? cols : undefined));
    });
    tbody.append(el('tr', { 'data-role': role },
      el('th', { scope: 'row' }, el('label', { for: id }, label('role_', role))),
      el('td', {}, select),
      el('td', { class: 'num' }, c ? fmt.pct.format(c.confidence) : '–'),
      el('td', {}, c ? t(`src_${c.source}`) : '')));
  }
  $('columns').replaceChildren(el('table', { class: 'data', id: 'roles' },
    el('thead', {}, el('tr', {}, ['role', 'column', 'confidence', 'source'].map((k) => el('th', { scope: 'col', class: k === 'confidence' ? 'num' : null }, t(k))))),
    tbody));
  try {
    const rows = await client.preview(8, r.input.detected);
    if (!rows?.length) return;
    const [head, ...body] = rows;
    const roleOf = Object.fromEntries((r.input.columns ?? []).map((c) => [c.index, label('role_', c.role)]));
    $('preview').replaceChildren(el('table', { class: 'data small', id: 'preview-table' },
      el('thead', {}, el('tr', {}, head.map((h, i) => el('th', { scope: 'col' }, h, roleOf[i] ? el('div', { class: 'role-tag' }, roleOf[i]) : null)))),
      el('tbody', {}, body.map((row) => el('tr', {}, row.map((v) => el('td', {}, v)))))));
  } catch { /* the preview is a convenience */ }
}
