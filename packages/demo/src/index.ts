export { runDemoCli, usage, type DemoIo } from './cli.js';
export { startDemo, type DemoHandle, type DemoOptions } from './run.js';
