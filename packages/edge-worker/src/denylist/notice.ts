/**
 * `POST /__watchpost/denylist-changed`: the report API tells the worker that a site's deny list
 * changed, so the cron pull runs at once instead of within the minute. The worker answers it
 * itself (never the origin): the ingest key as bearer, compared in constant time, and a per-isolate
 * budget of notices, so the path cannot be used to hammer the report API or KV.
 */

/** The path the worker answers itself; every method on it, authenticated or not, stops here. */
export const DENYLIST_NOTICE_PATH = '/__watchpost/denylist-changed';

const encoder = new TextEncoder();

type TimingSafeSubtle = SubtleCrypto & { timingSafeEqual(a: ArrayBuffer, b: ArrayBuffer): boolean };

/**
 * Whether `Authorization` carries `Bearer <key>`. Both sides are hashed first (SHA-256), so the
 * comparison takes the same time whatever the length or the first differing byte of the guess.
 *
 * @example
 * if (!(await bearerMatches(request.headers.get('authorization'), settings.ingestKey))) return unauthorized();
 */
export async function bearerMatches(header: string | null, key: string): Promise<boolean> {
  const given = header?.startsWith('Bearer ') ? header.slice(7) : '';
  const [a, b] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(given)),
    crypto.subtle.digest('SHA-256', encoder.encode(key)),
  ]);
  // A missing key always answers false, after the same work as a wrong one.
  return (crypto.subtle as TimingSafeSubtle).timingSafeEqual(a, b) && given !== '' && key !== '';
}

/** A per-isolate budget of notices (answered or refused): `limit` per fixed `windowMs`. */
export interface NoticeBudget {
  /** Spends one notice; false (answer 429) when the window's budget is spent. */
  take(now: number): boolean;
  /** Gives back one notice taken in this window. */
  refund(): void;
  /** Seconds until the window turns (the `Retry-After` of a refusal), at least 1. */
  retryAfterS(now: number): number;
}

/**
 * @example
 * const budget = createNoticeBudget();
 * if (!budget.take(Date.now())) return new Response(null, { status: 429 });
 */
export function createNoticeBudget({ limit = 10, windowMs = 10_000 } = {}): NoticeBudget {
  let windowStart = Number.NEGATIVE_INFINITY;
  let used = 0;
  return {
    take(now) {
      if (now - windowStart >= windowMs) {
        windowStart = now;
        used = 0;
      }
      if (used >= limit) return false;
      used++;
      return true;
    },
    refund() {
      if (used > 0) used--;
    },
    retryAfterS: (now) => Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)),
  };
}

/** Runs `pull` now, one at a time: a notice during a pull runs it once more after, never more. */
export interface PullCoalescer {
  /** Starts a pull or queues one after the running one; the promise settles when the list is current. */
  request(): Promise<void>;
}

/**
 * @example
 * const pulls = createPullCoalescer(() => pullAndApply());
 * ctx.waitUntil(pulls.request());
 */
export function createPullCoalescer(pull: () => Promise<void>): PullCoalescer {
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  function start(): Promise<void> {
    running = pull().finally(() => {
      running = null;
    });
    return running;
  }
  return {
    request() {
      if (running === null) return start();
      // A change may have landed after the running pull read the report API: one more after it.
      queued ??= running.then(() => {
        queued = null;
        return start();
      });
      return queued;
    },
  };
}

/** What {@link answerDenyListNotice} needs from the isolate. */
export interface NoticeState {
  /** The worker's INGEST_KEY; null when deny-list sync is off (the path then answers 404). */
  ingestKey: string | null;
  /** Null when DENYLIST, REPORT_API_URL or INGEST_KEY is missing. */
  pulls: PullCoalescer | null;
  /** Failed authentications, then accepted notices, per isolate. */
  failures: NoticeBudget;
  accepted: NoticeBudget;
}

function answer(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(`${text}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/**
 * Answers a request to {@link DENYLIST_NOTICE_PATH}: 202 and a pull in the background, or 401, 404,
 * 405 or 429 (with Retry-After). Nothing here reaches the origin or the engine.
 *
 * @example
 * if (url.pathname === DENYLIST_NOTICE_PATH) return answerDenyListNotice(request, notices, now(), ctx.waitUntil);
 */
export async function answerDenyListNotice(
  request: Request,
  state: NoticeState,
  now: number,
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<Response> {
  if (request.method !== 'POST') return answer(405, 'Method Not Allowed', { allow: 'POST' });
  if (state.ingestKey === null || state.pulls === null) return answer(404, 'Not Found');
  // Once the failure budget is spent, guesses are refused before any hashing.
  const failuresLeft = state.failures.take(now);
  if (!failuresLeft)
    return answer(429, 'Too Many Requests', { 'retry-after': String(state.failures.retryAfterS(now)) });
  if (!(await bearerMatches(request.headers.get('authorization'), state.ingestKey))) {
    return answer(401, 'Unauthorized', { 'www-authenticate': 'Bearer' });
  }
  // An authenticated notice gives back the failure it was charged for.
  state.failures.refund();
  if (!state.accepted.take(now)) {
    return answer(429, 'Too Many Requests', { 'retry-after': String(state.accepted.retryAfterS(now)) });
  }
  waitUntil(state.pulls.request());
  return answer(202, 'Accepted: pulling the deny list now');
}
