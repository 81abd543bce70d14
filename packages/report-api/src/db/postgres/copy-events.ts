import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { WatchpostEvent } from '@watchpost/middleware/protocol';

/** The raw events' columns in the order `eventCopyText` writes them. */
const COPY_EVENTS =
  'COPY events (site_id, ts, ip, country, method, host, path, status, latency_ms, ua, action, rule, ' +
  'bot_category, sample_rate, asn, login_outcome, login_account, bot_name) FROM STDIN';

/** The four characters COPY's text format gives a meaning: each written as a backslash escape. */
const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * One field in COPY's text format: null as `\N`; backslash, tab, line feed and carriage return as
 * their backslash escapes, so that a path of `\N` or a user agent holding a tab is stored as it was
 * sent (ingest refuses control characters, but the store does not rely on it). Numbers as
 * `String(n)`, which PostgreSQL reads back exactly (`1e+21` included).
 *
 * @example
 * copyField('/a\\N'); // '/a\\\\N'
 * copyField(null);    // '\\N'
 */
export function copyField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : value;
}

/**
 * The events of a batch as the text `COPY events ... FROM STDIN` reads: one line per event, in
 * batch order (so ids follow it, as they do in SQLite).
 *
 * @example
 * eventCopyText('site_1', batch.events); // 'site_1\t1767225600000\t203.0.113.7\t...\n'
 */
export function eventCopyText(siteId: string, events: readonly WatchpostEvent[]): string {
  const site = copyField(siteId);
  let text = '';
  for (const e of events) {
    text +=
      `${site}\t${copyField(e.ts)}\t${copyField(e.ip)}\t${copyField(e.country)}\t${copyField(e.method)}\t` +
      `${copyField(e.host)}\t${copyField(e.path)}\t${copyField(e.status)}\t${copyField(e.latencyMs)}\t` +
      `${copyField(e.ua)}\t${copyField(e.action)}\t${copyField(e.rule)}\t${copyField(e.botCategory)}\t` +
      `${copyField(e.sampleRate)}\t${copyField(e.asn)}\t${copyField(e.login?.outcome)}\t` +
      `${copyField(e.login?.account)}\t${copyField(e.botName)}\n`;
  }
  return text;
}

/**
 * Appends the events to `events` with `COPY ... FROM STDIN` on `client` (inside the caller's
 * transaction): PostgreSQL parses COPY's text faster than the same rows as one array parameter per
 * column (bench/ingest.ts), and routes each row to its day's partition alike. Rejects with the
 * server's error (the transaction is then aborted and rolled back by the caller).
 *
 * @example
 * await transaction(pool, (client) => copyEvents(client, siteId, batch.events));
 */
export async function copyEvents(client: pg.PoolClient, siteId: string, events: readonly WatchpostEvent[]) {
  await pipeline(Readable.from([eventCopyText(siteId, events)]), client.query(copyFrom(COPY_EVENTS)));
}
