// Builds www/generated/tierlens-standalone.html: the whole page in one file — script, styles, chart
// library, worker and Wasm engine inside — for use offline and from file://. Browsers refuse ES
// modules from file:// (an opaque origin), and a page served once is not kept for offline use
// without a service worker, which our `connect-src 'none'` policy would stop from fetching anything.
// One self-contained file avoids both: save it, open it with a double click, no server.
//
// Its Content-Security-Policy is the page's, with hashes instead of 'self': only the exact inline
// script and style below may run, the worker comes from a blob: URL, and connect-src stays 'none'.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const www = join(root, 'www');

async function bundle(entry) {
  const out = await build({
    entryPoints: [join(www, entry)],
    bundle: true,
    format: 'iife',
    minify: true,
    write: false,
    target: 'es2022',
    logLevel: 'error',
    // import.meta only names the module's own URL, used where the files are served separately.
    define: { 'import.meta.url': 'undefined' },
  });
  const [file] = out.outputFiles;
  // "</script" would end the inline element early; "<\/script" means the same inside JS strings.
  return file.text.replaceAll('</script', '<\\/script');
}

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

const worker = await bundle('worker.js');
const app = await bundle('app.js');
const css = readFileSync(join(www, 'styles.css'), 'utf8');
const csp = [
  "default-src 'none'",
  `script-src ${sha256(app)} 'wasm-unsafe-eval'`,
  'worker-src blob:',
  `style-src ${sha256(css)}`,
  "style-src-attr 'unsafe-inline'",
  'img-src data: blob:',
  "connect-src 'none'",
  "form-action 'none'",
  "base-uri 'none'",
].join('; ');

let html = readFileSync(join(www, 'index.html'), 'utf8');
const swap = (from, to) => {
  if (!html.includes(from)) throw new Error(`standalone: index.html has no ${from}`);
  html = html.replace(from, () => to);
};
swap(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/.exec(html)?.[0] ?? '<meta http-equiv', `<meta http-equiv="Content-Security-Policy" content="${csp}">`);
swap('<link rel="stylesheet" href="styles.css">', `<style>${css}</style>`);
swap('<script type="module" src="app.js"></script>\n', '');
// The copy is itself the single file: no link to save it again.
html = html.replace(/<span id="offline-copy">.*?<\/span><\/footer>/, '</footer>');
// The worker's code is data until client.js turns it into a blob: worker; the app runs last, when
// the document is parsed (a module script was deferred the same way).
swap('</body>', `<script type="text/plain" id="tierlens-worker-source">${worker}</script>\n<script>${app}</script>\n</body>`);

const out = join(www, 'generated', 'tierlens-standalone.html');
writeFileSync(out, html);
console.log(`[standalone] ${out.replace(`${root}/`, '')}: ${(Buffer.byteLength(html) / 2 ** 20).toFixed(1)} MiB`);
