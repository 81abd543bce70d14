import { createDeliveryQueue } from '../../alerts/deliver.js';
import { localDate, nextReportTime, parseReportTime } from '../../alerts/schedule.js';
import { sendTestMessage } from '../../alerts/send-test.js';
import type { AlertSettings } from '../../db/alerts.js';
import { type Command, dbOption, parseCommandArgs, runAction, stringOption, UsageError } from '../args.js';
import { withSite } from '../open-store.js';

const usage = `Usage:
  watchpost alerts test --site ID [--public-url URL] [--db PATH|URL]
  watchpost alerts schedule --site ID [--report-time HH:MM] [--business-days | --every-day] [--db PATH|URL]
  watchpost alerts deliveries --site ID [--limit N] [--db PATH|URL]

test        sends a test message to every webhook of the site now and prints each outcome
            (exit 1 when one failed)
schedule    without options prints when the daily report goes out; with options changes it
            (default: 17:00 in the site's time zone, business days only). A running
            \`watchpost serve\` picks the change up within a minute.
deliveries  prints the delivery log, newest first: alerts, reports and tests, with status,
            HTTP status, error and attempts
  --site ID            site id from \`watchpost sites list\`
  --report-time HH:MM  local time of the daily report, 24 h
  --business-days      send the daily report Monday to Friday only
  --every-day          send it every day
  --public-url URL     base URL of the dashboard for the link in the message
  --limit N            most deliveries printed (default 20, at most 1000)
  --db PATH|URL        SQLite database file (default ./watchpost.db) or postgres://user@host:5432/db URL`;

function describeSchedule(settings: AlertSettings, timeZone: string, now: number): string {
  const next = nextReportTime({ timeZone, ...settings }, now);
  const local = `${localDate(next, timeZone)} ${settings.reportTime}`;
  const days = settings.businessDaysOnly ? 'business days (Mon-Fri)' : 'every day';
  return (
    `daily report at ${settings.reportTime} ${timeZone}, ${days}; next: ${local} local ` +
    `(${new Date(next).toISOString()})`
  );
}

/**
 * `watchpost alerts test|schedule|deliveries`.
 *
 * @example
 * await alertsCommand.run(['schedule', '--site', 'site_…', '--report-time', '18:00', '--every-day'], io);
 */
export const alertsCommand: Command = {
  usage,
  async run(argv, io) {
    return runAction(argv, io, usage, {
      test: async (rest) => {
        const args = parseCommandArgs(rest, {
          ...dbOption,
          site: { type: 'string' },
          'public-url': { type: 'string' },
        });
        if (!args) return (io.out(usage), 0);
        const publicUrl = stringOption(args, 'public-url') ?? null;
        if (publicUrl !== null && !/^https?:\/\/[^/]/.test(publicUrl))
          throw new UsageError(`--public-url: expected http(s)://host..., got ${JSON.stringify(publicUrl)}`);
        return withSite(args, async (store, site) => {
          const queue = createDeliveryQueue({
            record: (d) => store.recordDelivery(d),
            timeoutMs: 5000,
            maxAttempts: 2,
            logError: (e) => io.err(String(e)),
          });
          const results = await sendTestMessage({ store, site, queue, now: Date.now(), publicUrl });
          if (results.length === 0) {
            io.err(
              `watchpost alerts: site ${site.id} has no webhook; add one with watchpost webhooks add ` +
                `--site ${site.id} --url URL`,
            );
            return 1;
          }
          for (const r of results) {
            io.out(
              `${r.webhookId}: ${r.status}${r.httpStatus === null ? '' : ` (HTTP ${r.httpStatus})`} ` +
                `after ${r.attempts} attempt(s)${r.error ? `: ${r.error}` : ''}`,
            );
          }
          return results.every((r) => r.status === 'delivered') ? 0 : 1;
        });
      },
      schedule: async (rest) => {
        const args = parseCommandArgs(rest, {
          ...dbOption,
          site: { type: 'string' },
          'report-time': { type: 'string' },
          'business-days': { type: 'boolean' },
          'every-day': { type: 'boolean' },
        });
        if (!args) return (io.out(usage), 0);
        const change: Partial<AlertSettings> = {};
        const reportTime = stringOption(args, 'report-time');
        if (reportTime !== undefined) {
          if (parseReportTime(reportTime) === null)
            throw new UsageError(
              `--report-time: expected HH:MM (24 h) such as 17:00, got ${JSON.stringify(reportTime)}`,
            );
          change.reportTime = reportTime;
        }
        if (args.values['business-days'] && args.values['every-day'])
          throw new UsageError('--business-days and --every-day exclude each other');
        if (args.values['business-days']) change.businessDaysOnly = true;
        if (args.values['every-day']) change.businessDaysOnly = false;
        return withSite(args, async (store, site) => {
          const settings =
            Object.keys(change).length > 0
              ? await store.setAlertSettings(site.id, change)
              : await store.getAlertSettings(site.id);
          io.out(describeSchedule(settings, site.timeZone, Date.now()));
          return 0;
        });
      },
      deliveries: async (rest) => {
        const args = parseCommandArgs(rest, {
          ...dbOption,
          site: { type: 'string' },
          limit: { type: 'string', default: '20' },
        });
        if (!args) return (io.out(usage), 0);
        const limit = stringOption(args, 'limit', true);
        if (!/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > 1000)
          throw new UsageError(`--limit: expected an integer from 1 to 1000, got ${JSON.stringify(limit)}`);
        return withSite(args, async (store, site) => {
          io.out(JSON.stringify(await store.listDeliveries(site.id, Number(limit)), null, 2));
          return 0;
        });
      },
    });
  },
};
