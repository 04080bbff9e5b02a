// Types of `tierlens/element`: <tierlens-view> (www/element/element.js), with the tag in
// HTMLElementTagNameMap and JSX.IntrinsicElements for React / Preact / Vue / Solid users.
import type { Progress, Recipe, Report } from '../types/index.js';
import type { Source, TierlensResult } from '../client/index.js';
export type * from '../types/index.js';
export type { TierlensResult } from '../client/index.js';

/** detail of `tierlens-error`. */
export interface TierlensErrorDetail {
  code: string;
  row: number | null;
  column: string | null;
  message: string;
  params: Record<string, string | number | boolean | null> | null;
}

/** detail of `tierlens-select`: the class clicked and its customers. */
export interface TierlensSelectDetail {
  kind: 'segment' | 'tier' | 'cluster';
  index: number;
  name: string;
  ids: string[];
}

export interface TierlensViewEventMap extends HTMLElementEventMap {
  'tierlens-result': CustomEvent<Report>;
  'tierlens-progress': CustomEvent<Progress>;
  'tierlens-error': CustomEvent<TierlensErrorDetail>;
  'tierlens-config-update': CustomEvent<Recipe>;
  'tierlens-select': CustomEvent<TierlensSelectDetail>;
}

export declare class TierlensView extends HTMLElement {
  static readonly observedAttributes: string[];
  /** The recipe in force (a copy). */
  readonly recipe: Recipe;
  /** The latest report, or null. */
  readonly report: Report | null;
  /** Reads and analyses a file or bytes in the element's worker, or draws a result already made. */
  load(input: Source | TierlensResult): Promise<Report>;
  /** Merges a partial recipe (`null` removes a key) and re-analyses. */
  restore(partial: Recipe): Promise<Report | null>;
  /** The recipe as JSON text, as the page's "Save settings" writes it. */
  save(): string;
  /** Resolves when everything asked so far is drawn. */
  flush(): Promise<void>;
  /** Ends the worker and frees its Wasm memory (also on disconnect). */
  delete(): void;
  addEventListener<K extends keyof TierlensViewEventMap>(type: K, listener: (this: TierlensView, ev: TierlensViewEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof TierlensViewEventMap>(type: K, listener: (this: TierlensView, ev: TierlensViewEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/** The tag name, `tierlens-view`. */
export declare const TAG: 'tierlens-view';
/** `base` with `partial` merged in, as restore() does. */
export declare function mergeRecipe(base: Recipe, partial: Recipe): Recipe;

/** Attributes and event props of <tierlens-view> in JSX. */
export interface TierlensViewAttributes {
  lang?: 'en' | 'zh' | string;
  theme?: 'light' | 'dark';
  id?: string;
  class?: string;
  className?: string;
  style?: string | Record<string, string | number>;
  ref?: unknown;
  children?: unknown;
  slot?: string;
  'ontierlens-result'?: (event: CustomEvent<Report>) => void;
  'ontierlens-error'?: (event: CustomEvent<TierlensErrorDetail>) => void;
  'ontierlens-progress'?: (event: CustomEvent<Progress>) => void;
  'ontierlens-select'?: (event: CustomEvent<TierlensSelectDetail>) => void;
  'ontierlens-config-update'?: (event: CustomEvent<Recipe>) => void;
}

declare global {
  interface HTMLElementTagNameMap {
    'tierlens-view': TierlensView;
  }
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'tierlens-view': TierlensViewAttributes;
    }
  }
}
