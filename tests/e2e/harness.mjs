// Shared set-up of the browser test files: the static server, headless Debian Chromium, a scratch
// folder. Not a test file itself (node --test picks up *.test.mjs only).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../www/serve.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const artifacts = join(root, 'tests', 'e2e', 'artifacts');
export const cliPath = join(root, 'target', 'release', 'tierlens');
mkdirSync(artifacts, { recursive: true });

/** Starts the server and the browser; `close()` ends both and removes the scratch folder. */
export async function startHarness(prefix) {
  const server = await startServer(0);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const work = mkdtempSync(join(tmpdir(), prefix));
  const close = async () => {
    await browser?.close();
    server?.close();
    rmSync(work, { recursive: true, force: true });
  };
  return { server, origin, browser, work, close };
}
