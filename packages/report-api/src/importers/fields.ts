import { MAX_PATH_LENGTH, MAX_UA_LENGTH } from '@watchpost/middleware/protocol';

// C0 controls, DEL and C1 controls: ingest refuses text fields that contain them.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Makes log text storable: control characters become `%XX` (ingest refuses them) and broken
 * UTF-16 is repaired. Cheap when there is nothing to do, which is almost always.
 *
 * @example
 * storableText('/a\u0007b'); // '/a%07b'
 */
export function storableText(text: string): string {
  CONTROL.lastIndex = 0;
  let out = CONTROL.test(text)
    ? text.replace(CONTROL, (ch) => `%${ch.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`)
    : text;
  LONE_SURROGATE.lastIndex = 0;
  if (LONE_SURROGATE.test(out)) out = out.replace(LONE_SURROGATE, '\uFFFD');
  return out;
}

/** At most `max` UTF-16 units, never ending in half a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/** Storable text of at most `max` UTF-16 units (escaping can lengthen it, so cut again after). */
function fit(text: string, max: number): string {
  const escaped = storableText(cut(text, max));
  if (escaped.length <= max) return escaped;
  // Never end in half a `%XX` escape.
  return cut(escaped, max).replace(/%[0-9A-F]?$/, '');
}

/**
 * A request path as the protocol wants it: no query string or fragment, storable, at most
 * `MAX_PATH_LENGTH`.
 *
 * @example
 * cleanPath('/search?q=1'); // '/search'
 */
export function cleanPath(raw: string): string {
  let end = raw.length;
  const q = raw.indexOf('?');
  if (q !== -1) end = q;
  const hash = raw.indexOf('#');
  if (hash !== -1 && hash < end) end = hash;
  return fit(end === raw.length ? raw : raw.slice(0, end), MAX_PATH_LENGTH);
}

/**
 * A host name as stored: lower case, storable, at most 255 characters.
 *
 * @example
 * cleanHost('Shop.Example'); // 'shop.example'
 */
export function cleanHost(raw: string): string {
  // Lower case first: it can lengthen the text ('İ' becomes two units), so cut after.
  return fit(raw.toLowerCase(), 255);
}

/**
 * A short token (method, rule name) as stored: storable and at most `max` characters.
 *
 * @example
 * cleanToken('GET', 16); // 'GET'
 */
export function cleanToken(raw: string, max: number): string {
  return fit(raw, max);
}

/**
 * A user agent truncated to `MAX_UA_LENGTH`; `-` (the log's "none") becomes empty.
 *
 * @example
 * cleanUa('-'); // ''
 */
export function cleanUa(raw: string): string {
  return raw === '-' ? '' : fit(raw, MAX_UA_LENGTH);
}

/**
 * Undoes the escapes web servers and load balancers write inside quoted fields:
 * `\"`, `\\` (Apache, ALB) and `\xHH` (nginx, printable ASCII only).
 *
 * @example
 * unescapeLogField('say \\"hi\\"'); // 'say "hi"'
 */
export function unescapeLogField(raw: string): string {
  let at = raw.indexOf('\\');
  if (at === -1) return raw;
  // Copies the runs between escapes in one slice each: a line of 60,000 escapes stays linear and fast.
  let out = '';
  let from = 0;
  while (at !== -1 && at + 1 < raw.length) {
    out += raw.slice(from, at);
    const next = raw[at + 1]!;
    from = at + 2;
    if (next === 'x' && at + 3 < raw.length) {
      const code = Number.parseInt(raw.slice(at + 2, at + 4), 16);
      // Only printable ASCII is decoded: control bytes would be refused by ingest, and lone
      // bytes of a UTF-8 sequence would turn into mojibake. Those keep their `\xHH` text.
      if (code >= 0x20 && code < 0x7f) {
        out += String.fromCharCode(code);
        from = at + 4;
      } else out += '\\x';
    } else out += next;
    at = raw.indexOf('\\', from);
  }
  return out + raw.slice(from);
}

/**
 * Splits a space-separated log line whose fields may be double-quoted (with backslash escapes).
 * Quoted fields come back unescaped and without their quotes. Returns `null` when a quote is
 * left open, which is how a truncated line looks. Stops after `maxFields` fields (the rest of the
 * line is not looked at).
 *
 * @example
 * splitLogFields('a "b c" d'); // ['a', 'b c', 'd']
 */
export function splitLogFields(line: string, maxFields = Number.POSITIVE_INFINITY): string[] | null {
  const fields: string[] = [];
  const n = line.length;
  let i = 0;
  while (i < n && fields.length < maxFields) {
    const ch = line.charCodeAt(i);
    if (ch === 32 /* space */) {
      i++;
      continue;
    }
    if (ch === 34 /* " */) {
      let j = i + 1;
      let escaped = false;
      while (j < n) {
        const c = line.charCodeAt(j);
        if (c === 92 /* \ */) {
          escaped = true;
          j += 2;
          continue;
        }
        if (c === 34) break;
        j++;
      }
      if (j >= n) return null;
      const inner = line.slice(i + 1, j);
      fields.push(escaped ? unescapeLogField(inner) : inner);
      i = j + 1;
      continue;
    }
    let j = line.indexOf(' ', i);
    if (j === -1) j = n;
    fields.push(line.slice(i, j));
    i = j;
  }
  return fields;
}

/**
 * Splits a request target into host and path: the absolute form (`http://host:port/path`, as ALB
 * and proxies log it) gives the host without its port; the origin form (`/path`) gives `host: null`.
 *
 * @example
 * splitTarget('https://shop.example:443/cart'); // { host: 'shop.example', path: '/cart' }
 */
export function splitTarget(target: string): { host: string | null; path: string } {
  const scheme = target.indexOf('://');
  if (scheme === -1 || target.charCodeAt(0) === 47 /* / */) return { host: null, path: target };
  const slash = target.indexOf('/', scheme + 3);
  const authority = slash === -1 ? target.slice(scheme + 3) : target.slice(scheme + 3, slash);
  return { host: stripPort(authority), path: slash === -1 ? '/' : target.slice(slash) };
}

/**
 * The host of an `authority` (`host:port`, `[v6]:port`), lower case, without the port.
 *
 * @example
 * stripPort('Shop.Example:8080'); // 'shop.example'
 */
export function stripPort(authority: string): string {
  if (authority.startsWith('[')) return authority.slice(0, authority.indexOf(']') + 1);
  const colon = authority.lastIndexOf(':');
  return (colon === -1 ? authority : authority.slice(0, colon)).toLowerCase();
}

function digits(s: string, from: number, count: number): number {
  let value = 0;
  for (let k = from; k < from + count; k++) {
    const d = s.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function validClock(month: number, day: number, hour: number, minute: number, second: number): boolean {
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= 31 &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 60
  );
}

/**
 * Parses an ISO 8601 UTC time as ALB writes it (`2026-03-09T14:02:11.482913Z`, any fraction
 * length) into epoch ms, without the cost of `Date.parse`. Other shapes fall back to `Date.parse`.
 * Returns `NaN` when the text is not a time.
 *
 * @example
 * parseIsoUtc('2026-03-09T14:02:11.482913Z'); // 1773064931482
 */
export function parseIsoUtc(s: string): number {
  if (s.length >= 20 && s.charCodeAt(4) === 45 && s.charCodeAt(10) === 84 && s.charCodeAt(s.length - 1) === 90) {
    const year = digits(s, 0, 4);
    const month = digits(s, 5, 2);
    const day = digits(s, 8, 2);
    const hour = digits(s, 11, 2);
    const minute = digits(s, 14, 2);
    const second = digits(s, 17, 2);
    let ms = 0;
    if (s.length > 20) {
      if (s.charCodeAt(19) !== 46 /* . */) return Number.NaN;
      const frac = s.slice(20, Math.min(s.length - 1, 23)).padEnd(3, '0');
      ms = digits(frac, 0, 3);
    }
    if (year < 0 || ms < 0 || !validClock(month, day, hour, minute, second)) return Number.NaN;
    return Date.UTC(year, month - 1, day, hour, minute, second, ms);
  }
  return s.length >= 10 && s.charCodeAt(4) === 45 ? Date.parse(s) : Number.NaN;
}

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

/**
 * Parses the Common Log Format time, `10/Oct/2026:13:55:36 -0700` (without the brackets), into
 * epoch ms. Returns `NaN` when the text is not such a time.
 *
 * @example
 * parseClfTime('10/Oct/2026:13:55:36 -0700'); // 1791665736000
 */
export function parseClfTime(s: string): number {
  if (s.length !== 26 || s.charCodeAt(2) !== 47 || s.charCodeAt(6) !== 47 || s.charCodeAt(20) !== 32) {
    return Number.NaN;
  }
  const month = MONTHS[s.slice(3, 6)];
  const day = digits(s, 0, 2);
  const year = digits(s, 7, 4);
  const hour = digits(s, 12, 2);
  const minute = digits(s, 15, 2);
  const second = digits(s, 18, 2);
  const sign = s[21] === '-' ? -1 : s[21] === '+' ? 1 : 0;
  const offH = digits(s, 22, 2);
  const offM = digits(s, 24, 2);
  if (month === undefined || year < 0 || sign === 0 || offH < 0 || offM < 0) return Number.NaN;
  if (!validClock(month + 1, day, hour, minute, second)) return Number.NaN;
  return Date.UTC(year, month, day, hour, minute, second) - sign * (offH * 60 + offM) * 60_000;
}
