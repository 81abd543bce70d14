import {
  clientKey,
  createEngine,
  createForwarder,
  type Decision,
  type Engine,
  type LoginReport,
  type RequestFacts,
} from '@watchpost/middleware';
import type { EventBatch } from '@watchpost/middleware/protocol';
import type { RateRuleHit } from './bursts-do.js';
import { bounded } from './bounded.js';
import { createDenyListCache, type DenyListCache } from './denylist/cache.js';
import {
  answerDenyListNotice,
  createNoticeBudget,
  createPullCoalescer,
  DENYLIST_NOTICE_PATH,
  type NoticeState,
} from './denylist/notice.js';
import { pullDenyList, type PullResult } from './denylist/pull.js';
import { createIsolateBatcher, type IsolateBatcher } from './events/batching.js';
import { consumeEventBatches } from './events/consumer.js';
import { createQueueSink } from './events/queue-sink.js';
import { blockedResponse, rateLimitedResponse, toOriginRequest } from './proxy.js';
import { requestFacts, type CfSignals } from './request-facts.js';
import { createRateObjectLink, type RateObjectLink } from './rate-object.js';
import { readLoginAccount } from './login-account.js';
import { toEngineLogins, toEngineRateRules, type EdgeLoginEndpoint } from './rate-settings.js';
import { readSettings, type Settings, type SettingsEnv } from './settings.js';

/** The bindings the worker reads; `EVENTS_QUEUE` and `BURSTS` are optional (see wrangler.jsonc). */
export type WorkerEnv = SettingsEnv & {
  DENYLIST?: KVNamespace;
  EVENTS_QUEUE?: Queue<EventBatch>;
  BURSTS?: DurableObjectNamespace<import('./bursts-do.js').BurstsDurableObject>;
};

/** What can be injected into {@link createWorker}; production uses the defaults. */
export interface WorkerOptions {
  /** Outbound fetch for the origin and the report API. Default: the runtime's `fetch`. */
  fetch?: typeof fetch;
  now?: () => number;
  /** Where errors inside the worker go; they never reach the client. Default: `console.error`. */
  onError?: (error: unknown, where: string) => void;
  /** Waits in the event batcher; tests replace it. */
  sleep?: (ms: number) => Promise<void>;
  /** Longest wait for the first KV read of an isolate, in ms (default 500); later reads never block. */
  firstDenyListWaitMs?: number;
  /** A KV read of the deny list slower than this is abandoned (default 5000 ms). */
  denyListReadTimeoutMs?: number;
  /** Longest wait for the rate Durable Object (exact mode) before the request goes through (default 1000 ms). */
  rateObjectWaitMs?: number;
  /** Longest wait, after the origin answered, for the account read from a login body (default 500 ms). */
  loginBodyWaitMs?: number;
  /** Builds the engine; only tests replace it (to prove the fail-open paths). Default: `createEngine`. */
  engineFactory?: typeof createEngine;
}

interface IsolateState {
  settings: Settings;
  engine: Engine;
  batcher: IsolateBatcher | null;
  denyList: DenyListCache | null;
  /** Exact mode with rate rules: the engine's link to the rate Durable Objects. */
  rateObject: RateObjectLink | null;
  /** Login endpoints whose body names the account, by `METHOD path`; null without LOGIN_ACCOUNT_KEY. */
  accountEndpoints: Map<string, EdgeLoginEndpoint & { accountField: string }> | null;
  /** `POST /__watchpost/denylist-changed`: budgets and the pull it starts. */
  notices: NoticeState;
}

/** The handlers `export default` hands the runtime. */
export interface WatchpostWorker {
  fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response>;
  scheduled(controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): Promise<void>;
  queue(batch: MessageBatch<unknown>, env: WorkerEnv, ctx: ExecutionContext): Promise<void>;
}

function plainResponse(status: number, text: string): Response {
  return new Response(`${text}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

function parseOrigin(value: string | undefined): URL | null {
  try {
    return value ? new URL(value) : null;
  } catch {
    return null;
  }
}

/**
 * Builds the worker: the Watchpost engine in front of `ORIGIN_URL`. State (compiled engine, deny
 * list copy, event buffer) lives per isolate and is built on the first request. Any error of the
 * worker's own lets the request through to the origin (fail open).
 *
 * @example
 * // src/index.ts
 * export default createWorker();
 */
export function createWorker({
  fetch: fetchFn = (input, init) => fetch(input, init),
  now = Date.now,
  onError = (error, where) => console.error(`watchpost edge worker: ${where}:`, error),
  sleep,
  firstDenyListWaitMs = 500,
  denyListReadTimeoutMs = 5_000,
  engineFactory = createEngine,
  rateObjectWaitMs = 1_000,
  loginBodyWaitMs = 500,
}: WorkerOptions = {}): WatchpostWorker {
  let state: IsolateState | null = null;
  let stateEnv: WorkerEnv | null = null;

  function buildState(env: WorkerEnv): IsolateState {
    const settings = readSettings(env);
    let batcher: IsolateBatcher | null = null;
    const { reportApiUrl, ingestKey } = settings;
    if (env.EVENTS_QUEUE) {
      const sink = createQueueSink({ queue: env.EVENTS_QUEUE, onError: (error) => onError(error, 'queue send') });
      batcher = createIsolateBatcher({
        sink,
        batchSize: settings.eventsBatchSize,
        flushMs: settings.eventsFlushMs,
        sleep,
      });
    } else if (reportApiUrl && ingestKey) {
      const forwarder = createForwarder({
        url: reportApiUrl.href,
        ingestKey,
        source: 'edge-worker',
        fetch: fetchFn,
        flushIntervalMs: 0,
        batchSize: settings.eventsBatchSize,
        onError: (error) => onError(error, 'event forwarding'),
      });
      batcher = createIsolateBatcher({
        sink: forwarder,
        batchSize: settings.eventsBatchSize,
        flushMs: settings.eventsFlushMs,
        sleep,
      });
    }
    const { rateRules } = settings;
    // Exact mode: the engine matches and keys the rules and holds bans; the client's Durable Object counts.
    const rateObject = env.BURSTS && rateRules.length > 0 ? createRateObjectLink(rateRules, settings.mode) : null;
    const engine = engineFactory({
      mode: settings.mode,
      sampleRate: settings.sampleRate,
      bans: settings.bursts,
      ...(rateRules.length > 0
        ? { rateRules: toEngineRateRules(rateRules, { countElsewhere: rateObject !== null }) }
        : {}),
      ...(rateObject ? { rateSharing: rateObject.sharing } : {}),
      ...(settings.logins ? { logins: toEngineLogins(settings.logins, settings.loginAccountKey) } : {}),
      now,
      onError: (error: unknown) => onError(error, 'engine'),
      ...(batcher ? { sink: batcher.sink } : {}),
    });
    let accountEndpoints: IsolateState['accountEndpoints'] = null;
    if (settings.loginAccountKey !== null) {
      for (const endpoint of settings.logins?.endpoints ?? []) {
        const { accountField } = endpoint;
        if (accountField === undefined) continue;
        (accountEndpoints ??= new Map()).set(`${endpoint.method} ${endpoint.path}`, { ...endpoint, accountField });
      }
    }
    const notices: NoticeState = {
      ingestKey,
      pulls: null,
      failures: createNoticeBudget(),
      accepted: createNoticeBudget(),
    };
    const isolate: IsolateState = { settings, engine, batcher, denyList: null, rateObject, accountEndpoints, notices };
    if (env.DENYLIST) {
      isolate.denyList = createDenyListCache({
        kv: env.DENYLIST,
        ttlMs: settings.denyListTtlMs,
        readTimeoutMs: denyListReadTimeoutMs,
        now,
        onError: (error) => onError(error, 'deny list read from KV'),
        onUpdate: (entries, _version, allow) => engine.setDenyList(entries, allow),
      });
      if (reportApiUrl && ingestKey) {
        const kv = env.DENYLIST;
        notices.pulls = createPullCoalescer(async () => {
          const result = await pullDenyList({ kv, reportApiUrl, ingestKey, fetch: fetchFn, now });
          if (result.outcome === 'failed') onError(new Error(result.reason), 'deny list pull (notice)');
          // Enforced in this isolate at once; other isolates read KV after their TTL.
          else if (result.outcome === 'updated') isolate.denyList?.accept(result.stored);
        });
      }
    }
    return isolate;
  }

  function isolateFor(env: WorkerEnv): IsolateState {
    // workerd hands the same env object to every request of an isolate, so this builds once per
    // isolate; tests hand different envs to one worker and get fresh state.
    if (state === null || stateEnv !== env) {
      state = buildState(env);
      stateEnv = env;
    }
    return state;
  }

  async function recordBurst(
    isolate: IsolateState,
    env: WorkerEnv,
    facts: RequestFacts,
    status: number,
  ): Promise<void> {
    if (!env.BURSTS || facts.ip === '') return;
    try {
      const key = clientKey(facts.ip);
      const stub = env.BURSTS.get(env.BURSTS.idFromName(key));
      const { bannedUntil } = await stub.record(key, status, now(), isolate.settings.bursts);
      // The Durable Object's ban goes to this isolate's ban book, beside its own bans: no rebuild of
      // the deny list per ban, bounded like every ban, and refused with rule `ban`.
      if (bannedUntil > now()) isolate.engine.addBan(key, bannedUntil);
    } catch (error) {
      onError(error, 'bursts durable object');
    }
  }

  /**
   * Exact mode: counts the (rule, key) pairs the engine matched in the client's Durable Object and
   * turns its verdict into the decision; a ban it decided is imposed on this isolate's engine.
   * Fails open: without an answer within `rateObjectWaitMs` the engine's decision stands.
   */
  async function askRateObject(
    link: RateObjectLink,
    env: WorkerEnv,
    facts: RequestFacts,
    decision: Decision,
    hits: RateRuleHit[],
  ): Promise<Decision> {
    if (!env.BURSTS) return decision;
    try {
      const stub = env.BURSTS.get(env.BURSTS.idFromName(clientKey(facts.ip)));
      const verdict = await bounded(stub.rate(hits, now()), rateObjectWaitMs);
      if (verdict === undefined) throw new Error(`no answer within ${rateObjectWaitMs} ms`);
      const { hit, key, bannedUntil } = verdict;
      if (hit === null) return decision;
      const { botCategory } = decision;
      if (hit.action === 'count')
        return decision.action === 'allow' ? { action: 'count', rule: hit.rule, botCategory } : decision;
      if (key !== null) link.ban(hit.rule, key, bannedUntil);
      const retryAfter = hit.status === 429 ? { retryAfterS: hit.retryAfterS } : {};
      return { action: 'block', rule: hit.rule, botCategory, status: hit.status, ...retryAfter };
    } catch (error) {
      link.failed();
      onError(error, 'rate durable object');
      return decision;
    }
  }

  return {
    async fetch(request, env, ctx) {
      const started = now();
      // On a route in front of a zone's origin, an uncaught exception then goes to the origin as well.
      ctx.passThroughOnException?.();
      let isolate: IsolateState | null = null;
      let facts: RequestFacts | null = null;
      let decision: Decision | null = null;
      let url: URL | undefined;
      try {
        url = new URL(request.url);
        isolate = isolateFor(env);
      } catch (error) {
        onError(error, 'settings');
      }
      const originUrl = isolate?.settings.originUrl ?? parseOrigin(env.ORIGIN_URL);
      // The report API's deny-list notice is answered here, whatever the settings: never by the origin.
      if (url?.pathname === DENYLIST_NOTICE_PATH) {
        if (isolate === null) return plainResponse(503, 'Service Unavailable: the worker settings are invalid');
        try {
          return await answerDenyListNotice(request, isolate.notices, now(), (promise) => ctx.waitUntil(promise));
        } catch (error) {
          onError(error, 'deny-list notice');
          return plainResponse(500, 'Internal Server Error');
        }
      }
      if (originUrl === null) {
        // Without a valid ORIGIN_URL there is nowhere to fail open to: answer our own 502, not Cloudflare's page.
        return plainResponse(502, 'Bad Gateway: the Watchpost edge worker has no valid ORIGIN_URL');
      }
      if (isolate !== null) {
        try {
          const reading = isolate.denyList?.refresh() ?? null;
          if (reading) {
            if (isolate.denyList?.loaded) ctx.waitUntil(reading);
            else {
              // The first request of an isolate waits (bounded) so a fresh isolate does not serve denied IPs.
              await bounded(reading, firstDenyListWaitMs);
              ctx.waitUntil(reading);
            }
          }
          facts = requestFacts(request, (request as Request & { cf?: CfSignals }).cf, url);
          decision = isolate.engine.decide(facts);
          const link = isolate.rateObject;
          // Taken on every request, so a refused one leaves nothing behind for the next.
          const hits = link === null ? [] : link.take();
          if (link !== null && hits.length > 0 && decision.action !== 'block') {
            decision = await askRateObject(link, env, facts, decision, hits);
          }
        } catch (error) {
          onError(error, 'decide');
          decision = null;
          // Hits counted before the throw must not be sent with the next request's.
          isolate.rateObject?.take();
        }
      }

      const finish = (status: number, login?: LoginReport): void => {
        if (!isolate || !facts || !decision) return;
        try {
          isolate.engine.observe(facts, decision, status, Math.max(0, now() - started), login);
          isolate.batcher?.afterRequest((promise) => ctx.waitUntil(promise));
          // Only what the origin answered counts towards a burst; our own 403s do not.
          if (env.BURSTS && status >= 400 && decision.action !== 'block')
            ctx.waitUntil(recordBurst(isolate, env, facts, status));
        } catch (error) {
          onError(error, 'observe');
        }
      };

      if (decision?.action === 'block' && decision.status === 429) {
        finish(429);
        return rateLimitedResponse(429, decision.retryAfterS ?? 1);
      }
      if (decision?.action === 'block') {
        finish(403);
        return blockedResponse();
      }
      // A declared login endpoint with an account field: read the account from a copy of the body.
      const login = facts && isolate?.accountEndpoints?.get(`${facts.method.toUpperCase()} ${facts.path}`);
      let accountReading: Promise<string | null> | null = null;
      let response: Response;
      try {
        if (login) accountReading = readLoginAccount(request.clone(), login.accountField);
        response = await fetchFn(toOriginRequest(request, originUrl, url));
      } catch (error) {
        onError(error, 'origin fetch');
        finish(502);
        return plainResponse(502, 'Bad Gateway: the origin did not answer');
      }
      // The copy was read while the origin worked; a slow body is counted without its account.
      const account = accountReading === null ? null : ((await bounded(accountReading, loginBodyWaitMs)) ?? null);
      if (login && account !== null && response.status < 500) {
        finish(response.status, {
          outcome: login.failedStatuses.includes(response.status) ? 'failed' : 'success',
          account,
        });
      } else finish(response.status);
      return response;
    },

    async scheduled(_controller, env) {
      let result: PullResult;
      try {
        const settings = readSettings(env);
        if (!env.DENYLIST || !settings.reportApiUrl || !settings.ingestKey) {
          onError(new Error('DENYLIST, REPORT_API_URL or INGEST_KEY missing; deny list not pulled'), 'scheduled');
          return;
        }
        result = await pullDenyList({
          kv: env.DENYLIST,
          reportApiUrl: settings.reportApiUrl,
          ingestKey: settings.ingestKey,
          fetch: fetchFn,
          now,
        });
      } catch (error) {
        onError(error, 'scheduled');
        return;
      }
      if (result.outcome === 'failed') onError(new Error(result.reason), 'deny list pull');
      // The isolate that ran the cron enforces the new list at once.
      else if (result.outcome === 'updated' && state !== null && stateEnv === env)
        state.denyList?.accept(result.stored);
    },

    async queue(batch, env) {
      let settings: Settings | null = null;
      try {
        settings = readSettings(env);
      } catch (error) {
        onError(error, 'settings');
      }
      await consumeEventBatches(batch, {
        reportApiUrl: settings?.reportApiUrl ?? null,
        ingestKey: settings?.ingestKey ?? null,
        fetch: fetchFn,
        log: (message) => onError(new Error(message), 'queue consumer'),
      });
    },
  };
}
