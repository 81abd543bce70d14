import { defineConfig } from 'vitest/config';
import { sourceConditions, sourceEnv } from '../../vitest.source.js';

// The end-to-end test runs in Node: it starts `wrangler dev`, a local origin and a local report API.
export default defineConfig({
  ...sourceConditions,
  test: {
    env: sourceEnv,
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    fileParallelism: false,
  },
});
