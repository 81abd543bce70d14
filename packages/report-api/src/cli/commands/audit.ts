import { auditLines } from '../../audit/render.js';
import { parseAuditQuery } from '../../audit/query.js';
import { type Command, dbOption, parseCommandArgs, stringOption, UsageError } from '../args.js';
import { withSite } from '../open-store.js';

const usage = `Usage:
  watchpost audit --site ID [--since TIME] [--limit N] [--cursor NEXT] [--json] [--db PATH|URL]

The audit log of a site, oldest first: deny-list changes, keys created and revoked, renames, with
who made them (an admin key's label, or "cli"), when, why, and the values before and after (--json).
Labels and reasons are shown as stored, with control characters written as escapes.
  --site ID       site id from \`watchpost sites list\`
  --since TIME    only entries from TIME on: an ISO 8601 time (2026-12-01, 2026-12-01T09:00:00Z) or epoch
                  ms; default 7 days ago
  --limit N       at most N entries (1 to 500, default 100); a full page ends with the --cursor of the next
  --cursor NEXT   continue after a previous page (the "next" value of --json, or the last line's hint)
  --json          the page as JSON: { entries, next }
  --db PATH|URL   SQLite database file (default ./watchpost.db) or postgres://user@host:5432/db URL`;

const WEEK_MS = 7 * 86_400_000;

/**
 * `watchpost audit`: a page of a site's audit log.
 *
 * @example
 * await auditCommand.run(['--site', 'site_…', '--since', '2026-12-01', '--json'], io);
 */
export const auditCommand: Command = {
  usage,
  async run(argv, io) {
    const args = parseCommandArgs(argv, {
      ...dbOption,
      site: { type: 'string' },
      since: { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (!args) return (io.out(usage), 0);
    const query = parseAuditQuery({
      since: stringOption(args, 'since') ?? String(Date.now() - WEEK_MS),
      limit: stringOption(args, 'limit'),
      cursor: stringOption(args, 'cursor'),
    });
    if (!query.ok) throw new UsageError(`--${query.field}: ${query.message}`);
    return withSite(args, async (store, site) => {
      const page = await store.listAudit(site.id, query);
      if (args.values.json) {
        io.out(JSON.stringify(page, null, 2));
        return 0;
      }
      if (page.entries.length === 0)
        io.out(`no audit entries for site ${site.id} since ${new Date(query.since).toISOString()}`);
      for (const line of auditLines(page.entries)) io.out(line);
      if (page.next) io.out(`(more: --cursor ${page.next})`);
      return 0;
    });
  },
};
