import { serve } from '@hono/node-server';
import { createAlertService } from '../../alerts/service.js';
import { createApp } from '../../app.js';
import { parseTicketTargets } from '../../cases/tickets.js';
import { createCrawlerVerifier } from '../../verify/reverse-dns.js';
import { createEdgeNotifier, parseEdgeWorkers } from '../../denylist/notify-edge.js';
import { type Command, dbOption, intOption, parseCommandArgs, publicUrlOption, stringOption } from '../args.js';
import { openStoreFromArgs } from '../open-store.js';
import { resolveSessionSecret } from '../session-secret.js';

const DAY = 86_400_000;

const usage =
  `Usage: watchpost serve [--db PATH|URL] [--port N] [--host ADDR] [--retention-days N] ` +
  `[--audit-retention-days N]
                      [--public-url URL] [--session-secret S]
                      [--site-events-per-second N] [--site-burst-events N] [--max-concurrent-bodies N] ` +
  `[--max-in-flight-mb N]
                      [--verify-crawlers]

Serves the report API until SIGINT/SIGTERM.
  --db PATH|URL        SQLite database file (default ./watchpost.db) or postgres://user@host:5432/db URL
  --port N             TCP port (default 8787; 0 picks a free one)
  --host ADDR          listen address (default 127.0.0.1)
  --retention-days N   raw events older than this are purged hourly (default 30; rollups are kept)
  --audit-retention-days N  audit-log entries older than this are purged hourly (default 400)
  --public-url URL     base URL of the dashboard as browsers see it (behind a TLS proxy: https://…): links in
                       alerts and daily reports, the origin dashboard forms must come from, and Secure
                       cookies when https (default http://HOST:PORT)
  --verify-crawlers    check the impersonators a report lists by reverse DNS (PTR in the operator's domain,
                       resolving back to the IP): a real crawler on a range not yet published shows verified.
                       Off by default: it sends DNS queries for IPs from your traffic
  --session-secret S   HMAC key of dashboard sessions, at least 32 characters (or env WATCHPOST_SESSION_SECRET);
                       default: one generated at first start and kept in the database, so restarts keep sessions
  --site-events-per-second N  events/s each site may send to POST /v1/events; over it 429 + Retry-After (default 50000)
  --site-burst-events N       events a site may send at once after a quiet spell (default 1000000)
  --max-concurrent-bodies N   event batches read at once across all sites; one more gets 503 + Retry-After (default 16)
  --max-in-flight-mb N        MB of decompressed batches held at once; past it 503 + Retry-After (default 64, at ` +
  `least 16)

Also sends real-time alerts and each site's daily report to its webhooks (see watchpost alerts --help).
Env WATCHPOST_EDGE_WORKERS: JSON {"<site id>": {"urls": ["https://shop.example"], "ingestKey": "..."}}; a deny-list
change through the API then tells those edge workers to pull it at once (their cron pull stays the fallback).
Env WATCHPOST_TICKETS: JSON {"<site id>": {"format": "github"|"jira"|"generic", "url": "...", "authorization":
"Bearer ...", "project": "OPS"}}; triage can then ticket cases (one issue per case, its URL kept on the case).`;

/**
 * `watchpost serve`: reads options, opens the store, listens; all behaviour lives in `createApp`.
 *
 * @example
 * await serveCommand.run(['--db', 'watchpost.db', '--port', '8787'], io);
 */
export const serveCommand: Command = {
  usage,
  async run(argv, io) {
    const args = parseCommandArgs(argv, {
      ...dbOption,
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'retention-days': { type: 'string' },
      'audit-retention-days': { type: 'string' },
      'public-url': { type: 'string' },
      'verify-crawlers': { type: 'boolean' },
      'session-secret': { type: 'string' },
      'site-events-per-second': { type: 'string' },
      'site-burst-events': { type: 'string' },
      'max-concurrent-bodies': { type: 'string' },
      'max-in-flight-mb': { type: 'string' },
    });
    if (!args) return (io.out(usage), 0);
    const port = intOption(args, 'port', 0, 65535) ?? 8787;
    const retentionDays = intOption(args, 'retention-days', 1, 36500) ?? 30;
    const auditRetentionDays = intOption(args, 'audit-retention-days', 1, 36500) ?? 400;
    const publicUrl = publicUrlOption(args);
    const inFlightMb = intOption(args, 'max-in-flight-mb', 16, 1_000_000);
    const limits = {
      siteEventsPerSecond: intOption(args, 'site-events-per-second', 1, 1e9),
      siteBurstEvents: intOption(args, 'site-burst-events', 1, 1e12),
      maxConcurrentBodies: intOption(args, 'max-concurrent-bodies', 1, 100_000),
      maxInFlightBytes: inFlightMb === undefined ? undefined : inFlightMb * 1024 * 1024,
    };
    // Edge workers told at once when a site's deny list changes (their cron pull is the fallback).
    const edgeWorkers = parseEdgeWorkers(process.env.WATCHPOST_EDGE_WORKERS);
    const tickets = parseTicketTargets(process.env.WATCHPOST_TICKETS);
    const edgeNotifier =
      edgeWorkers.size === 0
        ? null
        : createEdgeNotifier({
            targets: edgeWorkers,
            logError: (error) => io.err(`watchpost serve: edge notice: ${(error as Error)?.message ?? error}`),
          });
    // If the SQLite writer thread dies, serve stops with exit code 1 rather than answer 500 to every
    // ingest; the next start rebuilds the rollups it held from the raw events.
    let writerFailed = (error: Error) => void io.err(`watchpost serve: ${error.message}`);
    const store = await openStoreFromArgs(stringOption(args, 'db', true), {
      writerThread: true,
      onWriterFailure: (error) => writerFailed(error),
    });
    let sessionSecret: Uint8Array;
    try {
      const resolved = await resolveSessionSecret(
        store,
        stringOption(args, 'session-secret'),
        process.env.WATCHPOST_SESSION_SECRET,
      );
      sessionSecret = resolved.secret;
      if (resolved.source === 'database') {
        io.err(
          'watchpost serve: dashboard sessions are signed with the secret generated and kept in the database ' +
            '(set --session-secret or WATCHPOST_SESSION_SECRET to choose one)',
        );
      }
    } catch (error) {
      await store.close();
      throw error;
    }
    let alerts: ReturnType<typeof createAlertService> | undefined;
    // Behind a TLS proxy the request reaches us as http://HOST:PORT: the dashboard's origin check
    // and the cookie's Secure flag must follow the public origin the browser sees instead.
    const app = createApp({
      store,
      limits,
      dashboard: { sessionSecret, ...(publicUrl ? { publicOrigin: new URL(publicUrl).origin } : {}) },
      ...(edgeNotifier ? { onDenyListChange: edgeNotifier.notify } : {}),
      ...(tickets.size > 0 ? { tickets } : {}),
      ...(args.values['verify-crawlers'] ? { verifyCrawler: createCrawlerVerifier() } : {}),
    });
    const purge = async () => {
      try {
        const { events } = await store.purgeBefore(Date.now() - retentionDays * DAY);
        if (events > 0) io.err(`watchpost serve: purged ${events} raw events older than ${retentionDays} days`);
        const entries = await store.purgeAuditBefore(Date.now() - auditRetentionDays * DAY);
        if (entries > 0)
          io.err(`watchpost serve: purged ${entries} audit-log entries older than ${auditRetentionDays} days`);
      } catch (error) {
        io.err(`watchpost serve: purge failed: ${(error as Error).message}`);
      }
    };
    await purge();
    const timer = setInterval(purge, 3_600_000);
    timer.unref();
    return new Promise<number>((resolve, reject) => {
      const server = serve({ fetch: app.fetch, port, hostname: stringOption(args, 'host', true) }, (info) => {
        io.out(`watchpost serve: listening on http://${info.address}:${info.port}`);
        alerts = createAlertService({
          store,
          publicUrl: publicUrl ?? `http://${info.address}:${info.port}`,
          logError: (error) => io.err(`watchpost serve: alerts: ${(error as Error)?.message ?? error}`),
        });
        alerts.start().catch((error) => io.err(`watchpost serve: alerts did not start: ${(error as Error).message}`));
      });
      server.once('error', (error) => reject(new Error(`cannot listen: ${error.message}`)));
      const stop = (code = 0) => {
        clearInterval(timer);
        server.close(
          () => void (alerts?.stop() ?? Promise.resolve()).then(() => store.close()).then(() => resolve(code)),
        );
      };
      writerFailed = (error) => {
        io.err(`watchpost serve: ${error.message}; stopping (restart to write events again; nothing accepted is lost)`);
        stop(1);
      };
      process.once('SIGINT', () => stop());
      process.once('SIGTERM', () => stop());
    });
  },
};
