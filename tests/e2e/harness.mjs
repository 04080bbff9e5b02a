// Shared set-up of the browser test files: the static server, headless Debian Chromium, a scratch
// folder, and the per-test privacy check. Not a test file itself (node --test picks up *.test.mjs only).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer } from '../../www/serve.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const artifacts = join(root, 'tests', 'e2e', 'artifacts');
export const cliPath = join(root, 'target', 'release', 'tierlens');
mkdirSync(artifacts, { recursive: true });

// The harness of this test file (one per file: each file runs in its own process) and what the
// current test requested. Every context opened through `browser.newContext` (and `browser.newPage`,
// which goes through it) records into `requests`, so no test can open a page the check does not see.
let current = null;
const requests = [];
let hitsAtStart = 0;

/**
 * The URLs in `urls` that are not the page's own files: allowed are the static server's files, local
 * `blob:` URLs (the worker, downloads), `data:` URLs, and files of this repository opened from disk
 * (the single-file copy under file://, whose blobs are `blob:null/…`).
 */
export function foreignRequests(urls, origin) {
  const repo = pathToFileURL(root).href;
  return urls.filter((u) => !(
    (origin && (u.startsWith(`${origin}/`) || u.startsWith(`blob:${origin}/`)))
    || u.startsWith('blob:null/') || u.startsWith('data:') || u.startsWith(`${repo}/`)));
}

/** The requests made so far by the pages of the running test. */
export function requestsOfThisTest() {
  return [...requests];
}

/** Drops `url` from this test's record: only for a test that provokes a foreign request on purpose. */
export function forgetRequest(url) {
  for (let i = requests.indexOf(url); i >= 0; i = requests.indexOf(url)) requests.splice(i, 1);
}

beforeEach(() => {
  requests.length = 0;
  hitsAtStart = current?.server.hits.length ?? 0;
});

// After every test of every file that uses the harness: its pages fetched only the page's own files,
// and the server saw only static files (no query strings carrying data).
afterEach(() => {
  const own = current?.origin;
  assert.deepEqual(foreignRequests(requests, own), [], 'only the page\'s own files were requested');
  const hits = current?.server.hits.slice(hitsAtStart) ?? [];
  assert.deepEqual(hits.filter((u) => u.includes('?')), [], 'no query strings reached the server');
  for (const u of hits) assert.match(u.split('/').pop(), /^(|index\.html|[\w.-]+\.(js|mjs|css|html))$/, u);
});

/** Starts the server and the browser; `close()` ends both and removes the scratch folder. `serve`
 * is the folder served (default www/: the page). */
export async function startHarness(prefix, { serve } = {}) {
  const server = await startServer(0, '127.0.0.1', serve);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.on('request', (r) => requests.push(r.url()));
    return context;
  };
  const work = mkdtempSync(join(tmpdir(), prefix));
  const close = async () => {
    await browser?.close();
    server?.close();
    rmSync(work, { recursive: true, force: true });
    current = null;
  };
  current = { server, origin, browser, work, close };
  return current;
}
