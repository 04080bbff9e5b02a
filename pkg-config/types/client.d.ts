// Types of `tierlens/client`: the worker client (www/client.js) with the bundled worker.
import type { Capabilities, ExportOptions, Progress, Recipe, RecipeInput, Report, SampleOptions } from '../types/index.js';
export type * from '../types/index.js';

/** What a worker answers for an open/analyze: the report, the customer ids and per-customer columns
 * as typed arrays (every array follows `ids`), and the class names the indexes point into. */
export interface TierlensResult {
  report: Report;
  ids: string[];
  segmentNames: string[];
  columns: {
    recencyDays: Int32Array;
    frequency: Uint32Array;
    monetary: Float64Array;
    rScore: Uint8Array;
    fScore: Uint8Array;
    mScore: Uint8Array;
    segmentIndex: Uint16Array;
    tierIndex: Uint16Array;
    lifecycleIndex: Uint16Array;
    actionIndex: Uint16Array;
    /** Present with custom tier rules. */
    customTierIndex?: Uint16Array;
    /** Present when clustering is on. */
    clusterIndex?: Uint16Array;
    mapX?: Float64Array;
    mapY?: Float64Array;
  };
  customerColumns: string[];
  tierNames: string[];
  lifecycleNames: string[];
  customTierNames: string[];
  clusterNames: string[];
  clusterNamesZh: string[];
  actionTexts: string[];
  codes: string[];
  regions: string[];
  attributes: { name: string; kind: 'numeric' | 'categorical' }[];
  /** The recipe this result was made with. */
  recipe: Recipe;
}

export interface RequestOptions {
  /** Called with the engine's progress (stage code + fraction). */
  onProgress?: (progress: Progress) => void;
  /** Cancels: the promise rejects with `{ name: 'AbortError', code: 'cancelled' }`. */
  signal?: AbortSignal;
}

/** A Worker-like object: a browser `Worker` or a Node `worker_threads` Worker. */
export type WorkerLike = { postMessage(message: unknown, transfer?: unknown[]): void; terminate(): unknown };

export interface ClientOptions {
  /** Starts the worker (default: the bundled worker, as a blob: worker or a Node worker thread). */
  worker?: () => WorkerLike | { worker: WorkerLike; revoke?: () => void } | Promise<WorkerLike | { worker: WorkerLike; revoke?: () => void }>;
}

export type Source = Blob | Uint8Array | ArrayBuffer;

/** The worker client: the data and the Wasm engine live in a worker; `close()` ends it. */
export declare class TierlensClient extends EventTarget {
  constructor(options?: ClientOptions);
  /** Times a worker whose Wasm instance trapped was replaced. */
  readonly restarts: number;
  onRestart: (() => void) | null;
  /** Reads `source` in the worker and analyses it with `recipe`. */
  open(source: Source, recipe?: RecipeInput, options?: RequestOptions): Promise<TierlensResult>;
  /** Generates the built-in sample in the worker and analyses it. */
  sample(recipe?: RecipeInput, options?: RequestOptions & { sample?: SampleOptions }): Promise<TierlensResult>;
  /** Re-analyses the loaded data; the file is read again only when the recipe changes how rows are read. */
  analyze(recipe: RecipeInput, options?: RequestOptions): Promise<TierlensResult>;
  /** Reads the source last opened again (after a failed open, e.g. with column roles). */
  reopen(recipe: RecipeInput, options?: RequestOptions): Promise<TierlensResult>;
  /** Compares the loaded data with an earlier customers.csv (`null` stops): migration and kept codes,
   * as the CLI's `--previous`; the file is read in the worker. */
  previous(file: Source | null, recipe: RecipeInput, options?: RequestOptions): Promise<TierlensResult>;
  /** The first rows as the engine reads them, header first. */
  preview(rows?: number): Promise<string[][] | null>;
  capabilities(): Promise<Capabilities & { actionDefaults: { name: string; en: string; zh: string }[]; xlsx: boolean }>;
  /** Export bytes of the result last received. */
  exportBytes(what: 'csv' | 'json' | 'xlsx' | 'report' | 'movers' | 'sql-duckdb' | 'sql-spark', options?: ExportOptions | null): Promise<Uint8Array>;
  version(): Promise<string>;
  /** Stops the running load. */
  cancel(): void;
  /** Ends the worker and frees its Wasm memory; pending requests reject with `closed`. Idempotent. */
  close(): void;
  /** The older name of close(). */
  terminate(): void;
  addEventListener(type: 'progress', listener: (event: Event & { detail: Progress }) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
}
