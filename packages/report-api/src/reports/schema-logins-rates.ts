import { z } from 'zod';

const count = z.number().int().nonnegative();
const ms = z.number().int();
const account = z.string().regex(/^[0-9a-f]{32}$/, '32 lower-case hex characters');

/** The report's "Rate-limited clients" section (`RateLimitedSection`). */
export const rateLimitedSchema = z.object({
  clients: z
    .array(
      z.object({
        ip: z.string(),
        country: z.string().nullable(),
        rules: z.array(z.string()),
        refused: count,
        counted: count,
        peakPerMinute: count,
        firstRefused: ms.nullable(),
        lastRefused: ms.nullable(),
      }),
    )
    .max(200)
    .describe('the 200 clients refused most (then counted most); totals count every client'),
  totals: z.object({ clients: count, refused: count, counted: count }),
});

/** The report's "Login attempts" section (`LoginsSection`). */
export const loginsSchema = z.object({
  attempts: count,
  failures: count,
  successRate: z.number().min(0).max(1).nullable(),
  byHour: z.array(z.object({ start: ms, attempts: count, failures: count })),
  topClients: z.array(
    z.object({ ip: z.string(), country: z.string().nullable(), attempts: count, failures: count, accounts: count }),
  ),
  topCountries: z.array(z.object({ country: z.string().nullable(), attempts: count, failures: count })),
  accounts: z.object({
    distinct: count,
    top: z.array(z.object({ account, failures: count, clients: count })),
  }),
  detections: z.array(
    z.object({
      kind: z.enum(['brute-force', 'credential-stuffing', 'password-spraying', 'compromised']),
      ip: z.string().nullable(),
      account: account.nullable(),
      count,
      first: ms,
      last: ms,
      evidence: z.string(),
    }),
  ),
});
