// `tierlens/element/react`: <tierlens-view> in React 19's JSX (`React.JSX.IntrinsicElements`), for
// projects whose JSX comes from `react` (jsx: "react-jsx"). Types only; `import 'tierlens/element'`
// registers the element. Needs @types/react ≥ 19 in the consumer's project (not a dependency).
import type { TierlensViewAttributes } from './index.js';

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'tierlens-view': TierlensViewAttributes;
    }
  }
}
