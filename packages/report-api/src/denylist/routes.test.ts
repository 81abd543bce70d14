import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { appWithSite, post, tempStore } from '../../test/helpers.js';
import { parseDenyValue } from './value.js';

let t: ReturnType<typeof tempStore>;
afterEach(async () => t.cleanup());

let clock = Date.UTC(2026, 2, 1);
const auth = (key: string, extra: Record<string, string> = {}) => ({ headers: { authorization: `Bearer ${key}`, ...extra } });

async function setup() {
  t = tempStore();
  clock = Date.UTC(2026, 2, 1);
  const ctx = await appWithSite(t.store, {}, () => clock);
  return { ...ctx, app: createApp({ store: t.store, now: () => clock }) };
}

describe('deny list routes', () => {
  it('serves the list with a strong ETag, 304 when unchanged, a new version on every change', async () => {
    const { app, ingestKey, adminKey } = await setup();
    const empty = await app.request('/v1/denylist', auth(ingestKey));
    expect(empty.status).toBe(200);
    const etag = empty.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect((await empty.json()) as object).toEqual({ version: etag.slice(1, -1), entries: [] });
    expect((await app.request('/v1/denylist', auth(ingestKey, { 'if-none-match': etag }))).status).toBe(304);

    const added = await app.request('/v1/denylist', post(adminKey, { value: '198.51.100.0/24', reason: 'scanner', ttlSeconds: 60 }));
    expect(added.status).toBe(201);
    const entry = (await added.json()) as { id: string; expiresAt: number; source: string };
    expect(entry).toMatchObject({ source: 'manual', expiresAt: clock + 60_000 });

    const changed = await app.request('/v1/denylist', auth(ingestKey, { 'if-none-match': etag }));
    expect(changed.status).toBe(200);
    const withEntry = changed.headers.get('etag')!;
    expect(withEntry).not.toBe(etag);
    expect((await changed.json()) as { entries: unknown[] }).toMatchObject({ entries: [{ value: '198.51.100.0/24' }] });

    clock += 60_000; // the entry expires: it disappears and the version goes back
    const expired = await app.request('/v1/denylist', auth(ingestKey, { 'if-none-match': withEntry }));
    expect(expired.status).toBe(200);
    expect(expired.headers.get('etag')).toBe(etag);
  });

  it('deletes an entry with an admin key only', async () => {
    const { app, ingestKey, adminKey } = await setup();
    const { id } = (await (await app.request('/v1/denylist', post(adminKey, { value: '2001:db8::/32', reason: 'x' }))).json()) as { id: string };
    expect((await app.request(`/v1/denylist/${id}`, { method: 'DELETE', ...auth(ingestKey) })).status).toBe(403);
    expect((await app.request(`/v1/denylist/${id}`, { method: 'DELETE', ...auth(adminKey) })).status).toBe(204);
    const again = await app.request(`/v1/denylist/${id}`, { method: 'DELETE', ...auth(adminKey) });
    expect(again.status).toBe(404);
    expect(((await again.json()) as { error: string }).error).toMatch(/no deny-list entry/);
  });

  it.each([
    { name: 'ingest key', body: { value: '192.0.2.1' }, key: 'ingest', status: 403, error: /admin key/ },
    { name: 'not an IP', body: { value: 'example.com' }, key: 'admin', status: 400, error: /invalid/ },
    { name: 'prefix too long', body: { value: '10.0.0.0/33' }, key: 'admin', status: 400, error: /invalid/ },
    { name: 'SQL in value', body: { value: "1' OR '1'='1" }, key: 'admin', status: 400, error: /invalid/ },
    { name: 'negative ttl', body: { value: '192.0.2.1', ttlSeconds: -5 }, key: 'admin', status: 400, error: /invalid/ },
    { name: 'malformed JSON', body: '{"value":', key: 'admin', status: 400, error: /not valid JSON/ },
    { name: 'a 20 KB reason', body: { value: '192.0.2.1', reason: 'x'.repeat(20_000) }, key: 'admin', status: 413, error: /larger than 16 KB; send one entry/ },
    { name: 'a form body', body: 'value=192.0.2.1', key: 'admin', status: 415, error: /Content-Type: application\/json/, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
  ])('POST with $name → $status', async ({ body, key, status, error, headers }) => {
    const ctx = await setup();
    const res = await ctx.app.request('/v1/denylist', post(key === 'admin' ? ctx.adminKey : ctx.ingestKey, body, headers));
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: string }).error).toMatch(error);
    expect(await t.store.listDenyEntries(ctx.site.id, clock)).toEqual([]);
  });
});

describe('parseDenyValue', () => {
  it.each([
    ['192.0.2.1', true],
    ['192.0.2.0/24', true],
    ['2001:DB8::/32', true],
    ['::ffff:192.0.2.1', true],
    ['256.0.0.1', false],
    ['192.0.2.0/', false],
    ['192.0.2.0/-1', false],
    ['2001:db8::/129', false],
    ['', false],
  ])('%s → %s', (value, ok) => {
    expect(parseDenyValue(value).ok).toBe(ok);
  });
});
