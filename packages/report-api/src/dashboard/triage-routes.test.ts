import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { batch, event, tempStore } from '../../test/helpers.js';

const T = Date.UTC(2026, 11, 4, 9);
const ORIGIN = 'http://localhost';
const secret = new Uint8Array(32).fill(3);
let t: ReturnType<typeof tempStore> | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

const form = (cookie: string, fields: Array<[string, string]>): RequestInit => ({
  method: 'POST',
  body: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, cookie },
});

async function signedIn() {
  t = tempStore(() => T);
  const { site, adminKey } = await t.store.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: 'JP' });
  const errors = (ip: string) =>
    Array.from({ length: 25 }, (_, i) => event({ ts: T - 3_600_000 + i, ip, status: 404 }));
  await t.store.ingestBatch(site.id, batch([...errors('203.0.113.7'), ...errors('198.51.100.9')]));
  const app = createApp({
    store: t.store,
    now: () => T,
    dashboard: { sessionSecret: secret },
    logError: () => undefined,
  });
  const signIn = await app.request('/dashboard/sign-in', form('', [['adminKey', adminKey]]));
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
  const base = `/dashboard/sites/${site.id}`;
  const page = await (await app.request(`${base}/triage`, { headers: { cookie } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  const ids = [...page.matchAll(/name="caseId" value="([^"]+)"/g)].map((m) => m[1]!);
  return { app, cookie, base, csrf, ids, page };
}

describe('dashboard triage and audit pages', () => {
  it('lists the cases and refuses bad filters and forms with a page that says why', async () => {
    const { app, cookie, base, csrf, ids, page } = await signedIn();
    expect(ids).toHaveLength(2);
    expect(page).toContain('Apply to ticked cases');
    expect(page).not.toContain('>Ticket<'); // no tracker for this site
    for (const query of ['?state=bogus', '?kind=nope', '?country=jp']) {
      const res = await app.request(`${base}/triage${query}`, { headers: { cookie } });
      expect(res.status, query).toBe(400);
    }
    const post = (fields: Array<[string, string]>) =>
      app.request(`${base}/triage`, form(cookie, [['csrf', csrf], ...fields]));
    expect((await post([['action', 'deny']])).status).toBe(400); // nothing ticked
    expect((await post([['pick', `explode:${ids[0]}`]])).status).toBe(400);
    expect((await post([['pick', `dismiss:${ids[0]}`]])).status).toBe(400); // no note
    const ticket = await post([['pick', `ticket:${ids[0]}`]]);
    expect(ticket.status).toBe(400);
    expect(await ticket.text()).toContain('tickets are not set up for this site');
    const tooMany = Array.from({ length: 501 }, (_, i): [string, string] => ['caseId', `case_${i}`]);
    expect((await post([['action', 'dismiss'], ['reason', 'x'], ...tooMany])).status).toBe(400);
    // Without the CSRF token nothing is decided.
    const forged = await app.request(`${base}/triage`, form(cookie, [['pick', `deny:${ids[0]}`]]));
    expect(forged.status).toBe(403);
  });

  it('decides in bulk, and the audit page shows it with its cursor checked', async () => {
    const { app, cookie, base, csrf, ids } = await signedIn();
    const done = await app.request(
      `${base}/triage`,
      form(cookie, [
        ['csrf', csrf],
        ['action', 'deny'],
        ['expiry', '30d'],
        ['caseId', ids[0]!],
        ['caseId', ids[1]!],
      ]),
    );
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${base}/triage?done=2`);
    const confirmation = await (await app.request(`${base}/triage?done=2`, { headers: { cookie } })).text();
    expect(confirmation).toContain('2 cases decided.');
    const audit = await (await app.request(`${base}/audit`, { headers: { cookie } })).text();
    expect(audit.match(/case\.deny/g)).toHaveLength(2);
    expect((await app.request(`${base}/audit?cursor=%00bad`, { headers: { cookie } })).status).toBe(400);
  });
});
