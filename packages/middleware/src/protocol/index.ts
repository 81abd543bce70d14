export * from './event.js';
export * from './denylist.js';
export * from './limits.js';
