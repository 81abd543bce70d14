export { redisBanSharing } from './sharing.js';
export type { RedisBanSharing, RedisBanSharingOptions } from './sharing.js';
export type { BanSharing, BanSharingConnection, BanSharingContext, SharedBanStats } from '../core/bans/shared.js';
