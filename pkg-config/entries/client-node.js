// `tierlens/client` in Node: the same client and bundled worker, run as a worker thread.
// Bundled by pkg-config/bundle.mjs into pkg/client/node.js.
import { TierlensClient as Client } from '../../www/client.js';
import { nodeWorker } from '../../www/element/spawn-node.js';

/** The worker client; `new TierlensClient()` starts the bundled worker in a worker thread. */
export class TierlensClient extends Client {
  constructor(options = {}) {
    super({ worker: options.worker ?? nodeWorker });
  }
}
