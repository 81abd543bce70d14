export { redisBanSharing } from './sharing.js';
export type { RedisBanSharing, RedisBanSharingOptions } from './sharing.js';
export type { BanSharing, BanSharingConnection, BanSharingContext, SharedBanStats } from '../core/bans/shared.js';
export { redisRateSharing } from './rate-sharing.js';
export type { RedisRateSharingOptions } from './rate-sharing.js';
export type {
  RateSharing,
  RateSharingConnection,
  RateSharingContext,
  SharedRateStats,
} from '../core/rules/rate-sharing.js';
