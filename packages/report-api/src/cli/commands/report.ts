import { renderStaticReport } from '../../dashboard/static-report.js';
import { buildDailyReport } from '../../reports/build.js';
import { reportToMarkdown } from '../../reports/markdown.js';
import { parseLocalDate } from '../../time/days.js';
import { type Command, dbOption, parseCommandArgs, publicUrlOption, stringOption, UsageError } from '../args.js';
import { withSite } from '../open-store.js';

/**
 * Output formats of `watchpost report`; others may register more (e.g. html) here.
 *
 * @example
 * reportFormats.md(report); // Markdown for chat
 */
export const reportFormats: Record<
  string,
  (report: Awaited<ReturnType<typeof buildDailyReport>>, options: { publicUrl?: string }) => string
> = {
  json: (report) => JSON.stringify(report, null, 2),
  md: (report) => reportToMarkdown(report),
  html: (report, options) => renderStaticReport(report, options),
};

const usage =
  `Usage: watchpost report --site ID --date YYYY-MM-DD [--format json|md|html] [--public-url URL] ` +
  `[--db PATH|URL]

Prints the daily posture report of one site-local day.
  --site ID        site id from \`watchpost sites list\`
  --date DATE      local date in the site's time zone
  --format FORMAT  ${Object.keys(reportFormats).join(' | ')} (default json); html is one self-contained read-only page
  --public-url URL with html: drill-down links open the live dashboard at this origin
  --db PATH|URL    SQLite database file (default ./watchpost.db) or postgres://user@host:5432/db URL`;

/**
 * `watchpost report`.
 *
 * @example
 * await reportCommand.run(['--site', 'site_…', '--date', '2026-03-01', '--format', 'md'], io);
 */
export const reportCommand: Command = {
  usage,
  async run(argv, io) {
    const args = parseCommandArgs(argv, {
      ...dbOption,
      site: { type: 'string' },
      date: { type: 'string' },
      format: { type: 'string', default: 'json' },
      'public-url': { type: 'string' },
    });
    if (!args) return (io.out(usage), 0);
    const date = parseLocalDate(stringOption(args, 'date', true));
    if (!date.ok) throw new UsageError(`--date: ${date.message}`);
    const format = stringOption(args, 'format', true);
    const render = Object.hasOwn(reportFormats, format) ? reportFormats[format] : undefined;
    if (!render)
      throw new UsageError(
        `--format: ${JSON.stringify(format)} is not one of ${Object.keys(reportFormats).join(', ')}`,
      );
    const publicUrl = publicUrlOption(args);
    return withSite(args, async (store, site) => {
      io.out(render(await buildDailyReport(store, site, date.date), publicUrl === undefined ? {} : { publicUrl }));
      return 0;
    });
  },
};
