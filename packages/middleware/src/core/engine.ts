import type { BotCategory, DenyEntry, DenySource } from '../protocol/index.js';
import { createBanTracker, type BanTracker } from './bans/bans.js';
import { connectBanSharing } from './bans/shared.js';
import { classifyUserAgent, createUaClassifier } from './bots/classify.js';
import { compileBotOf } from './bots/verify-claims.js';
import type { Decision, EngineOptions, EngineStats, RequestFacts } from './engine-options.js';
import { toEvent } from './event/to-event.js';
import { clientKey } from './ip/group.js';
import { parseIp, type ParsedIp } from './ip/parse.js';
import { compileBotModes, compileNamedBotModes } from './rules/bots.js';
import { compileIpList, compileSyncedDenyList } from './rules/ip-lists.js';
import { assertMode, type RuleMode } from './rules/mode.js';
import { compileProbes } from './rules/probes.js';
import { createSampler } from './sample.js';
import { RecentCache } from './recent-cache.js';
import { compileRateRules } from './rules/rate.js';
import { connectRateSharing } from './rules/rate-sharing.js';
import { createRequestClock } from './request-clock.js';
import { createLoginMonitor, type LoginReport } from './logins/monitor.js';

export type { Decision, EngineOptions, EngineStats, RequestFacts } from './engine-options.js';

/** The compiled rules, ban counters and sampler of one app. */
export interface Engine {
  /**
   * Synchronous and free of I/O, in this order: allow list, deny list (static, then synced),
   * error bans, rate-rule and login-detection bans, rate rules (each request counts), bot
   * categories, probes. The first block wins; a count is kept in case nothing blocks.
   */
  decide(req: RequestFacts): Decision;
  /**
   * After the response: counts errors towards bans, records a login attempt (`login`, reported
   * by the app, else a declared endpoint's status), samples, and pushes the event to the sink.
   */
  observe(req: RequestFacts, decision: Decision, status: number, latencyMs: number, login?: LoginReport): void;
  /**
   * Bans a client (an IP, grouped like counted clients, or a client key) in this engine only,
   * until `until` (epoch ms), or extends a shorter ban; the deny list is not rebuilt. False when
   * nothing changed or bans are off.
   */
  addBan(client: string, until: number): boolean;
  /** Lifts a client's ban in this engine only. False when it was not banned or bans are off. */
  liftBan(client: string): boolean;
  /**
   * Replaces the synced deny list and the synced allow list (clients a triage allowed); the static
   * lists from options stay.
   */
  setDenyList(entries: readonly DenyEntry[], allow?: readonly string[]): void;
  stats(): EngineStats;
  /** Flushes and closes the sink, and closes the shared ban store's connection. */
  close(): Promise<void>;
}

const GLOBAL_MODES: ReadonlySet<string> = new Set(['block', 'count']);
const SYNCED_RULES: Readonly<Record<DenySource, string>> = {
  manual: 'deny-list:manual',
  auto: 'deny-list:auto',
  import: 'deny-list:import',
};

/** The classifiers cache user agents up to this length (their default `maxCachedLength`). */
const MAX_CACHED_UA = 1024;

/** Where swallowed errors go unless `onError` is given. */
export function defaultOnError(error: unknown): void {
  console.error('[watchpost]', error);
}

/**
 * Compiles the options into an engine. Options are validated here: a bad value throws a
 * TypeError that names it.
 *
 * @example
 * const engine = createEngine({ denyList: ['198.51.100.0/24'], sampleRate: 0.1 });
 * const req = { ip: '198.51.100.7', method: 'GET', host: 'shop.example', path: '/', ua: 'curl/8.5', country: 'JP' };
 * const decision = engine.decide(req); // { action: 'block', rule: 'deny-list', botCategory: 'http-client' }
 * engine.observe(req, decision, 403, 0.2);
 */
export function createEngine({
  mode = 'block',
  allowList,
  denyList,
  bots,
  namedBots,
  probes,
  wordpress = false,
  bans: banOptions,
  ipv6Prefix = 64,
  sampleRate = 1,
  sink,
  now: givenNow,
  random = Math.random,
  onError = defaultOnError,
  extraBots,
  crawlerVerification,
  rateRules,
  rateSharing,
  logins: loginOptions,
}: EngineOptions = {}): Engine {
  assertMode(mode, 'options.mode', GLOBAL_MODES);
  if (typeof wordpress !== 'boolean')
    throw new TypeError(`options.wordpress must be a boolean, got ${JSON.stringify(wordpress)}`);
  if (!Number.isInteger(ipv6Prefix) || ipv6Prefix < 0 || ipv6Prefix > 128) {
    throw new TypeError(`options.ipv6Prefix must be an integer in 0..128, got ${JSON.stringify(ipv6Prefix)}`);
  }
  if (givenNow !== undefined && typeof givenNow !== 'function') {
    throw new TypeError(`options.now must be a function, got ${typeof givenNow}`);
  }
  const now = givenNow ?? Date.now;
  // The adapters' arrival reading stands for the clock, unless the engine has its own.
  const timeOf = givenNow === undefined ? createRequestClock(Date.now) : null;
  if (typeof onError !== 'function') throw new TypeError(`options.onError must be a function, got ${typeof onError}`);
  if (
    sink !== undefined &&
    (typeof sink?.push !== 'function' || typeof sink.flush !== 'function' || typeof sink.close !== 'function')
  ) {
    throw new TypeError('options.sink must have push, flush and close methods');
  }

  const allow = compileIpList(allowList, 'options.allowList');
  const staticDeny = compileIpList(denyList, 'options.denyList');
  let syncedDeny = compileSyncedDenyList([], onError);
  let syncedAllow: ReturnType<typeof compileSyncedDenyList> = null;
  const botModes = compileBotModes(bots);
  const namedBotModes = compileNamedBotModes(namedBots);
  const probe = compileProbes(probes, { mode, wordpress });
  const banTracker: BanTracker | null = banOptions === false ? null : createBanTracker(banOptions ?? {});
  const sample = createSampler({ sampleRate, random });
  const keyOptions = { ipv6Prefix };
  const dryRun = mode === 'count';
  // Rate and login keys: dotted IPv4 text that parses is its own key; others are formatted once and cached.
  const keyCache = new RecentCache<string, string>(10_000);
  const keyOf = (req: RequestFacts, ip: ParsedIp): string => {
    if (ip.family === 4 && req.ip.indexOf(':') === -1) return req.ip;
    let key = keyCache.get(req.ip);
    if (key === undefined) keyCache.set(req.ip, (key = clientKey(ip, keyOptions)));
    return key;
  };
  const rates = compileRateRules(rateRules, {
    mode,
    onError: (error) => reportError(error),
    clientKey: keyOf,
    ipv6Prefix,
  });
  const logins = createLoginMonitor(loginOptions, dryRun);
  let loginAttempts = 0;
  let loginFailures = 0;
  const classify = extraBots === undefined ? classifyUserAgent : createUaClassifier({ extraBots });
  const botOf = compileBotOf(classify, crawlerVerification);

  // Most requests are allowed by no rule: one shared decision per bot category, not an object each,
  // and a browser's (most of them) without a lookup.
  const allowed = new Map<BotCategory | null, Decision>();
  const allowedBrowser: Decision = Object.freeze({ action: 'allow', rule: null, botCategory: null });
  const allowedAs = (botCategory: BotCategory | null): Decision => {
    if (botCategory === null) return allowedBrowser;
    let decision = allowed.get(botCategory);
    if (decision === undefined)
      allowed.set(botCategory, (decision = Object.freeze({ action: 'allow', rule: null, botCategory })));
    return decision;
  };

  const decisions = { allow: 0, block: 0, count: 0 };
  const rules: Record<string, number> = Object.create(null);
  let sampled = 0;
  let skipped = 0;
  let errors = 0;
  let denyListSize = staticDeny?.size ?? 0;
  // Connected last, once everything its callbacks touch exists.
  const sharing = { now, onError: (error: unknown) => reportError(error) };
  const sharedRates = connectRateSharing(rateSharing, rates, sharing);
  const sharedBans =
    banTracker === null
      ? null
      : connectBanSharing(banOptions !== false ? banOptions?.shared : undefined, banTracker, sharing);

  function reportError(error: unknown): void {
    errors++;
    onError(error);
  }

  function verdict(ruleMode: RuleMode): 'block' | 'count' {
    return dryRun || ruleMode === 'count' ? 'count' : 'block';
  }

  function tally(decision: Decision): Decision {
    decisions[decision.action]++;
    if (decision.rule !== null) rules[decision.rule] = (rules[decision.rule] ?? 0) + 1;
    return decision;
  }

  function decide(req: RequestFacts): Decision {
    const ip: ParsedIp | null = req.parsedIp !== undefined ? req.parsedIp : parseIp(req.ip);
    const bot = botOf(req, ip);
    const botCategory = bot.category;
    if (ip !== null) {
      if (allow !== null && allow.match(ip) !== null) return tally(allowedAs(botCategory));
      if (syncedAllow !== null && syncedAllow.match(ip) !== null) return tally(allowedAs(botCategory));
      if (staticDeny !== null && staticDeny.match(ip) !== null)
        return tally({ action: verdict('block'), rule: 'deny-list', botCategory });
      const synced = syncedDeny === null ? null : syncedDeny.match(ip);
      if (synced !== null && (synced.expiresAt === null || synced.expiresAt > now())) {
        return tally({ action: verdict('block'), rule: SYNCED_RULES[synced.source], botCategory });
      }
      if (banTracker !== null && !banTracker.empty && banTracker.isBanned(clientKey(ip, keyOptions), now())) {
        return tally({ action: verdict('block'), rule: 'ban', botCategory });
      }
    }
    // The first blocking rule wins; a counting rule is remembered in case nothing blocks.
    let counted: string | null = null;
    if (ip !== null && (rates !== null || (logins !== null && !logins.empty))) {
      // The request's time, from its arrival reading; else the clock, read only when a login ban or rate rule needs it.
      let at = timeOf !== null && Number.isFinite(req.receivedAt) ? timeOf(req.receivedAt!) : Number.NaN;
      const loginBan =
        logins === null || logins.empty ? null : logins.banned(keyOf(req, ip), Number.isNaN(at) ? (at = now()) : at);
      if (loginBan !== null) {
        if (loginBan.action === 'block') return tally({ action: 'block', rule: loginBan.rule, botCategory });
        counted = loginBan.rule;
      }
      const hit = rates === null ? null : rates.check(req, ip, botCategory, Number.isNaN(at) ? now : at);
      if (hit !== null) {
        if (hit.action === 'block') {
          const retryAfterS = hit.status === 429 ? hit.retryAfterS : undefined;
          return tally({ action: 'block', rule: hit.rule, botCategory, status: hit.status, retryAfterS });
        }
        counted ??= hit.rule;
      }
    }
    if (botCategory !== null && req.verifiedBot !== true) {
      // A named bot's mode replaces its category's; an impersonator's claimed name counts for nothing.
      const named =
        namedBotModes === null || bot.name === null || botCategory === 'impersonator'
          ? undefined
          : namedBotModes.get(bot.name.toLowerCase());
      const botMode = named ?? botModes[botCategory];
      if (botMode !== 'allow') {
        const rule = named === undefined ? `bot:${botCategory}` : `bot:name:${bot.name}`;
        if (verdict(botMode) === 'block') return tally({ action: 'block', rule, botCategory });
        counted = rule;
      }
    }
    const hit = probe(req.path);
    if (hit !== null && hit.mode !== 'allow') {
      if (verdict(hit.mode) === 'block') return tally({ action: 'block', rule: hit.rule, botCategory });
      counted ??= hit.rule;
    }
    return tally(counted === null ? allowedAs(botCategory) : { action: 'count', rule: counted, botCategory });
  }

  function observe(req: RequestFacts, decision: Decision, status: number, latencyMs: number, login?: LoginReport) {
    // The clock is read only when something needs it: most requests are allowed 2xx left out by sampling.
    let at = Number.NaN;
    let loginFact: { outcome: 'success' | 'failed'; account: string | null } | null = null;
    // A refused request never reached the app: it is no login attempt.
    if (logins !== null && decision.action !== 'block') {
      const outcome =
        login?.outcome === 'success' || login?.outcome === 'failed' ? login.outcome : logins.outcomeOf(req, status);
      if (outcome !== null) {
        loginFact = { outcome, account: logins.hash(login?.account) };
        const ip = req.parsedIp !== undefined ? req.parsedIp : parseIp(req.ip);
        loginAttempts++;
        if (outcome === 'failed') loginFailures++;
        const when = timeOf !== null && Number.isFinite(req.receivedAt) ? timeOf(req.receivedAt!) : (at = now());
        if (ip !== null) logins.record(keyOf(req, ip), outcome, loginFact.account, when);
      }
    }
    // Only errors count towards bans; a client already refused by a ban or the deny list is not counted again.
    if (
      banTracker !== null &&
      status >= 400 &&
      decision.rule !== 'ban' &&
      !(decision.action === 'block' && (decision.rule?.startsWith('rate:') || decision.rule?.startsWith('login:'))) &&
      !(decision.rule?.startsWith('deny-list') ?? false)
    ) {
      const ip = req.parsedIp !== undefined ? req.parsedIp : parseIp(req.ip);
      if (ip !== null) {
        at = now();
        const key = clientKey(ip, keyOptions);
        banTracker.record(key, status, at);
        // Sent even when this response started a local ban: that is how the other instances learn of it.
        if (sharedBans !== null && banTracker.counts(status)) sharedBans.record(key, at);
      }
    }
    const rate = sample(decision.action, status, loginFact !== null);
    if (rate === 0) {
      skipped++;
      return;
    }
    sampled++;
    if (sink === undefined) return;
    try {
      if (Number.isNaN(at)) at = now();
      // The name comes from the classifier's cache, for the events kept only. A user agent too long
      // to be cached is not classified twice: its event goes without a name.
      const botName =
        decision.botCategory === null || typeof req.ua !== 'string' || req.ua.length > MAX_CACHED_UA
          ? null
          : classify(req.ua).name;
      sink.push(toEvent(req, decision, status, latencyMs, rate, at, loginFact, botName));
    } catch (error) {
      errors++;
      onError(error);
    }
  }

  function banKey(client: string): string {
    const ip = parseIp(client);
    return ip === null ? client : clientKey(ip, keyOptions);
  }

  return {
    decide,
    observe,
    addBan(client, until) {
      if (typeof client !== 'string' || client === '')
        throw new TypeError(`addBan: client must be a non-empty string, got ${JSON.stringify(client)}`);
      if (typeof until !== 'number' || Number.isNaN(until))
        throw new TypeError(`addBan: until must be epoch ms, got ${JSON.stringify(until)}`);
      return banTracker !== null && banTracker.impose(banKey(client), until, now());
    },
    liftBan(client) {
      return banTracker !== null && typeof client === 'string' && banTracker.lift(banKey(client), now());
    },
    setDenyList(entries, allowed = []) {
      syncedDeny = compileSyncedDenyList(entries, onError);
      syncedAllow = compileSyncedDenyList(
        allowed.map((value, i) => ({
          id: `allow_${i}`,
          value,
          reason: '',
          source: 'manual',
          createdAt: 0,
          expiresAt: null,
        })),
        onError,
      );
      denyListSize = (staticDeny?.size ?? 0) + (syncedDeny?.size ?? 0);
    },
    stats() {
      const banStats = banTracker?.stats(now()) ?? { bansActive: 0, bansIssued: 0, clientsTracked: 0, evictions: 0 };
      const sinkStats = (sink as { stats?: () => { dropped?: number } } | undefined)?.stats?.();
      return {
        decisions: { ...decisions },
        rules: { ...rules },
        ...banStats,
        sampled,
        skipped,
        dropped: sinkStats?.dropped ?? 0,
        denyListSize,
        errors,
        sharedBans: sharedBans?.stats() ?? null,
        rate: rates === null ? null : { ...rates.stats(), shared: sharedRates?.stats() ?? null },
        logins: logins === null ? null : { attempts: loginAttempts, failures: loginFailures, ...logins.stats() },
      };
    },
    async close() {
      // Both, whatever the other does: a sink that fails to flush must not leave Redis connections open.
      await Promise.all([
        (async () => sink?.close())().catch((error: unknown) => {
          errors++;
          onError(error);
        }),
        sharedBans?.close().catch((error: unknown) => {
          errors++;
          onError(error);
        }),
        sharedRates?.close().catch(reportError),
      ]);
    },
  };
}
