/**
 * Messages in the Slack incoming-webhook format (`{ text, blocks }`), which Slack, Mattermost,
 * Rocket.Chat, Discord's `/slack` endpoint and most chat tools accept. `text` alone always carries
 * the whole message; `blocks` only lay it out better where they are understood.
 */
import { escapeSlack, SLACK_BACKTICK, slackCode } from '../escape/slack.js';
import { visibleText } from '../escape/visible.js';
import type { AlertNotice } from './incident.js';

export { escapeSlack };

/** A Slack Block Kit block; only the kinds we send. */
export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string } }
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'context'; elements: Array<{ type: 'mrkdwn'; text: string }> };

/** The JSON body POSTed to a webhook. */
export interface SlackPayload {
  text: string;
  blocks?: SlackBlock[];
}

/** Slack limits: 3,000 characters per section, 50 blocks, 150 characters per header. */
const SECTION_LIMIT = 3000;
const MAX_SECTIONS = 45;
const HEADER_LIMIT = 150;
/** Slack truncates `text` past 40,000 characters; stay below with room for the closing note. */
const TEXT_LIMIT = 39_000;
const SHORTENED = '_(report shortened for chat: the dashboard has all of it)_';

/** A link in Slack syntax; `|` and `>` cannot appear unescaped in either part. */
function slackLink(url: string, label: string): string {
  return `<${url.replace(/\|/g, '%7C').replace(/>/g, '%3E')}|${label}>`;
}

/**
 * Converts the Markdown of a daily report to Slack `mrkdwn`: headings and `**bold**` become `*bold*`,
 * `[label](https://…)` becomes a Slack link, bullet markers become `•`, and tables (which chat tools
 * do not render) are kept aligned in a code block. Everything else is escaped.
 *
 * @example
 * markdownToSlack('# Daily report\n**2** blocked, see [dashboard](https://wp.example/d)');
 * // '*Daily report*\n*2* blocked, see <https://wp.example/d|dashboard>'
 */
export function markdownToSlack(markdown: string): string {
  const out: string[] = [];
  let inTable = false;
  let inFence = false;
  for (const line of markdown.replace(/\r\n/g, '\n').split('\n')) {
    if (line.trimStart().startsWith('```')) {
      inFence = !inFence;
      out.push('```');
      continue;
    }
    if (inFence) {
      out.push(escapeSlack(line));
      continue;
    }
    const isTableRow = /^\s*\|/.test(line);
    if (isTableRow !== inTable) {
      out.push('```');
      inTable = isTableRow;
    }
    if (isTableRow) {
      // The |---|---| separator row carries no information in a monospace block.
      if (!/^\s*\|[\s:|-]+\|\s*$/.test(line)) out.push(escapeSlack(line));
      continue;
    }
    out.push(inlineToSlack(line));
  }
  if (inTable || inFence) out.push('```');
  return out.join('\n');
}

const ESCAPABLE = /[!-/:-@[-`{-~]/;
/** A backslash escape of ASCII punctuation somewhere in a word. */
const ESCAPED = /\\[!-/:-@[-`{-~]/;
/** A backtick not preceded by a backslash: the word holds (part of) a code span. */
const UNESCAPED_BACKTICK = /(?<!\\)`/;
/** Only http(s) links: a report never needs another scheme. */
const LINK = /^\[([^\]`\\]+)\]\((https?:\/\/[^\s)<>]+)\)/;

function inlineToSlack(line: string): string {
  const heading = /^#{1,6}\s+(.*)$/.exec(line);
  if (heading) return `*${spansToSlack(heading[1]!, false)}*`;
  const bullet = /^(\s*)[-*]\s+/.exec(line);
  return bullet ? `${bullet[1]}• ${spansToSlack(line.slice(bullet[0].length), true)}` : spansToSlack(line, true);
}

/**
 * One line of inline Markdown as mrkdwn, read the CommonMark way: a code span (IPs) becomes a Slack
 * code span via `slackCode`; a word holding a backslash escape (text from traffic, escaped by
 * `markdownText`) becomes a code span of its literal text, since Slack has no escapes and would
 * autolink `https://…` or `evil.example` and format `*x*`; `[label](https://…)` outside both becomes a
 * Slack link, `**` bold; everything else is entity-encoded.
 */
function spansToSlack(text: string, bold: boolean): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    const wordStart = i === 0 || text[i - 1] === ' ';
    const word = wordStart ? /^[^ ]+/.exec(text.slice(i))?.[0] : undefined;
    if (word !== undefined && ESCAPED.test(word) && !UNESCAPED_BACKTICK.test(word)) {
      // Our own punctuation around the escaped text (`(`, `,`, `;`, a closing `*`) stays prose.
      const start = /^[!-/:-@[\]-`{-~]*/.exec(word)![0].length;
      let end = word.length;
      while (end > start + 1 && /[!-/:-@[\]-`{-~]/.test(word[end - 1]!) && word[end - 2] !== '\\') end -= 1;
      out +=
        spansToSlack(word.slice(0, start), bold) +
        slackCode(word.slice(start, end).replace(/\\([!-/:-@[-`{-~])/g, '$1')) +
        spansToSlack(word.slice(end), bold);
      i += word.length;
    } else if (char === '\\' && i + 1 < text.length && ESCAPABLE.test(text[i + 1]!)) {
      out += text[i + 1] === '`' ? SLACK_BACKTICK : escapeSlack(text[i + 1]!);
      i += 2;
    } else if (char === '`') {
      const run = /^`+/.exec(text.slice(i))![0].length;
      const close = closingRun(text, i + run, run);
      if (close === -1) {
        out += SLACK_BACKTICK.repeat(run);
        i += run;
        continue;
      }
      let content = text.slice(i + run, close);
      // CommonMark strips one space from each side when both are there (the padding markdownCode adds).
      if (content.length >= 2 && content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '')
        content = content.slice(1, -1);
      out += slackCode(content);
      i = close + run;
    } else if (char === '[' && LINK.test(text.slice(i))) {
      const [whole, label, url] = LINK.exec(text.slice(i))!;
      out += slackLink(escapeSlack(url!), escapeSlack(label!));
      i += whole.length;
    } else if (text.startsWith('**', i)) {
      out += bold ? '*' : '';
      i += 2;
    } else {
      out += escapeSlack(char);
      i += 1;
    }
  }
  return out;
}

/** Start of the next run of exactly `length` backticks at or after `from`, or -1. */
function closingRun(text: string, from: number, length: number): number {
  const pattern = new RegExp(`(?<!\`)\`{${length}}(?!\`)`, 'g');
  pattern.lastIndex = from;
  return pattern.exec(text)?.index ?? -1;
}

/** Splits mrkdwn into section blocks at line boundaries, keeping code fences balanced per section. */
function sections(mrkdwn: string): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  let current: string[] = [];
  let length = 0;
  let fenceOpen = false;
  const flush = () => {
    if (current.length === 0) return;
    const text = fenceOpen ? `${current.join('\n')}\n\`\`\`` : current.join('\n');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
    current = fenceOpen ? ['```'] : [];
    length = current.length ? 4 : 0;
  };
  for (const rawLine of mrkdwn.split('\n')) {
    // A cut must not leave half an entity (`&am`): that would be a bare `&`.
    const line =
      rawLine.length > SECTION_LIMIT - 10
        ? `${rawLine.slice(0, SECTION_LIMIT - 11).replace(/&[a-z]{0,3}$/, '')}…`
        : rawLine;
    if (length + line.length + 1 > SECTION_LIMIT - 4) flush();
    current.push(line);
    length += line.length + 1;
    if (line === '```') fenceOpen = !fenceOpen;
  }
  flush();
  return blocks.filter((block) => block.type !== 'section' || block.text.text.replace(/```/g, '').trim() !== '');
}

/**
 * The payload of a daily report: the Markdown report converted for chat, and a link to its page.
 *
 * @example
 * reportPayload({ title: 'Watchpost daily report: shop, 2026-11-26', markdown, url:
 * 'https://wp.example/dashboard/sites/s_1?date=2026-11-26' });
 */
export function reportPayload({
  title,
  markdown,
  url,
}: {
  title: string;
  markdown: string;
  url: string | null;
}): SlackPayload {
  const body = markdownToSlack(markdown);
  const link = url
    ? `Open in the dashboard: ${slackLink(url, url)}`
    : '_(no dashboard link: the server has no public URL)_';
  let blocks = sections(body);
  if (blocks.length > MAX_SECTIONS) {
    blocks = blocks.slice(0, MAX_SECTIONS);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: SHORTENED } });
  }
  let text = `*${escapeSlack(title)}*\n${link}\n\n${body}`;
  if (text.length > TEXT_LIMIT) {
    const cut = text.lastIndexOf('\n', TEXT_LIMIT);
    const kept = text.slice(0, cut);
    // A cut inside a code block would swallow the note: close the fence first.
    const fenceOpen = (kept.match(/```/g) ?? []).length % 2 === 1;
    text = `${kept}${fenceOpen ? '\n```' : ''}\n${SHORTENED}`;
  }
  return {
    text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title.slice(0, HEADER_LIMIT) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: link }] },
      ...blocks,
    ],
  };
}

/** Plain text that may quote traffic, for one mrkdwn line: visible, entity-encoded, no backtick. */
function slackLine(text: string): string {
  return escapeSlack(visibleText(text).replace(/`/g, SLACK_BACKTICK));
}

/**
 * The payload of a real-time alert or its resolution.
 *
 * @example
 * noticePayload(notice, { siteName: 'shop', url: 'https://wp.example/dashboard/sites/s_1?date=2026-11-26' });
 */
export function noticePayload(
  notice: AlertNotice,
  { siteName, url }: { siteName: string; url: string | null },
): SlackPayload {
  const icon = notice.state === 'alert' ? ':rotating_light:' : ':white_check_mark:';
  const headline = `${icon} *${slackLine(siteName)}*: ${slackLine(notice.title)}`;
  // Evidence lines quote traffic (rules, ban reasons): each is a code span, so no URL in one links.
  const lines = notice.lines.map((line) => `• ${slackCode(line, { maxLength: 300 })}`);
  if (url) lines.push(`Dashboard: ${slackLink(url, url)}`);
  const text = [headline, ...lines].join('\n');
  return { text, blocks: sections(text) };
}

/**
 * The payload of `watchpost alerts test` and `POST /v1/alerts/test`.
 *
 * @example
 * testPayload({ siteName: 'shop', at: Date.now(), url: null });
 */
export function testPayload({ siteName, at, url }: { siteName: string; at: number; url: string | null }): SlackPayload {
  const lines = [`:wave: Test message from Watchpost for *${escapeSlack(siteName)}* at ${new Date(at).toISOString()}.`];
  lines.push('If you can read this, alerts and daily reports for this site will arrive here.');
  if (url) lines.push(`Dashboard: ${slackLink(url, url)}`);
  const text = lines.join('\n');
  return { text, blocks: sections(text) };
}
