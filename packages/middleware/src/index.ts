export * from './protocol/index.js';
export * from './core/index.js';
