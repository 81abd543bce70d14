import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { DenyEntry } from '../../protocol/index.js';
import { createDenyListSync, type DenyListSync } from './denylist-sync.js';

/** A report API that holds `?wait=` polls until `change()` (or answers at once when `holds` is false). */
function fakeApi({ holds = true } = {}) {
  let version = 1;
  const entries: DenyEntry[] = [];
  const held = new Set<() => void>();
  const urls: string[] = [];
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    const etag = `"v${version}"`;
    if (req.headers['if-none-match'] === etag) return res.writeHead(304, { etag }).end();
    res.writeHead(200, { etag, 'content-type': 'application/json' });
    res.end(JSON.stringify({ version: `v${version}`, entries }));
  };
  const server: Server = createServer((req, res) => {
    urls.push(req.url ?? '');
    const wait = /[?&]wait=(\d+)/.exec(req.url ?? '');
    if (!holds || wait === null || req.headers['if-none-match'] !== `"v${version}"`) return answer(req, res);
    res.setHeader('watchpost-wait', wait[1]!);
    const release = () => {
      held.delete(release);
      clearTimeout(timer);
      answer(req, res);
    };
    const timer = setTimeout(release, Number(wait[1]) * 1000);
    held.add(release);
  });
  return {
    server,
    urls,
    held,
    change(value: string) {
      entries.push({ id: `d${version}`, value, reason: '', source: 'manual', createdAt: 1, expiresAt: null });
      version++;
      for (const release of [...held]) release();
    },
    async listen(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
  };
}

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const fn of cleanup) fn();
  cleanup = [];
});

async function until(check: () => boolean, ms = 5000): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - started;
}

function started(api: ReturnType<typeof fakeApi>, url: string, extra: { waitS?: number; intervalMs?: number } = {}) {
  const updates: string[][] = [];
  const errors: unknown[] = [];
  const sync: DenyListSync = createDenyListSync({
    url,
    ingestKey: 'k',
    ...extra,
    onUpdate: (entries) => updates.push(entries.map((e) => e.value)),
    onError: (error) => errors.push(error),
  });
  sync.start();
  cleanup.push(() => {
    sync.stop();
    api.server.closeAllConnections();
    api.server.close();
  });
  return { sync, updates, errors };
}

describe('deny-list long polls', () => {
  it('gets a change within milliseconds while the poll is held', async () => {
    const api = fakeApi();
    const { updates, errors } = started(api, await api.listen());
    await until(() => updates.length === 1 && api.held.size === 1);
    api.change('198.51.100.7');
    const ms = await until(() => updates.length === 2);
    expect(ms).toBeLessThan(1000);
    expect(updates[1]).toEqual(['198.51.100.7']);
    expect(api.urls.filter((u) => u.includes('wait=25')).length).toBeGreaterThanOrEqual(1);
    expect(errors).toEqual([]);
  });

  it('falls back to the poll period when the report API does not hold polls', async () => {
    const api = fakeApi({ holds: false });
    const { updates } = started(api, await api.listen(), { intervalMs: 60_000 });
    await until(() => updates.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    // The first poll and one `?wait=` poll answered at once (304): then it waits `intervalMs`.
    expect(api.urls.length).toBe(2);
  });

  it('with waitS 0 polls plainly every intervalMs', async () => {
    const api = fakeApi();
    const { updates } = started(api, await api.listen(), { waitS: 0, intervalMs: 100 });
    await until(() => api.urls.length >= 4);
    expect(api.urls.every((u) => u === '/v1/denylist')).toBe(true);
    expect(updates).toHaveLength(1);
  });

  it('stop() ends a held poll at once, silently', async () => {
    const api = fakeApi();
    const { sync, updates, errors } = started(api, await api.listen());
    await until(() => updates.length === 1 && api.held.size === 1);
    sync.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    api.change('203.0.113.1');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(updates).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('retries after a failure from 1 s, not after the poll period', async () => {
    const api = fakeApi();
    await api.listen();
    const { updates, errors } = started(api, 'http://127.0.0.1:9', {}); // nothing listens on port 9
    await until(() => errors.length >= 1);
    expect(updates).toEqual([]);
    const after = errors.length;
    await until(() => errors.length > after, 3000); // ~1 s later, far below the 60 s poll period
  });

  it.each([-1, 31, 2.5, Number.NaN])('refuses waitS %j', (waitS) => {
    expect(() => createDenyListSync({ url: 'http://x', ingestKey: 'k', waitS })).toThrow(/syncWaitS/);
  });
});
