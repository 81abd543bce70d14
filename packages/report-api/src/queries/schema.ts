/**
 * The drill-downs as zod schemas: the source of their OpenAPI response schemas. Compile-time checks
 * at the end keep them equal to the `IpDetail`, `CountryDetail` and `PathDetail` types.
 */
import { botCategorySchema, denyEntrySchema } from '@watchpost/middleware/protocol';
import { z } from 'zod';
import type { BotDetail, CountryDetail, IpDetail, PathDetail } from './types.js';

const count = z.number().int().nonnegative();
const totals = z.object({ requests: count, blocked: count, counted: count, errors4xx: count, errors5xx: count });
const countRow = { requests: count, blocked: count };

const slice = {
  site: z.object({ id: z.string(), name: z.string(), timeZone: z.string(), homeCountry: z.string().nullable() }),
  date: z.string().describe('site-local date, YYYY-MM-DD'),
  range: z.object({ from: z.number().int(), to: z.number().int() }).describe('the local day as epoch ms, [from, to)'),
  totals,
  previousDay: totals.nullable().describe('the same slice the day before; null when it had no traffic'),
  timeline: z
    .array(z.object({ start: z.number().int(), requests: count, blocked: count, errors4xx: count, errors5xx: count }))
    .describe('one point per hour of the local day'),
};
const statuses = z.array(z.object({ status: z.number().int(), requests: count }));
const userAgents = z.array(z.object({ ua: z.string(), botCategory: z.nullable(botCategorySchema), ...countRow }));
const countries = z.array(z.object({ country: z.string().nullable(), ...countRow }));

export const ipDetailSchema = z.object({
  ...slice,
  ip: z.string(),
  countries,
  paths: z.array(z.object({ path: z.string(), errors4xx: count, errors5xx: count, ...countRow })),
  userAgents,
  statuses,
  decisions: z.array(
    z.object({ action: z.enum(['allow', 'block', 'count']), rule: z.string().nullable(), requests: count }),
  ),
  denied: z.nullable(denyEntrySchema).describe('the served deny-list entry covering the IP (exact or a CIDR)'),
});

export const countryDetailSchema = z.object({
  ...slice,
  country: z.string().nullable(),
  domestic: z.boolean().describe("whether this is the site's home country"),
  ips: z.array(z.object({ ip: z.string(), errors4xx: count, errors5xx: count, ...countRow })),
  paths: z.array(z.object({ path: z.string(), ...countRow })),
  bots: z.array(z.object({ category: botCategorySchema, ...countRow })),
});

export const pathDetailSchema = z.object({
  ...slice,
  path: z.string(),
  ips: z.array(
    z.object({ ip: z.string(), country: z.string().nullable(), errors4xx: count, errors5xx: count, ...countRow }),
  ),
  statuses,
  userAgents,
  countries,
});

export const botDetailSchema = z.object({
  ...slice,
  name: z.string().describe('the name its user agents give (claimed, not proven)'),
  categories: z.array(z.object({ category: botCategorySchema, ...countRow })),
  ips: z.array(
    z.object({ ip: z.string(), country: z.string().nullable(), errors4xx: count, errors5xx: count, ...countRow }),
  ),
  paths: z.array(z.object({ path: z.string(), errors4xx: count, errors5xx: count, ...countRow })),
  statuses,
  decisions: z.array(
    z.object({ action: z.enum(['allow', 'block', 'count']), rule: z.string().nullable(), requests: count }),
  ),
  userAgents: z.array(z.object({ ua: z.string(), ...countRow })),
});

// Fail to compile when a schema and its public type drift apart (in either direction).
type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const matches: [
  Equal<z.infer<typeof ipDetailSchema>, IpDetail>,
  Equal<z.infer<typeof countryDetailSchema>, CountryDetail>,
  Equal<z.infer<typeof pathDetailSchema>, PathDetail>,
  Equal<z.infer<typeof botDetailSchema>, BotDetail>,
] = [true, true, true, true];
void matches;
