import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reasonProblem } from '../denylist/reason.js';
import { hostileText } from '../escape/hostile-text.js';
import type { DailyReport } from '../reports/types.js';
import { axisTicks, barChart, niceMax, timelineChart } from './charts.js';
import { renderCountryPage } from './pages/country.js';
import { renderIpPage } from './pages/ip.js';
import { renderPathPage } from './pages/path.js';
import { renderBotPage } from './pages/bot.js';
import { renderReportPage } from './pages/report.js';
import { renderStaticReport } from './static-report.js';
import { renderErrorPage, renderSignInPage, renderSitesPage } from './pages/sites.js';
import type { IpDetail, SliceDetail } from './types.js';
import { expectInert } from '../../test/inert.js';

const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg/onload=alert(1)>",
  'javascript:alert(1)',
  '/パス/\u202Egnp.exe/😀',
  '&lt;already-escaped&gt;',
] as const;

const viewer = { csrfToken: 'tok"<en>' };
const day = { from: Date.parse('2026-11-25T15:00:00Z'), to: Date.parse('2026-11-26T15:00:00Z') };
const timeline = Array.from({ length: 24 }, (_, i) => ({
  start: day.from + i * 3_600_000,
  requests: 10 + i,
  blocked: i % 3,
  errors4xx: i % 5,
  errors5xx: i % 7,
}));
const site = (name: string) => ({ id: `s_${name}`, name, timeZone: 'Asia/Tokyo', homeCountry: 'JP' });

function report(text: string): DailyReport {
  return {
    site: site(text),
    date: '2026-11-26',
    range: day,
    generatedAt: day.to,
    totals: { requests: 1000, allowed: 900, blocked: 100, counted: 5, successRate: 0.9995, uniqueIps: 42 },
    statusClasses: { '1xx': 0, '2xx': 900, '3xx': 20, '4xx': 70, '5xx': 10 },
    timeline,
    domestic: { requests: 600, blocked: 10, blockRate: 0.0167 },
    foreign: { requests: 350, blocked: 90, blockRate: 0.2571 },
    unknownCountry: { requests: 50, blocked: 0, blockRate: 0 },
    topCountries: [
      { country: 'JP', requests: 600, blocked: 10 },
      { country: null, requests: 50, blocked: 0 },
    ],
    topIps: [{ ip: text, requests: 100, blocked: 50, country: 'CN', errors4xx: 40, errors5xx: 1 }],
    topPaths: [{ path: text, requests: 80, blocked: 20, errors4xx: 30, errors5xx: 2 }],
    topUserAgents: [{ ua: text, requests: 70, blocked: 5, botCategory: 'scanner' }],
    bots: [{ category: 'scanner', requests: 70, blocked: 5 }],
    blocksByRule: [{ rule: text, blocked: 100, counted: 5 }],
    bursts: [
      {
        start: day.from + 14 * 3_600_000,
        end: day.from + 14 * 3_600_000 + 30_000,
        errors: 120,
        ips: [{ ip: text, errors: 120 }],
      },
    ],
    suspicious5xx: [{ ip: text, errors5xx: 9, reasons: [text] }],
    botActivity: {
      ai: {
        requests: 15,
        blocked: 4,
        byCategory: [{ category: 'ai-crawler', requests: 15, blocked: 4 }],
        userAgents: [{ ua: text, category: 'ai-crawler', requests: 15, blocked: 4 }],
      },
      impersonators: {
        requests: 3,
        clients: [
          {
            ...{ ip: '198.51.100.66', country: 'RU', ua: text, requests: 3, blocked: 3 },
            rdns: { state: 'failed' as const, host: text },
          },
        ],
      },
      robotsTxt: { fetches: 1, fetchers: [{ ua: text, botCategory: null, requests: 1 }] },
      byName: [
        {
          name: text,
          category: 'search-engine',
          requests: 9,
          blocked: 0,
          checked: false,
          impersonated: { requests: 2, blocked: 1 },
        },
      ],
    },
    triage: {
      since: day.from - 7 * 3_600_000,
      until: day.from + 17 * 3_600_000,
      decided: [
        {
          caseId: 'case_1',
          client: '203.0.113.9',
          country: 'CN',
          state: 'denied',
          by: text,
          at: day.from + 3_600_000,
          reason: text,
          expiresAt: day.from + 7 * 86_400_000,
        },
      ],
      open: {
        count: 3,
        more: false,
        top: [{ caseId: 'case_2', client: '2001:db8::/64', country: null, kinds: ['probe'], lastDay: '2026-11-26' }],
      },
    },
    recommendations: [
      { ip: text, country: null, reasons: [text, 'probed /.env'], kinds: ['burst'], requests: 100, denied: false },
    ],
    comparison: {
      previousDay: { requests: 800, blocked: 50, errors4xx: 40, errors5xx: 5, successRate: 0.99937 },
      trailing7Days: null,
      change: { requests: 0.25, blocked: 1, errors5xx: null },
    },
  };
}

const slice = (text: string): SliceDetail => ({
  site: site(text),
  date: '2026-11-26',
  range: day,
  totals: { requests: 10, blocked: 1, counted: 0, errors4xx: 2, errors5xx: 1 },
  previousDay: null,
  timeline,
});

function ipDetail(text: string): IpDetail {
  return {
    ...slice(text),
    ip: text,
    countries: [{ country: null, requests: 1, blocked: 0 }],
    paths: [{ path: text, requests: 3, blocked: 1, errors4xx: 1, errors5xx: 0 }],
    userAgents: [{ ua: text, botCategory: null, requests: 3, blocked: 1 }],
    statuses: [
      { status: 404, requests: 3 },
      { status: 0, requests: 1 },
    ],
    decisions: [{ action: 'block', rule: text, requests: 1 }],
    denied: { id: 'd_1', value: text, reason: text, source: 'manual', createdAt: day.from, expiresAt: null },
  };
}

describe('pages render hostile text as text', () => {
  it.each(HOSTILE)('report page with %j in every text field', (text) => {
    const markup = renderReportPage({ report: report(text), today: '2026-11-26', viewer }).toString();
    expectInert(markup);
    expect(markup).toContain('value="tok&quot;&lt;en&gt;"');
    const encoded = encodeURIComponent(text).replace(/'/g, '&#39;');
    expect(markup).toContain(`/ip?ip=${encoded}&amp;date=2026-11-26`);
    expect(markup).toContain(`/path?path=${encoded}&amp;date=2026-11-26`);
    expect(markup).toContain('Decided since the last report');
    expect(markup).toContain('Still open: 3 cases');
    expect(markup).toContain('Impersonated crawlers: 3 requests');
  });

  it('for any traffic text (syntax of every sink, ill-formed UTF-16), the report and static pages stay inert', () => {
    fc.assert(
      fc.property(hostileText(), (text) => {
        const markup = renderReportPage({ report: report(text), today: '2026-11-26', viewer }).toString();
        expectInert(markup);
        // Nothing on screen can be reordered, hidden or act on a terminal (copy-paste): shown as escapes.
        expect(markup).not.toMatch(/(?!\n)[\p{Cc}\p{Cf}\u2028\u2029]/u);
        // The deny form's reason comes from traffic: it must be one the deny list accepts.
        for (const [, value = ''] of markup.matchAll(/name="reason" value="([^"]*)"/g)) {
          const reason = value
            .replace(/&quot;/g, '"')
            .replace(/&#39;/g, "'")
            .replace(/&lt;/g, '<')
            .replace(/&gt;/g, '>')
            .replace(/&amp;/g, '&');
          expect(reasonProblem(reason)).toBeNull();
        }
        expectInert(renderStaticReport(report(text)).replace(/<meta http-equiv[^>]*>/, ''));
      }),
      { numRuns: 40 },
    );
  });

  it('shows a bidi override in a path as \\u202E, so it cannot reverse the text on screen', () => {
    const markup = renderReportPage({
      report: report('/パス/\u202Egnp.exe/😀'),
      today: '2026-11-26',
      viewer,
    }).toString();
    expect(markup).toContain('/パス/\\u202Egnp.exe/😀');
    expect(markup).not.toContain('\u202E');
  });

  it.each(HOSTILE)('drill-down and other pages with %j', (text) => {
    const base = { today: '2026-11-26', viewer };
    const pages = [
      renderIpPage({ ...base, detail: ipDetail(text) }),
      renderCountryPage({
        ...base,
        detail: {
          ...slice(text),
          country: null,
          domestic: false,
          ips: [{ ip: text, requests: 1, blocked: 0, errors4xx: 0, errors5xx: 0 }],
          paths: [{ path: text, requests: 1, blocked: 0 }],
          bots: [],
        },
      }),
      renderPathPage({
        ...base,
        detail: {
          ...slice(text),
          path: text,
          ips: [{ ip: text, country: null, requests: 1, blocked: 0, errors4xx: 0, errors5xx: 0 }],
          statuses: [],
          userAgents: [{ ua: text, botCategory: null, requests: 1, blocked: 0 }],
          countries: [],
        },
      }),
      renderBotPage({
        ...base,
        detail: {
          ...slice(text),
          name: text,
          categories: [{ category: 'other-bot', requests: 1, blocked: 0 }],
          ips: [{ ip: text, country: null, requests: 1, blocked: 0, errors4xx: 0, errors5xx: 0 }],
          paths: [{ path: text, requests: 1, blocked: 0, errors4xx: 0, errors5xx: 0 }],
          statuses: [],
          decisions: [{ action: 'block', rule: text, requests: 1 }],
          userAgents: [{ ua: text, requests: 1, blocked: 0 }],
        },
      }),
      renderSitesPage({ sites: [site(text)], viewer }),
      renderSignInPage({ error: text }),
      renderErrorPage({ title: text, message: text, viewer: null }),
    ];
    for (const markup of pages.map(String)) expectInert(markup);
  });

  it.each([
    ['a raw image tag', '<p><img src=x onerror=alert(1)></p>'],
    ['an attribute broken out of', '<p title="" onmouseover="alert(1)">x</p>'],
    ['a javascript: link', '<a href="javascript:alert(1)">x</a>'],
    ['a script', '<script>alert(1)</script>'],
  ])('the inertness check itself catches %s', (_name, markup) => {
    expect(() => expectInert(markup)).toThrow();
  });

  it('escapes text once, not twice', () => {
    const markup = renderReportPage({ report: report('a&b <c>'), today: '2026-11-26', viewer }).toString();
    expect(markup).toContain('<code>a&amp;b &lt;c&gt;</code>');
    expect(markup).not.toContain('&amp;amp;');
  });
});

describe('report page', () => {
  it('shows the deny button until the IP is denied, then a badge', () => {
    const open = renderReportPage({ report: report('203.0.113.9'), today: '2026-11-26', viewer }).toString();
    expect(open).toContain('aria-label="Add 203.0.113.9 to the deny list"');
    const denied = renderReportPage({
      report: report('203.0.113.9'),
      today: '2026-11-26',
      viewer,
      justDenied: '203.0.113.9',
    }).toString();
    expect(denied).not.toContain('aria-label="Add 203.0.113.9 to the deny list"');
    expect(denied).toContain('<span class="badge denied">Denied</span>');
    expect(denied).toContain('role="status"');
  });

  it('links the previous day, and the next day only up to today', () => {
    const today = renderReportPage({ report: report('x'), today: '2026-11-26', viewer }).toString();
    expect(today).toContain('href="/dashboard/sites/s_x?date=2026-11-25" rel="prev"');
    expect(today).not.toContain('rel="next"');
    const past = renderReportPage({ report: report('x'), today: '2026-11-30', viewer }).toString();
    expect(past).toContain('href="/dashboard/sites/s_x?date=2026-11-27" rel="next"');
  });

  it('uses table semantics: captions and scoped headers', () => {
    const markup = renderReportPage({ report: report('x'), today: '2026-11-26', viewer }).toString();
    const tables = markup.match(/<table>/g)?.length ?? 0;
    expect(tables).toBeGreaterThan(10);
    expect(markup.match(/<caption>/g)?.length).toBe(tables);
    expect(markup).not.toMatch(/<th(?=[\s>])(?![^>]*scope=)[^>]*>/);
  });
});

describe('charts', () => {
  it('scales the timeline to its highest hour and draws one bar pair per hour', () => {
    const svg = timelineChart('t', timeline, 'Asia/Tokyo').toString();
    expect(svg.match(/<rect class="f-req"/g)).toHaveLength(24);
    expect(svg).toContain('>00:00<');
    // The highest hour (33 requests) reaches near the top of a 0..50 axis, labelled in tens.
    const labels = [...svg.matchAll(/<text x="46" y="[\d.]+" text-anchor="end">([^<]+)</g)].map((m) => m[1]);
    expect(labels).toEqual(['0', '10', '20', '30', '40', '50']);
  });

  it.each([
    [0.5, [0, 0.5]],
    [1, [0, 1]],
    [2, [0, 1, 2]],
    [5, [0, 1, 2, 3, 4, 5]],
    [10, [0, 2, 4, 6, 8, 10]],
    [20, [0, 5, 10, 15, 20]],
    [50, [0, 10, 20, 30, 40, 50]],
    [100, [0, 20, 40, 60, 80, 100]],
    [200, [0, 50, 100, 150, 200]],
    [5_000_000, [0, 1_000_000, 2_000_000, 3_000_000, 4_000_000, 5_000_000]],
  ])('labels a 0..%d axis with whole, round steps', (max, ticks) => {
    expect(axisTicks(max)).toEqual(ticks);
    expect(axisTicks(niceMax(max * 0.9))).toEqual(ticks);
  });

  it.each([[Infinity], [NaN], [0], [-5]])('draws a bare axis for a top of %d instead of looping', (max) => {
    expect(axisTicks(max)).toEqual([0]);
  });

  it('draws bars proportional to their values and says "No data" when empty', () => {
    const svg = barChart(
      'b',
      'bars',
      [
        { label: 'a', value: 100 },
        { label: 'b', value: 25 },
      ],
      500,
    ).toString();
    const widths = [...svg.matchAll(/<rect class="f-bar"[^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(2);
    expect(widths[0]! / widths[1]!).toBeCloseTo(4, 1);
    expect(barChart('e', 'empty', []).toString()).toContain('No data');
  });
});

describe('static report (watchpost report --format html)', () => {
  it.each(HOSTILE)('is one read-only, inert document with %j in every text field', (text) => {
    const markup = renderStaticReport(report(text));
    expectInert(markup);
    expect(markup).not.toMatch(/<form[^>]*method="post"/);
    expect(markup).not.toContain('name="csrf"');
    expect(markup).not.toContain('rel="stylesheet"');
    expect(markup).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/,
    );
    expect(markup).toContain('<style>');
    expect(markup).toContain('<svg');
  });

  it('points drill-down links at the live dashboard when given its URL', () => {
    const markup = renderStaticReport(report('203.0.113.9'), { publicUrl: 'https://watchpost.example/ignored/path' });
    expect(markup).toContain('<base href="https://watchpost.example/">');
    expect(markup).toContain("base-uri 'self' https://watchpost.example;");
    expect(markup).toContain('<span class="muted">not denied</span>');
  });
});
