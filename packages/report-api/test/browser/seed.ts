import type { TicketTarget } from '../../src/cases/tickets.js';
import type { WatchpostEvent } from '@watchpost/middleware/protocol';
import { createApp } from '../../src/app.js';
import { tempStore } from '../helpers.js';

/** Hostile values that must show as text everywhere and never run. */
export const HOSTILE = {
  scriptUa: '<script>window.__pwned=1;alert(1)</script>',
  attrUa: '"><img src=x onerror="window.__pwned=2">',
  svgPath: '/"><svg onload="window.__pwned=3">',
  jsPath: 'javascript:window.__pwned=4',
  unicodePath: '/ユーザー/\u202Etxt.exe/😀',
  rule: 'probe-<b>bold</b>',
} as const;

/** The day the seed fills, in Asia/Tokyo, and the clock the app runs on (18:00 that day). */
export const SEED_DATE = '2026-11-26';
export const SEED_NOW = Date.parse('2026-11-26T09:00:00Z');
/** An IP with a 4xx burst and probes: the report recommends it for the deny list. */
export const ATTACKER = '203.0.113.66';
export const SCANNER = '203.0.113.77';

const tokyoHour = (date: string, hour: number, minute = 0, second = 0) =>
  Date.parse(`${date}T00:00:00Z`) - 9 * 3_600_000 + hour * 3_600_000 + minute * 60_000 + second * 1000;

function ev(overrides: Partial<WatchpostEvent>): WatchpostEvent {
  return {
    ts: tokyoHour(SEED_DATE, 10),
    ip: '198.51.100.1',
    country: 'JP',
    method: 'GET',
    host: 'shop.example',
    path: '/',
    status: 200,
    latencyMs: 20,
    ua: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0',
    action: 'allow',
    rule: null,
    botCategory: null,
    sampleRate: 1,
    ...overrides,
  };
}

/** Two days of traffic for one site: ordinary visitors, a bursting prober, a scanner that got 5xx, hostile text. */
export function seedEvents(): WatchpostEvent[] {
  const events: WatchpostEvent[] = [];
  for (const [date, scale] of [
    ['2026-11-25', 1],
    [SEED_DATE, 2],
  ] as const) {
    for (let hour = 0; hour < 18; hour++) {
      for (let i = 0; i < 3 * scale + (hour % 5); i++) {
        const foreign = i % 4 === 3;
        events.push(
          ev({
            ts: tokyoHour(date, hour, (i * 7) % 60),
            ip: foreign ? `192.0.2.${(i % 9) + 1}` : `198.51.100.${(i % 20) + 1}`,
            country: foreign ? 'US' : 'JP',
            path: ['/', '/products', '/cart', '/login'][i % 4]!,
            status: i % 11 === 10 ? 404 : 200,
            sampleRate: 0.5,
          }),
        );
      }
    }
  }
  // The prober: a 4xx burst at 14:02 and blocked probes, with a script for a user agent.
  for (let i = 0; i < 120; i++) {
    events.push(
      ev({
        ts: tokyoHour(SEED_DATE, 14, 2, i % 25),
        ip: ATTACKER,
        country: 'CN',
        path: i % 2 ? '/wp-login.php' : HOSTILE.svgPath,
        status: 404,
        ua: HOSTILE.scriptUa,
        botCategory: 'scanner',
      }),
    );
  }
  for (let i = 0; i < 15; i++) {
    events.push(
      ev({
        ts: tokyoHour(SEED_DATE, 15, i),
        ip: ATTACKER,
        country: 'CN',
        path: '/.env',
        status: 403,
        ua: HOSTILE.scriptUa,
        action: 'block',
        rule: HOSTILE.rule,
        botCategory: 'scanner',
      }),
    );
  }
  // A scanner answered 5xx, with markup in its user agent and odd paths.
  for (let i = 0; i < 30; i++) {
    events.push(
      ev({
        ts: tokyoHour(SEED_DATE, 16, i),
        ip: SCANNER,
        country: 'RU',
        path: i % 3 === 0 ? HOSTILE.jsPath : i % 3 === 1 ? HOSTILE.unicodePath : '/.git/config',
        status: 500,
        ua: HOSTILE.attrUa,
        botCategory: 'scanner',
      }),
    );
  }
  // Unknown country, a search engine.
  for (let i = 0; i < 6; i++)
    events.push(
      ev({
        ts: tokyoHour(SEED_DATE, 9, i),
        ip: '2001:db8::5',
        country: null,
        ua: 'Googlebot/2.1',
        botCategory: 'search-engine',
        path: '/products',
      }),
    );
  return events;
}

/**
 * A temp SQLite store with one site (Asia/Tokyo, home JP), filled through `POST /v1/events`, and
 * `createApp` around it with its clock at 18:00 Tokyo on `SEED_DATE`.
 *
 * @example
 * const s = await seedDashboard(); try { await s.app.request('/dashboard'); } finally { await s.cleanup(); }
 */
export async function seedDashboard({ tickets }: { tickets?: (siteId: string) => TicketTarget } = {}) {
  const now = () => SEED_NOW;
  const t = tempStore(now);
  const created = await t.store.createSite({ name: 'shop <i>demo</i>', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
  const app = createApp({
    store: t.store,
    now,
    logError: (e) => console.error(e),
    ...(tickets ? { tickets: new Map([[created.site.id, tickets(created.site.id)]]) } : {}),
  });
  const events = seedEvents();
  for (let i = 0; i < events.length; i += 500) {
    const res = await app.request('/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${created.ingestKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        batchId: `seed-${String(i).padStart(6, '0')}`,
        source: 'express',
        events: events.slice(i, i + 500),
      }),
    });
    if (res.status !== 202) throw new Error(`seed ingest failed: ${res.status} ${await res.text()}`);
  }
  return { ...t, ...created, app, now, cleanup: t.cleanup };
}
