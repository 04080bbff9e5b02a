// `tierlens/client` in browsers and bundlers: the worker client with the bundled worker (Wasm inside)
// started from a blob: URL. Bundled by pkg-config/bundle.mjs into pkg/client/index.js.
import { TierlensClient as Client } from '../../www/client.js';
import { bundledWorker } from '../../www/element/spawn.js';

/** The worker client; `new TierlensClient()` starts the bundled worker (see client.d.ts). */
export class TierlensClient extends Client {
  constructor(options = {}) {
    super({ worker: options.worker ?? bundledWorker });
  }
}
