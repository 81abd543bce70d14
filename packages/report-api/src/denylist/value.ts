import { createIpMatcher, normalizeIp } from '@watchpost/middleware';

/**
 * Checks a deny-list value: an IPv4/IPv6 address or a CIDR block, parsed by the same code the
 * middleware matches with (`createIpMatcher`). A single address comes back normalised
 * (`::ffff:192.0.2.1` → `192.0.2.1`); otherwise returns an error message a person can act on.
 *
 * @example
 * parseDenyValue('198.51.100.0/24'); // { ok: true, value: '198.51.100.0/24' }
 * parseDenyValue('10.0.0.0/33');     // { ok: false, message: '"10.0.0.0/33" is not an IP address or CIDR block ...' }
 */
export function parseDenyValue(text: string): { ok: true; value: string } | { ok: false; message: string } {
  const value = text.trim().toLowerCase();
  try {
    createIpMatcher([value]);
  } catch {
    return {
      ok: false,
      message:
        `${JSON.stringify(text)} is not an IP address or CIDR block such as 198.51.100.7 or ` +
        `198.51.100.0/24 (IPv4 prefixes up to /32, IPv6 up to /128)`,
    };
  }
  return { ok: true, value: value.includes('/') ? value : (normalizeIp(value) ?? value) };
}
