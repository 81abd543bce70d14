import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { appWithSite, post, tempStore } from '../../test/helpers.js';
import { parseDenyValue } from './value.js';

let t: ReturnType<typeof tempStore>;
afterEach(async () => t.cleanup());

let clock = Date.UTC(2026, 2, 1);
const auth = (key: string, extra: Record<string, string> = {}) => ({
  headers: { authorization: `Bearer ${key}`, ...extra },
});

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

    const added = await app.request(
      '/v1/denylist',
      post(adminKey, { value: '198.51.100.0/24', reason: 'scanner', ttlSeconds: 60 }),
    );
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
    const { id } = (await (
      await app.request('/v1/denylist', post(adminKey, { value: '2001:db8::/32', reason: 'x' }))
    ).json()) as { id: string };
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
    {
      name: 'a 20 KB reason',
      body: { value: '192.0.2.1', reason: 'x'.repeat(20_000) },
      key: 'admin',
      status: 413,
      error: /larger than 16 KB; send one entry/,
    },
    {
      name: 'NUL in the reason',
      body: { value: '192.0.2.1', reason: 'scan\u0000ner' },
      key: 'admin',
      status: 400,
      error: /invalid/,
      detail: /control character/,
    },
    {
      name: 'ESC in the reason',
      body: { value: '192.0.2.1', reason: 'x\u001b[2J\u001b]8;;https://evil.example\u0007' },
      key: 'admin',
      status: 400,
      error: /invalid/,
      detail: /control character/,
    },
    {
      name: 'C1 CSI in the reason',
      body: { value: '192.0.2.1', reason: 'x\u009b2J' },
      key: 'admin',
      status: 400,
      error: /invalid/,
      detail: /control character/,
    },
    {
      name: 'a newline in the reason',
      body: { value: '192.0.2.1', reason: 'a\nb' },
      key: 'admin',
      status: 400,
      error: /invalid/,
      detail: /control character/,
    },
    {
      name: 'a bidi override in the reason',
      body: { value: '192.0.2.1', reason: 'a\u202Eb' },
      key: 'admin',
      status: 400,
      error: /invalid/,
      detail: /control character/,
    },
    {
      name: 'a lone surrogate in the reason',
      body: { value: '192.0.2.1', reason: 'a\uD800' },
      key: 'admin',
      status: 400,
      error: /invalid/,
      detail: /control character/,
    },
    {
      name: 'a 501-character reason',
      body: { value: '192.0.2.1', reason: 'x'.repeat(501) },
      key: 'admin',
      status: 400,
      error: /invalid/,
      detail: /500/,
    },
    {
      name: '0.0.0.0/0 unconfirmed',
      body: { value: '0.0.0.0/0' },
      key: 'admin',
      status: 400,
      error: /too broad/,
      detail: /"confirm\\": true to add it anyway/,
    },
    {
      name: '::/0 unconfirmed',
      body: { value: '::/0' },
      key: 'admin',
      status: 400,
      error: /too broad/,
      detail: /"confirm\\": true to add it anyway/,
    },
    {
      name: 'an IPv4 /7',
      body: { value: '10.0.0.0/7', confirm: false },
      key: 'admin',
      status: 400,
      error: /too broad/,
      detail: /\/8/,
    },
    {
      name: 'an IPv6 /15',
      body: { value: '2000::/15' },
      key: 'admin',
      status: 400,
      error: /too broad/,
      detail: /\/16/,
    },
    {
      name: 'all of IPv4 as mapped IPv6',
      body: { value: '::ffff:0.0.0.0/96' },
      key: 'admin',
      status: 400,
      error: /too broad/,
      detail: /IPv4/,
    },
    {
      name: 'confirm that is not a boolean',
      body: { value: '0.0.0.0/0', confirm: 'yes' },
      key: 'admin',
      status: 400,
      error: /invalid/,
    },
    {
      name: 'a form body',
      body: 'value=192.0.2.1',
      key: 'admin',
      status: 415,
      error: /Content-Type: application\/json/,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
  ])('POST with $name → $status', async ({ body, key, status, error, headers, detail }) => {
    const ctx = await setup();
    const res = await ctx.app.request(
      '/v1/denylist',
      post(key === 'admin' ? ctx.adminKey : ctx.ingestKey, body, headers),
    );
    expect(res.status).toBe(status);
    const answer = (await res.json()) as { error: string; details?: unknown };
    expect(answer.error).toMatch(error);
    if (detail) expect(JSON.stringify(answer.details)).toMatch(detail);
    expect(await t.store.listDenyEntries(ctx.site.id, clock)).toEqual([]);
  });
});

describe('broad deny-list entries', () => {
  it.each([
    ['0.0.0.0/0', true],
    ['::/0', true],
    ['10.0.0.0/8', false],
    ['2001:db8::/16', false],
  ])('%s is added with "confirm": true (needed: %s)', async (value, needed) => {
    const { app, adminKey, site } = await setup();
    const plain = await app.request('/v1/denylist', post(adminKey, { value, reason: 'outage drill' }));
    expect(plain.status).toBe(needed ? 400 : 201);
    if (needed)
      expect(
        (await app.request('/v1/denylist', post(adminKey, { value, reason: 'outage drill', confirm: true }))).status,
      ).toBe(201);
    expect((await t.store.listDenyEntries(site.id, clock)).map((entry) => entry.value)).toEqual([value]);
  });

  it('keeps printable reasons in any script, emoji sequences included', async () => {
    const { app, adminKey } = await setup();
    const res = await app.request(
      '/v1/denylist',
      post(adminKey, { value: '192.0.2.1', reason: 'スキャナー 👩‍💻 — «scan» \t'.trim() }),
    );
    expect(res.status).toBe(201);
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
