/**
 * Decisions on cases: deny (a deny-list entry with an expiry, through the same path as every other
 * deny, so apps and the edge enforce it), allow (the client's exact deny entries go, and refreshes keep
 * the case allowed), dismiss (with a note; the case reopens if the client comes back with new
 * evidence) and ticket (one issue in the site's tracker; the case keeps its URL). Every decision is
 * in the audit log with its actor, reason and the state before and after.
 */
import { z } from 'zod';
import { recordChange } from '../audit/record.js';
import type { Case, CaseDecision } from '../db/cases.js';
import type { ChangeBy } from '../db/keys.js';
import type { Store } from '../db/store.js';
import { MAX_REASON_LENGTH, reasonProblem } from '../denylist/reason.js';

/** How long a deny decided on a case lasts. */
export const DENY_EXPIRIES = { '1d': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000, forever: null };

const reason = z
  .string()
  .max(MAX_REASON_LENGTH)
  .refine((text) => reasonProblem(text) === null, {
    error: (issue) => reasonProblem(String(issue.input)) ?? 'invalid reason',
  });

/**
 * A decision as the API and the CLI take it.
 *
 * @example
 * caseDecisionSchema.parse({ action: 'deny', expiry: '7d', reason: 'scanner, probed /.env' });
 */
export const caseDecisionSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('deny'),
    expiry: z.enum(['1d', '7d', '30d', 'forever']).describe('how long the deny-list entry lasts'),
    reason: reason.default(''),
  }),
  z.object({ action: z.literal('allow'), reason: reason.pipe(z.string().min(1, 'say why the client is allowed')) }),
  z.object({ action: z.literal('dismiss'), reason: reason.pipe(z.string().min(1, 'a note is required')) }),
  z.object({ action: z.literal('ticket'), reason: reason.default('') }),
]);
export type CaseDecisionInput = z.infer<typeof caseDecisionSchema>;

export interface DecideDeps {
  store: Store;
  now: () => number;
  logError: (error: unknown) => void;
  onDenyListChange?: (siteId: string) => void;
  /** Opens the ticket of a case (`cases/tickets.ts`); absent when the site has no ticket target. */
  openTicket?: (c: Case) => Promise<{ url: string | null }>;
}

/** A ticket decision on a site without a ticket target (`WATCHPOST_TICKETS`). */
export class NoTicketTargetError extends Error {
  constructor() {
    super('tickets are not set up for this site: set WATCHPOST_TICKETS on the server (see the README)');
  }
}

const STATE = { deny: 'denied', allow: 'allowed', dismiss: 'dismissed', ticket: 'ticketed' } as const;

/**
 * Applies a decision to one case of the site; null when the site has no such case.
 *
 * @example
 * await decideCase(deps, site.id, caseId, { action: 'dismiss', reason: 'our monitoring' }, by);
 */
export async function decideCase(
  deps: DecideDeps,
  siteId: string,
  caseId: string,
  input: CaseDecisionInput,
  by: ChangeBy,
): Promise<Case | null> {
  const found = await deps.store.getCase(siteId, caseId);
  if (!found) return null;
  let ticketUrl: string | null = null;
  if (input.action === 'ticket') {
    if (!deps.openTicket) throw new NoTicketTargetError();
    ticketUrl = (await deps.openTicket(found)).url;
  }
  const now = deps.now();
  const ttl = input.action === 'deny' ? DENY_EXPIRIES[input.expiry] : null;
  const expiresAt = ttl === null ? null : now + ttl;
  const reasonText = input.reason || `case ${found.id}`;
  const change = { ...by, reason: reasonText };
  const entries = await deps.store.listDenyEntries(siteId, now);
  if (input.action === 'deny' && !entries.some((entry) => entry.value === found.client)) {
    const entry = await deps.store.addDenyEntry(
      siteId,
      { value: found.client, reason: reasonText, source: 'manual', expiresAt },
      now,
    );
    deps.onDenyListChange?.(siteId);
    await recordChange(deps, siteId, change, 'denylist.add', entry.id, { before: null, after: entry });
  }
  if (input.action === 'allow') {
    for (const entry of entries.filter((e) => e.value === found.client)) {
      if (await deps.store.removeDenyEntry(siteId, entry.id)) {
        deps.onDenyListChange?.(siteId);
        await recordChange(deps, siteId, change, 'denylist.remove', entry.id, { before: entry, after: null });
      }
    }
  }
  const decision: CaseDecision = {
    actor: by.actor,
    at: now,
    reason: input.reason,
    expiresAt,
    day: found.lastDay,
    kinds: found.kinds,
    ticketUrl,
  };
  const decided: Case = { ...found, state: STATE[input.action], decision, updatedAt: now };
  await deps.store.putCase(decided);
  // The served list carries allowed clients: allowing one, or deciding on an allowed one, changes it.
  if (input.action === 'allow' || found.state === 'allowed') deps.onDenyListChange?.(siteId);
  await recordChange(deps, siteId, change, `case.${input.action}`, found.id, {
    before: { state: found.state, decision: found.decision },
    after: { state: decided.state, decision },
  });
  return decided;
}
