// report.json's types (src/report.rs `Report`); see index.d.ts.
import type { ActionOptions, InputFormat, IsoDate, LifecycleOptions, Recipe, Role, RuleSet, TierBand } from './recipe.js';

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
  /** For people, in English; `evidenceCode` + `evidenceParams` word it in other languages. */
  evidence: string;
  /** Stable evidence code (`evidence_<code>` in the page's words); absent where not yet coded. */
  evidenceCode?: string;
  evidenceParams?: Record<string, string>;
  key: string;
  /** Set when the file could not settle the decision (also listed under `warnings`). */
  warning?: Warning;
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
  dates: { order: 'dmy' | 'mdy' | string; orderAmbiguous: boolean; excelSerial: boolean; orderMatters: boolean; yearFirst: boolean; format?: string | null };
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
  /** The earlier period's band floors the tiers were assigned by (`compare.cuts: "previous"`). */
  floors?: TierFloor[];
}

/** A band's lowest net spend in the earlier period; null when the band was empty then. */
export interface TierFloor {
  name: string;
  floor: number | null;
}

/** How a compared class's boundaries were set in the current period. */
export type ClassCuts = 'current' | 'previous' | 'fixed';

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
  /** With a `clv` section whose fit is identifiable (else a `clv_not_identifiable` warning). */
  clv?: ClvReport;
  /** With an earlier period (recipe `compare.asOf` or a previous customers.csv): the migration in short. */
  migration?: MigrationSummary;
}

// ---------------------------------------------------------------- migration (src/migration)

/** A class kind compared between periods. */
export type MigrationClass = 'segment' | 'valueTier' | 'lifecycle' | 'customTier';

/** `report.json` `migration`. */
export interface MigrationSummary {
  source: 'compareAsOf' | 'previousFile';
  previousAsOf: IsoDate | null;
  cuts: 'current' | 'previous';
  /** Per class column: the boundaries it was drawn with. */
  classCuts: Record<string, ClassCuts>;
  new: number;
  gone: number;
  /** Movers per class, keyed by the customers.csv column (`segment`, `value_tier`, `lifecycle`, `custom_tier`). */
  moved: Record<string, number>;
}

/** One class's from × to tables: `counts[from][to]`, `revenue[from][to]` (current net revenue). */
export interface ClassMigration {
  class: MigrationClass;
  cuts: ClassCuts;
  /** Earlier names, then "(new)". */
  from: string[];
  /** Current names, then "(gone)". */
  to: string[];
  counts: number[][];
  revenue: number[][];
  stayed: number;
  moved: number;
}

/** A customer whose class changed (a movers.csv row). */
export interface Mover {
  customerId: string;
  class: MigrationClass;
  from: string;
  to: string;
}

/** `migration.json` (`Analysis.migration()`). */
export interface Migration {
  source: 'compareAsOf' | 'previousFile';
  previousAsOf: IsoDate | null;
  asOf: IsoDate;
  cuts: 'current' | 'previous';
  /** The earlier tier floors the current value tiers used (with `cuts: "previous"`). */
  tierFloors?: TierFloor[];
  previousCustomers: number;
  currentCustomers: number;
  both: number;
  classes: ClassMigration[];
  movers: Mover[];
}

// ---------------------------------------------------------------- clv (src/clv, issue 14 part 1)

/** CLV figures of one class (segment or value tier), computed by the engine. */
export interface ClvGroup {
  name: string;
  customers: number;
  /** Customers of the class with a P(alive) (in the calibration period). */
  scored: number;
  meanPAlive: number | null;
  /** Σ expected purchases over the horizon. */
  expectedOrders: number;
  /** Σ CLV over the customers that have one. */
  clv: number;
  withClv: number;
}

/** report.clv: BG/NBD or MBG/NBD and Gamma-Gamma, as of the calibration end. */
export interface ClvReport {
  model: 'bgnbd' | 'mbgnbd';
  timeUnit: 'day' | 'week' | 'month';
  calibrationEnd: IsoDate;
  horizon: number;
  discountRate: number | null;
  params: { r: number; alpha: number; a: number; b: number };
  logLikelihood: number;
  converged: boolean;
  customers: number;
  repeaters: number;
  /** Customers whose first purchase is after the calibration end (no figures). */
  afterCalibration: number;
  /** Customers per P(alive) tenth: [0, 0.1), …, [0.9, 1]. */
  pAliveBins: number[];
  expectedOrders: number;
  spend: {
    model: 'gammaGamma';
    params: { p: number; q: number; v: number };
    logLikelihood: number;
    customers: number;
    setAside: number;
    converged: boolean;
  } | null;
  /** When the data go past the calibration end. */
  holdout: {
    end: IsoDate;
    length: number;
    actual: number;
    predicted: number;
    byFrequency: { x: string; customers: number; actual: number; predicted: number }[];
    tracking: { t: number; actual: number; predicted: number }[];
  } | null;
  bySegment: ClvGroup[];
  byTier: ClvGroup[];
}
