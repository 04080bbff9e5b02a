#!/usr/bin/env node
// The page end to end on a given file, for tests/benches/run.py (prints figures; not a test).
// Needs `make build` (www/generated/). The set-up is page_open.mjs's: www/serve.mjs on a free port,
// Debian's Chromium through playwright-core, the file through #file until the results are drawn.
//
//   node tests/benches/page_run.mjs FILE [runs=1] [timeout_s=1800]   → one JSON line a run
//
// Figures, without any hook in www/ or src/:
//   seconds          setInputFiles → body[data-state=ready] without data-busy (results drawn)
//   stages           from the worker's messages, seen by a listener an init script adds to every Worker
//                    the page makes: scan (file handed over → the first 'read' progress, when the
//                    worker reads the file twice), read (→ the 'aggregate' progress, i.e. every chunk
//                    pushed), aggregate+analyze (→ the worker's 'done'), draw (→ ready)
//   progressEvents   progress messages of the open (the page's progress bar moving)
//   wasmBytes        the worker's WebAssembly.Memory size after the run: evaluated in the worker, which
//                    imports generated/tierlens_embedded.js again (same URL, same module instance) and
//                    calls wasm-bindgen's initSync(), which returns the instance's exports once it is
//                    initialised. Wasm memory never shrinks, so this is the run's peak.
//   rendererPeakRss  VmHWM of the Chromium renderer processes (the largest; page and worker share one)
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startServer } from '../../www/serve.mjs';

const [file, runsArg, timeoutArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: page_run.mjs FILE [runs=1] [timeout_s=1800]');
  process.exit(2);
}
const runs = Number(runsArg ?? 1);
const timeout = Number(timeoutArg ?? 1800) * 1000;

/** Peak RSS (VmHWM, bytes) of every renderer process under `rootPid`. */
function rendererPeaks(rootPid) {
  const parent = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* gone */ }
  }
  const under = (pid) => {
    for (let p = pid; p > 1; p = parent.get(p) ?? 0) if (p === rootPid) return true;
    return false;
  };
  const peaks = [];
  for (const pid of parent.keys()) {
    if (!under(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (hwm) peaks.push(Number(hwm[1]) * 1024);
    } catch { /* gone */ }
  }
  return peaks;
}

const server = await startServer(0);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
// Chromium runs as a descendant of this process (playwright-core spawns it).
const browserPid = process.pid;
try {
  for (let run = 1; run <= runs; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(() => {
      const Base = globalThis.Worker;
      globalThis.__benchMessages = [];
      globalThis.Worker = class extends Base {
        constructor(...args) {
          super(...args);
          this.addEventListener('message', (e) => {
            const d = e.data ?? {};
            globalThis.__benchMessages.push({ t: performance.now(), id: d.id, type: d.type, stage: d.stage ?? null });
          });
        }
      };
    });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/`);
    await page.waitForSelector('body[data-worker=ready]', { timeout: 60_000 });
    const t0Page = await page.evaluate(() => performance.now());
    const t0 = performance.now();
    await page.setInputFiles('#file', file);
    const readyHandle = await page.waitForFunction(
      () => document.body.dataset.state === 'ready' && !document.body.dataset.busy && performance.now(),
      null, { timeout, polling: 50 });
    const seconds = (performance.now() - t0) / 1000;
    const tReady = await readyHandle.jsonValue();
    if (await page.isVisible('#error')) throw new Error(`the page shows an error: ${await page.textContent('#error')}`);
    const customers = Number((await page.textContent('#row-accounting dd[data-k=customers]')).replace(/[^\d]/g, ''));
    const messages = (await page.evaluate(() => globalThis.__benchMessages)).filter((m) => m.t >= t0Page);
    const agg = messages.find((m) => m.type === 'progress' && m.stage === 'aggregate');
    const done = agg && messages.find((m) => m.type === 'done' && m.id === agg.id && m.t >= agg.t);
    const stages = {};
    if (agg && done) {
      // With two passes the first 'read' progress marks the end of the scan (to within the worker's
      // 100 ms progress interval).
      const firstRead = messages.find((m) => m.type === 'progress' && m.id === agg.id && m.stage === 'read');
      const scanned = messages.some((m) => m.type === 'progress' && m.id === agg.id && m.stage === 'scan');
      if (scanned && firstRead) {
        stages.scan = (firstRead.t - t0Page) / 1000;
        stages.read = (agg.t - firstRead.t) / 1000;
      } else {
        stages.read = (agg.t - t0Page) / 1000;
      }
      stages['aggregate+analyze'] = (done.t - agg.t) / 1000;
      stages.draw = (tReady - done.t) / 1000;
    }
    const openId = agg?.id;
    const progressEvents = messages.filter((m) => m.type === 'progress' && m.id === openId).length;
    const passes = [...new Set(messages.filter((m) => m.type === 'progress' && m.id === openId).map((m) => m.stage))];
    let wasmBytes = null;
    let wasmError = null;
    const worker = page.workers()[0];
    if (worker) {
      try {
        wasmBytes = await worker.evaluate(async () => {
          const m = await import(new URL('/generated/tierlens_embedded.js', self.location.origin).href);
          return m.initSync().memory.buffer.byteLength;
        });
      } catch (e) {
        wasmError = String(e.message ?? e).split('\n')[0];
      }
    } else {
      wasmError = 'no worker seen';
    }
    const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? null);
    const peaks = browserPid ? rendererPeaks(browserPid) : [];
    console.log(JSON.stringify({
      run, file, mb: statSync(file).size / 1e6, seconds, customers, stages, progressEvents, passes,
      wasmBytes, wasmError, pageJsHeap: heap, rendererPeakRss: peaks.length ? Math.max(...peaks) : null,
      errors,
    }));
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
