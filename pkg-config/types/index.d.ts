// Types of tierlens' JSON documents: the recipe (src/config.rs and the option structs it holds), the
// report (src/report.rs, report.json), progress, errors and the engine's capabilities. Written beside
// the Rust types and checked against them: tests/package/types.test.mjs has tsc check the real
// engine's default recipe, a full report (every section on) and its capabilities against these types
// as object literals (an unknown key or a wrong type is an error), and that a misspelt recipe key or a
// wrong value type does not compile.

// ---------------------------------------------------------------- recipe (camelCase, every key optional)

/** An ISO date, `YYYY-MM-DD`. */
export type IsoDate = string;

/** Column roles of the recipe's `input.columns` (role → header name in the file). */
export type Role =
  | 'customerId' | 'orderId' | 'date' | 'amount' | 'quantity' | 'unitPrice' | 'region'
  | 'lastPurchase' | 'firstPurchase' | 'orders' | 'totalSpend' | 'recency';

export type InputFormat = 'delimited' | 'xlsx' | 'xls' | 'json';
export type SheetRef = number | string;

export interface InputOptions {
  format?: InputFormat | null;
  /** A WHATWG encoding label (`"utf-8"`, `"gbk"`, `"utf-16le"` …). */
  encoding?: string | null;
  /** One ASCII character. */
  delimiter?: string | null;
  dateOrder?: 'dmy' | 'mdy' | null;
  /** A strftime pattern (`"%d.%m.%Y %H:%M"`). */
  dateFormat?: string | null;
  decimalSeparator?: '.' | ',' | null;
  customerIds?: 'asWritten' | 'integers' | null;
  columns?: Partial<Record<Role, string>>;
  /** A sheet name, a 1-based position, a list of them, or `"*"` for every sheet. */
  sheet?: SheetRef | SheetRef[] | null;
  /** 1-based row number of the header. */
  headerRow?: number | null;
  shape?: 'transactions' | 'customers' | null;
}

export interface CleanOptions {
  dropZeroAmounts?: boolean;
  dropDuplicates?: boolean | 'auto';
  cancelledPrefix?: string | null;
  returns?: 'net' | 'drop';
  outliers?: 'flag' | 'drop' | 'off';
  outlierIqr?: number;
}

/** Score bins per metric. */
export type Bins = 3 | 4 | 5;

export interface ScoreOptions {
  bins?: Bins;
  method?: 'edges' | 'rankFirst';
  cuts?: {
    recency?: number[] | null;
    frequency?: number[] | null;
    monetary?: number[] | null;
  };
}

/** An inclusive score range `[low, high]`. */
export type ScoreRange = [number, number];

export interface SegmentRule {
  segment: string;
  r?: ScoreRange;
  f?: ScoreRange;
  m?: ScoreRange;
  fm?: ScoreRange;
}

export interface RuleSet {
  name: string;
  bins: number;
  rules: SegmentRule[];
  fallback?: string;
  grid?: 'fm' | 'f';
}

/** Rows R = N..1 of segment names over FM (or F). */
export interface GridTable {
  name?: string;
  axis?: 'fm' | 'f';
  rows: string[][];
  fallback?: string;
}

export interface SegmentOptions {
  /** `rfm11`, `rf10`, `rfm-ranges`, `three-level` (see `capabilities().presets`). */
  preset?: string;
  rules?: RuleSet | null;
  table?: GridTable | null;
}

export interface TierBand {
  name: string;
  percent: number;
}

export interface TierOptions {
  /** `platinum-gold-silver-bronze` or `high-medium-low` (see `capabilities().tierPresets`). */
  preset?: string;
  bands?: TierBand[] | null;
  zeroSpend?: string;
  paretoPercent?: number;
}

export interface LifecycleOptions {
  mode?: 'fixed' | 'relative';
  newDays?: number;
  activeDays?: number;
  dueDays?: number;
  lapsingDays?: number;
  usualGap?: 'p80' | 'mean';
}

export interface CustomTierRule {
  /** An expression over the customer's figures (`monetary > 1000 and r >= 4`). */
  when: string;
  tier: string;
}

export interface CustomTierOptions {
  rules?: CustomTierRule[];
  otherwise?: string;
}

export interface CodeOptions {
  /** `{tier}{stage}-{seq:04}` and the like (see `capabilities().codeSlots`). */
  template?: string;
  maps?: {
    region?: Record<string, string>;
    tier?: Record<string, string>;
    stage?: Record<string, string>;
    segment?: Record<string, string>;
    custom?: Record<string, string>;
  };
}

export interface ActionOptions {
  basis?: 'segment' | 'tier' | 'lifecycle' | 'custom';
  language?: 'en' | 'zh';
  /** Class name → action text. */
  text?: Record<string, string>;
}

export interface ClusterOptions {
  enabled?: boolean;
  features?: string[];
  transform?: 'auto' | 'log1p' | 'none';
  scaling?: 'standard' | 'robust';
  k?: 'auto' | number;
  kRange?: [number, number];
  nInit?: number;
  initSample?: number;
  sweepNInit?: number;
  sweepSample?: number;
  maxIter?: number;
  tolerance?: number;
  seed?: number;
  silhouetteSample?: number;
}

export interface ExplainOptions {
  enabled?: boolean;
  maxDepth?: number;
  minLeafShare?: number;
  fitSample?: number;
  target?: string | null;
  holdout?: number;
  seed?: number;
}

/** Recipe section `clv` (issue 14: BG/NBD or MBG/NBD and Gamma-Gamma); its presence turns it on. */
export interface ClvOptions {
  enabled?: boolean;
  model?: 'bgnbd' | 'mbgnbd';
  timeUnit?: 'day' | 'week' | 'month';
  /** Prediction horizon in time units. */
  horizon?: number;
  calibrationEnd?: IsoDate | null;
  /** Annual discount rate (0.1 = 10 %); null: undiscounted. */
  discountRate?: number | null;
  spendModel?: 'gammaGamma';
  pAliveThreshold?: number;
}

/** Recipe section `compare` (issue 14: migration from an earlier period); its presence turns it on. */
export interface CompareOptions {
  /** The same file as of this earlier date. */
  asOf?: IsoDate | null;
  cuts?: 'own' | 'previous';
}

/** Every setting of a run (src/config.rs `Recipe`): every key optional, unknown keys rejected. */
export interface Recipe {
  asOf?: IsoDate | null;
  input?: InputOptions;
  clean?: CleanOptions;
  score?: ScoreOptions;
  segments?: SegmentOptions;
  valueTiers?: TierOptions;
  lifecycle?: LifecycleOptions;
  customTiers?: CustomTierOptions;
  codes?: CodeOptions;
  actions?: ActionOptions;
  cluster?: ClusterOptions;
  explain?: ExplainOptions;
  clv?: ClvOptions;
  compare?: CompareOptions;
}

/** What a recipe argument accepts: the object, its JSON text, or nothing (defaults). */
export type RecipeInput = Recipe | string | null | undefined;

// ---------------------------------------------------------------- report (report.json, camelCase)

/** Rows set aside (or flagged) for one reason. */
export interface Rejection {
  count: number;
  message: string;
  /** Data row numbers (1-based) of the first examples. */
  rows: number[];
  /** Line numbers in the file of the same examples. */
  lines: number[];
  examples: string[];
  params?: Record<string, string | number | boolean | null>;
}

/** A reading decision: what was decided, from what, and the recipe key that overrides it. */
export interface Decision {
  code: string;
  value: string;
  basis: string;
  evidence: string;
  key: string;
  warning?: string;
}

export interface SheetSpan {
  name: string;
  firstRow: number;
  lastRow: number;
  rowOffset: number;
}

export interface Detected {
  format: InputFormat;
  encoding: string;
  bom: boolean;
  delimiter: string | null;
  notes: string[];
  sheet?: string;
  sheets?: SheetSpan[];
  sepLine?: boolean;
  lines?: number;
}

export interface RoleMatch {
  role: Role;
  index: number;
  column: string;
  confidence: number;
  source: string;
  valueFit?: number;
  warning?: string;
}

export interface InputReport {
  detected: Detected | null;
  columns: RoleMatch[];
  header: string[];
  dates: { order: 'dmy' | 'mdy' | string; orderAmbiguous: boolean; excelSerial: boolean; format?: string | null };
  numbers: { decimalComma: boolean };
  dateRange: [IsoDate, IsoDate] | null;
  shape: 'transactions' | 'customers';
  decisions: Decision[];
}

/** Per-group figures (segment, tier, stage, cluster, custom tier). */
export interface GroupSummary {
  name: string;
  customers: number;
  share: number;
  revenue: number;
  revenueShare: number;
  meanRecencyDays: number;
  meanFrequency: number;
  meanMonetary: number;
  medianRecencyDays: number;
  medianFrequency: number;
  medianMonetary: number;
}

export interface Thresholds {
  metric: string;
  cuts: number[];
  method: string;
  reversed: boolean;
  scoresUsed: number[];
  collapsed: boolean;
}

export interface Coverage {
  cells: number;
  unassigned: [number, number, number][];
  overlapping: [[number, number, number], string[]][];
}

export interface GridCell {
  r: number;
  col: number;
  segment: string | null;
  segments: string[];
  customers: number;
  meanMonetary: number | null;
}

export interface SegmentsReport {
  rules: RuleSet;
  coverage: Coverage;
  summary: GroupSummary[];
  grid: { axis: 'fm' | 'f'; bins: number; cells: GridCell[] };
}

export interface Pareto {
  topPercent: number;
  topCustomers: number;
  /** null when total revenue is not positive. */
  revenueShare: number | null;
  curve: { customerShare: number; revenueShare: number }[];
}

export interface TiersReport {
  bands: TierBand[];
  zeroSpend: string;
  summary: GroupSummary[];
  pareto: Pareto;
}

export interface CodeChanges {
  previous: boolean;
  kept: number;
  moved: number;
  new: number;
  departed: number;
  movedExamples: { id: string; from: string; to: string; [k: string]: string }[];
}

/** One cross-tab shape everywhere: counts and lift, rows by one labelling, columns by another. */
export interface CrossTab {
  rowsBy: string;
  columnsBy: string;
  rows: string[];
  columns: string[];
  counts: number[][];
  lift: (number | null)[][];
}

/** A warning as a code with parameters (worded by the page in EN and ZH) and the engine's English. */
export interface Warning {
  code: string;
  params: Record<string, string | number | boolean | null>;
  message: string;
}

export interface ClusterFeature {
  name: string;
  feature: string;
  category: string | null;
  log: boolean;
  center: number;
  scale: number;
  integer: boolean;
  imputed: number;
}

export interface ClusterInfo {
  id: number;
  name: string;
  nameZh: string;
  size: number;
  share: number;
  centroid: Record<string, number>;
  centroidScaled: number[];
  topSegment: string;
  topSegmentShare: number;
}

export interface ClusterReport {
  k: number;
  chosenBy: string;
  selection: {
    rule: string;
    k: number[];
    silhouette: (number | null)[];
    calinskiHarabasz: (number | null)[];
    daviesBouldin: (number | null)[];
    inertia: (number | null)[];
    sweepCustomers: number;
    silhouetteCustomers: number;
    silhouetteSampled: boolean;
  } | null;
  features: ClusterFeature[];
  clusters: ClusterInfo[];
  summary: GroupSummary[];
  crosstab: CrossTab;
  inertia: number;
  iterations: number;
  converged: boolean;
  nInit: number;
  seed: number;
  projection: { explainedVarianceRatio: number[]; components: number[][] };
}

export interface RuleCondition {
  column: string;
  minExclusive: number | null;
  maxInclusive: number | null;
  text: string;
}

export interface ExplainRule {
  classIndex: number;
  class: string;
  conditions: RuleCondition[];
  text: string;
  support: number;
  supportShare: number;
  purity: number;
}

export interface Explanation {
  target: string;
  maxDepth: number;
  rules: ExplainRule[];
  fidelity: number;
  customers: number;
  fitCustomers: number;
}

export interface RulesReport {
  clusters: Explanation | null;
  segments: Explanation | null;
  valueTiers: Explanation | null;
  /** Rules for a column of the file (`explain.target`): the fit and its held-out accuracy. */
  supervised: (Explanation & Record<string, unknown>) | null;
}

/** report.json (src/report.rs `Report`). */
export interface Report {
  tierlensVersion: string;
  rowsRead: number;
  rowsUsed: number;
  rowsRejected: Record<string, Rejection>;
  returns: number;
  flags: Record<string, Rejection>;
  /** Number of customers. */
  customers: number;
  asOf: IsoDate;
  input: InputReport;
  thresholds: Thresholds[];
  segments: SegmentsReport;
  valueTiers: TiersReport;
  lifecycle: { options: Required<LifecycleOptions>; summary: GroupSummary[] };
  customTiers: GroupSummary[];
  codes: { template: string; changes: CodeChanges };
  actions: { basis: NonNullable<ActionOptions['basis']>; table: { class: string; action: string }[] };
  crosstabs: CrossTab[];
  warnings: Warning[];
  /** The resolved recipe (every setting, defaults filled in). */
  recipe: Recipe;
  clusters: ClusterReport | null;
  rules: RulesReport;
  /** With a `clv` section: the models' parameters, fit and holdout (shape owned by src/clv/). */
  clv?: Record<string, unknown>;
}

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

export interface SampleOptions {
  customers?: number;
  seed?: number;
  language?: 'en' | 'zh';
}
