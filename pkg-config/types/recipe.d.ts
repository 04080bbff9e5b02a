// The recipe's types (src/config.rs `Recipe` and the option structs it holds); see index.d.ts.

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
  mode?: 'fixed' | 'relative' | 'probabilistic';
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

/** Recipe section `compare` (issue 14: migration from an earlier period, src/migration); `asOf` turns it on. */
export interface CompareOptions {
  /** The same file as of this earlier date is the earlier period. */
  asOf?: IsoDate | null;
  /** `current` (default): each period its own RFM cut points; `previous`: the earlier period's (needs `asOf`). */
  cuts?: 'current' | 'previous' | null;
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
