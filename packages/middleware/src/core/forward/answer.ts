/** What a report API answer means for the batch that was sent. */
export type Answer =
  /** Stored; `rejected` of its events were refused one by one (the API's 202 `rejected`) and will never be. */
  | { kind: 'ok'; rejected: number }
  /** Send the same batch again later; `retryAfterMs` when the API said when (`Retry-After`). */
  | { kind: 'retry'; retryAfterMs: number | null }
  /** This batch will never be accepted (a 4xx other than 408/429). */
  | { kind: 'reject' };

/**
 * Milliseconds a `Retry-After` header asks to wait (delta-seconds or an HTTP date), or null when
 * absent or unreadable. Never negative.
 *
 * @example
 * parseRetryAfter('3', 0);                                  // 3000
 * parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4_000);  // 6000
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its day and month; Date.parse alone would read '-5' as a year.
  const at = /[A-Za-z]/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : null;
}

/** The `rejected` count of a 2xx body (`{accepted, rejected, details}`), 0 when there is none. */
async function rejectedCount(response: Response, sent: number): Promise<number> {
  if (response.status === 204 || !(response.headers.get('content-type') ?? '').includes('json')) {
    await response.body?.cancel().catch(() => {});
    return 0;
  }
  try {
    const body = (await response.json()) as { rejected?: unknown } | null;
    const rejected = body?.rejected;
    const count = Array.isArray(rejected) ? rejected.length : typeof rejected === 'number' ? rejected : 0;
    // A count the batch cannot hold is the API's mistake, not lost events.
    return Number.isInteger(count) && count > 0 ? Math.min(count, sent) : 0;
  } catch {
    return 0;
  }
}

/**
 * Reads the report API's answer to `POST /v1/events` for a batch of `sent` events. 2xx is ok
 * (with the count of events refused individually); 408, 429 and 5xx are "later" (with
 * `Retry-After` when given); any other 4xx means the batch will never be accepted.
 *
 * @example
 * const answer = await readAnswer(await fetch(url, init), 2000, Date.now());
 * if (answer.kind === 'retry') wait(answer.retryAfterMs ?? backoff);
 */
export async function readAnswer(response: Response, sent: number, nowMs: number): Promise<Answer> {
  if (response.ok) return { kind: 'ok', rejected: await rejectedCount(response, sent) };
  await response.body?.cancel().catch(() => {});
  const { status } = response;
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return { kind: 'reject' };
  return { kind: 'retry', retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), nowMs) };
}
