/**
 * The parameters of a drill-down, checked the same way for the dashboard's pages and the JSON API:
 * an IP literal, a two-letter country code (or `unknown`), a request path or a bot name of bounded length.
 */
import { isIP } from 'node:net';
import { MAX_BOT_NAME_LENGTH, MAX_PATH_LENGTH } from '@watchpost/middleware/protocol';

/** How a drill-down link names the country of clients with none. */
export const UNKNOWN_COUNTRY = 'unknown';

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/** @example checkIp('203.0.113.7'); // { ok: true, value: '203.0.113.7' } */
export function checkIp(text: string | undefined): Checked<string> {
  return text !== undefined && isIP(text) !== 0
    ? { ok: true, value: text }
    : { ok: false, message: 'ip must be an IPv4 or IPv6 address.' };
}

/** A country code, or null for "unknown". @example checkCountry('unknown'); // { ok: true, value: null } */
export function checkCountry(text: string | undefined): Checked<string | null> {
  if (text === UNKNOWN_COUNTRY) return { ok: true, value: null };
  return text !== undefined && /^[A-Z]{2}$/.test(text)
    ? { ok: true, value: text }
    : { ok: false, message: 'code must be a two-letter country code such as JP, or "unknown".' };
}

/** @example checkPath('/login'); // { ok: true, value: '/login' } */
export function checkPath(text: string | undefined): Checked<string> {
  return text !== undefined && text !== '' && text.length <= MAX_PATH_LENGTH
    ? { ok: true, value: text }
    : { ok: false, message: `path must be 1 to ${MAX_PATH_LENGTH} characters.` };
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A bot name as events carry it. @example checkBotName('GPTBot'); // { ok: true, value: 'GPTBot' } */
export function checkBotName(text: string | undefined): Checked<string> {
  return text !== undefined && text !== '' && text.length <= MAX_BOT_NAME_LENGTH && !CONTROL.test(text)
    ? { ok: true, value: text }
    : { ok: false, message: `name must be 1 to ${MAX_BOT_NAME_LENGTH} characters without control characters.` };
}
