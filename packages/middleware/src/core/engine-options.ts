import type { BotCategory } from '../protocol/index.js';
import type { BanOptions } from './bans/bans.js';
import type { SharedBanStats } from './bans/shared.js';
import type { CustomBot } from './bots/classify.js';
import type { CrawlerVerificationOptions } from './bots/verify-claims.js';
import type { EventSink } from './forward/sink.js';
import type { BotModes, NamedBotModes } from './rules/bots.js';
import type { ParsedIp } from './ip/parse.js';
import type { IpListInput } from './rules/ip-lists.js';
import type { ProbeOptions } from './rules/probes.js';
import type { RateRule } from './rules/rate.js';
import type { RateSharing, SharedRateStats } from './rules/rate-sharing.js';
import type { LoginKind, LoginOptions } from './logins/options.js';

/** What the engine needs to know about one request; adapters build it from their framework. */
export interface RequestFacts {
  /** Client IP, already resolved through trusted proxies. */
  ip: string;
  /**
   * `ip` already parsed (the resolver's `parsed`), so the engine need not parse it again on
   * every request. When absent, the engine parses `ip`; when given, it must be `ip`'s parse and
   * `ip` its canonical text (`formatIp(parsedIp)`, as the resolver writes it): events then carry
   * `ip` as is. `null` means no address (events say `0.0.0.0`).
   */
  parsedIp?: ParsedIp | null;
  method: string;
  host: string;
  /** Path as received (query string is ignored, percent-encoding kept). */
  path: string;
  /** User agent; empty when the request had none. */
  ua: string;
  /** ISO 3166-1 alpha-2, or null when unknown. */
  country: string | null;
  asn?: number | null;
  /**
   * The CDN vouches for this bot (Cloudflare verified bots): bot-category rules do not apply, and a
   * crawler's claim is taken as verified (unless `crawlerVerification.platformFlag` is false).
   */
  verifiedBot?: boolean;
  /**
   * `performance.now()` when the request arrived, as the adapter read it for the latency. Rate rules
   * and login bans take the request's time from it instead of reading the clock again; ignored when
   * the engine was given its own `now`.
   */
  receivedAt?: number;
}

/** The engine's verdict on one request. `rule` names the rule that blocked or counted it. */
export interface Decision {
  readonly action: 'allow' | 'block' | 'count';
  readonly rule: string | null;
  readonly botCategory: BotCategory | null;
  /** What a block answers: 429 or 403 (rate rules); absent means 403. */
  readonly status?: 403 | 429;
  /** With 429: whole seconds until the client may come back (the `Retry-After` header). */
  readonly retryAfterS?: number;
}

/** Options of `createEngine`; every field is optional and validated when the engine is built. */
export interface EngineOptions {
  /** `block` answers 403; `count` turns every block into a record only (dry run). Default `block`. */
  mode?: 'block' | 'count';
  /** IPs and CIDRs that skip every rule. */
  allowList?: readonly IpListInput[];
  /** Static IPs and CIDRs to refuse (rule `deny-list`); the synced list adds to it. */
  denyList?: readonly IpListInput[];
  /** Mode per bot category; default: `scanner` and `impersonator` blocked, the rest allowed. */
  bots?: BotModes;
  /**
   * Mode per named bot (`{ GPTBot: 'block', AhrefsBot: 'count' }`, names as the classifier gives them,
   * any case), in place of its category's mode; rule `bot:name:<name>`. Never applies to impersonators.
   */
  namedBots?: NamedBotModes;
  /** Your own tools and partners, recognised before the built-in bot table (they get their own UA cache). */
  extraBots?: readonly CustomBot[];
  /**
   * A user agent naming a crawler that publishes its addresses (Googlebot, Bingbot, GPTBot, …) from
   * outside them is an `impersonator` (blocked by default: `bots: { impersonator: 'count' }` to only
   * count). `false` turns the check off. Default: on, and the platform's flag (`verifiedBot`) trusted.
   */
  crawlerVerification?: CrawlerVerificationOptions | false;
  /** Probes of sensitive paths, or `false` to turn them off. */
  probes?: ProbeOptions | false;
  /** The site runs WordPress: `/wp-login.php`, `/wp-admin` and `/xmlrpc.php` are then not probes. Default false. */
  wordpress?: boolean;
  /** Temporary bans after bursts of 4xx/5xx, or `false` to turn them off. */
  bans?: BanOptions | false;
  /** Rate rules, checked after bans and before bots and probes (`ratePresets.standard` to start). Default none. */
  rateRules?: readonly RateRule[];
  /** Share rate counters with the app's other instances (`redisRateSharing(...)` from `/redis`). */
  rateSharing?: RateSharing;
  /** Login-attempt monitoring: declared endpoints, the account HMAC key, and the four detections. */
  logins?: LoginOptions;
  /** IPv6 clients are counted and banned per block of this size. Default 64. */
  ipv6Prefix?: number;
  /** Share of allowed, non-error requests kept as events, in (0, 1]. Default 1. */
  sampleRate?: number;
  /** Where events go (a forwarder, usually). Without one, events are counted and discarded. */
  sink?: EventSink;
  now?: () => number;
  random?: () => number;
  /** Told about errors the engine swallowed. Default: `console.error`. */
  onError?: (error: unknown) => void;
}

/** Counters since the engine was built. */
export interface EngineStats {
  decisions: { allow: number; block: number; count: number };
  /** Blocks and counts per rule name. */
  rules: Record<string, number>;
  bansActive: number;
  bansIssued: number;
  /** Clients whose error counters are held. */
  clientsTracked: number;
  /** Counters and bans evicted to keep memory bounded. */
  evictions: number;
  /** Events handed to the sink, and finished requests left out by sampling. */
  sampled: number;
  skipped: number;
  /** Events the sink dropped, when it reports it (a forwarder does). */
  dropped: number;
  denyListSize: number;
  errors: number;
  /** The shared ban store's counters (`bans.shared`), or null without one. */
  sharedBans: SharedBanStats | null;
  /** Rate rules: client counters held, their evictions, bans in force (refusals per rule are in `rules`). */
  rate: { countersHeld: number; evictions: number; bansActive: number; shared: SharedRateStats | null } | null;
  /** Login monitoring: detections per kind, entries tracked, evictions, bans in force. */
  logins: {
    attempts: number;
    failures: number;
    detections: Record<LoginKind, number>;
    tracked: number;
    evictions: number;
    bansActive: number;
  } | null;
}
