// `tierlens/element/vue`: <tierlens-view> as a global component of Vue 3 (`GlobalComponents`), so
// vue-tsc and Volar check its attributes in templates. Types only; `import 'tierlens/element'` registers
// the element, and Vue needs `compilerOptions.isCustomElement = (tag) => tag === 'tierlens-view'`.
// Needs vue ≥ 3.3 in the consumer's project (not a dependency).
import type { DefineComponent } from 'vue';
import type { TierlensViewAttributes } from './index.js';

declare module 'vue' {
  interface GlobalComponents {
    'tierlens-view': DefineComponent<TierlensViewAttributes>;
  }
}
