/**
 * Dashboard sessions as HMAC-signed tokens: `base64url(payload).base64url(hmac)`. The payload names
 * the sites signed in to, a random session id and an expiry. Nothing secret is in the payload and
 * nothing is stored per session, so any instance that shares the secret can verify it; sign-out
 * records the session id in `revocations` (the dashboard keeps them in the database: they survive
 * restarts), checked on every verify.
 */
import { memoryRevocations, type SessionRevocations } from './revocations.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const toBase64Url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

/**
 * The bytes of unpadded base64url text, or null when the text is not exactly how `toBase64Url` writes
 * them (Node's decoder skips other characters and ignores stray low bits; one token has one spelling).
 */
function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  const bytes = Uint8Array.from(Buffer.from(text, 'base64url'));
  return toBase64Url(bytes) === text ? bytes : null;
}

/**
 * A verified session.
 *
 * @example
 * const session: Session | null = await sessions.verify(getCookie(c, SESSION_COOKIE));
 */
export interface Session {
  /** Random id of this sign-in (what sign-out revokes). */
  id: string;
  /** Sites signed in to, in sign-in order. */
  siteIds: string[];
  /**
   * The admin key each site was signed in with (same order as `siteIds`), so a revoked key ends its
   * site's part of the session. Empty in tokens issued before keys were bound: the dashboard refuses
   * those (their users sign in again).
   */
  keyIds: string[];
  /** Epoch ms. */
  expiresAt: number;
}

/** Default session lifetime: 8 hours (a working day). */
export const DEFAULT_SESSION_TTL_MS = 8 * 3_600_000;

/**
 * Options of `createSessions`.
 *
 * @example
 * createSessions({ secret, ttlMs: 3_600_000 });
 */
export interface SessionOptions {
  /** HMAC key, at least 32 bytes. Default: random per process (sessions end on restart). */
  secret?: Uint8Array;
  /** Session lifetime in ms. Default 8 hours (a working day). */
  ttlMs?: number;
  now?: () => number;
  /** Where sign-outs are recorded and checked. Default: this process's memory (`memoryRevocations`). */
  revocations?: SessionRevocations;
}

/**
 * Issues, verifies and revokes sessions, and derives each session's CSRF token.
 *
 * @example
 * if (!(await sessions.checkCsrf(session, form.csrf))) return c.text('refused', 403);
 */
export interface Sessions {
  /** A session for `siteIds`, each signed in with the admin key of the same index in `keyIds`. */
  issue(siteIds: string[], keyIds: string[]): Promise<{ token: string; session: Session }>;
  verify(token: string | undefined): Promise<Session | null>;
  /** The synchronizer token of a session: an HMAC of its id, so it cannot be forged or reused across sessions. */
  csrfToken(session: Session): Promise<string>;
  checkCsrf(session: Session, token: unknown): Promise<boolean>;
  /** Signs the session out: `verify` refuses its token from now on (wherever `revocations` is read). */
  revoke(session: Session): Promise<void>;
  readonly ttlMs: number;
}

/**
 * Creates the session codec. Compile once (in `dashboardRoutes`), never per request.
 *
 * @example
 * const sessions = createSessions({ secret: crypto.getRandomValues(new Uint8Array(32)) });
 * const { token } = await sessions.issue(['s_1'], ['k_1']);
 * (await sessions.verify(token))?.siteIds; // ['s_1']
 */
export function createSessions({
  secret = crypto.getRandomValues(new Uint8Array(32)),
  ttlMs = DEFAULT_SESSION_TTL_MS,
  now = Date.now,
  revocations = memoryRevocations({ now }),
}: SessionOptions = {}): Sessions {
  if (!(secret instanceof Uint8Array) || secret.length < 32)
    throw new TypeError('createSessions: secret must be a Uint8Array of at least 32 bytes');
  if (!Number.isFinite(ttlMs) || ttlMs <= 0)
    throw new TypeError(`createSessions: ttlMs must be positive, got ${ttlMs}`);
  const key = crypto.subtle.importKey('raw', Uint8Array.from(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);

  async function sign(purpose: string, data: string): Promise<string> {
    const mac = await crypto.subtle.sign('HMAC', await key, encoder.encode(`${purpose}\n${data}`));
    return toBase64Url(new Uint8Array(mac));
  }

  /** WebCrypto's HMAC verify compares in constant time; a MAC that is not base64url never matches. */
  async function verifyMac(purpose: string, data: string, mac: string): Promise<boolean> {
    const bytes = fromBase64Url(mac);
    if (!bytes || bytes.length !== 32) return false;
    return crypto.subtle.verify('HMAC', await key, bytes, encoder.encode(`${purpose}\n${data}`));
  }

  return {
    ttlMs,
    async issue(siteIds, keyIds) {
      if (keyIds.length !== siteIds.length) throw new TypeError('issue: one key id per site');
      const session: Session = {
        id: toBase64Url(crypto.getRandomValues(new Uint8Array(18))),
        siteIds,
        keyIds,
        expiresAt: now() + ttlMs,
      };
      const body = { i: session.id, s: siteIds, k: keyIds, e: session.expiresAt };
      const payload = toBase64Url(encoder.encode(JSON.stringify(body)));
      return { token: `${payload}.${await sign('session', payload)}`, session };
    },
    async verify(token) {
      if (!token || token.length > 4096) return null;
      const [payload, mac, rest] = token.split('.');
      if (!payload || !mac || rest !== undefined) return null;
      if (!(await verifyMac('session', payload, mac))) return null;
      const bytes = fromBase64Url(payload);
      if (!bytes) return null;
      let parsed: unknown;
      try {
        parsed = JSON.parse(decoder.decode(bytes));
      } catch {
        return null;
      }
      const p = parsed as { i?: unknown; s?: unknown; k?: unknown; e?: unknown };
      const strings = (list: unknown): list is string[] =>
        Array.isArray(list) && list.every((item) => typeof item === 'string');
      const keyIds = p.k ?? [];
      if (typeof p.i !== 'string' || typeof p.e !== 'number' || !strings(p.s) || !strings(keyIds)) return null;
      if (keyIds.length !== 0 && keyIds.length !== p.s.length) return null;
      if (p.e <= now() || (await revocations.isRevoked(p.i))) return null;
      return { id: p.i, siteIds: p.s, keyIds, expiresAt: p.e };
    },
    csrfToken(session) {
      return sign('csrf', session.id);
    },
    async checkCsrf(session, token) {
      return typeof token === 'string' && token.length <= 64 && verifyMac('csrf', session.id, token);
    },
    revoke(session) {
      return revocations.revoke(session.id, session.expiresAt);
    },
  };
}
