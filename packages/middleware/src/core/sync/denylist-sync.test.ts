import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { DenyEntry } from '../../protocol/index.js';
import { createDenyListSync } from './denylist-sync.js';

function entry(id: string, value: string): DenyEntry {
  return { id, value, reason: 'test', source: 'manual', createdAt: 1, expiresAt: null };
}

interface FakeApi {
  url: string;
  server: Server;
  mode: 'ok' | 'fail' | 'garbage';
  version: string;
  entries: DenyEntry[];
  requests: Array<{ ifNoneMatch: string | undefined; authorization: string | undefined }>;
}

let api: FakeApi | null = null;
afterEach(async () => {
  api?.server.closeAllConnections();
  await new Promise((r) => api?.server.close(r) ?? r(null));
  api = null;
});

async function startApi(): Promise<FakeApi> {
  const fake = {
    mode: 'ok',
    version: 'v1',
    entries: [entry('d1', '198.51.100.0/24')],
    requests: [],
  } as unknown as FakeApi;
  fake.server = createServer((req, res) => {
    fake.requests.push({ ifNoneMatch: req.headers['if-none-match'], authorization: req.headers.authorization });
    if (req.url !== '/v1/denylist') return res.writeHead(404).end();
    if (fake.mode === 'fail') return res.writeHead(503).end('down');
    if (fake.mode === 'garbage')
      return res.writeHead(200, { 'content-type': 'application/json' }).end('{"entries":"nope"}');
    const etag = `"${fake.version}"`;
    if (req.headers['if-none-match'] === etag) return res.writeHead(304, { etag }).end();
    res
      .writeHead(200, { 'content-type': 'application/json', etag })
      .end(JSON.stringify({ version: fake.version, entries: fake.entries }));
  });
  await new Promise<void>((r) => fake.server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
  return fake;
}

describe('createDenyListSync', () => {
  it('fetches the list, then sends If-None-Match and keeps the list on 304', async () => {
    api = await startApi();
    const updates: Array<readonly DenyEntry[]> = [];
    const sync = createDenyListSync({ url: api.url, ingestKey: 'wpi_x', onUpdate: (e) => updates.push(e) });
    expect(await sync.refresh()).toBe(true);
    expect(sync.current().map((e) => e.value)).toEqual(['198.51.100.0/24']);
    expect(await sync.refresh()).toBe(false);
    expect(api.requests.map((r) => r.ifNoneMatch)).toEqual([undefined, '"v1"']);
    expect(api.requests[0]?.authorization).toBe('Bearer wpi_x');
    expect(updates).toHaveLength(1);
    expect(sync.current()).toHaveLength(1);

    api.version = 'v2';
    api.entries = [entry('d1', '198.51.100.0/24'), entry('d2', '2001:db8::/32')];
    expect(await sync.refresh()).toBe(true);
    expect(updates.at(-1)?.map((e) => e.id)).toEqual(['d1', 'd2']);
  });

  it('keeps the last good list when the API fails or answers garbage, and reports it', async () => {
    api = await startApi();
    const errors: unknown[] = [];
    const sync = createDenyListSync({ url: api.url, ingestKey: 'k', onError: (e) => errors.push(e) });
    await sync.refresh();
    api.mode = 'fail';
    expect(await sync.refresh()).toBe(false);
    api.mode = 'garbage';
    expect(await sync.refresh()).toBe(false);
    expect(sync.current().map((e) => e.id)).toEqual(['d1']);
    expect(errors).toHaveLength(2);
    expect(String(errors[0])).toMatch(/503/);
  });

  it('resolves false, never rejects, when the API is unreachable or hangs', async () => {
    const errors: unknown[] = [];
    const sync = createDenyListSync({
      url: 'http://127.0.0.1:9',
      ingestKey: 'k',
      timeoutMs: 50,
      onError: (e) => errors.push(e),
      fetch: (_url, init) =>
        new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))),
    });
    expect(await sync.refresh()).toBe(false);
    expect(String(errors[0])).toMatch(/timed out/);
    expect(sync.current()).toEqual([]);
  });

  it('start() polls at once and on the interval; stop() ends it', async () => {
    api = await startApi();
    const sync = createDenyListSync({ url: api.url, ingestKey: 'k', intervalMs: 20 });
    sync.start();
    const deadline = Date.now() + 2_000;
    while (api.requests.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    sync.stop();
    const seen = api.requests.length;
    expect(seen).toBeGreaterThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 60));
    expect(api.requests.length).toBeLessThanOrEqual(seen + 1); // at most the poll already in flight
  });

  it.each([
    [{ url: 'not a url', ingestKey: 'k' }, /options\.url/],
    [{ url: 'http://x', ingestKey: '' }, /options\.ingestKey/],
    [{ url: 'http://x', ingestKey: 'k', intervalMs: 0 }, /syncIntervalMs/],
  ])('rejects %j', (options, message) => {
    expect(() => createDenyListSync(options)).toThrow(message);
  });
});
