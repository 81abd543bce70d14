import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { batch, event, post, tempStore } from '../test/helpers.js';

let t: ReturnType<typeof tempStore>;
afterEach(async () => t.cleanup());

describe('createApp', () => {
  it('answers /healthz and serves an OpenAPI document generated from the zod schemas', async () => {
    t = tempStore();
    const app = createApp({ store: t.store });
    expect(await (await app.request('/healthz')).json()).toEqual({ ok: true });
    const doc = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<string, unknown>;
      openapi: string;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/events', '/v1/denylist', '/v1/denylist/{id}', '/v1/reports/daily', '/healthz']),
    );
    const text = JSON.stringify(doc);
    // Field descriptions from the protocol's zod schema prove the schema was generated, not copied.
    expect(text).toContain('request start, epoch milliseconds');
    expect(text).toContain('"successRate"');
  });

  it('answers unknown routes with JSON 404 and internal errors without a stack trace', async () => {
    t = tempStore();
    const logged: unknown[] = [];
    const app = createApp({ store: t.store, logError: (e) => logged.push(e) });
    const missing = await app.request('/v2/nothing');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toMatch(/openapi\.json/);
    await t.store.close(); // every store call now throws
    const broken = await app.request('/v1/denylist', { headers: { authorization: 'Bearer wpi_x' } });
    expect(broken.status).toBe(500);
    const text = await broken.text();
    expect(text).not.toMatch(/Error|at \//);
    expect(logged).toHaveLength(1);
  });

  it('never lets a key of one site read or write another site', async () => {
    t = tempStore();
    const app = createApp({ store: t.store });
    const a = await t.store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: null });
    const b = await t.store.createSite({ name: 'b', timeZone: 'UTC', homeCountry: null });
    await app.request('/v1/events', post(a.ingestKey, batch([event({ ip: '192.0.2.10' })])));
    const entry = (await (
      await app.request('/v1/denylist', post(a.adminKey, { value: '192.0.2.10', reason: 'a only' }))
    ).json()) as { id: string };

    const bList = (await (
      await app.request('/v1/denylist', { headers: { authorization: `Bearer ${b.ingestKey}` } })
    ).json()) as { entries: unknown[] };
    expect(bList.entries).toEqual([]);
    expect(
      (
        await app.request(`/v1/denylist/${entry.id}`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${b.adminKey}` },
        })
      ).status,
    ).toBe(404);
    const bReport = (await (
      await app.request('/v1/reports/daily?date=2026-03-01', { headers: { authorization: `Bearer ${b.adminKey}` } })
    ).json()) as { totals: { requests: number }; site: { id: string } };
    expect(bReport.site.id).toBe(b.site.id);
    expect(bReport.totals.requests).toBe(0);
    const aReport = (await (
      await app.request('/v1/reports/daily?date=2026-03-01', { headers: { authorization: `Bearer ${a.adminKey}` } })
    ).json()) as { totals: { requests: number } };
    expect(aReport.totals.requests).toBe(1);
    expect(await t.store.listEvents(b.site.id, { from: 0, to: Date.UTC(2030, 0), limit: 10 })).toEqual([]);
    expect(await t.store.listDenyEntries(a.site.id, Date.now())).toHaveLength(1);
  });

  it.each([
    { name: 'impossible date', query: '?date=2026-02-30', status: 400, error: /invalid date/ },
    { name: 'missing date', query: '', status: 400, error: /missing/ },
    { name: 'SQL in date', query: "?date=2026-03-01'%20OR%201=1", status: 400, error: /invalid date/ },
    { name: 'ingest key', query: '?date=2026-03-01', status: 403, error: /admin/, key: 'ingest' as const },
  ])('GET /v1/reports/daily with $name → $status', async ({ query, status, error, key }) => {
    t = tempStore();
    const app = createApp({ store: t.store });
    const s = await t.store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: null });
    const res = await app.request(`/v1/reports/daily${query}`, {
      headers: { authorization: `Bearer ${key === 'ingest' ? s.ingestKey : s.adminKey}` },
    });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: string }).error).toMatch(error);
  });
});
