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
