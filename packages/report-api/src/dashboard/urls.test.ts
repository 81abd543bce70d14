import { describe, expect, it } from 'vitest';
import { safeNext, signInUrl } from './urls.js';

describe('safeNext: where a sign-in link may send the browser', () => {
  it.each([
    ['/dashboard/sites/s_1?date=2026-11-26', '/dashboard/sites/s_1?date=2026-11-26'],
    ['/dashboard/sites/s_1/ip?ip=2001%3Adb8%3A%3A1#top', '/dashboard/sites/s_1/ip?ip=2001%3Adb8%3A%3A1'],
    ['/dashboard/sites/s_1/x/../triage', '/dashboard/sites/s_1/triage'],
    ['/dashboard/sites/"><script>alert(1)</script>', '/dashboard/sites/%22%3E%3Cscript%3Ealert(1)%3C/script%3E'],
  ])('keeps the dashboard path %j', (value, expected) => {
    expect(safeNext(value)).toBe(expected);
  });

  it.each([
    ['another host', '//evil.example/dashboard/'],
    ['another host behind a backslash', '/\\evil.example/dashboard/'],
    ['a backslash inside', '/dashboard\\..\\..\\evil'],
    ['an absolute URL', 'https://evil.example/dashboard/sites'],
    ['a script URL', 'javascript:alert(1)//dashboard/'],
    ['dot segments out of the dashboard', '/dashboard/../v1/sites'],
    ['encoded dot segments out of the dashboard', '/dashboard/%2e%2e/v1/sites'],
    ['a control byte', '/dashboard/sites/s_1\r\nSet-Cookie: x=1'],
    ['a NUL', '/dashboard/sites/\u0000'],
    ['the sign-in page itself', '/dashboard/sign-in?next=/dashboard/sites'],
    ['sign-out', '/dashboard/sign-out'],
    ['the bare mount point', '/dashboard'],
    ['a path elsewhere', '/v1/reports/daily'],
    ['text past 2,048 characters', `/dashboard/sites/${'a'.repeat(2048)}`],
    ['a number', 42],
    ['nothing', undefined],
  ])('refuses %s', (_name, value) => {
    expect(safeNext(value)).toBeNull();
  });

  it('carries next in the sign-in URL as one encoded query value', () => {
    expect(signInUrl('/dashboard/sites/s_1?date=2026-11-26&x=1')).toBe(
      '/dashboard/sign-in?next=%2Fdashboard%2Fsites%2Fs_1%3Fdate%3D2026-11-26%26x%3D1',
    );
    expect(signInUrl(null)).toBe('/dashboard/sign-in');
  });
});
