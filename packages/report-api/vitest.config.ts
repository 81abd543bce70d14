import { defineConfig } from 'vitest/config';
import { coverage, sourceConditions, sourceEnv } from '../../vitest.source.js';

// Two projects: `unit` (fast, everything but the browser) and `browser` (the dashboard in Debian's
// Chromium through playwright-core). `vitest run` runs both; `vitest run --project unit` skips the browser.
export default defineConfig({
  ...sourceConditions,
  test: {
    // `watchpost import` on the test's own thread, where coverage sees its code; the import thread
    // has tests of its own (src/cli/commands/import-thread.test.ts).
    env: { ...sourceEnv, WATCHPOST_IMPORT_THREAD: 'off' },
    testTimeout: 20_000,
    // Over both projects. Floors just below the measured figures; `npm test` fails under them.
    coverage: coverage({ lines: 94, statements: 93, functions: 91, branches: 89 }),
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/browser/**', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: { name: 'browser', include: ['test/browser/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 },
      },
    ],
  },
});
