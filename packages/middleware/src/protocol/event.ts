// zod/mini: the same schemas as classic zod at a quarter of the bundle, which the edge worker ships.
import * as z from 'zod/mini';
import { normalizeIp } from '../core/ip/parse.js';
import { MAX_DROPPED, MAX_EVENT_TS, MAX_LATENCY_MS, MIN_EVENT_TS, MIN_SAMPLE_RATE } from './limits.js';

/** Where a batch of events came from. */
export const eventSourceSchema = z.enum(['express', 'hono', 'edge-worker', 'import', 'demo']);

/** What the engine did with a request: served it, answered 403, or only recorded a would-be block. */
export const actionSchema = z.enum(['allow', 'block', 'count']);

/**
 * The user-agent categories of `classifyUserAgent`. `null` on an event means a browser. `scanner` is a
 * vulnerability scanner (an attack tool); `security-monitor` a service that checks sites or surveys the
 * internet (certificate, malware and exposure checks); `ai-crawler` collects training data, `ai-search`
 * indexes for AI answers, `ai-assistant` fetches a page a person asked about, `ai-agent` acts for one;
 * `preview` fetches a link for a service (unfurls, screenshots, imports) outside social networks;
 * `impersonator` claims to be a verified crawler from outside its published address ranges. Categories
 * are only added, never renamed: old events stay valid.
 */
export const botCategorySchema = z.enum([
  'search-engine',
  'ai-crawler',
  'ai-assistant',
  'seo',
  'crawler',
  'monitor',
  'scanner',
  'http-client',
  'social-preview',
  'feed',
  'archiver',
  'validator',
  'ai-search',
  'ai-agent',
  'preview',
  'advertising',
  'security-monitor',
  'impersonator',
  'other-bot',
]);

/** Longest user agent kept on an event; longer ones are truncated by the sender. */
export const MAX_UA_LENGTH = 512;
/** Longest path kept on an event. */
export const MAX_PATH_LENGTH = 2048;
/** Longest bot name an event carries. */
export const MAX_BOT_NAME_LENGTH = 64;
/** Most events in one batch. */
export const MAX_BATCH_EVENTS = 5000;

/** Longest IP text looked at: a full IPv6 with embedded IPv4 and a zone id. */
const MAX_IP_TEXT = 100;

/**
 * A client IP: any IPv4 or IPv6 literal, normalised (IPv4-mapped IPv6 as IPv4, IPv6 compressed
 * in lower case, brackets and zone ids dropped) by the engine's own parser.
 *
 * @example
 * ipSchema.parse('::FFFF:192.0.2.1'); // '192.0.2.1'
 * ipSchema.safeParse('not-an-ip').success; // false
 */
export const ipSchema = z.pipe(
  z.string().check(z.maxLength(MAX_IP_TEXT)),
  z.transform((text: string, ctx) => {
    const ip = normalizeIp(text);
    if (ip !== null) return ip;
    ctx.issues.push({ code: 'custom', message: 'not an IPv4 or IPv6 address', input: text });
    return z.NEVER;
  }),
);

/** A login account as sent: the first 32 hex chars of HMAC-SHA256(site key, trimmed lower-case account). */
export const loginAccountSchema = z.string().check(z.regex(/^[0-9a-f]{32}$/, '32 lower-case hex characters'));

/** A login attempt: its outcome and the hashed account, or null when unknown or the site has no key. */
export const loginSchema = z.object({
  outcome: z.enum(['success', 'failed']),
  account: z.nullable(loginAccountSchema),
});

/** An epoch-ms time from 2000-01-01 to the largest JavaScript `Date`. */
const epochMsSchema = z.int().check(z.gte(MIN_EVENT_TS), z.lte(MAX_EVENT_TS));

/**
 * One request as seen by the engine. `sampleRate` is the probability with which an event of
 * its kind was kept (1 for every deny, 4xx and 5xx), so a report counts it as `1 / sampleRate`.
 *
 * @example
 * eventSchema.parse({ ts: Date.now(), ip: '203.0.113.7', country: 'JP', method: 'GET', host: 'shop.example',
 *   path: '/', status: 200, latencyMs: 12, ua: 'Mozilla/5.0', action: 'allow', rule: null,
 *   botCategory: null, sampleRate: 0.1 });
 */
export const eventSchema = z.object({
  ts: epochMsSchema.check(z.describe('request start, epoch milliseconds (2000-01-01 to the largest Date)')),
  ip: ipSchema.check(z.describe('client IP, an IPv4 or IPv6 literal; stored normalised (IPv4-mapped IPv6 as IPv4)')),
  country: z
    .nullable(z.string().check(z.regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code in upper case, such as JP')))
    .check(z.describe('client country, ISO 3166-1 alpha-2, or null when unknown')),
  method: z.string().check(z.minLength(1), z.maxLength(16)),
  host: z.string().check(z.maxLength(255)),
  path: z.string().check(z.maxLength(MAX_PATH_LENGTH), z.describe('request path without the query string')),
  status: z.int().check(z.gte(0), z.lte(999), z.describe('response status; 0 when the client went away')),
  latencyMs: z.number().check(z.gte(0), z.lte(MAX_LATENCY_MS)),
  ua: z
    .string()
    .check(z.maxLength(MAX_UA_LENGTH), z.describe('user agent, truncated; empty when the request had none')),
  action: actionSchema,
  rule: z
    .nullable(z.string().check(z.maxLength(128)))
    .check(z.describe('the rule that blocked or would have blocked, else null')),
  botCategory: z.nullable(botCategorySchema),
  sampleRate: z
    .number()
    .check(z.gte(MIN_SAMPLE_RATE), z.lte(1), z.describe('probability the event was kept, 1e-6 to 1')),
  asn: z.optional(z.nullable(z.int().check(z.gte(0)))),
  login: z.optional(z.nullable(loginSchema)).check(z.describe('a login attempt and its outcome, else absent or null')),
  botName: z
    .optional(z.nullable(z.string().check(z.minLength(1), z.maxLength(MAX_BOT_NAME_LENGTH))))
    .check(
      z.describe("the bot's name as its user agent gives it (Googlebot, sqlmap; claimed, not proven), else absent"),
    ),
});

/**
 * The body of `POST /v1/events`. `batchId` makes a retry idempotent: the report API stores a
 * batch once, however often it is sent.
 *
 * @example
 * batchSchema.parse({ batchId: crypto.randomUUID(), source: 'express', events: [] });
 */
export const batchSchema = z.object({
  batchId: z
    .string()
    .check(z.minLength(8), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only')),
  source: eventSourceSchema,
  sentAt: z.optional(epochMsSchema),
  dropped: z
    .optional(z.int().check(z.gte(0), z.lte(MAX_DROPPED)))
    .check(z.describe('events the sender dropped since its last batch')),
  events: z.array(eventSchema).check(z.maxLength(MAX_BATCH_EVENTS)),
});

/**
 * The envelope of a batch: everything but the events, which are only required to be an array of
 * at most `MAX_BATCH_EVENTS`. The report API refuses a batch whole only when this fails, and
 * checks each event on its own against `eventSchema`.
 *
 * @example
 * batchEnvelopeSchema.safeParse({ batchId: 'abcdefgh', source: 'hono', events: [42] }).success; // true
 */
export const batchEnvelopeSchema = z.extend(batchSchema, {
  events: z.array(z.unknown()).check(z.maxLength(MAX_BATCH_EVENTS)),
});

export type EventSource = z.infer<typeof eventSourceSchema>;
export type Action = z.infer<typeof actionSchema>;
export type BotCategory = z.infer<typeof botCategorySchema>;
export type LoginFact = z.output<typeof loginSchema>;
export type WatchpostEvent = z.output<typeof eventSchema>;
export type EventBatch = z.output<typeof batchSchema>;
