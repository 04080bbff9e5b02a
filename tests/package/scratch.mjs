// Packs pkg/ with `npm pack` and installs the tarball into a scratch project under /tmp, as an embedder
// would (not a path alias). Shared by tests/package/*.test.mjs and tests/e2e/element.test.mjs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, cpSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const pkg = join(root, 'pkg');

/** A fresh project in /tmp with `tierlens` installed from the packed tarball; `copy` lists folders of
 * the repository copied into it first (e.g. an example). Returns the project's path. */
export function scratchProject(prefix, copy = []) {
  if (!existsSync(join(pkg, 'package.json'))) throw new Error('pkg/ is missing: run `make build` first');
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const from of copy) cpSync(join(root, from), dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  const packs = join(dir, '.packs');
  mkdirSync(packs);
  const out = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', packs], { cwd: pkg, encoding: 'utf8' }).trim().split('\n').pop();
  // Offline: the tarball has no dependencies, so nothing is asked of the registry.
  execFileSync('npm', ['install', '--offline', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', join(packs, out)], { cwd: dir, stdio: 'pipe' });
  return dir;
}
