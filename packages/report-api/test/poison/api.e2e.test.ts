import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event } from '../helpers.js';
import { startReportApi } from './harness.js';

// Poison sent straight to the report API as `watchpost serve` runs it, by a holder of an ingest key
// (any app's key can leak). Each hostile request must cost nothing else: the valid events beside it
// are stored, the server keeps answering, and the database opens again afterwards.
let api: Awaited<ReturnType<typeof startReportApi>>;
const now = Date.now();

beforeAll(async () => {
  api = await startReportApi();
});

afterAll(async () => {
  await api?.stop();
});

const post = (body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
  fetch(`${api.url}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.site.ingestKey}`, 'content-type': 'application/json', ...headers },
    body,
  });

const batch = (events: unknown[]) => JSON.stringify({ batchId: randomUUID(), source: 'express', events });

async function healthy() {
  expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
}

describe('hostile batches to POST /v1/events on a running server', () => {
  // One poisoned event beside two valid ones: the valid ones are stored, the poison is named.
  it.each([
    ['a ts past the largest Date (9e15)', { ts: 9e15 }],
    ['a ts in 1970', { ts: 1 }],
    ['a sampleRate of 5e-324', { sampleRate: 5e-324 }],
    ['an ip that is not an IP', { ip: 'not-an-ip' }],
    ['HTML as the ip', { ip: '<script>' }],
    ['a C1 control in the user agent', { ua: 'Mozilla\u0085' }],
    ['a lone surrogate in the path', { path: '/\ud800' }],
    ['NUL in the host', { host: 'a\u0000b' }],
  ])('%s: 202, the poison rejected, the rest stored', async (_name, poison) => {
    const path = `/valid/${randomUUID()}`;
    const res = await post(batch([event({ ts: now, path }), event({ ts: now, ...poison }), event({ ts: now, path })]));
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ accepted: 2, rejected: 1, duplicate: false });
    const stored = await api.store.listEvents(api.site.site.id, { from: now - 1, to: now + 1, path, limit: 10 });
    expect(stored).toHaveLength(2);
    await healthy();
  });

  it('a gzip bomb (50 KB of gzip, 49 MB of valid JSON) gets 413 and the server keeps answering', async () => {
    const json = `{"batchId":"${randomUUID()}","source":"express","events":[],"pad":"${'a'.repeat(49 * 1024 * 1024)}"}`;
    const res = await post(new Uint8Array(gzipSync(json, { level: 9 })), { 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    await healthy();
  });

  it('JSON nested 100,000 deep gets 400, not a crash', async () => {
    const res = await post('['.repeat(100_000) + ']'.repeat(100_000));
    expect(res.status).toBe(400);
    await healthy();
  });

  it('a batch of 5,000 invalid events is answered 202 with every one rejected', async () => {
    const res = await post(batch(Array.from({ length: 5_000 }, () => event({ ts: now, ip: 'x' }))));
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ accepted: 0, rejected: 5_000 });
  });

  it('nothing answered 500, and the database opens again with every stored event', async () => {
    expect(api.errors).toEqual([]);
    const before = await api.store.listEvents(api.site.site.id, { from: 0, to: now + 86_400_000, limit: 10_000 });
    expect(before.length).toBe(16);
    const store = await api.reopen();
    const after = await store.listEvents(api.site.site.id, { from: 0, to: now + 86_400_000, limit: 10_000 });
    expect(after.length).toBe(16);
  });
});
