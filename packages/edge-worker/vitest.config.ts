import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

// Unit tests run inside workerd (the real Workers runtime) with the bindings of `wrangler.jsonc`'s
// `exact` environment (KV, Queue, Durable Object), simulated locally by miniflare. Tests call the
// worker's handlers directly with injected `fetch`, so nothing leaves the machine.
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.jsonc', environment: 'exact' },
      miniflare: {
        bindings: { INGEST_KEY: 'test-ingest-key' },
        // No cron or queue delivery during tests: handlers are invoked explicitly.
        queueConsumers: {},
      },
    }),
  ],
  test: { include: ['src/**/*.test.ts'], testTimeout: 20_000 },
});
