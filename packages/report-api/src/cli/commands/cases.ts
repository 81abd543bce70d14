import { CLI_ACTOR } from '../../audit/actor.js';
import { recordChange } from '../../audit/record.js';
import { sitePoliciesSchema } from '../../db/policies.js';
import { caseDecisionSchema, decideCase } from '../../cases/decide.js';
import { refreshCases } from '../../cases/refresh.js';
import { CASE_STATES, MAX_CASE_PAGE, type Case, type CaseState } from '../../db/cases.js';
import { forTerminal } from '../../escape/terminal.js';
import { localDateAt, parseLocalDate } from '../../time/days.js';
import { type Command, dbOption, intOption, parseCommandArgs, runAction, stringOption, UsageError } from '../args.js';
import { withSite } from '../open-store.js';

const usage = `Usage:
  watchpost cases list --site ID [--state new,dismissed] [--limit N] [--json] [--db PATH|URL]
  watchpost cases show --site ID --id CASE [--db PATH|URL]
  watchpost cases refresh --site ID [--date YYYY-MM-DD] [--db PATH|URL]
  watchpost cases decide --site ID --id CASE --action deny|allow|dismiss [--expiry 1d|7d|30d|forever]
                         [--reason TEXT] [--db PATH|URL]
  watchpost cases policies --site ID [--auto-deny scanner-probe,repeat-bursts,intel-list|none]
                         [--expiry 1d|7d|30d] [--db PATH|URL]

Triage cases: one per client the daily reports recommend, with its evidence per day. refresh folds a
day's evidence in (today by default; the API does it before each list). decide denies (a deny-list
entry that ends after --expiry, default 7d), allows (removes the client's deny entry) or dismisses (a
--reason is required; the case reopens when the client comes back with new evidence). Decisions are
in the audit log with the actor "cli". policies shows or sets the site's auto-deny policies (off
until set): scanner-probe denies a client with a scanner user agent that probed a sensitive path the
same day; repeat-bursts one with two error bursts on the same or consecutive days; intel-list one
on a threat list of the site (import --format iplist). They act when cases are refreshed, as the
decision of the policy.
  --site ID        site id from \`watchpost sites list\`
  --state LIST     states to list, comma-separated (${CASE_STATES.join(', ')}); default new
  --limit N        at most N cases (1 to ${MAX_CASE_PAGE}, default 50)
  --id CASE        case id from \`watchpost cases list\`
  --reason TEXT    why (one printable line): required for allow and dismiss
  --json           the cases as JSON
  --db PATH|URL    SQLite database file (default ./watchpost.db) or postgres://user@host:5432/db URL`;

/** One line per case: id, state, client, country, kinds, last day, requests; traffic text escaped. */
function caseLine(c: Case): string {
  return forTerminal(
    `${c.id}  ${c.state.padEnd(9)}  ${c.client}  ${c.country ?? '--'}  ${c.kinds.join(',')}  last ${c.lastDay}  ` +
      `${Math.round(c.requests)} requests`,
  );
}

/**
 * `watchpost cases list|show|refresh|decide`.
 *
 * @example
 * await casesCommand.run(['decide', '--site', 'site_…', '--id', 'case_…', '--action', 'deny', '--expiry', '7d'], io);
 */
export const casesCommand: Command = {
  usage,
  async run(argv, io) {
    const site = { site: { type: 'string' } } as const;
    return runAction(argv, io, usage, {
      list: async (rest) => {
        const args = parseCommandArgs(rest, {
          ...dbOption,
          ...site,
          state: { type: 'string' },
          limit: { type: 'string' },
          json: { type: 'boolean' },
        });
        if (!args) return (io.out(usage), 0);
        const states = (stringOption(args, 'state') ?? 'new').split(',');
        const bad = states.find((state) => !(CASE_STATES as readonly string[]).includes(state));
        if (bad !== undefined)
          throw new UsageError(`--state: one of ${CASE_STATES.join(', ')}, got ${JSON.stringify(bad)}`);
        const limit = intOption(args, 'limit', 1, MAX_CASE_PAGE) ?? 50;
        return withSite(args, async (store, found) => {
          const cases = await store.listCases(found.id, { states: states as CaseState[], limit });
          if (args.values.json) io.out(forTerminal(JSON.stringify(cases, null, 2)));
          else if (cases.length === 0) io.out(`no ${states.join(' or ')} cases for site ${found.id}`);
          else for (const c of cases) io.out(caseLine(c));
          return 0;
        });
      },
      show: async (rest) => {
        const args = parseCommandArgs(rest, { ...dbOption, ...site, id: { type: 'string' } });
        if (!args) return (io.out(usage), 0);
        const id = stringOption(args, 'id', true);
        return withSite(args, async (store, found) => {
          const c = await store.getCase(found.id, id);
          if (!c) throw new UsageError(`--id: no case ${JSON.stringify(id)} on site ${found.id} (see cases list)`);
          io.out(forTerminal(JSON.stringify(c, null, 2)));
          return 0;
        });
      },
      refresh: async (rest) => {
        const args = parseCommandArgs(rest, { ...dbOption, ...site, date: { type: 'string' } });
        if (!args) return (io.out(usage), 0);
        return withSite(args, async (store, found) => {
          const text = stringOption(args, 'date') ?? localDateAt(Date.now(), found.timeZone);
          const date = parseLocalDate(text);
          if (!date.ok) throw new UsageError(`--date: ${date.message}`);
          const deps = { store, now: Date.now, logError: (error: unknown) => io.err(String(error)) };
          const result = await refreshCases(store, found, date.date, Date.now(), deps);
          io.out(
            `${result.date}: ${result.created} new, ${result.updated} updated, ${result.reopened} reopened, ` +
              `${result.autoDenied} denied by policy`,
          );
          return 0;
        });
      },
      policies: async (rest) => {
        const args = parseCommandArgs(rest, {
          ...dbOption,
          ...site,
          'auto-deny': { type: 'string' },
          expiry: { type: 'string' },
        });
        if (!args) return (io.out(usage), 0);
        return withSite(args, async (store, found) => {
          const current = await store.getPolicies(found.id);
          const list = stringOption(args, 'auto-deny');
          const expiry = stringOption(args, 'expiry');
          if (list === undefined && expiry === undefined) {
            io.out(JSON.stringify(current));
            return 0;
          }
          const next = sitePoliciesSchema.safeParse({
            autoDeny: list === undefined ? current.autoDeny : list === 'none' ? [] : list.split(','),
            expiry: expiry ?? current.expiry,
          });
          if (!next.success) {
            const issue = next.error.issues[0]!;
            throw new UsageError(`--${issue.path[0] === 'expiry' ? 'expiry' : 'auto-deny'}: ${issue.message}`);
          }
          await store.putPolicies(found.id, next.data, Date.now());
          await recordChange(
            { store, now: Date.now, logError: (e) => io.err(String(e)) },
            found.id,
            { actor: CLI_ACTOR, reason: '' },
            'policies.set',
            found.id,
            { before: current, after: next.data },
          );
          io.out(JSON.stringify(next.data));
          return 0;
        });
      },
      decide: async (rest) => {
        const args = parseCommandArgs(rest, {
          ...dbOption,
          ...site,
          id: { type: 'string' },
          action: { type: 'string' },
          expiry: { type: 'string', default: '7d' },
          reason: { type: 'string', default: '' },
        });
        if (!args) return (io.out(usage), 0);
        const id = stringOption(args, 'id', true);
        const action = stringOption(args, 'action', true);
        const input = caseDecisionSchema.safeParse({
          action,
          reason: stringOption(args, 'reason'),
          ...(action === 'deny' ? { expiry: stringOption(args, 'expiry') } : {}),
        });
        if (!input.success) {
          const issue = input.error.issues[0]!;
          throw new UsageError(`--${String(issue.path[0] ?? 'action')}: ${issue.message}`);
        }
        return withSite(args, async (store, found) => {
          const deps = { store, now: Date.now, logError: (error: unknown) => io.err(String(error)) };
          const by = { actor: CLI_ACTOR, reason: input.data.reason };
          const decided = await decideCase(deps, found.id, id, input.data, by);
          if (!decided)
            throw new UsageError(`--id: no case ${JSON.stringify(id)} on site ${found.id} (see cases list)`);
          io.out(caseLine(decided));
          return 0;
        });
      },
    });
  },
};
