import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { openSqliteStore } from '../db/sqlite/open.js';
import { tempStore } from '../../test/helpers.js';

let t: ReturnType<typeof tempStore>;
afterEach(async () => t.cleanup());

const secret = new Uint8Array(32).fill(9);
const ORIGIN = 'http://localhost';
const form = (headers: Record<string, string>, fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  body: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...headers },
});

describe('sign-out survives a restart', () => {
  it('a signed-out cookie stays refused by a second app instance over the same SQLite file', async () => {
    t = tempStore();
    const { adminKey } = await t.store.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: 'JP' });
    const first = createApp({ store: t.store, dashboard: { sessionSecret: secret }, logError: () => undefined });
    const signIn = await first.request('/dashboard/sign-in', form({}, { adminKey }));
    expect(signIn.status).toBe(303);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const kept = (await first.request('/dashboard/sign-in', form({}, { adminKey }))).headers
      .get('set-cookie')!
      .split(';')[0]!;
    const page = await (await first.request('/dashboard', { headers: { cookie } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    expect((await first.request('/dashboard/sign-out', form({ cookie }, { csrf }))).status).toBe(303);
    expect((await first.request('/dashboard', { headers: { cookie } })).status).toBe(303);

    // The restart: another process opens the same file with the same secret.
    const second = openSqliteStore({ path: t.path });
    try {
      const restarted = createApp({ store: second, dashboard: { sessionSecret: secret }, logError: () => undefined });
      const after = await restarted.request('/dashboard', { headers: { cookie } });
      expect(after.status).toBe(303);
      expect(after.headers.get('location')).toBe('/dashboard/sign-in');
      // Another session of the same key, never signed out, still works there.
      expect((await restarted.request('/dashboard', { headers: { cookie: kept } })).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('revoking the admin key a session signed in with ends that site in the session, at its next request', async () => {
    t = tempStore();
    const by = { actor: { kind: 'cli' as const, label: 'cli', keyId: null }, reason: 'test' };
    const a = await t.store.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: 'JP' });
    const b = await t.store.createSite({ name: 'blog', timeZone: 'UTC', homeCountry: 'JP' });
    const spare = await t.store.createKey(a.site.id, { role: 'admin', label: 'spare' }, by, Date.now());
    const app = createApp({ store: t.store, dashboard: { sessionSecret: secret }, logError: () => undefined });
    const first = await app.request('/dashboard/sign-in', form({}, { adminKey: a.adminKey }));
    const cookieA = (first.headers.get('set-cookie') ?? '').split(';')[0]!;
    const page = await (await app.request('/dashboard', { headers: { cookie: cookieA } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    // The same session adds the second site with its own key.
    const both = await app.request('/dashboard/sign-in', form({ cookie: cookieA }, { adminKey: b.adminKey, csrf }));
    const cookie = (both.headers.get('set-cookie') ?? '').split(';')[0]!;
    const before = await (await app.request('/dashboard', { headers: { cookie } })).text();
    expect(before).toContain('shop');
    expect(before).toContain('blog');

    const keys = await t.store.listKeys(a.site.id);
    const signedInWith = keys.find((key) => key.role === 'admin' && key.id !== spare.key.id)!;
    await t.store.revokeKey(a.site.id, signedInWith.id, by, Date.now());
    const overview = await app.request('/dashboard', { headers: { cookie } });
    expect(overview.status).toBe(200);
    const text = await overview.text();
    expect(text).toContain('blog');
    expect(text).not.toContain('shop');

    const keysB = await t.store.listKeys(b.site.id);
    await t.store.createKey(b.site.id, { role: 'admin', label: 'spare' }, by, Date.now());
    await t.store.revokeKey(b.site.id, keysB.find((key) => key.role === 'admin')!.id, by, Date.now());
    const gone = await app.request('/dashboard', { headers: { cookie } });
    expect(gone.status).toBe(303);
    expect(gone.headers.get('location')).toBe('/dashboard/sign-in');
    // A key that still exists signs in again.
    expect((await app.request('/dashboard/sign-in', form({}, { adminKey: spare.secret }))).status).toBe(303);
  });

  it('refuses a token issued before sessions were bound to keys (no key ids)', async () => {
    t = tempStore();
    const { site } = await t.store.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: 'JP' });
    const payload = Buffer.from(JSON.stringify({ i: 'old', s: [site.id], e: Date.now() + 60_000 })).toString(
      'base64url',
    );
    const app = createApp({ store: t.store, dashboard: { sessionSecret: secret }, logError: () => undefined });
    // Signed with the app's secret exactly as such tokens were: only the missing key ids are wrong.
    const mac = createHmac('sha256', secret).update(`session\n${payload}`).digest('base64url');
    expect(
      (await app.request('/dashboard', { headers: { cookie: `watchpost_session=${payload}.${mac}` } })).status,
    ).toBe(303);
  });
});
