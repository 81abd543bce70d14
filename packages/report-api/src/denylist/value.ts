import { isIP } from 'node:net';

/**
 * Checks a deny-list value: an IPv4/IPv6 address or a CIDR block. Returns the value in canonical
 * spacing/case, or an error message a person can act on.
 * (Uses `node:net`; switch to `parseCidr` of `@watchpost/middleware` once the package exports it.)
 *
 * @example
 * parseDenyValue('198.51.100.0/24'); // { ok: true, value: '198.51.100.0/24' }
 * parseDenyValue('10.0.0.0/33');     // { ok: false, message: 'prefix /33 is longer than 32 bits of IPv4' }
 */
export function parseDenyValue(text: string): { ok: true; value: string } | { ok: false; message: string } {
  const value = text.trim().toLowerCase();
  const slash = value.indexOf('/');
  const address = slash === -1 ? value : value.slice(0, slash);
  const family = isIP(address);
  if (family === 0) return { ok: false, message: `${JSON.stringify(text)} is not an IP address or CIDR block such as 198.51.100.0/24` };
  if (slash === -1) return { ok: true, value };
  const prefixText = value.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return { ok: false, message: `prefix ${JSON.stringify(prefixText)} is not a number` };
  const bits = family === 4 ? 32 : 128;
  if (Number(prefixText) > bits) return { ok: false, message: `prefix /${prefixText} is longer than ${bits} bits of IPv${family}` };
  return { ok: true, value };
}
