import { afterEach, describe, expect, it } from 'vitest';
import type { AuditPage } from '../db/audit.js';
import type { ApiKeyInfo, CreatedKey } from '../db/keys.js';
import { appWithSite, post, tempStore } from '../../test/helpers.js';

const T = Date.UTC(2026, 11, 4, 9);
let t: ReturnType<typeof tempStore> | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

async function setup() {
  t = tempStore(() => T);
  const a = await appWithSite(t.store, { name: 'a' }, () => T);
  const b = await t.store.createSite({ name: 'b', timeZone: 'UTC', homeCountry: null });
  const call = (key: string, method: string, path: string, body?: unknown) =>
    a.app.request(
      path,
      body === undefined ? { method, headers: { authorization: `Bearer ${key}` } } : { ...post(key, body), method },
    );
  return { a, b, app: a.app, call };
}

describe('/v1/sites/:id keys', () => {
  it('creates a labelled admin key that works, lists keys without secrets, revokes', async () => {
    const { a, call } = await setup();
    const res = await call(a.adminKey, 'POST', `/v1/sites/${a.site.id}/keys`, { label: 'alice', reason: 'new admin' });
    expect(res.status).toBe(201);
    const created = (await res.json()) as CreatedKey;
    expect(created.key).toMatchObject({ role: 'admin', label: 'alice', siteId: a.site.id, createdAt: T });
    expect(created.secret).toMatch(/^wpa_/);
    expect((await call(created.secret, 'GET', '/v1/reports/daily?date=2026-12-04')).status).toBe(200);
    const listed = await (await call(created.secret, 'GET', `/v1/sites/${a.site.id}/keys`)).text();
    for (const secret of [created.secret, a.adminKey, a.ingestKey]) expect(listed).not.toContain(secret);
    const { keys } = JSON.parse(listed) as { keys: ApiKeyInfo[] };
    expect(keys.map((k) => k.label).sort()).toEqual(['alice', 'initial', 'initial']);
    // alice revokes the initial admin key; it stops working at once.
    const initial = keys.find((k) => k.role === 'admin' && k.label === 'initial')!;
    expect(
      (await call(created.secret, 'DELETE', `/v1/sites/${a.site.id}/keys/${initial.id}?reason=handover`)).status,
    ).toBe(204);
    expect((await call(a.adminKey, 'GET', `/v1/sites/${a.site.id}/keys`)).status).toBe(401);
    // alice is now the last admin key: revoking it would lock the site's admins out.
    const last = await call(created.secret, 'DELETE', `/v1/sites/${a.site.id}/keys/${created.key.id}`);
    expect(last.status).toBe(409);
    expect(((await last.json()) as { error: string }).error).toMatch(/last admin key/);
  });

  it('rotates a leaked ingest key without downtime', async () => {
    const { a, call } = await setup();
    const { keys } = (await (await call(a.adminKey, 'GET', `/v1/sites/${a.site.id}/keys`)).json()) as {
      keys: ApiKeyInfo[];
    };
    const old = keys.find((k) => k.role === 'ingest')!;
    const res = await call(a.adminKey, 'POST', `/v1/sites/${a.site.id}/keys/${old.id}/rotate`, { reason: 'leaked' });
    expect(res.status).toBe(201);
    const rotated = (await res.json()) as CreatedKey & { rotates: string };
    expect(rotated).toMatchObject({ rotates: old.id, key: { role: 'ingest', label: 'initial' } });
    for (const key of [a.ingestKey, rotated.secret]) expect((await call(key, 'GET', '/v1/denylist')).status).toBe(200);
    expect((await call(a.adminKey, 'DELETE', `/v1/sites/${a.site.id}/keys/${old.id}`)).status).toBe(204);
    expect((await call(a.ingestKey, 'GET', '/v1/denylist')).status).toBe(401);
    expect((await call(rotated.secret, 'GET', '/v1/denylist')).status).toBe(200);
  });

  it.each([
    ['a control character', 'al\u001b[2Jice'],
    ['a newline', 'a\nb'],
    ['a bidi override', 'a\u202Eb'],
    ['a lone surrogate', 'a\uD800'],
    ['an empty label', ''],
    ['65 characters', 'x'.repeat(65)],
  ])('refuses a label with %s', async (_name, label) => {
    const { a, call } = await setup();
    const res = await call(a.adminKey, 'POST', `/v1/sites/${a.site.id}/keys`, { label });
    expect(res.status).toBe(400);
    expect((await t!.store.listKeys(a.site.id)).length).toBe(2);
  });

  it('stores prototype names and markup as plain labels', async () => {
    const { a, call } = await setup();
    for (const label of ['__proto__', 'constructor', '<img src=x onerror=alert(1)>']) {
      const res = await call(a.adminKey, 'POST', `/v1/sites/${a.site.id}/keys`, { label, kind: 'ingest' });
      expect(res.status).toBe(201);
      expect(((await res.json()) as CreatedKey).key.label).toBe(label);
    }
  });

  it("another tenant's ids everywhere: 404, nothing changes, the ingest key is refused", async () => {
    const { a, b, call } = await setup();
    const bKeys = await t!.store.listKeys(b.site.id);
    const bKey = bKeys[0]!.id;
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', `/v1/sites/${b.site.id}/keys`],
      ['POST', `/v1/sites/${b.site.id}/keys`, { label: 'mallory' }],
      ['POST', `/v1/sites/${b.site.id}/keys/${bKey}/rotate`, {}],
      ['POST', `/v1/sites/${a.site.id}/keys/${bKey}/rotate`, {}],
      ['DELETE', `/v1/sites/${b.site.id}/keys/${bKey}`],
      ['DELETE', `/v1/sites/${a.site.id}/keys/${bKey}`],
      ['GET', `/v1/sites/${b.site.id}/audit`],
      ['PATCH', `/v1/sites/${b.site.id}`, { name: 'pwned' }],
      ['DELETE', `/v1/sites/${b.site.id}?confirm=${b.site.id}`],
    ];
    for (const [method, path, body] of attempts) {
      expect([method, path, (await call(a.adminKey, method, path, body)).status]).toEqual([method, path, 404]);
      expect([method, path, (await call(a.ingestKey, method, path, body)).status]).toEqual([method, path, 403]);
      expect([method, path, (await call(b.ingestKey, method, path, body)).status]).toEqual([method, path, 403]);
    }
    expect(await t!.store.getSite(b.site.id)).toEqual(b.site);
    // Same keys (B's ingest key was used above, so only its last use changed).
    const shape = (keys: ApiKeyInfo[]) => keys.map(({ id, role, label }) => ({ id, role, label }));
    expect(shape(await t!.store.listKeys(b.site.id))).toEqual(shape(bKeys));
    expect((await t!.store.listAudit(b.site.id, { since: 0, limit: 10 })).entries).toEqual([]);
    expect((await t!.store.resolveKey(b.adminKey))?.site.id).toBe(b.site.id);
  });
});

describe('/v1/sites/:id/audit', () => {
  it('records deny-list changes with the key label, reason, before and after, and pages', async () => {
    const { a, call } = await setup();
    const alice = (await (
      await call(a.adminKey, 'POST', `/v1/sites/${a.site.id}/keys`, { label: 'alice' })
    ).json()) as CreatedKey;
    const added = (await (
      await call(alice.secret, 'POST', '/v1/denylist', { value: '198.51.100.7', reason: 'scanner <b>x</b>' })
    ).json()) as { id: string };
    expect((await call(alice.secret, 'DELETE', `/v1/denylist/${added.id}?reason=false%20positive`)).status).toBe(204);
    expect((await call(alice.secret, 'DELETE', `/v1/denylist/x?reason=%1B%5B2J`)).status).toBe(400);
    const page = (await (await call(alice.secret, 'GET', `/v1/sites/${a.site.id}/audit?limit=2`)).json()) as AuditPage;
    expect(page.entries.map((e) => [e.action, e.actor.label, e.actor.kind])).toEqual([
      ['key.create', 'initial', 'key'],
      ['denylist.add', 'alice', 'key'],
    ]);
    expect(page.entries[1]).toMatchObject({
      reason: 'scanner <b>x</b>',
      before: null,
      after: { value: '198.51.100.7' },
    });
    expect(page.next).not.toBeNull();
    const rest = (await (
      await call(alice.secret, 'GET', `/v1/sites/${a.site.id}/audit?limit=2&cursor=${page.next}`)
    ).json()) as AuditPage;
    expect(rest.entries.map((e) => [e.action, e.reason, e.target])).toEqual([
      ['denylist.remove', 'false positive', added.id],
    ]);
    expect(rest.entries[0]!.before).toMatchObject({ id: added.id, value: '198.51.100.7' });
    expect(rest.next).toBeNull();
  });

  it.each([
    ['since=yesterday', 'since'],
    ['since=99999999999999999999', 'since'],
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=1e3', 'limit'],
    ['cursor=__proto__', 'cursor'],
  ])('refuses ?%s', async (query, field) => {
    const { a, call } = await setup();
    const res = await call(a.adminKey, 'GET', `/v1/sites/${a.site.id}/audit?${query}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { details: Array<{ path: string }> }).details[0]!.path).toBe(field);
  });
});

describe('/v1/sites/:id rename and delete', () => {
  it('renames, refusing control characters', async () => {
    const { a, call } = await setup();
    expect((await call(a.adminKey, 'PATCH', `/v1/sites/${a.site.id}`, { name: 'x\u0007' })).status).toBe(400);
    const res = await call(a.adminKey, 'PATCH', `/v1/sites/${a.site.id}`, { name: 'shop (prod)', reason: 'launch' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ...a.site, name: 'shop (prod)' });
  });

  it('deletes only with ?confirm= the site id, then the key is gone with the site', async () => {
    const { a, b, call } = await setup();
    expect((await call(a.adminKey, 'DELETE', `/v1/sites/${a.site.id}`)).status).toBe(400);
    expect((await call(a.adminKey, 'DELETE', `/v1/sites/${a.site.id}?confirm=${b.site.id}`)).status).toBe(400);
    expect(await t!.store.getSite(a.site.id)).not.toBeNull();
    const res = await call(a.adminKey, 'DELETE', `/v1/sites/${a.site.id}?confirm=${a.site.id}&reason=closed`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ deleted: a.site.id, rows: expect.any(Number) });
    expect(await t!.store.getSite(a.site.id)).toBeNull();
    expect((await call(a.adminKey, 'GET', '/v1/denylist')).status).toBe(401);
    expect(await t!.store.getSite(b.site.id)).toEqual(b.site);
  });
});
