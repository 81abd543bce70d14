import { isTimeZone } from '../../time/days.js';
import { parseCountryCode } from '../country.js';
import {
  type Command,
  dbOption,
  type ParsedArgs,
  parseCommandArgs,
  runAction,
  stringOption,
  UsageError,
} from '../args.js';
import { withSite, withStore } from '../open-store.js';
import { CLI_ACTOR } from '../../audit/actor.js';
import { auditReasonProblem, siteNameProblem } from '../../audit/text.js';

const siteOptions = { site: { type: 'string' }, reason: { type: 'string' } } as const;

function reasonOf(args: ParsedArgs): string {
  const reason = stringOption(args, 'reason') ?? '';
  const problem = auditReasonProblem(reason);
  if (problem) throw new UsageError(`--reason: ${problem}`);
  return reason;
}

const usage = `Usage:
  watchpost sites create NAME --tz ZONE [--home-country CC] [--db PATH|URL]
  watchpost sites list [--db PATH|URL]
  watchpost sites rename --site ID --name NAME [--reason TEXT] [--db PATH|URL]
  watchpost sites delete --site ID --confirm ID [--reason TEXT] [--db PATH|URL]

create prints JSON with the site id, an ingest key and an admin key (labelled "initial"). The keys
are shown once: only their hashes are stored; more keys with \`watchpost keys\`.
delete removes the site and all its data (events, reports' rollups, keys, deny list, webhooks, audit
log) in one transaction, for good; only a "site.delete" audit entry stays.
  --tz ZONE            IANA time zone of the site's reporting day, e.g. Asia/Tokyo (fixed once created)
  --home-country CC    ISO 3166-1 alpha-2 code of the home country, e.g. JP
  --site ID            site id from \`watchpost sites list\`
  --name NAME          the new name (one printable line, 100 characters)
  --confirm ID         the site id again: deleting needs it
  --reason TEXT        why, for the audit log (watchpost audit)
  --db PATH|URL        SQLite database file (default ./watchpost.db) or postgres://user@host:5432/db URL`;

/**
 * `watchpost sites create|list|rename|delete`.
 *
 * @example
 * await sitesCommand.run(['create', 'shop', '--tz', 'Asia/Tokyo', '--home-country', 'JP'], io);
 */
export const sitesCommand: Command = {
  usage,
  async run(argv, io) {
    return runAction(argv, io, usage, {
      create: async (rest) => {
        const args = parseCommandArgs(
          rest,
          { ...dbOption, tz: { type: 'string' }, 'home-country': { type: 'string' } },
          { positionals: 1 },
        );
        if (!args) return (io.out(usage), 0);
        const name = args.positionals[0]?.trim();
        if (!name) throw new UsageError('a site NAME is required: watchpost sites create NAME --tz ZONE');
        const nameProblem = siteNameProblem(name);
        if (nameProblem) throw new UsageError(`NAME: ${nameProblem}`);
        const timeZone = stringOption(args, 'tz', true);
        if (!isTimeZone(timeZone))
          throw new UsageError(`--tz: ${JSON.stringify(timeZone)} is not an IANA time zone such as Europe/Paris`);
        const homeText = stringOption(args, 'home-country');
        const home = homeText === undefined ? undefined : parseCountryCode(homeText);
        if (home && !home.ok) throw new UsageError(`--home-country: ${home.message}`);
        return withStore(args, async (store) => {
          const created = await store.createSite({ name, timeZone, homeCountry: home?.ok ? home.code : null });
          io.out(
            JSON.stringify({ ...created.site, ingestKey: created.ingestKey, adminKey: created.adminKey }, null, 2),
          );
          return 0;
        });
      },
      list: async (rest) => {
        const args = parseCommandArgs(rest, dbOption);
        if (!args) return (io.out(usage), 0);
        return withStore(
          args,
          async (store) => {
            io.out(JSON.stringify(await store.listSites(), null, 2));
            return 0;
          },
          { mustExist: true },
        );
      },
      rename: async (rest) => {
        const args = parseCommandArgs(rest, { ...dbOption, ...siteOptions, name: { type: 'string' } });
        if (!args) return (io.out(usage), 0);
        const name = stringOption(args, 'name', true).trim();
        const problem = siteNameProblem(name);
        if (problem) throw new UsageError(`--name: ${problem}`);
        const by = { actor: CLI_ACTOR, reason: reasonOf(args) };
        return withSite(args, async (store, site) => {
          const renamed = await store.renameSite(site.id, name, by, Date.now());
          io.out(JSON.stringify(renamed, null, 2));
          return renamed ? 0 : 1;
        });
      },
      delete: async (rest) => {
        const args = parseCommandArgs(rest, { ...dbOption, ...siteOptions, confirm: { type: 'string' } });
        if (!args) return (io.out(usage), 0);
        const siteId = stringOption(args, 'site', true);
        if (stringOption(args, 'confirm') !== siteId) {
          throw new UsageError(
            `--confirm: pass the site id again (--confirm ${siteId}): the site and all its data are deleted for good`,
          );
        }
        const by = { actor: CLI_ACTOR, reason: reasonOf(args) };
        return withSite(args, async (store, site) => {
          const deleted = await store.deleteSite(site.id, by, Date.now());
          if (!deleted) return (io.err(`watchpost sites: site ${site.id} is already deleted`), 1);
          io.out(JSON.stringify({ deleted: site.id, rows: deleted.rows }, null, 2));
          return 0;
        });
      },
    });
  },
};
