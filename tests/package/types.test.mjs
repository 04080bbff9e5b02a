// The package's types, checked with `tsc --noEmit --strict` in a scratch project that installed the
// packed tarball (tests/package/scratch.mjs):
//   - consumer/consumer.tsx: every entry used as documented (bundler resolution), and the @ts-expect-error
//     lines (a misspelt or mistyped recipe, a report field used as the wrong type) must be errors;
//   - the engine's own output as object literals typed Recipe / Report / Capabilities: the default recipe,
//     full reports (every section on) of the sample and of small.csv, the capabilities. An object literal
//     with a key the type lacks, or without a key it requires, does not compile — so the hand-written
//     types in pkg-config/types/index.d.ts are checked against the Rust side in both directions;
//   - Node resolution (module nodenext) picks the "node" builds and their types;
//   - a control: a report with one key renamed must fail, or the check above could not fail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, rmSync, existsSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { scratchProject, root, pkg } from './scratch.mjs';

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const engine = createRequire(import.meta.url)(join(pkg, 'node', 'tierlens.js'));
let dir;

before(() => {
  dir = scratchProject('tierlens-tsc-', ['tests/package/consumer']);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs tsc on `project` (a tsconfig path in the scratch dir): { ok, output }. */
function check(project) {
  try {
    execFileSync(process.execPath, [tsc, '-p', project], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    return { ok: true, output: '' };
  } catch (e) {
    return { ok: false, output: `${e.stdout}${e.stderr}` };
  }
}

/** Every section of the recipe switched on: custom tiers, codes, actions by tier, clustering, rules
 * for a column of the file (supervised), relative lifecycle. */
const FULL = {
  customTiers: { rules: [{ when: 'monetary > 1000', tier: 'Big' }, { when: 'frequency >= 3', tier: 'Regular' }], otherwise: 'Other' },
  actions: { basis: 'tier' },
  lifecycle: { mode: 'relative' },
  cluster: { enabled: true, k: 3 },
  explain: { enabled: true },
};

/** The optional sections (issue 14) this build of the engine knows: added to FULL so their echo in
 * report.recipe is checked too; a build without them rejects the key as unknown. */
function knownSections(sample) {
  const optional = { clv: {}, compare: { asOf: '2024-06-30' } };
  return Object.fromEntries(Object.entries(optional).filter(([key, section]) => {
    try {
      engine.segment(sample, { [key]: section }).free();
      return true;
    } catch (e) {
      if (e.code === 'recipe_syntax' && e.message.includes(key)) return false;
      throw e;
    }
  }));
}

function engineOutputs() {
  const sample = engine.sampleCsv(undefined);
  const small = readFileSync(join(root, 'tests', 'fixtures', 'small.csv'));
  const reports = [
    engine.segment(sample, { ...FULL, ...knownSections(sample) }).reportJson(),
    engine.segment(sample, {}).reportJson(),
    engine.segment(small, { ...FULL, cluster: { enabled: false } }).reportJson(),
  ];
  return {
    defaults: JSON.stringify(engine.defaultRecipe()),
    reports,
    capabilities: JSON.stringify(engine.capabilities()),
  };
}

function writeEngineFile(name, { defaults, reports, capabilities }) {
  writeFileSync(join(dir, name), [
    "import type { Recipe, Report, Capabilities } from 'tierlens';",
    `export const defaults: Recipe = ${defaults};`,
    ...reports.map((r, i) => `export const report${i}: Report = ${r};`),
    `export const capabilities: Capabilities = ${capabilities};`,
    '',
  ].join('\n'));
}

test('tsc --strict: the consumer compiles and every @ts-expect-error is an error', () => {
  const { ok, output } = check('tsconfig.json');
  assert.ok(ok, output);
});

test('tsc --strict: the engine\'s default recipe, full reports and capabilities fit the published types', () => {
  const outputs = engineOutputs();
  // The reports do carry the sections whose types are checked (an empty section would check nothing).
  const full = JSON.parse(outputs.reports[0]);
  assert.ok(full.customTiers.length >= 2 && full.clusters?.clusters.length === 3 && full.rules.clusters?.rules.length > 0);
  assert.ok(Object.keys(full.rowsRejected).length > 0 && full.input.decisions.length > 0);
  writeEngineFile('engine-output.ts', outputs);
  const { ok, output } = check('tsconfig.json');
  assert.ok(ok, `the engine's output does not fit pkg-config/types/index.d.ts:\n${output}`);
});

test('control: a report with a renamed key, or a recipe with an unknown one, fails the same check', () => {
  const outputs = engineOutputs();
  rmSync(join(dir, 'engine-output.ts'), { force: true });
  writeEngineFile('engine-renamed.ts', { ...outputs, reports: [outputs.reports[0].replace('"rowsUsed"', '"rowsKept"')] });
  const renamed = check('tsconfig.json');
  rmSync(join(dir, 'engine-renamed.ts'));
  assert.equal(renamed.ok, false);
  assert.match(renamed.output, /rowsKept/);
  writeEngineFile('engine-unknown.ts', { ...outputs, defaults: outputs.defaults.replace('"score":', '"scores":') });
  const unknown = check('tsconfig.json');
  rmSync(join(dir, 'engine-unknown.ts'));
  assert.equal(unknown.ok, false);
  assert.match(unknown.output, /scores/);
});

test('tsc --strict with Node resolution: "tierlens" and "tierlens/client" resolve to the Node builds, typed', () => {
  mkdirSync(join(dir, 'node'));
  writeFileSync(join(dir, 'node', 'node.mts'), [
    "import { segment, type Report, type Recipe } from 'tierlens';",
    "import { TierlensClient, type TierlensResult } from 'tierlens/client';",
    'declare const bytes: Uint8Array;',
    "const recipe: Recipe = { score: { bins: 5 } };",
    'const report: Report = segment(bytes, recipe).report();',
    'const client = new TierlensClient();',
    'const result: TierlensResult = await client.open(bytes, recipe);',
    'client.close();',
    'export const n: number = report.customers + result.ids.length;',
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'node', 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022', 'dom'], types: [] },
    include: ['*.mts'],
  }));
  const { ok, output } = check('node/tsconfig.json');
  assert.ok(ok, output);
  const trace = execFileSync(process.execPath, [tsc, '-p', 'node/tsconfig.json', '--traceResolution'], { cwd: dir, encoding: 'utf8' });
  assert.match(trace, /'tierlens' was successfully resolved to '[^']*node_modules\/tierlens\/node\/tierlens\.d\.ts'/);
});

/** The framework's type packages from the repository's node_modules (devDependencies from the lockfile),
 * linked into the scratch project as a consumer that has the framework installed would have them. */
function linkFramework(names) {
  for (const name of names) {
    const to = join(dir, 'node_modules', name);
    mkdirSync(dirname(to), { recursive: true });
    if (!existsSync(to)) symlinkSync(join(root, 'node_modules', name), to, 'dir');
  }
}

/** A framework check: `files` written to `sub/`, compiled with `options`; also with the entry's import
 * removed, which must fail (or the check could not). */
function frameworkCheck(sub, entry, files, options) {
  mkdirSync(join(dir, sub), { recursive: true });
  const config = (include) => JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'], types: [], skipLibCheck: true, ...options },
    include,
  });
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, sub, name), `import type {} from '${entry}';\n${text}`);
    writeFileSync(join(dir, sub, `without-${name}`), text.replace(/^\s*\/\/ @ts-expect-error.*\n.*\n/gm, ''));
  }
  writeFileSync(join(dir, sub, 'tsconfig.json'), config(Object.keys(files)));
  writeFileSync(join(dir, sub, 'tsconfig.without.json'), config(Object.keys(files).map((f) => `without-${f}`)));
  return { with: check(`${sub}/tsconfig.json`), without: check(`${sub}/tsconfig.without.json`) };
}

const JSX_USE = [
  "import type { Report } from 'tierlens';",
  'const onResult = (e: CustomEvent<Report>): void => { e.detail.customers.toFixed(0); };',
  'export const view = <tierlens-view lang="zh" theme="dark" ontierlens-result={onResult} />;',
  '// @ts-expect-error: theme is "light" or "dark"',
  'export const bad = <tierlens-view theme="neon" />;',
  '',
].join('\n');

test('tsc --strict: <tierlens-view> in React 19 JSX through tierlens/element/react (and not without it)', () => {
  linkFramework(['@types/react', 'csstype']);
  const r = frameworkCheck('react', 'tierlens/element/react', { 'view.tsx': JSX_USE }, { jsx: 'react-jsx' });
  assert.ok(r.with.ok, r.with.output);
  assert.equal(r.without.ok, false, 'React 19 has no global JSX: without the entry the tag is unknown');
  assert.match(r.without.output, /tierlens-view/);
});

test('tsc --strict: <tierlens-view> in Preact JSX through tierlens/element/preact (and not without it)', () => {
  linkFramework(['preact']);
  const r = frameworkCheck('preact', 'tierlens/element/preact', { 'view.tsx': JSX_USE }, { jsx: 'react-jsx', jsxImportSource: 'preact' });
  assert.ok(r.with.ok, r.with.output);
  assert.equal(r.without.ok, false);
  assert.match(r.without.output, /tierlens-view/);
});

test('tsc --strict: <tierlens-view> as a Vue 3 global component through tierlens/element/vue (and not without it)', () => {
  linkFramework(['vue', '@vue']);
  const use = [
    "import type { GlobalComponents } from 'vue';",
    "type View = GlobalComponents['tierlens-view'];",
    "export const props: InstanceType<View>['$props'] = { lang: 'zh', theme: 'dark' };",
    '// @ts-expect-error: theme is "light" or "dark"',
    "export const bad: InstanceType<View>['$props'] = { theme: 'neon' };",
    '',
  ].join('\n');
  const r = frameworkCheck('vue', 'tierlens/element/vue', { 'view.ts': use }, {});
  assert.ok(r.with.ok, r.with.output);
  assert.equal(r.without.ok, false);
  assert.match(r.without.output, /tierlens-view/);
});
