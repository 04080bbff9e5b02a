// Fails the build when pkg/ is inconsistent (run by build.sh after bundle.mjs):
//   - the version differs between Cargo.toml, pkg/package.json and the Wasm module's version();
//   - a path in `exports`, `main`, `module`, `types` or `files` is missing;
//   - a name an entry exports at run time is not declared in that entry's .d.ts (or the reverse, for
//     functions and classes);
//   - `npm pack --dry-run` would ship a file outside the expected set (or miss one of it);
//   - a benchmark hook (benchKmeans) is in any shipped file.
import { readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// TIERLENS_PKG: another folder to check (tests/package/check.test.mjs checks damaged copies).
const pkg = process.env.TIERLENS_PKG ?? join(root, 'pkg');
const problems = [];
const fail = (msg) => problems.push(msg);

const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
const cargoVersion = /^\[package\][\s\S]*?^version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(root, 'Cargo.toml'), 'utf8'))[1];
const nodeBuild = createRequire(import.meta.url)(join(pkg, 'node', 'tierlens.js'));
if (manifest.version !== cargoVersion) fail(`package.json version ${manifest.version} ≠ Cargo.toml ${cargoVersion}`);
if (nodeBuild.version() !== cargoVersion) fail(`the Wasm module says version ${nodeBuild.version()} ≠ Cargo.toml ${cargoVersion}`);
if (manifest.name !== 'tierlens') fail(`package name ${manifest.name}`);

// Every path the manifest names.
const targets = (value, key = '') => (typeof value === 'string' ? [[key, value]] : Object.entries(value).flatMap(([k, v]) => targets(v, `${key}/${k}`)));
const paths = [...targets(manifest.exports, 'exports'), ['main', manifest.main], ['module', manifest.module], ['types', manifest.types]];
for (const [where, file] of paths) if (!existsSync(join(pkg, file))) fail(`${where}: ${file} does not exist`);
for (const f of manifest.files) if (!existsSync(join(pkg, f))) fail(`files: ${f} does not exist`);

/** Names a declaration file exports: its own declarations, `export { … }` lists and `export *` targets. */
function declared(file, seen = new Set()) {
  if (seen.has(file) || !existsSync(file)) return new Set();
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  const names = new Set();
  for (const m of text.matchAll(/^export (?:declare )?(?:function|class|const|let|var|enum|abstract class) (\w+)/gm)) names.add(m[1]);
  for (const m of text.matchAll(/^export (?:type )?\{([^}]*)\}/gm)) for (const n of m[1].split(',')) if (n.trim()) names.add(n.trim().split(/\s+as\s+/).pop());
  for (const m of text.matchAll(/^export \* from '([^']+)'/gm)) {
    const target = join(dirname(file), m[1].replace(/\.js$/, '.d.ts'));
    for (const n of declared(target, seen)) names.add(n);
  }
  if (/^export default /m.test(text)) names.add('default');
  return names;
}

/** Run-time values a declaration file declares (functions, classes, consts), to check the reverse. */
const declaredValues = (file) => new Set([...readFileSync(file, 'utf8').matchAll(/^export (?:declare )?(?:function|class|const) (\w+)/gm)].map((m) => m[1]));

const entries = [
  ['.', 'web/tierlens.js', 'web/tierlens.d.ts'],
  ['. (node)', 'node/tierlens.js', 'node/tierlens.d.ts'],
  ['./embedded', 'web/tierlens_embedded.js', 'web/tierlens_embedded.d.ts'],
  ['./client', 'client/index.js', 'client/index.d.ts'],
  ['./client (node)', 'client/node.js', 'client/index.d.ts'],
  ['./element', 'element/index.js', 'element/index.d.ts'],
];
for (const [entry, js, dts] of entries) {
  const mod = js.startsWith('node/') ? nodeBuild : await import(pathToFileURL(join(pkg, js)).href);
  const names = declared(join(pkg, dts));
  for (const name of Object.keys(mod)) {
    if (name === '__esModule' || name.startsWith('__wbg') || name === 'initSync' && entry === './embedded') continue;
    if (!names.has(name)) fail(`${entry}: ${js} exports ${name}, which ${dts} does not declare`);
  }
  for (const name of declaredValues(join(pkg, dts))) if (!(name in mod)) fail(`${entry}: ${dts} declares ${name}, which ${js} does not export`);
}

// What npm would publish.
const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: pkg, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
const shipped = packed[0].files.map((f) => f.path).sort();
const expected = [
  'README.md', 'package.json',
  'web/tierlens.js', 'web/tierlens.d.ts', 'web/tierlens_bg.wasm', 'web/tierlens_bg.wasm.d.ts',
  'web/tierlens_embedded.js', 'web/tierlens_embedded.d.ts', 'web/tierlens_wasm_base64.js', 'web/loadfile.js',
  'node/tierlens.js', 'node/tierlens.d.ts', 'node/tierlens_bg.wasm', 'node/tierlens_bg.wasm.d.ts', 'node/package.json',
  'client/index.js', 'client/node.js', 'client/index.d.ts', 'client/worker_source.js', 'client/worker_source.d.ts',
  'element/index.js', 'element/index.d.ts', 'element/react.d.ts', 'element/preact.d.ts', 'element/vue.d.ts',
  'types/index.d.ts', 'types/recipe.d.ts', 'types/report.d.ts',
].sort();
for (const f of shipped) if (!expected.includes(f)) fail(`npm pack would ship a stray file: ${f}`);
for (const f of expected) if (!shipped.includes(f)) fail(`npm pack would not ship ${f}`);

for (const f of shipped.filter((f) => /\.(js|ts)$/.test(f))) {
  if (readFileSync(join(pkg, f), 'utf8').includes('benchKmeans')) fail(`${f} has the benchmark hook benchKmeans (build without --features bench)`);
}

if (problems.length) {
  console.error(`[check-package] pkg/ is inconsistent:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`[check-package] tierlens ${manifest.version}: ${entries.length} entries typed, ${shipped.length} files, ${(packed[0].size / 2 ** 20).toFixed(1)} MiB packed`);
