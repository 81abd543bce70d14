import { isTimeZone } from '../../reports/range.js';
import { parseCountryCode } from '../country.js';
import { type Command, dbOption, parseCommandArgs, runAction, stringOption, UsageError } from '../args.js';
import { withStore } from '../open-store.js';

const usage = `Usage:
  watchpost sites create NAME --tz ZONE [--home-country CC] [--db PATH|URL]
  watchpost sites list [--db PATH|URL]

create prints JSON with the site id, an ingest key and an admin key. The keys are shown once:
only their hashes are stored.
  --tz ZONE            IANA time zone of the site's reporting day, e.g. Asia/Tokyo (fixed once created)
  --home-country CC    ISO 3166-1 alpha-2 code of the home country, e.g. JP
  --db PATH|URL        SQLite database file (default ./watchpost.db) or postgres://user@host:5432/db URL`;

/**
 * `watchpost sites create|list`.
 *
 * @example
 * await sitesCommand.run(['create', 'shop', '--tz', 'Asia/Tokyo', '--home-country', 'JP'], io);
 */
export const sitesCommand: Command = {
  summary: 'create a site (prints its keys once) or list sites',
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
        if (name.length > 100) throw new UsageError('NAME is longer than 100 characters');
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
    });
  },
};
