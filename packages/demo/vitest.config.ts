import { defineConfig } from 'vitest/config';
import { sourceConditions, sourceEnv } from '../../vitest.source.js';

export default defineConfig({
  ...sourceConditions,
  test: { env: sourceEnv, include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 20_000 },
});
