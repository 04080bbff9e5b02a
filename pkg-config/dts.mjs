// Types for wasm-bindgen's declaration files: the generated tierlens.d.ts says `any` for every value that
// crosses as JSON (recipes, the report, progress, capabilities). typed() replaces those with the types
// of pkg-config/types/index.d.ts (checked against the engine by tests/package/types.test.mjs) and
// re-exports them. Each rule must match: a rule that finds nothing means the bindings changed under it,
// and the build says so instead of shipping `any` again. Exports added later keep wasm-bindgen's types.

const RULES = [
  // [what, pattern, replacement]
  ['recipe as the last parameter', /\brecipe: any\)/g, 'recipe?: RecipeInput)'],
  ['recipe before other parameters', /\brecipe: any,/g, 'recipe: RecipeInput,'],
  ['export options', /\b(customersCsvFor|customersJson|customersXlsxFor|reportJsonFor)\(options: any\)/g, '$1(options?: ExportOptions | null)'],
  ['sample options', /\bsampleCsv\(options: any\)/g, 'sampleCsv(options?: SampleOptions | null)'],
  ['the report', /\breport\(\): any;/g, 'report(): Report;'],
  ['attributes', /\battributes\(\): any;/g, "attributes(): { name: string; kind: 'numeric' | 'categorical' }[];"],
  ['customer column kinds', /\bcustomerColumnKinds\(\): any;/g, "customerColumnKinds(): { name: string; kind: 'number' | 'text' | 'plain' }[];"],
  ['code tokens', /\bcodeTokens\(\): any;/g, "codeTokens(): { slot: 'region' | 'tier' | 'stage' | 'segment' | 'custom' | 'r' | 'f' | 'm'; classes: { name: string; token: string; mapped: boolean }[] }[];"],
  ['code groups', /\bcodeGroups\(top: number\): any;/g, "codeGroups(top: number): { keys: number; customers: number; top: { classes: { slot: 'region' | 'tier' | 'stage' | 'segment' | 'custom' | 'r' | 'f' | 'm'; name: string }[]; first: string; count: number }[] };"],
  ['reload answer', /\breloadNeeded\((recipe\??: RecipeInput)\): any;/g, 'reloadNeeded($1): ReloadReason | null;'],
  ['progress', /\bpush\(chunk: Uint8Array \| number\[\]\): any;/g, 'push(chunk: Uint8Array | number[]): LoaderProgress;'],
  ['capabilities', /\bcapabilities\(\): any;/g, 'capabilities(): Capabilities;'],
  ['default actions', /\bdefaultActions\(\): any;/g, 'defaultActions(): { name: string; en: string; zh: string }[];'],
  ['default recipe', /\bdefaultRecipe\(\): any;/g, 'defaultRecipe(): Recipe;'],
  ['preview rows', /\b(previewRows\([^)]*\)): any;/g, '$1: PreviewRows;'],
  ['migration', /\bmigration\(\): any;/g, 'migration(): Migration | null;'],
  ['earlier recipe', /\bearlierRecipe\((recipe\??: RecipeInput)\): any;/g, 'earlierRecipe($1): Recipe | null;'],
  ['sql export', /\bsql\(dialect: string, as_?[oO]f\?: string \| null\): any;/g, "sql(dialect: 'duckdb' | 'spark', asOf?: 'fit' | 'data' | null): SqlExport;"],
  ['clv figures', /\b(pAlive|expectedOrders|expectedSpend|clv)\(\): any;/g, '$1(): (number | null)[] | null;'],
  ['segment preset', /\bsegmentPreset\(name: string\): any;/g, 'segmentPreset(name: string): { rules: RuleSet; table: GridTable | null; coverage: Coverage };'],
];

const IMPORTS = ['Capabilities', 'Coverage', 'ExportOptions', 'GridTable', 'LoaderProgress', 'Migration', 'PreviewRows', 'RecipeInput', 'Recipe', 'ReloadReason', 'Report', 'RuleSet', 'SampleOptions', 'SqlExport'];

/** `dts` (wasm-bindgen's) with the JSON values typed; `types` is the path of types/index.js from it. */
export function typed(dts, types, file) {
  // Only the public declarations: wasm-bindgen's InitOutput (raw exports of the module) stays as is.
  const cut = dts.indexOf('export type InitInput');
  let head = cut < 0 ? dts : dts.slice(0, cut);
  const tail = cut < 0 ? '' : dts.slice(cut);
  const missed = [];
  for (const [what, pattern, to] of RULES) {
    if (!pattern.test(head)) missed.push(what);
    pattern.lastIndex = 0;
    head = head.replace(pattern, to);
  }
  if (missed.length) throw new Error(`${file}: the typing rules found nothing for ${missed.join(', ')} (did the Wasm exports change? see pkg-config/dts.mjs)`);
  // wasm-bindgen declares `[Symbol.dispose]()`: name its lib, so a consumer's `lib` setting need not.
  const disposable = head.includes('Symbol.dispose') ? '/// <reference lib="esnext.disposable" />\n' : '';
  const imports = `${disposable}import type { ${IMPORTS.join(', ')} } from '${types}';\nexport type * from '${types}';\n`;
  return imports + head + tail;
}
