/**
 * Triage cases: one per site and client, built from the daily reports' evidence, with the decision
 * taken on it. Types and storage only (written once over the `Executor`); deriving cases and acting
 * on decisions lives in `src/cases/`.
 */
import { z } from 'zod';
import type { AuditActor } from './audit.js';
import { MAX_SERVED_ALLOW } from '@watchpost/middleware/protocol';
import type { Executor } from './executor.js';

export const CASE_STATES = ['new', 'denied', 'allowed', 'dismissed', 'ticketed'] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** Kinds of evidence a case carries (those of the report's recommendations). */
export const CASE_KINDS = [
  'burst',
  'probe',
  'scanner',
  'high-4xx',
  'suspicious-5xx',
  'blocked-often',
  'rate-limited',
  'login-attack',
  'impersonator',
  'guardduty',
  'intel',
] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

/** What one site-local day showed of the client. */
export interface DayEvidence {
  kinds: CaseKind[];
  /** One line each, from the report ("burst of 240 4xx in 30 s at 14:02"): traffic text, escape to show. */
  reasons: string[];
  requests: number;
}

/** The last decision taken on a case. */
export interface CaseDecision {
  actor: AuditActor;
  /** Epoch ms. */
  at: number;
  reason: string;
  /** Deny decisions: when the deny-list entry ends (epoch ms), null for good. Else null. */
  expiresAt: number | null;
  /** The evidence the decision saw: a later day or a new kind reopens a dismissed case. */
  day: string;
  kinds: CaseKind[];
  /** Ticket decisions: the ticket's URL when the tracker gave one. */
  ticketUrl: string | null;
}

/** A case as the API, the CLI and the dashboard show it. */
export interface Case {
  id: string;
  siteId: string;
  /** The client: an IP, or an IPv6 /64 as the reports group it. */
  client: string;
  country: string | null;
  state: CaseState;
  kinds: CaseKind[];
  /** Site-local day → evidence, the most recent `MAX_CASE_DAYS` days. */
  evidence: Record<string, DayEvidence>;
  /** Sample-weighted requests over the days kept. */
  requests: number;
  firstDay: string;
  lastDay: string;
  updatedAt: number;
  decision: CaseDecision | null;
  /** When a dismissed case came back with new evidence (epoch ms), else null. */
  reopenedAt: number | null;
}

/** Days of evidence a case keeps, reasons per day, and characters per reason. */
export const MAX_CASE_DAYS = 14;
export const MAX_CASE_REASONS = 10;
export const MAX_REASON_LENGTH = 300;
/** Most cases one list returns. */
export const MAX_CASE_PAGE = 500;

/** Filter of `listCases`: by state, kind and country; newest update first. */
export interface CaseQuery {
  states?: readonly CaseState[];
  kind?: CaseKind;
  country?: string | null;
  limit: number;
}

/** A case as `putCase` writes it (the store assigns nothing: the domain decides every field). */
export type CaseRecord = Case;

/** The cases of each site. */
export interface CaseStore {
  getCase(siteId: string, caseId: string): Promise<Case | null>;
  getCaseByClient(siteId: string, client: string): Promise<Case | null>;
  listCases(siteId: string, query: CaseQuery): Promise<Case[]>;
  /** Writes the case whole (insert or replace by id). */
  putCase(record: CaseRecord): Promise<void>;
  /**
   * The clients of the site's allowed cases, sorted, at most `MAX_SERVED_ALLOW`: read on every deny-list
   * request, so only the column it needs (no evidence parsed).
   */
  allowedClients(siteId: string): Promise<string[]>;
}

const kindSchema = z.enum(CASE_KINDS);
const actorSchema = z.object({
  kind: z.enum(['key', 'cli', 'dashboard', 'policy']),
  label: z.string(),
  keyId: z.string().nullable(),
});
const evidenceSchema = z.record(
  z.string(),
  z.object({ kinds: z.array(kindSchema), reasons: z.array(z.string()), requests: z.number() }),
);
const decisionSchema = z.object({
  actor: actorSchema,
  at: z.number(),
  reason: z.string(),
  expiresAt: z.number().nullable(),
  day: z.string(),
  kinds: z.array(kindSchema),
  ticketUrl: z.string().nullable().default(null),
});

interface CaseRow {
  id: string;
  site_id: string;
  client: string;
  country: string | null;
  state: CaseState;
  kinds: string;
  evidence: string;
  requests: number;
  first_day: string;
  last_day: string;
  updated_at: number;
  decision: string | null;
  reopened_at: number | null;
}

/** JSON read back is validated: a row that does not parse shows no evidence rather than breaking a page. */
function parsed<T>(schema: z.ZodType<T>, text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    const result = schema.safeParse(JSON.parse(text));
    return result.success ? result.data : fallback;
  } catch {
    return fallback;
  }
}

function toCase(row: CaseRow): Case {
  return {
    id: row.id,
    siteId: row.site_id,
    client: row.client,
    country: row.country,
    state: row.state,
    kinds: parsed(z.array(kindSchema), row.kinds, []),
    evidence: parsed(evidenceSchema, row.evidence, {}),
    requests: Number(row.requests),
    firstDay: row.first_day,
    lastDay: row.last_day,
    updatedAt: Number(row.updated_at),
    decision: parsed(decisionSchema, row.decision, null) as CaseDecision | null,
    reopenedAt: row.reopened_at === null ? null : Number(row.reopened_at),
  };
}

const COLUMNS =
  'id, site_id, client, country, state, kinds, evidence, requests, first_day, last_day, updated_at, decision, ' +
  'reopened_at';

/**
 * The `CaseStore` of a database (table `cases`).
 *
 * @example
 * const cases = caseStoreOn(sqliteExecutor(db));
 * await cases.listCases(siteId, { states: ['new'], limit: 50 });
 */
export function caseStoreOn(db: Executor): CaseStore {
  return {
    async getCase(siteId, caseId) {
      const [row] = await db.all<CaseRow>(`SELECT ${COLUMNS} FROM cases WHERE site_id = $1 AND id = $2`, [
        siteId,
        caseId,
      ]);
      return row ? toCase(row) : null;
    },
    async getCaseByClient(siteId, client) {
      const [row] = await db.all<CaseRow>(`SELECT ${COLUMNS} FROM cases WHERE site_id = $1 AND client = $2`, [
        siteId,
        client,
      ]);
      return row ? toCase(row) : null;
    },
    async listCases(siteId, { states = CASE_STATES, kind, country, limit }) {
      const params: Array<string | number | null> = [siteId];
      const states$ = states.map((state) => {
        params.push(state);
        return `$${params.length}`;
      });
      let where = `site_id = $1 AND state IN (${states$.join(', ')})`;
      if (kind !== undefined) {
        params.push(`%"${kind}"%`);
        where += ` AND kinds LIKE $${params.length}`;
      }
      if (country !== undefined) {
        if (country === null) where += ' AND country IS NULL';
        else {
          params.push(country);
          where += ` AND country = $${params.length}`;
        }
      }
      params.push(Math.max(1, Math.min(MAX_CASE_PAGE, Math.floor(limit))));
      const found = await db.all<CaseRow>(
        `SELECT ${COLUMNS} FROM cases WHERE ${where} ORDER BY updated_at DESC, id${db.binary} LIMIT $${params.length}`,
        params,
      );
      return found.map(toCase);
    },
    async allowedClients(siteId) {
      const rows = await db.all<{ client: string }>(
        `SELECT client FROM cases WHERE site_id = $1 AND state = 'allowed' ORDER BY client${db.binary} LIMIT $2`,
        [siteId, MAX_SERVED_ALLOW],
      );
      return rows.map((row) => row.client);
    },
    async putCase(c) {
      await db.run(
        `INSERT INTO cases (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (id) DO UPDATE SET country = excluded.country, state = excluded.state, kinds = excluded.kinds,
         evidence = excluded.evidence, requests = excluded.requests, first_day = excluded.first_day,
         last_day = excluded.last_day, updated_at = excluded.updated_at, decision = excluded.decision,
         reopened_at = excluded.reopened_at`,
        [
          c.id,
          c.siteId,
          c.client,
          c.country,
          c.state,
          JSON.stringify(c.kinds),
          JSON.stringify(c.evidence),
          c.requests,
          c.firstDay,
          c.lastDay,
          c.updatedAt,
          c.decision === null ? null : JSON.stringify(c.decision),
          c.reopenedAt,
        ],
      );
    },
  };
}
