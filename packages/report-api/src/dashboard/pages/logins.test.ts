import { describe, expect, it } from 'vitest';
import { expectInert } from '../../../test/inert.js';
import type { DailyReport, LoginsSection, RateLimitedSection } from '../../reports/types.js';
import { renderLoginsPage, renderRateLimitsPage } from './logins.js';

const HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(1)', '\u202Egnp.exe'];
const viewer = { csrfToken: 'tok' };
const from = Date.parse('2026-11-25T15:00:00Z');
const hash = 'a'.repeat(32);

function logins(text: string): LoginsSection {
  return {
    attempts: 1234,
    failures: 1200,
    successRate: 0.0276,
    byHour: Array.from({ length: 24 }, (_, i) => ({ start: from + i * 3_600_000, attempts: i * 10, failures: i * 9 })),
    topClients: [{ ip: '203.0.113.7', country: 'RU', attempts: 900, failures: 899, accounts: 450 }],
    topCountries: [{ country: 'RU', attempts: 900, failures: 899 }],
    accounts: { distinct: 451, top: [{ account: hash, failures: 30, clients: 12 }] },
    detections: [
      {
        kind: 'credential-stuffing',
        ip: '203.0.113.7',
        account: null,
        count: 450,
        first: from + 3_600_000,
        last: from + 7_200_000,
        evidence: `450 accounts failed from one client ${text}`,
      },
      {
        kind: 'password-spraying',
        ip: null,
        account: hash,
        count: 40,
        first: from,
        last: from + 60_000,
        evidence: text,
      },
    ],
  };
}

function rateLimited(text: string): RateLimitedSection {
  return {
    clients: [
      {
        ip: '198.51.100.9',
        country: 'US',
        rules: [text, 'catalog-scrapers'],
        refused: 329,
        counted: 0,
        peakPerMinute: 1200,
        firstRefused: from + 1000,
        lastRefused: from + 90_000,
      },
    ],
    totals: { clients: 1, refused: 329, counted: 0 },
  };
}

/** Only the fields these pages read; the rest of a report is not needed to render them. */
function report(text: string, sections: Partial<Pick<DailyReport, 'logins' | 'rateLimited'>>): DailyReport {
  const site = { id: 's_1', name: text, timeZone: 'Asia/Tokyo', homeCountry: 'JP', createdAt: 0 };
  return { site, date: '2026-11-26', ...sections } as unknown as DailyReport;
}

describe('logins page', () => {
  it('shows totals, detections with evidence, clients linked to their IP page, and hashed accounts', () => {
    const markup = renderLoginsPage({
      report: report('shop', { logins: logins('') }),
      today: '2026-11-26',
      viewer,
    }).toString();
    expect(markup).toContain('1,234');
    expect(markup).toContain('credential-stuffing');
    expect(markup).toContain('450 accounts failed from one client');
    expect(markup).toContain('/dashboard/sites/s_1/ip?ip=203.0.113.7&amp;date=2026-11-26');
    expect(markup).toContain(`title="${hash}"`);
    expect(markup).toContain('2.76%');
    expect(markup).toContain('id="login-hours"');
  });

  it.each(HOSTILE)('renders %j in evidence and the site name as text', (text) => {
    const markup = renderLoginsPage({ report: report(text, { logins: logins(text) }), today: '2026-11-26', viewer });
    expectInert(markup.toString());
  });

  it('says what to configure when the day has no login attempts', () => {
    for (const sections of [{}, { logins: { ...logins(''), attempts: 0 } }]) {
      const markup = renderLoginsPage({ report: report('shop', sections), today: '2026-11-26', viewer }).toString();
      expect(markup).toContain('No login attempts on 2026-11-26');
      expect(markup).toContain('<code>logins</code>');
      expect(markup).toContain('--login-path');
    }
  });
});

describe('rate limits page', () => {
  it('lists each client with its rules, refusals, peak per minute and IP link', () => {
    const markup = renderRateLimitsPage({
      report: report('shop', { rateLimited: rateLimited('per-ip') }),
      today: '2026-11-26',
      viewer,
    }).toString();
    expect(markup).toContain('per-ip, catalog-scrapers');
    expect(markup).toContain('329');
    expect(markup).toContain('1,200');
    expect(markup).toContain('/dashboard/sites/s_1/ip?ip=198.51.100.9&amp;date=2026-11-26');
    expect(markup).not.toContain('refused most, of');
  });

  it('says how many clients it lists of all when the report keeps only the refused most', () => {
    const section = { ...rateLimited('per-ip'), totals: { clients: 39_115, refused: 48_951, counted: 0 } };
    const markup = renderRateLimitsPage({
      report: report('shop', { rateLimited: section }),
      today: '2026-11-26',
      viewer,
    });
    expect(markup.toString()).toContain('<p>The 1 clients refused most, of 39,115.</p>');
  });

  it.each(HOSTILE)('renders %j as a rule name as text', (text) => {
    const markup = renderRateLimitsPage({
      report: report(text, { rateLimited: rateLimited(text) }),
      today: '2026-11-26',
      viewer,
    });
    expectInert(markup.toString());
  });

  it('says what to configure when no client went over a rule', () => {
    const markup = renderRateLimitsPage({ report: report('shop', {}), today: '2026-11-26', viewer }).toString();
    expect(markup).toContain('No client went over a rate rule on 2026-11-26');
    expect(markup).toContain('ratePresets.standard');
  });
});
