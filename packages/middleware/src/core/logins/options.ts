/** One detection's settings; `false` turns it off. */
export interface LoginDetectionOptions {
  /** Fires when its count reaches this (failures, accounts or clients). */
  limit: number;
  /** Sliding window, 1 000 ms..1 day. */
  windowMs: number;
  /** `block` bans the client(s) behind it; `count` only records. */
  mode?: 'block' | 'count';
  /** Ban length in block mode. Default 15 minutes. */
  banMs?: number;
}

/** A login endpoint: requests to it are login attempts, judged by their status. */
export interface LoginEndpoint {
  method: string;
  /** Exact path (query string excluded). */
  path: string;
  /** Whether a status means a failed login. Default 401 or 403; any other status < 500 is a success. */
  failed?: (status: number) => boolean;
}

/** Login-attempt monitoring (`logins` in the engine options). */
export interface LoginOptions {
  endpoints?: readonly LoginEndpoint[];
  /** HMAC key per site; without it accounts reported by the app are dropped (at least 16 characters). */
  accountKey?: string;
  /** Failures for one account from one client. Default 10 in 5 min, block, ban 15 min. */
  bruteForce?: LoginDetectionOptions | false;
  /** Distinct accounts failing from one client. Default 5 in 10 min, block. */
  stuffing?: LoginDetectionOptions | false;
  /** Failures for one account from many clients. Default 20 clients in 10 min, block. */
  spraying?: LoginDetectionOptions | false;
  /** A success after this many failures for the account (any client) in the window. Default 5, count. */
  compromised?: LoginDetectionOptions | false;
  /** Most clients and accounts tracked per detection; the stalest are evicted. Default 50 000. */
  maxTracked?: number;
}

export type LoginKind = 'brute-force' | 'credential-stuffing' | 'password-spraying' | 'compromised';

export interface ResolvedDetection {
  readonly kind: LoginKind;
  readonly limit: number;
  readonly windowMs: number;
  readonly mode: 'block' | 'count';
  readonly banMs: number;
}

const DEFAULTS: Readonly<Record<'bruteForce' | 'stuffing' | 'spraying' | 'compromised', ResolvedDetection>> = {
  bruteForce: { kind: 'brute-force', limit: 10, windowMs: 300_000, mode: 'block', banMs: 900_000 },
  stuffing: { kind: 'credential-stuffing', limit: 5, windowMs: 600_000, mode: 'block', banMs: 900_000 },
  spraying: { kind: 'password-spraying', limit: 20, windowMs: 600_000, mode: 'block', banMs: 900_000 },
  compromised: { kind: 'compromised', limit: 5, windowMs: 600_000, mode: 'count', banMs: 900_000 },
};

function integerIn(value: unknown, min: number, max: number, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${where} must be an integer in ${min}..${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Fills in one detection's defaults; null when it is off. Throws a TypeError naming a bad field. */
export function resolveDetection(
  name: keyof typeof DEFAULTS,
  given: LoginDetectionOptions | false | undefined,
  dryRun: boolean,
): ResolvedDetection | null {
  const where = `options.logins.${name}`;
  const base = DEFAULTS[name];
  if (given === false) return null;
  if (given === undefined) return dryRun ? { ...base, mode: 'count' } : base;
  if (given === null || typeof given !== 'object') throw new TypeError(`${where} must be an object or false`);
  const { limit = base.limit, windowMs = base.windowMs, mode = base.mode, banMs = base.banMs } = given;
  if (mode !== 'block' && mode !== 'count') {
    throw new TypeError(`${where}.mode must be 'block' or 'count', got ${JSON.stringify(mode)}`);
  }
  return {
    kind: base.kind,
    limit: integerIn(limit, 1, 100_000, `${where}.limit`),
    windowMs: integerIn(windowMs, 1_000, 86_400_000, `${where}.windowMs`),
    mode: dryRun ? 'count' : mode,
    banMs: integerIn(banMs, 1_000, 7 * 86_400_000, `${where}.banMs`),
  };
}
