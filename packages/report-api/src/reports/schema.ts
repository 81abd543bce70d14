import { botCategorySchema } from '@watchpost/middleware/protocol';
import { z } from 'zod';
import { loginsSchema, rateLimitedSchema } from './schema-logins-rates.js';
import type { DailyReport } from './types.js';

const count = z.number().int().nonnegative();
const rate = z.number().min(0).max(1).nullable();
const share = z.object({ requests: count, blocked: count, blockRate: rate });
const period = z.object({ requests: count, blocked: count, errors4xx: count, errors5xx: count, successRate: rate });

/**
 * The daily report as a zod schema: the source of the OpenAPI response schema. A compile-time check
 * below keeps it equal to the `DailyReport` type.
 *
 * @example
 * dailyReportSchema.parse(await (await fetch(url)).json());
 */
export const dailyReportSchema = z.object({
  site: z.object({ id: z.string(), name: z.string(), timeZone: z.string(), homeCountry: z.string().nullable() }),
  date: z.string().describe('site-local date, YYYY-MM-DD'),
  range: z.object({ from: z.number().int(), to: z.number().int() }).describe('the local day as epoch ms, [from, to)'),
  generatedAt: z.number().int(),
  totals: z.object({
    requests: count,
    allowed: count,
    blocked: count,
    counted: count,
    successRate: rate,
    uniqueIps: count,
  }),
  statusClasses: z.object({ '1xx': count, '2xx': count, '3xx': count, '4xx': count, '5xx': count }),
  timeline: z.array(
    z.object({ start: z.number().int(), requests: count, blocked: count, errors4xx: count, errors5xx: count }),
  ),
  domestic: share,
  foreign: share,
  unknownCountry: share,
  topCountries: z.array(z.object({ country: z.string().nullable(), requests: count, blocked: count })),
  topIps: z.array(
    z.object({
      ip: z.string(),
      requests: count,
      blocked: count,
      country: z.string().nullable(),
      errors4xx: count,
      errors5xx: count,
    }),
  ),
  topPaths: z.array(
    z.object({ path: z.string(), requests: count, blocked: count, errors4xx: count, errors5xx: count }),
  ),
  topUserAgents: z.array(
    z.object({ ua: z.string(), requests: count, blocked: count, botCategory: z.nullable(botCategorySchema) }),
  ),
  bots: z.array(z.object({ category: botCategorySchema, requests: count, blocked: count })),
  blocksByRule: z.array(z.object({ rule: z.string(), blocked: count, counted: count })),
  burstThreshold: count
    .optional()
    .describe('errors in 30 s a burst had to pass: the absolute threshold, or 3x the typical 30 s when more'),
  bursts: z.array(
    z.object({
      start: z.number().int(),
      end: z.number().int(),
      errors: count,
      ips: z.array(z.object({ ip: z.string(), errors: count })),
    }),
  ),
  suspicious5xx: z.array(z.object({ ip: z.string(), errors5xx: count, reasons: z.array(z.string()) })),
  rateLimited: rateLimitedSchema.optional(),
  botActivity: z
    .object({
      ai: z.object({
        requests: count,
        blocked: count,
        byCategory: z.array(z.object({ category: z.string(), requests: count, blocked: count })),
        userAgents: z.array(z.object({ ua: z.string(), category: z.string(), requests: count, blocked: count })),
      }),
      impersonators: z.object({
        requests: count,
        clients: z.array(
          z.object({
            ip: z.string(),
            country: z.string().nullable(),
            ua: z.string(),
            requests: count,
            blocked: count,
            rdns: z
              .object({ state: z.enum(['verified', 'failed', 'unknown']), host: z.string().nullable() })
              .nullable()
              .describe('reverse-DNS check, with serve --verify-crawlers; null when off'),
          }),
        ),
      }),
      robotsTxt: z.object({
        fetches: count,
        fetchers: z.array(z.object({ ua: z.string(), botCategory: z.string().nullable(), requests: count })),
      }),
      byName: z
        .array(
          z.object({
            name: z.string(),
            category: z.string(),
            requests: count,
            blocked: count,
            checked: z.boolean().describe("the name's operator publishes its addresses: every claim was checked"),
            impersonated: z
              .object({ requests: count, blocked: count })
              .describe('requests that claimed this name from outside its published addresses'),
          }),
        )
        .describe('bots by the name their user agent gives, with the impersonators of each, busiest first'),
    })
    .optional()
    .describe('bots by name, AI traffic, impersonators and robots.txt fetches of the day'),
  intel: z
    .object({
      sources: z.array(z.object({ source: z.string(), entries: count })),
      clients: count,
      matches: z.array(z.object({ ip: z.string(), sources: z.array(z.string()), requests: count, blocked: count })),
    })
    .optional()
    .describe('threat lists of the site and the day’s clients they name'),
  guardDuty: z
    .object({
      findings: count,
      withoutIp: count,
      byType: z.array(z.object({ type: z.string(), findings: count })),
      bySeverity: z.array(z.object({ severity: z.enum(['low', 'medium', 'high']), findings: count })),
      byRegion: z.array(z.object({ region: z.string(), findings: count })),
      byCountry: z.array(z.object({ country: z.string().nullable(), findings: count })),
      byHour: z.array(count),
      ips: z.array(
        z.object({
          ip: z.string(),
          country: z.string().nullable(),
          findings: count,
          types: z.array(z.string()),
          maxSeverity: z.number(),
          times: count,
          requests: count,
          errors4xx: count,
        }),
      ),
      alsoInTraffic: count,
    })
    .optional()
    .describe('GuardDuty findings last seen that day; IPs also in the HTTP traffic first'),
  triage: z
    .object({
      since: z.number().int().describe('start of the decisions window: the previous day’s report time'),
      until: z.number().int().describe('end of the window: this day’s report time'),
      decided: z.array(
        z.object({
          caseId: z.string(),
          client: z.string(),
          country: z.string().nullable(),
          state: z.enum(['new', 'denied', 'allowed', 'dismissed', 'ticketed']),
          by: z.string().describe('who decided: data, escape it to show it'),
          at: z.number().int(),
          reason: z.string(),
          expiresAt: z.number().int().nullable(),
        }),
      ),
      open: z.object({
        count: count,
        more: z.boolean(),
        top: z.array(
          z.object({
            caseId: z.string(),
            client: z.string(),
            country: z.string().nullable(),
            kinds: z.array(z.string()),
            lastDay: z.string(),
          }),
        ),
      }),
    })
    .optional()
    .describe('case decisions since the last report, and the cases still open'),
  logins: loginsSchema.optional(),
  recommendations: z.array(
    z.object({
      ip: z.string(),
      country: z.string().nullable(),
      reasons: z.array(z.string()),
      kinds: z.array(
        z.enum([
          'burst',
          'probe',
          'scanner',
          'high-4xx',
          'suspicious-5xx',
          'blocked-often',
          'rate-limited',
          'login-attack',
          'impersonator',
        ]),
      ),
      requests: count,
      denied: z.boolean(),
    }),
  ),
  comparison: z.object({
    previousDay: period.nullable(),
    trailing7Days: period.nullable(),
    change: z.object({
      requests: z.number().nullable(),
      blocked: z.number().nullable(),
      errors5xx: z.number().nullable(),
    }),
  }),
});

// Fails to compile when the schema and the public type drift apart (in either direction).
type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesType: Equal<z.infer<typeof dailyReportSchema>, DailyReport> = true;
void schemaMatchesType;
