import { isIP } from 'node:net';
import { markdownCode, markdownText } from '../escape/markdown.js';
import type { DailyReport } from './types.js';

const n = (value: number) => value.toLocaleString('en-US');
const pct = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(2)}%`);
const signed = (value: number | null) =>
  value === null ? '' : ` (${value >= 0 ? '+' : ''}${Math.round(value * 100)}% vs previous day)`;
// Text from traffic is data (escape/markdown.ts): IP literals are code spans; reasons (which quote paths)
// and countries have every ASCII punctuation backslash-escaped, so no link, autolink, HTML or
// emphasis can start in Markdown, and markdownToSlack turns each escaped word into a code span.
const code = (text: string) => (isIP(text) ? markdownCode(text) : markdownText(text, { maxLength: 80 }));
const reason = (text: string) => markdownText(text, { maxLength: 160 });
const country = (text: string | null) => (text === null ? '??' : markdownText(text, { maxLength: 20 }));

/**
 * The daily report as short Markdown for a chat webhook (Slack, Teams, Mattermost): headline numbers,
 * the top offenders and the recommended deny-list entries with their evidence.
 *
 * @example
 * await fetch(webhookUrl, { method: 'POST', body: JSON.stringify({ text: reportToMarkdown(report) }) });
 */
export function reportToMarkdown(report: DailyReport, { top = 5 }: { top?: number } = {}): string {
  const t = report.totals;
  const lines = [
    `*Watchpost daily report: ${markdownText(report.site.name)}, ${report.date}* ` +
      `(${markdownText(report.site.timeZone)})`,
    `• Requests: *${n(t.requests)}*${signed(report.comparison.change.requests)}, ` +
      `blocked ${n(t.blocked)}${signed(report.comparison.change.blocked)}, would-block ${n(t.counted)}`,
    `• Success rate (non-5xx): *${pct(t.successRate)}*, 4xx ${n(report.statusClasses['4xx'])}, ` +
      `5xx ${n(report.statusClasses['5xx'])}${signed(report.comparison.change.errors5xx)}`,
    `• Domestic ${n(report.domestic.requests)} (block rate ${pct(report.domestic.blockRate)}), ` +
      `foreign ${n(report.foreign.requests)} (block rate ${pct(report.foreign.blockRate)}), unique ` +
      `IPs ${n(t.uniqueIps)}`,
  ];
  if (report.comparison.trailing7Days) {
    lines.push(
      `• 7-day daily average: ${n(report.comparison.trailing7Days.requests)} ` +
        `requests, ${n(report.comparison.trailing7Days.blocked)} blocked`,
    );
  }
  if (report.topIps.length > 0) {
    lines.push('', '*Top IPs*');
    for (const ip of report.topIps.slice(0, top))
      lines.push(
        `• ${code(ip.ip)} ${country(ip.country)}: ${n(ip.requests)} requests, ${n(ip.blocked)} ` +
          `blocked, ${n(ip.errors4xx)} 4xx, ${n(ip.errors5xx)} 5xx`,
      );
  }
  if (report.bursts.length > 0) {
    lines.push(
      '',
      `*Error bursts*: ${report.bursts.length}, worst ${n(Math.max(...report.bursts.map((b) => b.errors)))} ` +
        `errors in 30 s${report.burstThreshold === undefined ? '' : ` (over ${n(report.burstThreshold)})`}`,
    );
  }
  const rate = report.rateLimited;
  if (rate && rate.clients.length > 0) {
    lines.push('', `*Rate-limited clients*: ${n(rate.totals.clients)}, ${n(rate.totals.refused)} requests refused`);
    for (const c of rate.clients.slice(0, top))
      lines.push(
        `• ${code(c.ip)} ${country(c.country)}: ${n(c.refused)} refused by ${c.rules.map(code).join(', ')}, ` +
          `peak ${n(c.peakPerMinute)}/min`,
      );
  }
  const logins = report.logins;
  if (logins && logins.attempts > 0) {
    lines.push(
      '',
      `*Login attempts*: ${n(logins.attempts)}, ${n(logins.failures)} failed (success rate ` +
        `${pct(logins.successRate)}), ${n(logins.accounts.distinct)} accounts targeted`,
    );
    for (const d of logins.detections.slice(0, top))
      lines.push(`• ${d.kind}${d.ip === null ? '' : ` from ${code(d.ip)}`}: ${reason(d.evidence)}`);
  }
  const gd = report.guardDuty;
  if (gd && gd.findings > 0) {
    lines.push(
      '',
      `*GuardDuty findings*: ${n(gd.findings)} (${n(gd.withoutIp)} without a remote IP), ` +
        `${n(gd.alsoInTraffic)} remote IPs also in the HTTP traffic`,
    );
    for (const ip of gd.ips.slice(0, top))
      lines.push(
        `• ${code(ip.ip)} ${country(ip.country)}: ${ip.types.map(reason).join(', ')}, severity ${ip.maxSeverity}, ` +
          `${n(ip.times)} times${ip.requests > 0 ? `; then ${n(ip.requests)} requests, ${n(ip.errors4xx)} 4xx` : ''}`,
      );
  }
  const botActivity = report.botActivity;
  if (botActivity && botActivity.byName.length > 0) {
    lines.push('', '*Bots by name* (verified: claims checked against the addresses the operator publishes)');
    for (const bot of botActivity.byName.slice(0, top)) {
      const { requests: fake, blocked: fakeBlocked } = bot.impersonated;
      const impersonated = fake > 0 ? `; impersonated ${n(fake)} times, ${n(fakeBlocked)} blocked` : '';
      lines.push(
        `• ${reason(bot.name)} (${bot.category}${bot.checked ? ', verified' : ''}): ${n(bot.requests)} requests, ` +
          `${n(bot.blocked)} blocked${impersonated}`,
      );
    }
  }
  if (botActivity && botActivity.ai.requests > 0) {
    lines.push(
      '',
      `*AI crawlers and agents*: ${n(botActivity.ai.requests)} requests, ${n(botActivity.ai.blocked)} blocked`,
    );
    for (const ua of botActivity.ai.userAgents.slice(0, top))
      lines.push(`• ${reason(ua.ua)} (${ua.category}): ${n(ua.requests)} requests, ${n(ua.blocked)} blocked`);
  }
  if (botActivity && botActivity.impersonators.requests > 0) {
    lines.push('', `*Impersonated crawlers*: ${n(botActivity.impersonators.requests)} requests`);
    for (const c of botActivity.impersonators.clients.slice(0, top))
      lines.push(
        `• ${code(c.ip)} ${country(c.country)} as ${reason(c.ua)}: ${n(c.requests)} requests, ${n(c.blocked)} blocked`,
      );
  }
  const intel = report.intel;
  if (intel && intel.clients > 0) {
    lines.push('', `*On threat lists*: ${n(intel.clients)} clients`);
    for (const m of intel.matches.slice(0, top))
      lines.push(
        `• ${code(m.ip)}: ${m.sources.map(reason).join(', ')}; ${n(m.requests)} requests, ${n(m.blocked)} blocked`,
      );
  }
  const triage = report.triage;
  if (triage && triage.decided.length > 0) {
    lines.push('', `*Decided since the last report*: ${n(triage.decided.length)}`);
    for (const d of triage.decided.slice(0, top)) {
      const until = d.expiresAt === null ? '' : ` until ${new Date(d.expiresAt).toISOString().slice(0, 10)}`;
      lines.push(`• ${code(d.client)} ${d.state}${until} by ${reason(d.by)}${d.reason ? `: ${reason(d.reason)}` : ''}`);
    }
  }
  if (triage && triage.open.count > 0) {
    lines.push('', `*Still open*: ${n(triage.open.count)}${triage.open.more ? '+' : ''} cases`);
    for (const c of triage.open.top.slice(0, top))
      lines.push(
        `• ${code(c.client)} ${country(c.country)}: ${c.kinds.map(reason).join(', ')}, last seen ${c.lastDay}`,
      );
  }
  if (report.recommendations.length > 0) {
    lines.push('', '*Recommended for the deny list*');
    for (const r of report.recommendations.slice(0, top)) {
      lines.push(
        `• ${code(r.ip)}${r.denied ? ' (already denied)' : ''}: ${r.reasons.slice(0, 3).map(reason).join('; ')}`,
      );
    }
  } else {
    lines.push('', 'No IPs recommended for the deny list today.');
  }
  return lines.join('\n');
}
