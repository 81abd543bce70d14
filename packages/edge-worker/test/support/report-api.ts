// The real report API (`createApp` from @watchpost/report-api) on a temporary SQLite file, served by
// @hono/node-server on an ephemeral 127.0.0.1 port.
import { serve, type ServerType } from '@hono/node-server';
import { createApp, openSqliteStore } from '@watchpost/report-api';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function startReportApi({
  denied,
  onDenyListChange,
}: {
  denied: string[];
  /** Passed to `createApp` (e.g. an edge notifier's `notify`); may be set later through the result. */
  onDenyListChange?: (siteId: string) => void;
}) {
  let changed = onDenyListChange;
  const dir = mkdtempSync(join(tmpdir(), 'watchpost-edge-e2e-db-'));
  const store = openSqliteStore({ path: join(dir, 'watchpost.db') });
  const { site, ingestKey, adminKey } = await store.createSite({
    name: 'edge-e2e',
    timeZone: 'UTC',
    homeCountry: 'JP',
  });
  for (const value of denied) {
    await store.addDenyEntry(site.id, { value, reason: 'e2e', source: 'manual', expiresAt: null }, Date.now());
  }
  const requests: { method: string; path: string; status: number }[] = [];
  const app = createApp({ store, logError: () => {}, onDenyListChange: (siteId) => changed?.(siteId) });
  const server: ServerType = await new Promise((resolve) => {
    const listening = serve(
      {
        fetch: async (request: Request) => {
          const response = await app.fetch(request);
          requests.push({ method: request.method, path: new URL(request.url).pathname, status: response.status });
          return response;
        },
        port: 0,
        hostname: '127.0.0.1',
      },
      () => resolve(listening),
    );
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    ingestKey,
    adminKey,
    siteId: site.id,
    requests,
    /** Replaces the deny-list change hook (null: none). */
    setOnDenyListChange(hook: ((siteId: string) => void) | null) {
      changed = hook ?? undefined;
    },
    /** Events the report API stored for the site, oldest first. */
    async events() {
      const stored = await store.listEvents(site.id, { from: 0, to: Date.now() + 3_600_000, limit: 1_000 });
      return stored.reverse();
    },
    async stop() {
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
