import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { coverage } from '../../vitest.source.js';

// Unit tests run inside workerd (the real Workers runtime) with the bindings of `wrangler.jsonc`'s
// `exact` environment (KV, Queue, Durable Object), simulated locally by miniflare. Tests call the
// worker's handlers directly (fetch, scheduled, queue) with an injected `fetch` for the origin and the
// report API, so nothing leaves the machine.
// `@watchpost/*` packages resolve to their TypeScript sources here (see vitest.source.ts at the root);
// the Workers pool keeps its own conditions after ours.
const workerConditions = ['@watchpost/source', 'workerd', 'worker', 'module', 'browser', 'development|production'];

export default defineConfig({
  resolve: { conditions: workerConditions },
  ssr: { resolve: { conditions: workerConditions } },
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.jsonc', environment: 'exact' },
      // The secret is not in wrangler.jsonc; tests that need it pass their own env anyway.
      miniflare: { bindings: { INGEST_KEY: 'test-ingest-key' } },
    }),
  ],
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 20_000,
    // Istanbul: workerd has no V8 inspector for vitest to read coverage from.
    coverage: {
      ...coverage({ lines: 95, statements: 94, functions: 86, branches: 90 }, 'istanbul'),
      exclude: ['**/*.test.ts', 'src/test-support/**'],
    },
  },
});
