// The page thread only draws: the worker (client.js / worker.js) reads and analyses the data.
import { TierlensClient } from './client.js';
import * as echarts from './vendor/echarts.esm.min.mjs';

const $ = (id) => document.getElementById(id);
const client = new TierlensClient();
let recipe = {};
let current = null; // last result payload
let fileName = 'customers';
const charts = {};

const nf = new Intl.NumberFormat(navigator.language);
const nf1 = new Intl.NumberFormat(navigator.language, { maximumFractionDigits: 1 });
const nf2 = new Intl.NumberFormat(navigator.language, { maximumFractionDigits: 2, minimumFractionDigits: 2 });
const pct = new Intl.NumberFormat(navigator.language, { style: 'percent', maximumFractionDigits: 1 });

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function showError(err) {
  const box = $('error');
  const where = [err.row ? `row ${err.row}` : '', err.column ? `column “${err.column}”` : ''].filter(Boolean).join(', ');
  box.textContent = `${err.message}${where && !err.message.includes('row ') ? ` (${where})` : ''}`;
  box.dataset.code = err.code ?? '';
  box.hidden = false;
}

function setBusy(busy, text = '') {
  $('status').hidden = !busy;
  $('status-text').textContent = text;
  $('cancel').hidden = !busy;
  $('sample').disabled = busy;
  $('file').disabled = busy;
  if (!busy) $('progress').value = 0;
}

function onProgress(p) {
  if (p.total) $('progress').value = Math.min(1, p.bytes / p.total);
  const rows = p.rows ? ` · ${nf.format(p.rows)} rows · ${nf.format(p.customers)} customers` : '';
  $('status-text').textContent = `${p.stage === 'aggregate' ? 'Scoring' : 'Reading'} ${pct.format(p.total ? p.bytes / p.total : 0)}${rows}`;
}

async function run(start, label) {
  $('error').hidden = true;
  setBusy(true, `Opening ${label}…`);
  try {
    const result = await start();
    render(result);
  } catch (err) {
    if (err.code !== 'cancelled') showError(err);
  } finally {
    setBusy(false);
  }
}

function render(result) {
  current = result;
  $('results').hidden = false;
  renderQuality(result.report);
  renderSegments(result.report);
  renderCustomers(result);
  document.body.dataset.state = 'ready';
}

function renderQuality(r) {
  const box = $('quality');
  box.replaceChildren();
  const rejected = Object.values(r.rows_rejected).reduce((s, x) => s + x.count, 0);
  const stats = el('dl', { class: 'stats', id: 'row-accounting' },
    el('dt', {}, 'Rows read'), el('dd', { 'data-k': 'rows_read' }, nf.format(r.rows_read)),
    el('dt', {}, 'Rows used'), el('dd', { 'data-k': 'rows_used' }, nf.format(r.rows_used)),
    el('dt', {}, 'Rows set aside'), el('dd', { 'data-k': 'rows_rejected' }, nf.format(rejected)),
    el('dt', {}, 'Customers'), el('dd', { 'data-k': 'customers' }, nf.format(r.customers)),
    el('dt', {}, 'Analysis date'), el('dd', { 'data-k': 'as_of' }, r.as_of),
    el('dt', {}, 'Date range'), el('dd', {}, r.input.date_range ? r.input.date_range.join(' → ') : '–'),
  );
  box.append(stats);
  const d = r.input.detected;
  if (d) {
    const delim = d.delimiter === '\t' ? 'tab' : d.delimiter === ' ' ? 'space' : `“${d.delimiter}”`;
    box.append(el('p', { class: 'muted' }, `Read as ${d.format} text, ${d.encoding}${d.bom ? ' with BOM' : ''}, delimiter ${delim}. Columns: `,
      r.input.columns.map((c) => `${c.role} ← “${c.column}”`).join(', '), '.'));
  }
  if (rejected > 0) {
    const tbody = el('tbody');
    for (const [code, rej] of Object.entries(r.rows_rejected)) {
      tbody.append(el('tr', { 'data-reason': code },
        el('td', {}, rej.message), el('td', { class: 'num' }, nf.format(rej.count)),
        el('td', {}, rej.rows.map((n, i) => `row ${n}${rej.examples[i] ? ` (“${rej.examples[i]}”)` : ''}`).join(', '))));
    }
    box.append(el('table', { class: 'data', id: 'rejections' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Set aside because'), el('th', { scope: 'col', class: 'num' }, 'Rows'), el('th', { scope: 'col' }, 'First rows'))),
      tbody));
  }
  for (const w of r.warnings) box.append(el('p', { class: 'warning' }, `⚠ ${w}`));
}

function renderSegments(r) {
  const summary = r.segments.summary;
  $('segments-note').textContent = `Rule set “${r.segments.rules.name}”, ${r.recipe.score.bins} score bins (${r.thresholds[0].method}).`;
  const tbody = $('segment-table').tBodies[0];
  tbody.replaceChildren();
  for (const s of summary) {
    tbody.append(el('tr', { 'data-segment': s.name },
      el('th', { scope: 'row' }, s.name),
      el('td', { class: 'num', 'data-k': 'customers' }, nf.format(s.customers)),
      el('td', { class: 'num' }, pct.format(s.share)),
      el('td', { class: 'num' }, nf2.format(s.revenue)),
      el('td', { class: 'num' }, pct.format(s.revenue_share)),
      el('td', { class: 'num' }, nf1.format(s.mean_recency_days)),
      el('td', { class: 'num' }, nf1.format(s.mean_frequency)),
      el('td', { class: 'num' }, nf2.format(s.mean_monetary))));
  }
  const chart = charts.segments ??= echarts.init($('segment-chart'), null, { renderer: 'canvas' });
  const sorted = [...summary].sort((a, b) => b.customers - a.customers);
  chart.setOption({
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { data: ['Share of customers', 'Share of revenue'] },
    grid: { left: 60, right: 30, bottom: 90, top: 40 },
    xAxis: { type: 'category', data: sorted.map((s) => s.name), axisLabel: { rotate: 35, interval: 0 } },
    yAxis: { type: 'value', axisLabel: { formatter: (v) => pct.format(v) }, max: (v) => Math.min(1, Math.ceil(v.max * 10) / 10) },
    series: [
      { name: 'Share of customers', type: 'bar', data: sorted.map((s) => s.share), itemStyle: { color: '#4f6bed' } },
      { name: 'Share of revenue', type: 'bar', data: sorted.map((s) => s.revenue_share), itemStyle: { color: '#f0a030' } },
    ],
  }, true);
}

function renderCustomers(result) {
  const { ids, columns, segmentNames } = result;
  const n = ids.length;
  const shown = Math.min(n, 50);
  const tbody = el('tbody');
  for (let i = 0; i < shown; i++) {
    tbody.append(el('tr', {},
      el('td', {}, ids[i]),
      el('td', { class: 'num' }, columns.recencyDays[i]),
      el('td', { class: 'num' }, columns.frequency[i]),
      el('td', { class: 'num' }, nf2.format(columns.monetary[i])),
      el('td', { class: 'num' }, `${columns.rScore[i]}${columns.fScore[i]}${columns.mScore[i]}`),
      el('td', {}, segmentNames[columns.segmentIndex[i]])));
  }
  $('customer-preview').replaceChildren(
    el('p', { class: 'muted' }, `${nf.format(n)} customers; the first ${shown} by id are shown. Export for the full list.`),
    el('table', { class: 'data', id: 'customer-table' },
      el('thead', {}, el('tr', {}, ...['Customer', 'Recency (days)', 'Orders', 'Spend', 'RFM', 'Segment'].map((h) => el('th', { scope: 'col' }, h)))),
      tbody));
}

function download(bytes, name, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function exportFile(what) {
  try {
    const bytes = await client.exportBytes(what);
    const base = fileName.replace(/\.[^.]+$/, '');
    if (what === 'csv') {
      // A UTF-8 BOM so Excel opens Chinese names correctly.
      download(new Blob([new Uint8Array([0xef, 0xbb, 0xbf]), bytes]), `${base}-segmented.csv`, 'text/csv;charset=utf-8');
    } else {
      download(bytes, `${base}-report.json`, 'application/json');
    }
  } catch (err) {
    showError(err);
  }
}

function openFile(file) {
  if (!file) return;
  fileName = file.name;
  run(() => client.open(file, recipe, onProgress), file.name);
}

$('sample').addEventListener('click', () => {
  fileName = 'tierlens-sample.csv';
  run(() => client.sample(recipe, onProgress), 'the sample data');
});
$('file').addEventListener('change', (e) => openFile(e.target.files[0]));
$('cancel').addEventListener('click', () => client.cancel());
$('export-csv').addEventListener('click', () => exportFile('csv'));
$('export-report').addEventListener('click', () => exportFile('report'));
const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  openFile(e.dataTransfer.files[0]);
});
drop.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); $('file').click(); }
});
window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
client.version().then((v) => { $('version').textContent = v; document.body.dataset.worker = 'ready'; }).catch(showError);
