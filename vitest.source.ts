import type { ViteUserConfig } from 'vitest/config';

/**
 * In this repository, `@watchpost/*` packages resolve to their TypeScript sources through the
 * `@watchpost/source` export condition (installed packages use `dist`). Spread into a package's
 * vitest config; child processes (tsx, wrangler) get the same condition from `sourceEnv`.
 *
 * @example
 * export default defineConfig({ ...sourceConditions, test: { env: sourceEnv } });
 */
export const sourceConditions: Pick<ViteUserConfig, 'resolve' | 'ssr'> = {
  resolve: { conditions: ['@watchpost/source', 'module', 'browser', 'development|production'] },
  ssr: { resolve: { conditions: ['@watchpost/source', 'module', 'node', 'development|production'] } },
};

/** NODE_OPTIONS for processes a test spawns (`tsx src/cli/main.ts ...`), so they resolve sources too. */
export const sourceEnv: Record<string, string> = {
  NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --conditions=@watchpost/source`.trim(),
  // wrangler's esbuild (dev, deploy --dry-run): its default conditions with ours first.
  WRANGLER_BUILD_CONDITIONS: '@watchpost/source,workerd,worker,browser',
};

type CoverageOptions = NonNullable<NonNullable<ViteUserConfig['test']>['coverage']>;

/** Coverage floors of a package, in percent: `npm test` fails when a figure falls below its floor. */
export interface CoverageFloor {
  lines: number;
  statements: number;
  functions: number;
  branches: number;
}

/**
 * Coverage of a package's `src/` (tests excluded) with V8, on in `npm test` (which sets
 * `WATCHPOST_COVERAGE=1`) and off in a targeted `vitest run <paths>`, where a part of the suite
 * would miss the floors. The edge worker's tests run inside workerd, which V8 coverage cannot reach:
 * it passes `'istanbul'` (instrumented code). It prints one summary per package and fails the run below `floor`; set each
 * floor just below the figure measured, and raise it when the figure rises.
 *
 * @example
 * const floor = { lines: 90, statements: 89, functions: 88, branches: 80 };
 * export default defineConfig({ test: { coverage: coverage(floor) } });
 */
export function coverage(floor: CoverageFloor, provider: 'v8' | 'istanbul' = 'v8'): CoverageOptions {
  return {
    enabled: process.env['WATCHPOST_COVERAGE'] === '1',
    provider,
    include: ['src/**/*.ts'],
    exclude: ['**/*.test.ts'],
    reporter: ['text-summary'],
    reportOnFailure: true,
    // Out of the work tree: nothing to ignore or commit.
    reportsDirectory: 'node_modules/.coverage',
    thresholds: { ...floor },
  };
}
