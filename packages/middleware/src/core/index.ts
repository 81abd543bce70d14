export { createEngine } from './engine.js';
export type { Engine, Decision, EngineOptions, EngineStats, RequestFacts } from './engine.js';
export type { EventSink } from './forward/sink.js';
export { createForwarder } from './forward/forwarder.js';
export { canGzip, gzip } from './forward/gzip.js';
export { parseRetryAfter, readAnswer } from './forward/answer.js';
export type { Answer } from './forward/answer.js';
export { sanitizeMethod, sanitizeText } from './event/sanitize.js';
export type { Forwarder, ForwarderOptions, ForwarderStats } from './forward/forwarder.js';
export { createDenyListSync } from './sync/denylist-sync.js';
export type { DenyListSync, DenyListSyncOptions } from './sync/denylist-sync.js';
export { createBanTracker } from './bans/bans.js';
export type { BanOptions, BanTracker } from './bans/bans.js';
export type {
  BanSharing,
  BanSharingConnection,
  BanSharingContext,
  ResolvedBanSettings,
  SharedBanStats,
} from './bans/shared.js';
export { createPendingCounts } from './bans/pending.js';
export type { PendingCounts } from './bans/pending.js';
export { createSampler } from './sample.js';
export { createWatchpostRuntime, pathOf } from './runtime.js';
export type { WatchpostOptions, WatchpostRuntime, ReportApiOptions, BlockResponseOptions } from './runtime.js';
export type { Sampler } from './sample.js';
export { DEFAULT_PROBES, WORDPRESS_PROBES, compileProbes } from './rules/probes.js';
export type { ProbeInput, ProbeOptions, ProbeRule } from './rules/probes.js';
export { DEFAULT_BOT_MODES } from './rules/bots.js';
export type { BotModes } from './rules/bots.js';
export type { RuleMode } from './rules/mode.js';
export type { IpListInput } from './rules/ip-lists.js';
export { parseIp, normalizeIp, formatIp } from './ip/parse.js';
export type { ParsedIp } from './ip/parse.js';
export { createIpMatcher } from './ip/matcher.js';
export type { IpMatcher, IpMatcherEntry } from './ip/matcher.js';
export { clientKey } from './ip/group.js';
export type { ClientKeyOptions } from './ip/group.js';
export { classifyUserAgent, createUaClassifier, EMPTY_USER_AGENT } from './bots/classify.js';
export type { UaClassification, UaClassifier, UaClassifierOptions, CustomBot } from './bots/classify.js';
export { CLAIMED_CRAWLERS, createCrawlerVerifier } from './bots/verified.js';
export type { CrawlerVerifier } from './bots/verified.js';
export { createClientResolver, resolveClient } from './client/resolve.js';
export type {
  Cdn,
  ClientRequest,
  ClientResolverOptions,
  GeoAnswer,
  HeadersLike,
  ResolvedClient,
} from './client/resolve.js';
export { createGeoLookup } from './geo/lookup.js';
export type { GeoLookup } from './geo/lookup.js';
export { normalizeCountry } from './geo/country.js';
export { compileRateRules } from './rules/rate.js';
export type { RateRule, RateRules, RateHit } from './rules/rate.js';
export type { RateMatch } from './rules/rate-match.js';
export { ratePresets } from './rules/rate-presets.js';
export { createLoginMonitor } from './logins/monitor.js';
export type { LoginMonitor, LoginReport, LoginBan } from './logins/monitor.js';
export type { LoginOptions, LoginEndpoint, LoginDetectionOptions, LoginKind } from './logins/options.js';
export { createAccountHasher } from './logins/account-hash.js';
export { refusalFor } from './refusal.js';
export type { Refusal } from './refusal.js';
export { Generations } from './generations.js';
