/**
 * A parsed IP address. `words` holds the address as big-endian unsigned 32-bit integers:
 * one word for IPv4, four for IPv6. IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is reported as IPv4.
 */
export interface ParsedIp {
  readonly family: 4 | 6;
  readonly words: readonly number[];
}

/** Longest text accepted: a full IPv6 with embedded IPv4, brackets and a generous zone id. */
const MAX_INPUT_LENGTH = 100;

/**
 * Parses IPv4 and IPv6 text (every compressed form, embedded IPv4, `[brackets]`, `%zone` ids).
 * IPv4-mapped IPv6 comes back as family 4. Malformed input gives `null`; it never throws.
 * Surrounding spaces and IPv4 octets with leading zeros are malformed (they are ambiguous).
 *
 * @example
 * parseIp('::ffff:192.0.2.1'); // { family: 4, words: [0xc0000201] }
 * parseIp('fe80::1%eth0');     // { family: 6, words: [0xfe800000, 0, 0, 1] }
 * parseIp('256.1.1.1');        // null
 */
export function parseIp(text: string): ParsedIp | null {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_INPUT_LENGTH) return null;
  let start = 0;
  let end = text.length;
  if (text.charCodeAt(0) === 91 /* [ */) {
    if (text.charCodeAt(end - 1) !== 93 /* ] */) return null;
    start = 1;
    end -= 1;
  }
  const percent = text.indexOf('%', start);
  if (percent !== -1 && percent < end) {
    // A zone id names an interface, not a host: drop it, but it must not be empty.
    if (percent === end - 1) return null;
    end = percent;
  }
  if (text.indexOf(':', start) !== -1) return parseIpv6(text, start, end);
  if (start !== 0 || end !== text.length) return null; // brackets or zone on IPv4
  const word = parseIpv4Word(text, 0, text.length);
  return word === -1 ? null : { family: 4, words: [word] };
}

/** Parses dotted-quad IPv4 in text[start, end) into an unsigned 32-bit word, or -1. */
function parseIpv4Word(text: string, start: number, end: number): number {
  let word = 0;
  let octets = 0;
  let value = 0;
  let digits = 0;
  for (let i = start; i <= end; i++) {
    const code = i === end ? 46 : text.charCodeAt(i);
    if (code === 46 /* . */) {
      if (digits === 0 || octets === 4) return -1;
      word = word * 256 + value;
      octets++;
      value = 0;
      digits = 0;
    } else if (code >= 48 && code <= 57) {
      if (digits === 1 && value === 0) return -1; // leading zero: octal in some parsers
      value = value * 10 + (code - 48);
      if (value > 255) return -1;
      digits++;
    } else {
      return -1;
    }
  }
  return octets === 4 ? word : -1;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/** Scratch space for the groups of one IPv6 address; parsing is synchronous, so one suffices. */
const groups = new Uint16Array(8);

/** Parses IPv6 text in text[start, end). */
function parseIpv6(text: string, start: number, end: number): ParsedIp | null {
  let count = 0;
  let gap = -1; // index in `groups` where `::` stands
  let i = start;
  if (text.charCodeAt(i) === 58 /* : */) {
    if (text.charCodeAt(i + 1) !== 58) return null; // a lone leading colon
    gap = 0;
    i += 2;
  }
  while (i < end) {
    let value = 0;
    let digits = 0;
    const groupStart = i;
    while (i < end) {
      const hex = hexValue(text.charCodeAt(i));
      if (hex === -1) break;
      value = value * 16 + hex;
      digits++;
      i++;
    }
    if (i < end && text.charCodeAt(i) === 46 /* . */) {
      // Embedded IPv4 must be the last thing in the address and fill two groups.
      const word = parseIpv4Word(text, groupStart, end);
      if (word === -1 || count > 6) return null;
      groups[count++] = word >>> 16;
      groups[count++] = word & 0xffff;
      break;
    }
    if (digits === 0 || digits > 4 || count === 8) return null;
    groups[count++] = value;
    if (i === end) break;
    if (text.charCodeAt(i) !== 58) return null;
    i++;
    if (text.charCodeAt(i) === 58 && i < end) {
      if (gap !== -1) return null; // a second `::`
      gap = count;
      i++;
    } else if (i === end) {
      return null; // a trailing single colon
    }
  }
  if (gap === -1 ? count !== 8 : count > 7) return null;
  if (gap !== -1) {
    // Move the groups after `::` to the end and zero the gap.
    const tail = count - gap;
    for (let g = tail - 1; g >= 0; g--) groups[8 - tail + g] = groups[gap + g] as number;
    for (let g = gap; g < 8 - tail; g++) groups[g] = 0;
  }
  const w0 = ((groups[0] as number) * 0x10000 + (groups[1] as number)) >>> 0;
  const w1 = ((groups[2] as number) * 0x10000 + (groups[3] as number)) >>> 0;
  const w2 = ((groups[4] as number) * 0x10000 + (groups[5] as number)) >>> 0;
  const w3 = ((groups[6] as number) * 0x10000 + (groups[7] as number)) >>> 0;
  if (w0 === 0 && w1 === 0 && w2 === 0xffff) return { family: 4, words: [w3] };
  return { family: 6, words: [w0, w1, w2, w3] };
}

/**
 * Formats a parsed address canonically: dotted quad for IPv4, RFC 5952 for IPv6
 * (lower case, no leading zeros, the longest run of two or more zero groups as `::`).
 *
 * @example
 * formatIp(parseIp('2001:DB8:0:0:0:0:0:1')!); // '2001:db8::1'
 */
export function formatIp(ip: ParsedIp): string {
  if (ip.family === 4) {
    const w = ip.words[0] as number;
    return `${w >>> 24}.${(w >>> 16) & 255}.${(w >>> 8) & 255}.${w & 255}`;
  }
  // Events format an address per request: no arrays, no slices, one pass to find the longest
  // run of zero groups (the first of equal runs; a single zero group is never compressed).
  const words = ip.words;
  const group = (g: number) => ((g & 1) === 0 ? (words[g >> 1] as number) >>> 16 : (words[g >> 1] as number) & 0xffff);
  let bestStart = -1;
  let bestLength = 1;
  let runStart = -1;
  for (let g = 0; g < 8; g++) {
    if (group(g) !== 0) {
      runStart = -1;
      continue;
    }
    if (runStart === -1) runStart = g;
    if (g - runStart + 1 > bestLength) {
      bestStart = runStart;
      bestLength = g - runStart + 1;
    }
  }
  let text = '';
  for (let g = 0; g < 8; g++) {
    if (g === bestStart) {
      text += '::';
      g += bestLength - 1;
      continue;
    }
    if (text.length > 0 && g !== bestStart + bestLength) text += ':';
    text += group(g).toString(16);
  }
  return text;
}

/**
 * Parses and formats in one step: the canonical text of an address, or `null` when malformed.
 *
 * @example
 * normalizeIp('::FFFF:10.0.0.1'); // '10.0.0.1'
 * normalizeIp('[2001:db8::0001]'); // '2001:db8::1'
 */
export function normalizeIp(text: string): string | null {
  const ip = parseIp(text);
  return ip === null ? null : formatIp(ip);
}
