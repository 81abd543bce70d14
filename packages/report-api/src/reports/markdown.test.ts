import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { hostileText } from '../escape/hostile-text.js';
import { reportPayload } from '../alerts/payload.js';
import { reportToMarkdown } from './markdown.js';
import type { DailyReport } from './types.js';

const PHISH = '/.env[Open_the_dashboard](https://evil.example/phish)';
const gfm = new MarkdownIt({ html: true, linkify: true });

/** A report whose every traffic-derived string is `text`, as an attacker would choose it. */
function reportWith(text: string): DailyReport {
  const share = { requests: 10, blocked: 1, blockRate: 0.1 };
  return {
    site: { id: 's_1', name: 'shop', timeZone: 'UTC', homeCountry: 'JP' },
    date: '2026-11-26',
    range: { from: 0, to: 86_400_000 },
    generatedAt: 0,
    totals: { requests: 10, allowed: 9, blocked: 1, counted: 0, successRate: 1, uniqueIps: 1 },
    statusClasses: { '1xx': 0, '2xx': 10, '3xx': 0, '4xx': 0, '5xx': 0 },
    timeline: [],
    domestic: share,
    foreign: share,
    unknownCountry: share,
    topCountries: [{ country: text, requests: 10, blocked: 1 }],
    topIps: [{ ip: text, requests: 10, blocked: 1, country: text, errors4xx: 0, errors5xx: 0 }],
    topPaths: [{ path: text, requests: 10, blocked: 1, errors4xx: 0, errors5xx: 0 }],
    topUserAgents: [{ ua: text, requests: 10, blocked: 1, botCategory: null }],
    bots: [],
    blocksByRule: [{ rule: text, blocked: 1, counted: 0 }],
    bursts: [],
    suspicious5xx: [],
    recommendations: [
      {
        ip: text,
        country: text,
        reasons: [`probed sensitive paths 3 times (${text})`, text],
        kinds: ['probe'],
        requests: 10,
        denied: false,
      },
    ],
    comparison: { previousDay: null, trailing7Days: null, change: { requests: null, blocked: null, errors5xx: null } },
    rateLimited: {
      clients: [
        {
          ip: text,
          country: text,
          rules: [text, 'catalog'],
          refused: 329,
          counted: 0,
          peakPerMinute: 40,
          firstRefused: 0,
          lastRefused: 1,
        },
      ],
      totals: { clients: 1, refused: 329, counted: 0 },
    },
    logins: {
      attempts: 12,
      failures: 11,
      successRate: 0.0833,
      byHour: [],
      topClients: [],
      topCountries: [],
      accounts: { distinct: 6, top: [] },
      detections: [
        {
          kind: 'credential-stuffing',
          ip: text,
          account: null,
          count: 6,
          first: 0,
          last: 1,
          evidence: `6 accounts ${text}`,
        },
      ],
    },
  };
}

/** Inline and block token kinds other than text, code and structure. */
function activeNodes(markdown: string): string[] {
  const kinds: string[] = [];
  for (const token of gfm.parse(markdown, {})) {
    for (const child of token.children ?? []) kinds.push(child.type);
    kinds.push(token.type);
  }
  return kinds.filter((kind) => /link|image|html|heading|table|strong|em|s_open|fence|code_block/.test(kind));
}

/** The Slack text outside code spans and code blocks: where Slack acts on links and autolinks URLs. */
function slackOutsideCode(mrkdwn: string): string {
  return mrkdwn.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
}

describe('reportToMarkdown, rate limits and logins', () => {
  it('reports rate-limited clients and login attempts with their detections', () => {
    const markdown = reportToMarkdown(reportWith('203.0.113.7'));
    expect(markdown).toContain('*Rate-limited clients*: 1, 329 requests refused');
    expect(markdown).toContain('329 refused by');
    expect(markdown).toContain('peak 40/min');
    expect(markdown).toContain('*Login attempts*: 12, 11 failed (success rate 8.33%), 6 accounts targeted');
    expect(markdown).toContain('• credential-stuffing from `203.0.113.7`: 6 accounts');
  });
});

describe('reportToMarkdown with hostile traffic text', () => {
  it('shows the phishing path as text in Markdown, never as a link', () => {
    const markdown = reportToMarkdown(reportWith(PHISH));
    expect(markdown.replace(/\\/g, '')).toContain(PHISH);
    expect(markdown).not.toMatch(/\]\(https:\/\/evil/);
    expect(gfm.renderInline(markdown.split('\n').find((line) => line.includes('probed'))!)).toContain(
      '(/.env[Open_the_dashboard](https://evil.example/phish))',
    );
    expect(
      activeNodes(markdown).filter(
        (kind) => kind !== 'strong_open' && kind !== 'strong_close' && kind !== 'em_open' && kind !== 'em_close',
      ),
    ).toEqual([]);
    expect(gfm.render(markdown)).not.toContain('href="https://evil.example');
  });

  it('never becomes a Slack link or a bare URL Slack would autolink', () => {
    const payload = reportPayload({
      title: 'Watchpost daily report: shop',
      markdown: reportToMarkdown(reportWith(PHISH)),
      url: null,
    });
    for (const text of [payload.text, ...(payload.blocks ?? []).map((b) => JSON.stringify(b))]) {
      expect(text).not.toContain('<https://evil.example');
      expect(slackOutsideCode(text)).not.toContain('evil.example');
    }
    expect(payload.text).toContain(
      'probed sensitive paths 3 times `(/.env[Open_the_dashboard](https://evil.example/phish))`',
    );
  });

  it('for any traffic text: no link, image or HTML in Markdown; no link, mention or URL outside code in Slack', () => {
    fc.assert(
      fc.property(hostileText(), (text) => {
        const markdown = reportToMarkdown(reportWith(text));
        expect(
          activeNodes(markdown).filter((kind) => /link|image|html|heading|table|fence|code_block/.test(kind)),
        ).toEqual([]);
        const slack = reportPayload({ title: 'report', markdown, url: null }).text;
        expect(slackOutsideCode(slack)).not.toMatch(/<|&(?!(?:amp|lt|gt);)|https?:|www\./);
        expect(slack).not.toMatch(/<[!@#]/);
      }),
      { numRuns: 500 },
    );
  });
});
