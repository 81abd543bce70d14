import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import type { DenyEntry, DenyList } from '@watchpost/middleware/protocol';
import { changeByKey } from '../audit/actor.js';
import { recordChange } from '../audit/record.js';
import { requireKey } from '../http/auth.js';
import { reasonQuery } from '../keys/routes.js';
import type { AppEnv, ResolvedDeps } from '../http/env.js';
import { apiError, issueDetails } from '../http/errors.js';
import { readJsonBody } from '../http/json-body.js';
import { broadPrefixProblem } from './breadth.js';
import { MAX_REASON_LENGTH, reasonProblem } from './reason.js';
import { parseDenyValue } from './value.js';
import { createDenyListWatch } from './watch.js';

/** Longest `?wait=` a `GET /v1/denylist` may ask for, in seconds. */
export const MAX_DENYLIST_WAIT_S = 30;

/** A deny-list entry is a few hundred bytes; the same reader as ingest, with a small cap. */
const ENTRY_BODY_LIMITS = { maxBodyBytes: 16 * 1024, maxDecompressedBytes: 16 * 1024 };

/**
 * Body of `POST /v1/denylist`.
 *
 * @example
 * newDenyEntrySchema.parse({ value: '198.51.100.7', reason: 'scanner', ttlSeconds: 3600 });
 */
export const newDenyEntrySchema = z.object({
  value: z.string().min(2).max(64).describe('IP address or CIDR block, v4 or v6'),
  reason: z
    .string()
    .max(MAX_REASON_LENGTH)
    .default('')
    .refine((reason) => reasonProblem(reason) === null, {
      error: (issue) => reasonProblem(String(issue.input)) ?? 'invalid reason',
    })
    .describe(
      'one printable line: control characters (NUL, ESC, newline, C1), bidi controls and lone surrogates are refused',
    ),
  ttlSeconds: z
    .number()
    .int()
    .positive()
    .max(10 * 365 * 86_400)
    .optional()
    .describe('entry expires after this; omit for no expiry'),
  confirm: z
    .boolean()
    .optional()
    .describe('required (true) for a block broader than an IPv4 /8 or an IPv6 /16, e.g. 0.0.0.0/0'),
});

/**
 * The served version of a deny list: a hash of exactly what is served, so it changes when an entry
 * is added, removed or expires, and never otherwise.
 *
 * @example
 * denyListVersion([]); // 'e3b0c44298fc1c149afbf4c8996fb924'
 */
export function denyListVersion(entries: readonly DenyEntry[], allow: readonly string[] = []): string {
  const hash = createHash('sha256');
  for (const e of entries) hash.update(`${e.id}\u0000${e.value}\u0000${e.expiresAt ?? ''}\u0000${e.reason}\n`);
  // A list without allowed clients keeps the version it had before allow lists were served.
  for (const value of allow) hash.update(`allow\u0000${value}\n`);
  return hash.digest('hex').slice(0, 32);
}

/** What `GET /v1/denylist` serves: the entries, and the clients a triage allowed (sorted). */
async function servedList(deps: ResolvedDeps, siteId: string) {
  const [entries, allow] = await Promise.all([
    deps.store.listDenyEntries(siteId, deps.now()),
    deps.store.allowedClients(siteId),
  ]);
  return { entries, allow, version: denyListVersion(entries, allow) };
}

/** `?wait=` in whole seconds, 0 to `MAX_DENYLIST_WAIT_S`; absent means 0 (answer at once). */
function parseWait(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 0;
  if (!/^\d{1,3}$/.test(raw) || Number(raw) > MAX_DENYLIST_WAIT_S) {
    throw apiError(400, 'invalid wait', [
      {
        path: 'wait',
        message: `whole seconds from 0 to ${MAX_DENYLIST_WAIT_S}, got ${JSON.stringify(raw.slice(0, 20))}`,
      },
    ]);
  }
  return Number(raw);
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

/**
 * `GET /v1/denylist` (ingest or admin key; ETag + 304, `?wait=N` holds an unchanged list up to N s), `POST
 * /v1/denylist` and `DELETE /v1/denylist/:id` (admin key).
 *
 * @example
 * app.route('/v1/denylist', denyListRoutes(deps));
 */
export function denyListRoutes(deps: ResolvedDeps) {
  const app = new Hono<AppEnv>();
  const watch = createDenyListWatch({
    versionOf: async (siteId) => (await servedList(deps, siteId)).version,
    onError: deps.logError,
    ...(deps.onDenyListChange ? { onChange: deps.onDenyListChange } : {}),
  });
  app.get('/', requireKey(deps.store, ['ingest', 'admin']), async function getDenyList(c) {
    const wait = parseWait(c.req.query('wait'));
    const siteId = c.get('site').id;
    let { entries, allow, version } = await servedList(deps, siteId);
    const ifNoneMatch = c.req.header('if-none-match');
    // Long poll: an unchanged list is held until it changes or `wait` runs out, then answered as usual.
    if (wait > 0 && matchesEtag(ifNoneMatch, `"${version}"`)) {
      c.header('Watchpost-Wait', String(wait));
      if (await watch.wait(siteId, version, wait * 1000, c.req.raw.signal))
        ({ entries, allow, version } = await servedList(deps, siteId));
    }
    const etag = `"${version}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', 'no-cache');
    if (matchesEtag(ifNoneMatch, etag)) return c.body(null, 304);
    const body: DenyList = { version, entries, ...(allow.length > 0 ? { allow } : {}) };
    return c.json(body);
  });
  app.post('/', requireKey(deps.store, ['admin']), async function addDenyEntry(c) {
    const json = await readJsonBody(
      c.req.raw,
      ENTRY_BODY_LIMITS,
      'send one entry: { "value": "198.51.100.7", "reason": "...", "ttlSeconds": 3600 }',
    );
    const parsed = newDenyEntrySchema.safeParse(json);
    if (!parsed.success) {
      throw apiError(400, 'invalid deny-list entry', issueDetails(parsed.error.issues));
    }
    const value = parseDenyValue(parsed.data.value);
    if (!value.ok) throw apiError(400, 'invalid deny-list entry', [{ path: 'value', message: value.message }]);
    const broad = broadPrefixProblem(value.value);
    if (broad !== null && parsed.data.confirm !== true)
      throw apiError(400, 'deny-list entry too broad', [{ path: 'confirm', message: broad }]);
    const now = deps.now();
    const entry = await deps.store.addDenyEntry(
      c.get('site').id,
      {
        value: value.value,
        reason: parsed.data.reason,
        source: 'manual',
        expiresAt: parsed.data.ttlSeconds === undefined ? null : now + parsed.data.ttlSeconds * 1000,
      },
      now,
    );
    watch.notify(c.get('site').id);
    await recordChange(deps, c.get('site').id, changeByKey(c.get('key'), entry.reason), 'denylist.add', entry.id, {
      before: null,
      after: entry,
    });
    return c.json(entry, 201);
  });
  app.delete('/:id', requireKey(deps.store, ['admin']), async function removeDenyEntry(c) {
    const reason = reasonQuery(c);
    const siteId = c.get('site').id;
    const entryId = c.req.param('id');
    const before = (await deps.store.listDenyEntries(siteId, deps.now())).find((e) => e.id === entryId) ?? null;
    const removed = await deps.store.removeDenyEntry(siteId, entryId);
    if (!removed) throw apiError(404, `no deny-list entry ${JSON.stringify(c.req.param('id'))} on this site`);
    watch.notify(c.get('site').id);
    await recordChange(deps, siteId, changeByKey(c.get('key'), reason), 'denylist.remove', entryId, {
      before,
      after: null,
    });
    return c.body(null, 204);
  });
  return app;
}
