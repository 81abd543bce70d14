import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { appWithSite, batch, event, post, tempStore } from '../../test/helpers.js';

let t: ReturnType<typeof tempStore>;
afterEach(async () => t.cleanup());

async function setup(limits?: { maxBodyBytes?: number; maxDecompressedBytes?: number }) {
  t = tempStore();
  const ctx = await appWithSite(t.store);
  if (limits) {
    const { createApp } = await import('../app.js');
    ctx.app = createApp({ store: t.store, limits, logError: () => undefined });
  }
  const count = () => (t.store.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  return { ...ctx, count };
}

const good = () => batch([event(), event({ status: 503 })]);

describe('POST /v1/events', () => {
  it('stores a batch and answers 202 with counts; a retry is a 202 duplicate stored once', async () => {
    const { app, ingestKey, count } = await setup();
    const sent = good();
    const first = await app.request('/v1/events', post(ingestKey, sent));
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({
      batchId: sent.batchId,
      accepted: 2,
      rejected: 0,
      duplicate: false,
      details: [],
    });
    const retry = await app.request('/v1/events', post(ingestKey, sent));
    expect(retry.status).toBe(202);
    expect(await retry.json()).toEqual({
      batchId: sent.batchId,
      accepted: 0,
      rejected: 0,
      duplicate: true,
      details: [],
    });
    expect(count()).toBe(2);
  });

  it('stores a batch sent five times at once exactly once', async () => {
    const { app, ingestKey, count } = await setup();
    const sent = good();
    const answers = await Promise.all(
      Array.from(
        { length: 5 },
        async () => (await (await app.request('/v1/events', post(ingestKey, sent))).json()) as { duplicate: boolean },
      ),
    );
    expect(answers.filter((a) => !a.duplicate)).toHaveLength(1);
    expect(count()).toBe(2);
  });

  it('accepts gzip JSON', async () => {
    const { app, ingestKey, count } = await setup();
    const res = await app.request(
      '/v1/events',
      post(ingestKey, gzipSync(JSON.stringify(good())), { 'content-encoding': 'gzip' }),
    );
    expect(res.status).toBe(202);
    expect(count()).toBe(2);
  });

  it('stores SQL metacharacters verbatim', async () => {
    const { app, ingestKey, site } = await setup();
    const path = "/search?q=1' OR '1'='1; DROP TABLE events;--";
    const ua = 'sqlmap"); DELETE FROM sites; --';
    expect((await app.request('/v1/events', post(ingestKey, batch([event({ path, ua })])))).status).toBe(202);
    const [stored] = await t.store.listEvents(site.id, { from: 0, to: Date.UTC(2030, 0), limit: 5 });
    expect(stored).toMatchObject({ path, ua });
    expect(await t.store.listSites()).toHaveLength(1);
  });

  it('keeps valid unicode (emoji, CJK) in paths and user agents', async () => {
    const { app, ingestKey, site } = await setup();
    const path = '/検索/😀';
    expect((await app.request('/v1/events', post(ingestKey, batch([event({ path })])))).status).toBe(202);
    const [stored] = await t.store.listEvents(site.id, { from: 0, to: Date.UTC(2030, 0), limit: 5 });
    expect(stored?.path).toBe(path);
  });

  const bomb = gzipSync(Buffer.alloc(2 * 1024 * 1024, 0x20));
  const cases: Array<{
    name: string;
    init: (key: string) => RequestInit;
    status: number;
    error: RegExp;
    field?: string;
  }> = [
    { name: 'malformed JSON', init: (k) => post(k, '{"batchId": "abc'), status: 400, error: /not valid JSON/ },
    {
      name: 'a JSON array',
      init: (k) => post(k, '[]'),
      status: 400,
      error: /envelope does not match the schema/,
      field: '(body)',
    },
    {
      name: 'missing field',
      init: (k) => post(k, { source: 'express', events: [] }),
      status: 400,
      error: /envelope does not match the schema/,
      field: 'batchId',
    },
    {
      name: 'invalid UTF-8 bytes',
      init: (k) => post(k, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])),
      status: 400,
      error: /UTF-8/,
    },
    {
      name: 'events not an array',
      init: (k) => post(k, { ...good(), events: {} }),
      status: 400,
      error: /envelope does not match the schema/,
      field: 'events',
    },
    {
      name: 'more than 5,000 events',
      init: (k) => post(k, { ...good(), events: Array(5001).fill(0) }),
      status: 400,
      error: /envelope does not match the schema/,
      field: 'events',
    },
    {
      name: 'SQL in batchId',
      init: (k) => post(k, { ...good(), batchId: "x'; DROP TABLE batches;--" }),
      status: 400,
      error: /envelope does not match the schema/,
      field: 'batchId',
    },
    {
      name: 'broken gzip',
      init: (k) => post(k, 'not gzip at all', { 'content-encoding': 'gzip' }),
      status: 400,
      error: /gzip/,
    },
    {
      name: 'zip bomb',
      init: (k) => post(k, bomb, { 'content-encoding': 'gzip' }),
      status: 413,
      error: /decompressed/,
    },
    {
      name: 'oversized body',
      init: (k) => post(k, JSON.stringify({ ...good(), pad: 'x'.repeat(70_000) })),
      status: 413,
      error: /larger than/,
    },
    {
      name: 'unknown encoding',
      init: (k) => post(k, '{}', { 'content-encoding': 'br' }),
      status: 415,
      error: /Content-Encoding/,
    },
    {
      name: 'not JSON content type',
      init: (k) => post(k, '{}', { 'content-type': 'text/plain' }),
      status: 415,
      error: /Content-Type/,
    },
    {
      name: 'missing key',
      init: () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
      status: 401,
      error: /missing API key/,
    },
    { name: 'wrong key', init: () => post('wpi_nope', good()), status: 401, error: /unknown API key/ },
    {
      name: 'malformed Authorization',
      init: (k) => ({
        ...post(k, good()),
        headers: { authorization: `Basic ${k}`, 'content-type': 'application/json' },
      }),
      status: 401,
      error: /Bearer/,
    },
  ];

  it.each(cases)(
    '$name → $status with an actionable message, nothing stored',
    async ({ init, status, error, field }) => {
      const { app, ingestKey, count } = await setup({ maxBodyBytes: 64 * 1024, maxDecompressedBytes: 1024 * 1024 });
      const res = await app.request('/v1/events', init(ingestKey));
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const body = (await res.json()) as { error: string; details?: Array<{ path: string; message: string }> };
      expect(body.error).toMatch(error);
      expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
      if (field) expect(body.details?.map((d) => d.path)).toContain(field);
      expect(count()).toBe(0);
    },
  );
});
