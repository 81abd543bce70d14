import { parseIp, type ParsedIp } from '../ip/parse.js';

/**
 * Parses one address as proxies and CDNs write it: bare (`203.0.113.7`, `2001:db8::7`), with a
 * port (`203.0.113.7:4711`, `[2001:db8::7]:4711`), or CloudFront's unbracketed IPv6 with a port
 * (`2001:db8::7:4711`, read as address then port). Surrounding spaces are ignored.
 *
 * @example
 * parseHop(' [2001:db8::7]:443 '); // { family: 6, words: [...] }
 * parseHop('unknown');             // null
 */
export function parseHop(text: string | null | undefined, { portWithoutBrackets = false } = {}): ParsedIp | null {
  if (typeof text !== 'string') return null;
  // The usual hop, a bare address (always so for a socket's), parses as it is, without a trimmed copy.
  const bare = portWithoutBrackets ? null : parseIp(text);
  if (bare !== null) return bare;
  const hop = text.trim();
  if (hop.length === 0) return null;
  if (hop.charCodeAt(0) === 91 /* [ */) {
    const close = hop.indexOf(']');
    if (close === -1) return null;
    const rest = hop.slice(close + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return null;
    return parseIp(hop.slice(0, close + 1));
  }
  const direct = portWithoutBrackets || hop === text ? null : parseIp(hop);
  if (direct !== null) return direct;
  const colon = hop.lastIndexOf(':');
  if (colon === -1) return portWithoutBrackets ? parseIp(hop) : null;
  if (!/^\d{1,5}$/.test(hop.slice(colon + 1))) return null;
  const address = hop.slice(0, colon);
  // An IPv4 address carries one colon at most: `1.2.3.4:80`. Anything else is IPv6.
  if (!portWithoutBrackets && address.includes(':') && address.includes('.') === false) return null;
  return parseIp(address);
}
