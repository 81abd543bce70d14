export { watchpost } from './middleware.js';
export type {
  HonoWatchpostOptions,
  WatchpostHonoMiddleware,
  WatchpostContext,
  WatchpostVariables,
} from './middleware.js';
export { watchpostFetch } from './fetch.js';
export type { FetchHandler, WatchpostFetch, WatchpostFetchOptions } from './fetch.js';
export type { WatchpostOptions, ReportApiOptions, BlockResponseOptions } from '../core/runtime.js';
export { ratePresets } from '../core/rules/rate-presets.js';
