import { Generations } from '../generations.js';
import { methodInList } from '../rules/rate-match.js';
import { PairRateWindow } from '../rules/rate-window.js';
import { createSlidingCounter, type SlidingCounter } from '../bans/window.js';
import type { RequestFacts } from '../engine-options.js';
import { createAccountHasher } from './account-hash.js';
import { resolveDetection, type LoginKind, type LoginOptions, type ResolvedDetection } from './options.js';
import { TimedSets } from './timed-sets.js';

/** An outcome the app reported, or that a declared endpoint's status gave. */
export interface LoginReport {
  outcome: 'success' | 'failed';
  /** The account in clear, as the app knows it; hashed here, never kept. */
  account?: string | null;
}

/** A client refused (or counted) because of a login detection. */
export interface LoginBan {
  readonly rule: `login:${LoginKind}`;
  readonly action: 'block' | 'count';
  readonly until: number;
}

export interface LoginMonitor {
  /** The outcome a declared endpoint gives this request and status, or null when it is not one. */
  outcomeOf(req: RequestFacts, status: number): 'success' | 'failed' | null;
  /** The account's hash, or null without a key or account. */
  hash(account: unknown): string | null;
  /** Records an attempt by `client` (its counting key) for a hashed account; may ban clients. */
  record(client: string, outcome: 'success' | 'failed', account: string | null, now: number): void;
  /** The ban a client is under, if any. */
  banned(client: string, now: number): LoginBan | null;
  /** False while a client may be banned; true once the bans are seen empty (read per request). */
  readonly empty: boolean;
  stats(): { detections: Record<LoginKind, number>; tracked: number; evictions: number; bansActive: number };
}

const UNKNOWN = '*';

/** Declared endpoints by exact path, then upper-case method: a request to another path costs one lookup. */
type Endpoints = Map<string, Map<string, (status: number) => boolean>>;

function compileEndpoints(endpoints: LoginOptions['endpoints']): Endpoints {
  const byPath: Endpoints = new Map();
  if (endpoints === undefined) return byPath;
  if (!Array.isArray(endpoints) || endpoints.length > 64) {
    throw new TypeError('options.logins.endpoints must be an array of at most 64 endpoints');
  }
  for (const [i, endpoint] of (endpoints as LoginOptions['endpoints'] & unknown[]).entries()) {
    const where = `options.logins.endpoints[${i}]`;
    const { method, path, failed = defaultFailed } = (endpoint ?? {}) as Partial<NonNullable<typeof endpoint>>;
    if (typeof method !== 'string' || !/^[A-Za-z]{1,16}$/.test(method)) {
      throw new TypeError(`${where}.method must be an HTTP method, got ${JSON.stringify(method)}`);
    }
    if (typeof path !== 'string' || !path.startsWith('/') || path.length > 2048 || path.includes('?')) {
      throw new TypeError(`${where}.path must be a path starting with '/', got ${JSON.stringify(path)}`);
    }
    if (typeof failed !== 'function') throw new TypeError(`${where}.failed must be a function`);
    let methods = byPath.get(path);
    if (methods === undefined) byPath.set(path, (methods = new Map()));
    methods.set(method.toUpperCase(), failed);
  }
  return byPath;
}

function defaultFailed(status: number): boolean {
  return status === 401 || status === 403;
}

/**
 * Login-attempt monitoring: brute force (failures for one account from one client; an unknown
 * account counts as one account `*`), credential stuffing (distinct accounts failing from one
 * client), password spraying (one account failing from many clients: all of them are banned),
 * and a success after many failures for the account (likely compromised). Every map is bounded
 * by `maxTracked`. Returns null when `logins` is absent.
 *
 * @example
 * const logins = createLoginMonitor({ endpoints: [{ method: 'POST', path: '/login' }] }, false);
 */
export function createLoginMonitor(options: LoginOptions | undefined, dryRun: boolean): LoginMonitor | null {
  if (options === undefined) return null;
  if (options === null || typeof options !== 'object') throw new TypeError('options.logins must be an object');
  const endpoints = compileEndpoints(options.endpoints);
  const pathLengths = new Set([...endpoints.keys()].map((path) => path.length));
  const endpointMethods = [...new Set([...endpoints.values()].flatMap((byMethod) => [...byMethod.keys()]))];
  const hash = options.accountKey === undefined ? () => null : createAccountHasher(options.accountKey);
  const maxTracked = options.maxTracked ?? 50_000;
  if (!Number.isInteger(maxTracked) || maxTracked < 1 || maxTracked > 10_000_000) {
    throw new TypeError(
      `options.logins.maxTracked must be an integer in 1..10000000, got ${JSON.stringify(maxTracked)}`,
    );
  }
  const brute = resolveDetection('bruteForce', options.bruteForce, dryRun);
  const stuffing = resolveDetection('stuffing', options.stuffing, dryRun);
  const spraying = resolveDetection('spraying', options.spraying, dryRun);
  const compromised = resolveDetection('compromised', options.compromised, dryRun);

  const counter = (d: ResolvedDetection | null): SlidingCounter | null =>
    d === null ? null : createSlidingCounter({ windowMs: d.windowMs, maxClients: maxTracked });
  // Failures per (client, account): a map of maps, so no joined key is built per attempt.
  const bruteCounts = brute === null ? null : new PairRateWindow(brute.windowMs, maxTracked);
  const accountFailures = counter(compromised);
  const accountsPerClient = stuffing && new TimedSets(stuffing.windowMs, maxTracked, stuffing.limit * 2);
  const clientsPerAccount = spraying && new TimedSets(spraying.windowMs, maxTracked, spraying.limit * 2);
  const bans = new Generations<LoginBan>(Math.max(2, maxTracked));
  const detections: Record<LoginKind, number> = {
    'brute-force': 0,
    'credential-stuffing': 0,
    'password-spraying': 0,
    compromised: 0,
  };

  function ban(client: string, detection: ResolvedDetection, now: number): void {
    const current = bans.get(client);
    const until = now + detection.banMs;
    // A block outranks a count; a longer ban of the same kind outranks a shorter one.
    if (current !== undefined && current.until > now && (current.action === 'block') > (detection.mode === 'block'))
      return;
    bans.set(client, { rule: `login:${detection.kind}`, action: detection.mode, until });
    monitor.empty = false;
  }

  function fire(detection: ResolvedDetection, clients: readonly string[], now: number): void {
    detections[detection.kind]++;
    for (const client of clients) ban(client, detection, now);
  }

  const getDeclared = endpointMethods.includes('GET');
  const monitor: LoginMonitor & { empty: boolean } = {
    outcomeOf(req, status) {
      if (endpoints.size === 0 || status === 0 || status >= 500) return null;
      // Most requests use another method (a GET, where logins are POSTs): told apart without touching the path.
      if (req.method === 'GET' ? !getDeclared : !methodInList(endpointMethods, req.method)) return null;
      const raw = typeof req.path === 'string' ? req.path : '';
      const query = raw.indexOf('?');
      // Most requests go elsewhere: a path of no declared length is looked up without cutting its query off.
      if (!pathLengths.has(query === -1 ? raw.length : query)) return null;
      const methods = endpoints.get(query === -1 ? raw : raw.slice(0, query));
      if (methods === undefined) return null;
      const method = typeof req.method === 'string' ? req.method : '';
      const failed = methods.get(method) ?? methods.get(method.toUpperCase());
      if (failed === undefined) return null;
      return failed(status) ? 'failed' : 'success';
    },
    hash,
    record(client, outcome, account, now) {
      if (outcome === 'success') {
        if (compromised !== null && account !== null && accountFailures !== null) {
          const failures = accountFailures.drain(account, now);
          if (failures >= compromised.limit) fire(compromised, [client], now);
        }
        return;
      }
      if (brute !== null && bruteCounts !== null) {
        const count = bruteCounts.hit(client, account ?? UNKNOWN, now);
        if (count >= brute.limit) {
          bruteCounts.reset(client, account ?? UNKNOWN);
          fire(brute, [client], now);
        }
      }
      if (account === null) return;
      accountFailures?.hit(account, now);
      if (stuffing !== null && accountsPerClient && accountsPerClient.add(client, account, now) >= stuffing.limit) {
        accountsPerClient.delete(client);
        fire(stuffing, [client], now);
      }
      if (spraying !== null && clientsPerAccount && clientsPerAccount.add(account, client, now) >= spraying.limit) {
        const clients = clientsPerAccount.members(account);
        clientsPerAccount.delete(account);
        fire(spraying, clients, now);
      }
    },
    banned(client, now) {
      if (bans.size === 0) {
        monitor.empty = true;
        return null;
      }
      const found = bans.get(client);
      if (found === undefined) return null;
      if (found.until > now) return found;
      bans.delete(client);
      if (bans.size === 0) monitor.empty = true;
      return null;
    },
    // A plain field, read per request: set when a ban starts, cleared once the bans are seen empty.
    empty: true,
    stats() {
      const tracked =
        (bruteCounts?.size ?? 0) +
        (accountFailures?.size ?? 0) +
        (accountsPerClient ? accountsPerClient.size : 0) +
        (clientsPerAccount ? clientsPerAccount.size : 0);
      const evictions =
        bans.evicted +
        (bruteCounts?.evictions ?? 0) +
        (accountFailures?.evictions ?? 0) +
        (accountsPerClient ? accountsPerClient.evictions : 0) +
        (clientsPerAccount ? clientsPerAccount.evictions : 0);
      return { detections: { ...detections }, tracked, evictions, bansActive: bans.size };
    },
  };
  return monitor;
}
