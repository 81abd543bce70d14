export * from './event.js';
export * from './denylist.js';
