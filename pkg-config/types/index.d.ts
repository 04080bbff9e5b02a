// Types of tierlens' JSON documents: the recipe (recipe.d.ts: src/config.rs and the option structs), the
// report (report.d.ts: src/report.rs, report.json), progress, errors and the engine's capabilities. Written beside
// the Rust types and checked against them: tests/package/types.test.mjs has tsc check the real
// engine's default recipe, a full report (every section on) and its capabilities against these types
// as object literals (an unknown key or a wrong type is an error), and that a misspelt recipe key or a
// wrong value type does not compile.

export type * from './recipe.js';
export type * from './report.js';
import type { InputFormat, Role, TierBand } from './recipe.js';
import type { Detected, Warning } from './report.js';

// ---------------------------------------------------------------- progress, errors, capabilities

/** The engine's Progress of a load (`Loader.push`). */
export interface LoaderProgress {
  bytes: number;
  rows: number;
  customers: number;
  pass: number;
  passes: number;
}

/** Progress events of `loadFile` and the worker client: the engine's Progress, a stage code and the
 * fraction of the whole load done (0..1). */
export interface Progress extends LoaderProgress {
  stage: 'scan' | 'read' | 'aggregate' | 'analyze';
  fraction: number;
  total: number;
}

/** What every tierlens error carries (a JS `Error` named `TierlensError`). */
export interface TierlensErrorInfo {
  /** Stable code (`missing_column`, `recipe_syntax`, `cancelled`, …). */
  code: string;
  message: string;
  /** 1-based data row, when the problem is at a place in the input. */
  row?: number | null;
  column?: string | null;
  /** The dotted setting at fault (recipe errors). */
  field?: string | null;
  /** 1-based character in an expression or template. */
  position?: number | null;
  params?: Record<string, string | number | boolean | null> | null;
}

export type TierlensError = Error & TierlensErrorInfo;

export interface Capabilities {
  version: string;
  presets: { name: string; bins: number[]; grid: boolean; segments: string[] }[];
  bins: number[];
  tierPresets: { name: string; bands: TierBand[] }[];
  builtinFeatures: string[];
  defaultFeatures: string[];
  roles: { key: Role; customerLevel: boolean }[];
  codeSlots: { slot: string; aliases: string[] }[];
  fixedStages: { name: string; token: string }[];
  relativeStages: { name: string; token: string }[];
  probabilisticStages: { name: string; token: string }[];
  inputFormats: InputFormat[];
  exports: ('csv' | 'json' | 'xlsx' | 'report')[];
}

/** `Dataset.reloadNeeded(recipe)`: why this recipe needs the file read again, or null. */
export interface ReloadReason {
  code: 'input' | 'clean' | 'as_of_changed' | 'as_of_before_latest' | string;
  field: string;
}

/** `previewRows(...)`: the first rows as the engine reads them. */
export interface PreviewRows {
  detected: Detected | null;
  preamble: string[][];
  header: string[];
  rows: string[][];
  needsWhole: boolean;
}

/** Export options: `passphrase` pseudonymises the ids (HMAC), `dropColumns` leaves columns out. */
export interface ExportOptions {
  passphrase?: string;
  dropColumns?: string[];
}

/** `Analysis.sql(dialect, asOf)`: the fitted segmentation as one query (issue 15). */
export interface SqlExport {
  /** One statement reading the relation `transactions`; its first CTE maps the file's column names. */
  sql: string;
  /** The customers.csv columns the query returns, in order. */
  columns: string[];
  /** Columns left out and why (code `sql_column_omitted`). */
  warnings: Warning[];
}

export interface SampleOptions {
  customers?: number;
  seed?: number;
  language?: 'en' | 'zh';
}
