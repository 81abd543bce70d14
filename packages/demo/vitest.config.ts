import { defineConfig } from 'vitest/config';
import { coverage, sourceConditions, sourceEnv } from '../../vitest.source.js';

export default defineConfig({
  ...sourceConditions,
  test: {
    env: sourceEnv,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    // Floors just below the measured figures; `npm test` fails under them.
    coverage: coverage({ lines: 92, statements: 89, functions: 85, branches: 82 }),
  },
});
