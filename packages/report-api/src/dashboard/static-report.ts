import { createHash } from 'node:crypto';
import type { DailyReport } from '../reports/types.js';
import { renderReportPage } from './pages/report.js';
import { STYLESHEET, stylesheetPath } from './style.js';

/** Options of `renderStaticReport`. */
export interface StaticReportOptions {
  /** Origin of the live dashboard (e.g. `https://watchpost.internal`): drill-down links then open there. */
  publicUrl?: string;
}

/**
 * The daily report as one self-contained, read-only HTML document (stylesheet inlined, no
 * script, no forms), for `watchpost report --format html`: to archive or attach to a ticket.
 * Drill-down links point at the dashboard's paths; with `publicUrl` they open the live dashboard.
 *
 * @example
 * writeFileSync('report.html', renderStaticReport(report, { publicUrl: 'https://watchpost.internal' }));
 */
export function renderStaticReport(report: DailyReport, { publicUrl }: StaticReportOptions = {}): string {
  const page = renderReportPage({ report, today: report.date, viewer: null }).toString();
  const styleHash = createHash('sha256').update(STYLESHEET).digest('base64');
  // Same strictness as the dashboard's CSP header, as a meta tag: a file has no response headers.
  const csp =
    `default-src 'none'; style-src 'sha256-${styleHash}'; img-src data:; ` +
    `base-uri ${publicUrl ? "'self' " + new URL(publicUrl).origin : "'none'"}; form-action 'none'`;
  const head = [
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    publicUrl ? `<base href="${new URL(publicUrl).origin}/">` : '',
    `<style>${STYLESHEET}</style>`,
  ].join('\n');
  return page.replace(`<link rel="stylesheet" href="${stylesheetPath()}">`, head);
}
