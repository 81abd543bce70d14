import type { RateRule } from './rate.js';

/**
 * Rate rules to start from. `standard`:
 * - `any-client`: any client over 300 requests per minute, counted only (see who it would refuse first);
 * - `search-engines`: search engines over 600 per minute get 429 with Retry-After (they honour it);
 * - `crawlers`: AI, SEO and other crawlers and archivers over 60 per minute get 403 for 10 minutes;
 * - `http-clients`: scripts (curl, python-requests...) over 120 per minute get 403 for 10 minutes.
 *
 * @example
 * watchpost({ rateRules: ratePresets.standard });
 * watchpost({ rateRules: [...ratePresets.standard, { name: 'login', limit: 10, windowMs: 60_000,
 *   match: { methods: ['POST'], paths: ['/login'] } }] });
 */
export const ratePresets: { readonly standard: readonly RateRule[] } = Object.freeze({
  standard: Object.freeze([
    { name: 'any-client', limit: 300, windowMs: 60_000, action: 'count' },
    { name: 'search-engines', limit: 600, windowMs: 60_000, match: { botCategories: ['search-engine'] }, status: 429 },
    {
      name: 'crawlers',
      limit: 60,
      windowMs: 60_000,
      match: { botCategories: ['ai-crawler', 'seo', 'crawler', 'archiver', 'other-bot'] },
      status: 403,
      banMs: 600_000,
    },
    {
      name: 'http-clients',
      limit: 120,
      windowMs: 60_000,
      match: { botCategories: ['http-client'] },
      status: 403,
      banMs: 600_000,
    },
  ] satisfies RateRule[]),
});
