import { afterEach, describe, expect, it } from 'vitest';
import { appWithSite, batch, event, post, tempStore } from '../../test/helpers.js';
import { createApp } from '../app.js';
import { openSqliteStore } from '../db/sqlite/open.js';

// one poisoned event used to cost its whole batch (400, and the
// forwarder discarded thousands of good events) or the database (9e15: 500, then `duplicate`, then
// `Invalid time value` at every open). Now each event is judged alone.
const NOW = Date.UTC(2026, 11, 4, 12);
let t: ReturnType<typeof tempStore>;
afterEach(async () => t.cleanup());

async function setup(writerThread = false) {
  t = tempStore(() => NOW);
  if (writerThread) {
    await t.store.close();
    t.store = openSqliteStore({ path: t.path, now: () => NOW, writerThread: true });
  }
  const ctx = await appWithSite(t.store, {}, () => NOW);
  const stored = async () => t.store.listEvents(ctx.site.id, { from: 0, to: 9e15, limit: 100 });
  return {
    ...ctx,
    stored,
    app: createApp({
      store: t.store,
      now: () => NOW,
      logError: (e) => {
        throw e;
      },
    }),
  };
}

const ok = (over = {}) => event({ ts: NOW - 1000, ...over });

describe.each([
  ['inline', false],
  ['writer thread', true],
])('POST /v1/events per event (SQLite, %s)', (_name, writerThread) => {
  it.each([
    ['defect 1: ts past the largest Date (9e15)', { ts: 9e15 }, 'events.1.ts'],
    ['ts in 1970', { ts: 1 }, 'events.1.ts'],
    ['ts 401 days old', { ts: NOW - 401 * 86_400_000 }, 'events.1.ts'],
    ['ts 2 days ahead', { ts: NOW + 2 * 86_400_000 }, 'events.1.ts'],
    ['defect 5: sampleRate 5e-324', { sampleRate: 5e-324 }, 'events.1.sampleRate'],
    ['defect 9: ip not an IP', { ip: 'not-an-ip' }, 'events.1.ip'],
    ['defect 9: Markdown as the ip', { ip: '[x](https://evil.example)' }, 'events.1.ip'],
    ['defect 2: a C1 control (U+0085) in the user agent', { ua: 'Mozilla\u0085' }, 'events.1.ua'],
    ['an escape sequence in the user agent', { ua: 'x\u001b[31mred' }, 'events.1.ua'],
    ['a lone surrogate in the path', { path: '/\ud800' }, 'events.1.path'],
    ['DEL in the host', { host: 'a\u007fb' }, 'events.1.host'],
    ['status as a string', { status: '200' as unknown as number }, 'events.1.status'],
    ['an escape sequence in the bot name', { botName: 'bot\u001b]8;;https://evil.example\u0007' }, 'events.1.botName'],
    ['a bot name over 64 characters', { botName: 'b'.repeat(65) }, 'events.1.botName'],
    ['an empty bot name', { botName: '' }, 'events.1.botName'],
  ])('%s: 202, that event rejected and named, the two others stored', async (_case, poison, path) => {
    const { app, ingestKey, stored } = await setup(writerThread);
    const sent = batch([ok({ ip: '192.0.2.1' }), ok(poison), ok({ ip: '192.0.2.3' })]);
    const res = await app.request('/v1/events', post(ingestKey, sent));
    expect(res.status).toBe(202);
    const body = (await res.json()) as {
      accepted: number;
      rejected: number;
      details: Array<{ index: number; path: string }>;
    };
    expect(body).toMatchObject({ accepted: 2, rejected: 1, duplicate: false });
    expect(body.details).toEqual([expect.objectContaining({ index: 1, path })]);
    expect((await stored()).map((e) => e.ip).sort()).toEqual(['192.0.2.1', '192.0.2.3']);
    const row = t.store.db.prepare('SELECT events, rejected FROM batches').get();
    expect(row).toEqual({ events: 2, rejected: 1 });
  });

  it('stores IPs normalised (the writer thread gets the normalised text, not the received one)', async () => {
    const { app, ingestKey, stored } = await setup(writerThread);
    const res = await app.request(
      '/v1/events',
      post(ingestKey, batch([ok({ ip: '::FFFF:192.0.2.9' }), ok({ ip: '2001:DB8:0:0::0001' })])),
    );
    expect(await res.json()).toMatchObject({ accepted: 2, rejected: 0 });
    expect((await stored()).map((e) => e.ip).sort()).toEqual(['192.0.2.9', '2001:db8::1']);
  });

  it('stores the bot name as sent, and none for older senders', async () => {
    const { app, ingestKey, stored } = await setup(writerThread);
    const named = ok({ ip: '192.0.2.7', botCategory: 'other-bot', botName: '<b>*evil*</b> [x](y)' });
    const res = await app.request('/v1/events', post(ingestKey, batch([named, ok({ ip: '192.0.2.8' })])));
    expect(await res.json()).toMatchObject({ accepted: 2, rejected: 0 });
    const byIp = new Map((await stored()).map((e) => [e.ip, e]));
    expect(byIp.get('192.0.2.7')?.botName).toBe('<b>*evil*</b> [x](y)');
    expect(byIp.get('192.0.2.8')).not.toHaveProperty('botName');
  });

  it('names at most 20 rejected events but counts them all; the database opens again', async () => {
    const { app, ingestKey, stored } = await setup(writerThread);
    const events = [...Array.from({ length: 30 }, () => ok({ ts: 9e15 })), ok()];
    const res = await app.request('/v1/events', post(ingestKey, batch(events)));
    const body = (await res.json()) as { accepted: number; rejected: number; details: unknown[] };
    expect([body.accepted, body.rejected, body.details.length]).toEqual([1, 30, 20]);
    expect(await stored()).toHaveLength(1);
    await t.store.close();
    t.store = openSqliteStore({ path: t.path, writerThread });
    expect(await stored()).toHaveLength(1);
  });
});
