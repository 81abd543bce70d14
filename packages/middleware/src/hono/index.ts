export { watchpost } from './middleware.js';
export type { HonoWatchpostOptions, WatchpostHonoMiddleware } from './middleware.js';
export type { WatchpostOptions, ReportApiOptions, BlockResponseOptions } from '../core/watchpost.js';
