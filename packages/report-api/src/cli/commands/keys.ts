import { CLI_ACTOR } from '../../audit/actor.js';
import { auditReasonProblem, labelProblem } from '../../audit/text.js';
import { LastAdminKeyError } from '../../db/keys.js';
import type { KeyRole } from '../../db/store.js';
import { type Command, dbOption, parseCommandArgs, runAction, stringOption, UsageError } from '../args.js';
import { withSite } from '../open-store.js';

const usage = `Usage:
  watchpost keys create --site ID --label LABEL [--kind admin|ingest] [--reason TEXT] [--db PATH|URL]
  watchpost keys list --site ID [--db PATH|URL]
  watchpost keys rotate --site ID --id KEY_ID [--reason TEXT] [--db PATH|URL]
  watchpost keys revoke --site ID --id KEY_ID [--reason TEXT] [--db PATH|URL]

The API keys of a site. create and rotate print the new key once, as JSON: only its hash is stored.
rotate makes a new key of the same kind and label; the old one keeps working until you revoke it, so
senders switch over without downtime. revoke stops a key at once (a site keeps at least one admin key).
list never shows secrets. Every change is in the audit log (watchpost audit) with the actor "cli".
  --site ID       site id from \`watchpost sites list\`
  --label LABEL   who or what holds the key, e.g. alice or edge-tokyo (one printable line, 64 characters)
  --kind KIND     admin (manages the site; the default) or ingest (sends events, reads the deny list);
                  lists show it as the key's role
  --id KEY_ID     key id from \`watchpost keys list\`
  --reason TEXT   why, for the audit log
  --db PATH|URL   SQLite database file (default ./watchpost.db) or postgres://user@host:5432/db URL`;

function reasonOf(args: Parameters<typeof stringOption>[0]): string {
  const reason = stringOption(args, 'reason') ?? '';
  const problem = auditReasonProblem(reason);
  if (problem) throw new UsageError(`--reason: ${problem}`);
  return reason;
}

/**
 * `watchpost keys create|list|rotate|revoke`.
 *
 * @example
 * await keysCommand.run(['create', '--site', 'site_…', '--label', 'alice'], io);
 */
export const keysCommand: Command = {
  usage,
  async run(argv, io) {
    const site = { site: { type: 'string' } } as const;
    const reason = { reason: { type: 'string' } } as const;
    const id = { id: { type: 'string' } } as const;
    return runAction(argv, io, usage, {
      create: async (rest) => {
        const args = parseCommandArgs(rest, {
          ...dbOption,
          ...site,
          ...reason,
          label: { type: 'string' },
          kind: { type: 'string', default: 'admin' },
        });
        if (!args) return (io.out(usage), 0);
        const label = stringOption(args, 'label', true);
        const problem = labelProblem(label);
        if (problem) throw new UsageError(`--label: ${problem}`);
        const kind = stringOption(args, 'kind', true);
        if (kind !== 'admin' && kind !== 'ingest')
          throw new UsageError(`--kind: admin or ingest, got ${JSON.stringify(kind)}`);
        const by = { actor: CLI_ACTOR, reason: reasonOf(args) };
        return withSite(args, async (store, found) => {
          const created = await store.createKey(found.id, { role: kind as KeyRole, label }, by, Date.now());
          io.out(JSON.stringify({ ...created.key, key: created.secret }, null, 2));
          return 0;
        });
      },
      list: async (rest) => {
        const args = parseCommandArgs(rest, { ...dbOption, ...site });
        if (!args) return (io.out(usage), 0);
        return withSite(args, async (store, found) => {
          io.out(JSON.stringify(await store.listKeys(found.id), null, 2));
          return 0;
        });
      },
      rotate: async (rest) => {
        const args = parseCommandArgs(rest, { ...dbOption, ...site, ...reason, ...id });
        if (!args) return (io.out(usage), 0);
        const keyId = stringOption(args, 'id', true);
        const why = reasonOf(args);
        return withSite(args, async (store, found) => {
          const old = (await store.listKeys(found.id)).find((k) => k.id === keyId);
          if (!old) throw new UsageError(`--id: no key ${JSON.stringify(keyId)} on site ${found.id} (see keys list)`);
          const by = { actor: CLI_ACTOR, reason: why || `rotates ${old.id}` };
          const created = await store.createKey(found.id, { role: old.role, label: old.label }, by, Date.now());
          io.out(JSON.stringify({ ...created.key, key: created.secret, rotates: old.id }, null, 2));
          io.err(`the old key ${old.id} still works: revoke it once every sender uses the new one`);
          return 0;
        });
      },
      revoke: async (rest) => {
        const args = parseCommandArgs(rest, { ...dbOption, ...site, ...reason, ...id });
        if (!args) return (io.out(usage), 0);
        const keyId = stringOption(args, 'id', true);
        const by = { actor: CLI_ACTOR, reason: reasonOf(args) };
        return withSite(args, async (store, found) => {
          try {
            if (!(await store.revokeKey(found.id, keyId, by, Date.now()))) {
              io.err(`watchpost keys: no key ${JSON.stringify(keyId)} on site ${found.id} (see watchpost keys list)`);
              return 1;
            }
          } catch (error) {
            if (error instanceof LastAdminKeyError) {
              io.err(`watchpost keys: ${error.message}`);
              return 1;
            }
            throw error;
          }
          io.out(`revoked key ${keyId}`);
          return 0;
        });
      },
    });
  },
};
