import { crawlerIp, ipInCountry, PROBE_PATHS, USER_AGENTS, FOREIGN_VISITORS } from './cast.js';
import { createRandom, type Random } from './random.js';

/** Which example app a request goes to: the Express one or the Hono one. */
export type AppTarget = 'express' | 'hono';

/** The kind of client behind a planned request. */
export type Actor =
  'browser' | 'search-engine' | 'ai-crawler' | 'scanner' | 'credential-stuffing' | 'scraper' | 'impersonator';

/** One request of the simulated day. `ts` is simulated time (epoch ms). */
export interface PlannedRequest {
  ts: number;
  app: AppTarget;
  method: 'GET' | 'POST';
  /** Path with query string, as sent. */
  path: string;
  /** The client address the trusted proxy reports in X-Forwarded-For. */
  ip: string;
  ua: string;
  /** JSON body for POST requests. */
  body?: string;
  actor: Actor;
}

/** A span of simulated time during which one app answers 5xx (the incident). */
export interface Outage {
  app: AppTarget;
  from: number;
  to: number;
}

/** Which incidents a day contains. */
export interface ScenarioIncidents {
  /** sqlmap, nuclei and a probing browser asking for /.env, /.git/config, /wp-login.php, ... */
  scanner?: boolean;
  /** A credential-stuffing burst: a few IPs, many failed POST /login within a minute. */
  credentialStuffing?: boolean;
  /** The Express app fails for a few minutes. */
  outage?: boolean;
}

/** Options of {@link buildScenario}. */
export interface ScenarioOptions {
  seed: number;
  /** Local midnight of the simulated day, epoch ms (the diurnal curve is relative to it). */
  dayStart: number;
  /** Part of the day to fill, epoch ms: [from, to). Defaults to the whole day. */
  from?: number;
  to?: number;
  /** The site's home country, ISO alpha-2; most human visitors come from there. */
  homeCountry: string;
  /** About how many requests a whole day has; a shorter window gets its share. Incidents add a fixed amount. */
  size: number;
  /** Share of human visitors from the home country. */
  domesticShare?: number;
  incidents?: ScenarioIncidents;
}

/** A planned day: requests sorted by time, plus the outages the apps must play along with. */
export interface Scenario {
  from: number;
  to: number;
  requests: PlannedRequest[];
  outages: Outage[];
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
// Requests per local hour: domestic visitors peak at lunch and in the evening; foreign ones are flatter.
const DOMESTIC_CURVE = [2, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 9, 11, 10, 9, 9, 9, 10, 11, 12, 12, 10, 7, 4];
const FOREIGN_CURVE = [6, 6, 6, 6, 6, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 6, 6];
const PRODUCTS = 48;

function sampleTime(random: Random, curve: readonly number[], dayStart: number, from: number, to: number): number {
  const buckets: Array<{ start: number; end: number; weight: number }> = [];
  for (let hour = 0; hour < 25; hour++) {
    const start = Math.max(from, dayStart + hour * HOUR);
    const end = Math.min(to, dayStart + (hour + 1) * HOUR);
    if (end <= start) continue;
    buckets.push({ start, end, weight: (curve[hour % 24] ?? 1) * ((end - start) / HOUR) });
  }
  const total = buckets.reduce((sum, b) => sum + b.weight, 0);
  let roll = random.next() * total;
  for (const b of buckets) {
    roll -= b.weight;
    if (roll < 0) return Math.floor(b.start + random.next() * (b.end - b.start));
  }
  return from;
}

function productPath(random: Random): string {
  return `/products/${random.int(1, PRODUCTS)}`;
}

function loginBody(username: string, password: string): string {
  return JSON.stringify({ username, password });
}

/**
 * Plans a deterministic day of traffic: browsers from the home country and abroad, search
 * engines, AI crawlers, a slow scraper, a fake Googlebot, and the chosen incidents. The same options always give
 * the same requests.
 *
 * @example
 * const day = buildScenario({ seed: 7, dayStart: Date.parse('2026-11-26T00:00:00+09:00'),
 *   homeCountry: 'JP', size: 2000, incidents: { scanner: true, credentialStuffing: true, outage: true } });
 * day.requests.length; // about 2000 plus the incidents
 */
export function buildScenario(options: ScenarioOptions): Scenario {
  const { seed, dayStart, homeCountry, size, domesticShare = 0.7, incidents = {} } = options;
  const from = options.from ?? dayStart;
  const to = options.to ?? dayStart + 24 * HOUR;
  if (!(to > from)) throw new TypeError(`the window must not be empty: from ${from}, to ${to}`);
  if (!Number.isInteger(size) || size < 0) throw new TypeError(`size must be a whole number >= 0, got ${String(size)}`);
  const random = createRandom(seed);
  const span = to - from;
  const at = (fraction: number): number => Math.floor(from + span * fraction);
  const budget = Math.round(size * Math.min(1, span / (24 * HOUR)));
  const requests: PlannedRequest[] = [];
  const outages: Outage[] = [];
  const push = (r: PlannedRequest): void => {
    if (r.ts >= from && r.ts < to) requests.push(r);
  };

  // Search engines and AI crawlers: steady over the window.
  const crawlers = [
    { name: 'googlebot', actor: 'search-engine', share: 0.04 },
    { name: 'bingbot', actor: 'search-engine', share: 0.02 },
    { name: 'gptbot', actor: 'ai-crawler', share: 0.03 },
    { name: 'claudebot', actor: 'ai-crawler', share: 0.02 },
  ] as const;
  for (const crawler of crawlers) {
    const count = Math.round(budget * crawler.share);
    for (let i = 0; i < count; i++) {
      const path = random.chance(0.08) ? '/robots.txt' : random.chance(0.3) ? '/products' : productPath(random);
      push({
        ts: Math.floor(from + random.next() * span),
        app: random.chance(0.5) ? 'express' : 'hono',
        method: 'GET',
        path,
        ip: crawlerIp(random, crawler.name),
        ua: USER_AGENTS[crawler.name],
        actor: crawler.actor,
      });
    }
  }

  // A slow scraper: one hosting address walking the catalogue, one page every 30-60 s.
  const scraperIp = ipInCountry(random, 'SG');
  const scraperCount = Math.min(400, Math.round(budget * 0.06));
  let scraperTs = at(0.1);
  for (let i = 0; i < scraperCount; i++) {
    scraperTs += random.int(30_000, 60_000);
    const page = (i % (PRODUCTS + 4)) + 1;
    push({
      ts: scraperTs,
      app: 'express',
      method: 'GET',
      path: `/products/${page}`,
      ip: scraperIp,
      ua: USER_AGENTS.scraper,
      actor: 'scraper',
    });
  }

  // Human visitors fill the rest of the budget; incidents come on top of it.
  const humanBudget = budget - requests.length;
  if (incidents.scanner) planScanner(random, at(0.3), push);
  if (incidents.credentialStuffing) planStuffing(random, at(0.45), push);
  if (incidents.outage) {
    const outage: Outage = { app: 'express', from: at(0.7), to: at(0.7) + 6 * MINUTE };
    outages.push(outage);
    // Visitors keep coming (and retrying) while the shop is down.
    for (let i = 0; i < 40; i++) {
      push({
        ts: outage.from + random.int(0, 6 * MINUTE - 1),
        app: 'express',
        method: 'GET',
        path: random.chance(0.5) ? '/' : productPath(random),
        ip: ipInCountry(random, homeCountry),
        ua: random.pick(USER_AGENTS.browsers),
        actor: 'browser',
      });
    }
    // An attacker tries injections during the outage: the probes get a 403 at the door, the
    // injections reach the failing app and get 500s, which a report flags as suspicious 5xx.
    const attacker = ipInCountry(random, 'CN');
    for (let i = 0; i < 20; i++) {
      const path =
        i % 2 === 0 ? random.pick(PROBE_PATHS) : `/products?id=${random.int(1, PRODUCTS)}%27%20OR%20%271%27%3D%271`;
      push({
        ts: outage.from + 30_000 + i * 12_000,
        app: 'express',
        method: 'GET',
        path,
        ip: attacker,
        ua: USER_AGENTS.browsers[1] ?? '',
        actor: 'scanner',
      });
    }
  }

  // Human visitors, in sessions of a few pages.
  let planned = 0;
  while (planned < humanBudget) {
    const domestic = random.chance(domesticShare);
    const country = domestic ? homeCountry : random.weighted(FOREIGN_VISITORS);
    planned += planSession(
      random,
      {
        start: sampleTime(random, domestic ? DOMESTIC_CURVE : FOREIGN_CURVE, dayStart, from, to),
        ip: ipInCountry(random, country),
        app: random.chance(0.6) ? 'express' : 'hono',
      },
      push,
    );
  }

  // A fake Googlebot: a hosting address that says it is Googlebot, a page every 20-40 s for a while.
  // Drawn last, so the traffic above is the same as without it.
  const fakeIp = ipInCountry(random, 'US');
  let fakeTs = at(0.55);
  for (let i = 0; i < Math.min(40, Math.round(budget * 0.01)); i++) {
    fakeTs += random.int(20_000, 40_000);
    push({
      ts: fakeTs,
      app: random.chance(0.5) ? 'express' : 'hono',
      method: 'GET',
      path: productPath(random),
      ip: fakeIp,
      ua: USER_AGENTS.googlebot,
      actor: 'impersonator',
    });
  }

  requests.sort((a, b) => a.ts - b.ts);
  return { from, to, requests, outages };
}

function planSession(
  random: Random,
  s: { start: number; ip: string; app: AppTarget },
  push: (r: PlannedRequest) => void,
): number {
  const ua = random.pick(USER_AGENTS.browsers);
  const pages = random.int(2, 8);
  let ts = s.start;
  let count = 0;
  const send = (method: 'GET' | 'POST', path: string, body?: string): void => {
    push({ ts, app: s.app, method, path, ip: s.ip, ua, actor: 'browser', ...(body ? { body } : {}) });
    ts += random.int(3_000, 60_000);
    count++;
  };
  send('GET', '/');
  for (let i = 1; i < pages; i++) {
    const roll = random.next();
    if (roll < 0.03)
      send('GET', `/products/${random.int(900, 999)}`); // a stale link: 404
    else if (roll < 0.25) send('GET', '/products');
    else send('GET', productPath(random));
  }
  if (random.chance(0.12)) {
    if (random.chance(0.25)) send('POST', '/login', loginBody('demo', 'wrong-password'));
    send('POST', '/login', loginBody('demo', 'demo'));
  }
  return count;
}

function planScanner(random: Random, start: number, push: (r: PlannedRequest) => void): void {
  const scanners = [
    {
      ip: ipInCountry(random, 'RU'),
      ua: USER_AGENTS.sqlmap,
      paths: ['/products?id=1%27%20AND%201%3D1--', '/login?user=admin%27--', '/products/1%20UNION%20SELECT%20NULL'],
    },
    { ip: ipInCountry(random, 'NL'), ua: USER_AGENTS.nuclei, paths: PROBE_PATHS },
    // Scanners that pretend to be a browser are caught by the paths they ask for.
    { ip: ipInCountry(random, 'CN'), ua: USER_AGENTS.browsers[0] ?? '', paths: PROBE_PATHS },
  ];
  for (const [index, scanner] of scanners.entries()) {
    let ts = start + index * 20 * MINUTE;
    for (let i = 0; i < 30; i++) {
      ts += random.int(500, 8_000);
      push({
        ts,
        app: random.chance(0.5) ? 'express' : 'hono',
        method: 'GET',
        path: random.pick(scanner.paths),
        ip: scanner.ip,
        ua: scanner.ua,
        actor: 'scanner',
      });
    }
  }
}

function planStuffing(random: Random, start: number, push: (r: PlannedRequest) => void): void {
  const ips = [ipInCountry(random, 'VN'), ipInCountry(random, 'RU'), ipInCountry(random, 'BR')];
  for (const ip of ips) {
    // 100 attempts in 40 s from each address: well past any sane 4xx threshold.
    for (let i = 0; i < 100; i++) {
      push({
        ts: start + random.int(0, 40_000),
        app: 'express',
        method: 'POST',
        path: '/login',
        ip,
        ua: USER_AGENTS.stuffing,
        actor: 'credential-stuffing',
        body: loginBody(`user${random.int(1000, 99999)}@example.com`, `pass${random.int(0, 1e6)}`),
      });
    }
  }
}
