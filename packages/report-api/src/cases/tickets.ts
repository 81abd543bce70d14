/**
 * Tickets: a case chosen in triage becomes one issue in the team's tracker. One POST per case, in
 * the shape of GitHub Issues' create API, Jira's, or a generic JSON body; the tracker's answer gives
 * the ticket's URL, which the case keeps. Targets are per site, from `WATCHPOST_TICKETS` (operator
 * configuration: the tokens never reach the database).
 */
import { z } from 'zod';
import type { Case } from '../db/cases.js';
import { markdownCode, markdownText } from '../escape/markdown.js';

const httpUrl = z
  .string()
  .max(2048)
  .refine((text) => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol), 'an http(s) URL');

/** Where the tickets of one site go. */
export const ticketTargetSchema = z.object({
  format: z.enum(['generic', 'github', 'jira']),
  /** GitHub: https://api.github.com/repos/OWNER/REPO/issues; Jira: https://X.atlassian.net/rest/api/2/issue. */
  url: httpUrl,
  /** The whole Authorization header value (`Bearer ghp_…`, `Basic base64(email:token)`), if any. */
  authorization: z
    .string()
    .min(1)
    .max(4096)
    .regex(/^[\x21-\x7e][\x20-\x7e]*$/, 'one line of printable ASCII')
    .optional(),
  /** Jira only: the project key and issue type. */
  project: z.string().max(64).optional(),
  issueType: z.string().max(64).default('Task'),
  /** Labels added to every ticket (with `watchpost` and the case's kinds). */
  labels: z.array(z.string().max(50)).max(20).default([]),
});
export type TicketTarget = z.infer<typeof ticketTargetSchema>;

/**
 * Reads `WATCHPOST_TICKETS`: `{"<site id>": { format, url, authorization?, project?, issueType?, labels? }}`.
 * Throws with the site and field at fault (never the authorization value).
 *
 * @example
 * parseTicketTargets('{"site_1":{"format":"github","url":"https://api.github.com/repos/o/r/issues"}}');
 */
export function parseTicketTargets(text: string | undefined): Map<string, TicketTarget> {
  const targets = new Map<string, TicketTarget>();
  if (text === undefined || text.trim() === '') return targets;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new TypeError('WATCHPOST_TICKETS must be JSON (not shown: it may hold tokens)');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new TypeError('WATCHPOST_TICKETS must be a JSON object of site id → target');
  // Own entries one by one, into a Map: a site id such as `__proto__` is just a name here.
  for (const [siteId, value] of Object.entries(parsed)) {
    const result = ticketTargetSchema.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      throw new TypeError(`WATCHPOST_TICKETS: ${JSON.stringify(siteId)}.${issue.path.join('.')}: ${issue.message}`);
    }
    if (result.data.format === 'jira' && !result.data.project)
      throw new TypeError(`WATCHPOST_TICKETS: ${JSON.stringify(siteId)}.project is needed for jira`);
    targets.set(siteId, result.data);
  }
  return targets;
}

/** The ticket of a case: a title, a Markdown body (traffic text escaped: no link or markup from it) and labels. */
export function ticketOf(
  c: Case,
  siteName: string,
  link: string | null,
): { title: string; body: string; labels: string[] } {
  const days = Object.keys(c.evidence).sort().reverse();
  const lines = [
    `Watchpost case \`${c.id}\` on site ${markdownText(siteName, { maxLength: 80 })}.`,
    '',
    `- Client: ${markdownCode(c.client)} (${c.country ?? 'unknown country'})`,
    `- Evidence kinds: ${c.kinds.join(', ')}`,
    `- Requests: ${Math.round(c.requests)} from ${c.firstDay} to ${c.lastDay}`,
    '',
    '**Evidence**',
    ...days.flatMap((day) => c.evidence[day]!.reasons.map((r) => `- ${day}: ${markdownText(r, { maxLength: 300 })}`)),
  ];
  if (link) lines.push('', `Dashboard: ${link}`);
  return {
    title: `Watchpost: ${c.client} (${c.kinds.join(', ')})`,
    body: lines.join('\n'),
    labels: ['watchpost', ...c.kinds],
  };
}

/** The request body for the target's tracker. */
export function ticketRequestBody(target: TicketTarget, ticket: ReturnType<typeof ticketOf>): unknown {
  const labels = [...ticket.labels, ...target.labels];
  if (target.format === 'github') return { title: ticket.title, body: ticket.body, labels };
  if (target.format === 'jira')
    return {
      fields: {
        project: { key: target.project },
        summary: ticket.title,
        description: ticket.body,
        issuetype: { name: target.issueType },
        labels: labels.map((label) => label.replace(/\s+/g, '-')),
      },
    };
  return { ...ticket, labels };
}

/** The ticket's URL from the tracker's answer, when it gives one. */
export function ticketUrlOf(target: TicketTarget, answer: unknown): string | null {
  const a = (typeof answer === 'object' && answer !== null ? answer : {}) as Record<string, unknown>;
  const valid = (url: unknown) => (typeof url === 'string' && httpUrl.safeParse(url).success ? url : null);
  if (target.format === 'github') return valid(a['html_url']);
  if (target.format === 'jira') {
    const self = valid(a['self']);
    return self && typeof a['key'] === 'string' && /^[A-Z][A-Z0-9_]*-\d+$/.test(a['key'])
      ? `${new URL(self).origin}/browse/${a['key']}`
      : null;
  }
  return valid(a['url']);
}

/** At most `max` bytes of the body as text; the rest is not read. */
async function readCapped(response: Response, max: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < max) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, max));
}

/** The tracker refused the ticket or could not be reached: nothing changes on the case. */
export class TicketError extends Error {}

/**
 * Opens the ticket of a case: one POST, 10 s at most, the answer read up to 64 KiB.
 *
 * @example
 * const { url } = await openTicket(target, c, 'shop', null);
 */
export async function openTicket(
  target: TicketTarget,
  c: Case,
  siteName: string,
  link: string | null,
  fetchImpl: typeof fetch = fetch,
): Promise<{ url: string | null }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (target.authorization) headers['authorization'] = target.authorization;
  if (target.format === 'github') headers['x-github-api-version'] = '2022-11-28';
  let response: Response;
  try {
    response = await fetchImpl(target.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(ticketRequestBody(target, ticketOf(c, siteName, link))),
      signal: AbortSignal.timeout(10_000),
      redirect: 'error',
    });
  } catch (error) {
    throw new TicketError(`the tracker could not be reached: ${(error as Error).name}`);
  }
  const text = await readCapped(response, 64 * 1024);
  if (!response.ok) throw new TicketError(`the tracker answered ${response.status}`);
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    return { url: null };
  }
  return { url: ticketUrlOf(target, answer) };
}
