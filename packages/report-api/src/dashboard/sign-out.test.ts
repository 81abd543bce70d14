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

describe('sign-out survives a restart (issue 14, defect 11)', () => {
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
});
