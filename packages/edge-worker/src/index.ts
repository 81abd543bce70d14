import { createWorker } from './worker.js';

export { BurstsDurableObject } from './bursts-do.js';
export { createWorker, type WatchpostWorker, type WorkerEnv, type WorkerOptions } from './worker.js';

/** The Watchpost edge worker: `fetch` (proxy + engine), `scheduled` (deny-list pull), `queue` (events). */
export default createWorker();
