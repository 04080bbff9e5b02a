// `tierlens/element/preact`: <tierlens-view> in Preact's JSX (`preact`'s `JSX.IntrinsicElements`), for
// projects with jsxImportSource "preact". Types only; `import 'tierlens/element'` registers the
// element. Needs preact ≥ 10 in the consumer's project (not a dependency).
import type { TierlensViewAttributes } from './index.js';

declare module 'preact' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'tierlens-view': TierlensViewAttributes;
    }
  }
}
