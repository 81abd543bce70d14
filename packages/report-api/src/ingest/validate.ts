import { batchEnvelopeSchema, eventSchema, type EventBatch, type WatchpostEvent } from '@watchpost/middleware/protocol';
import { type ErrorDetail, issueDetails } from '../http/errors.js';
import { surelyValid } from './valid-event.js';

const DAY_MS = 86_400_000;
/** Most problems listed in one answer (400 details, or the rejected events of a 202). */
export const MAX_DETAILS = 20;
/** Oldest event accepted, relative to the API's clock: 400 days (past any retention a report reads). */
export const MAX_EVENT_AGE_MS = 400 * DAY_MS;
/** Furthest in the future an event (or a batch's `sentAt`) may be: one day of clock skew. */
export const MAX_EVENT_AHEAD_MS = DAY_MS;
// C0 controls, DEL and C1 controls. Text with these is refused rather than stored: it breaks logs,
// terminals and the Markdown report. Senders replace them (middleware `sanitizeText`).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// An unpaired surrogate: JSON allows "\ud800", UTF-8 cannot encode it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const TEXT_FIELDS = ['method', 'host', 'path', 'ua', 'rule', 'botName'] as const;

/** One event refused by validation: its index in the batch, the field and what to send instead. */
export interface RejectedEvent extends ErrorDetail {
  index: number;
}

/**
 * Result of `validateBatch`. `ok: false` only for a broken envelope (the 400 answer). Otherwise
 * `batch.events` holds the valid events (normalised), `rejected` counts the others, `details`
 * names the first `MAX_DETAILS` of them, and `changed` says whether `batch` differs from the body
 * as received (events dropped or IPs normalised), so the received text cannot stand for it.
 */
export type BatchValidation =
  | { ok: true; batch: EventBatch; rejected: number; details: RejectedEvent[]; changed: boolean }
  | { ok: false; details: ErrorDetail[] };

/** Options of `validateBatch`. */
export interface ValidateOptions {
  /**
   * The API's clock, epoch ms: events older than `MAX_EVENT_AGE_MS` or more than `MAX_EVENT_AHEAD_MS`
   * ahead are refused. Without it (an import of old logs) only the schema's 2000..largest-Date range applies.
   */
  now?: number;
}

/** Why one event is refused (path relative to the batch, e.g. `events.3.ts`), or its normalised form. */
function checkEvent(
  raw: unknown,
  index: number,
  now: number | undefined,
): { event: WatchpostEvent } | { problem: ErrorDetail } {
  // Senders send valid events: a quick check that is never looser than the schema spares zod
  // (most of validation's cost) for them; anything it is unsure of goes to zod, which decides.
  const sure = surelyValid(raw as WatchpostEvent);
  let event: WatchpostEvent;
  if (sure) event = raw as WatchpostEvent;
  else {
    const parsed = eventSchema.safeParse(raw);
    if (!parsed.success) {
      const [problem] = issueDetails(parsed.error.issues, 1);
      return { problem: { path: `events.${index}.${problem!.path}`, message: problem!.message } };
    }
    event = parsed.data;
  }
  if (now !== undefined && (event.ts < now - MAX_EVENT_AGE_MS || event.ts > now + MAX_EVENT_AHEAD_MS)) {
    return {
      problem: {
        path: `events.${index}.ts`,
        message: `more than 400 days before or 1 day after the server's clock (${new Date(now).toISOString()})`,
      },
    };
  }
  // `surelyValid` refused control characters and lone surrogates already.
  for (let f = 0; !sure && f < TEXT_FIELDS.length; f++) {
    const field = TEXT_FIELDS[f]!;
    const value = event[field];
    if (typeof value !== 'string') continue;
    const control = CONTROL.exec(value);
    if (control) {
      const code = control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase();
      return {
        problem: {
          path: `events.${index}.${field}`,
          message: `contains control character U+${code}; percent-encode or strip it`,
        },
      };
    }
    if (LONE_SURROGATE.test(value)) {
      return {
        problem: {
          path: `events.${index}.${field}`,
          message: 'contains an unpaired UTF-16 surrogate (broken unicode); send valid UTF-8',
        },
      };
    }
  }
  return { event };
}

/**
 * Validates a parsed body of `POST /v1/events`. The batch is refused whole only when its envelope
 * is broken (not an object, bad `batchId`/`source`/`sentAt`, `events` not an array or longer than
 * `MAX_BATCH_EVENTS`). Each event is then checked on its own: the schema (ts in the Date range, a
 * real IP, sampleRate >= 1e-6), a bounded skew from `now`, and no control character or lone
 * surrogate in its text. Never throws, whatever the body.
 *
 * @example
 * const result = validateBatch(JSON.parse(body), { now: Date.now() });
 * if (result.ok) console.log(result.rejected, result.details[0]);
 * // 1 { index: 3, path: 'events.3.ip', message: '...' }
 */
export function validateBatch(body: unknown, { now }: ValidateOptions = {}): BatchValidation {
  const envelope = batchEnvelopeSchema.safeParse(body);
  if (!envelope.success) return { ok: false, details: issueDetails(envelope.error.issues, MAX_DETAILS) };
  const { sentAt } = envelope.data;
  if (
    now !== undefined &&
    sentAt !== undefined &&
    (sentAt < now - MAX_EVENT_AGE_MS || sentAt > now + MAX_EVENT_AHEAD_MS)
  ) {
    return {
      ok: false,
      details: [
        {
          path: 'sentAt',
          message:
            `more than 400 days before or 1 day after the server's clock ` +
            `(${new Date(now).toISOString()}); check the sender's clock`,
        },
      ],
    };
  }
  const rawEvents = envelope.data.events;
  const events: WatchpostEvent[] = [];
  const details: RejectedEvent[] = [];
  let rejected = 0;
  let changed = false;
  for (let index = 0; index < rawEvents.length; index++) {
    const raw = rawEvents[index];
    const checked = checkEvent(raw, index, now);
    if ('problem' in checked) {
      rejected++;
      if (details.length < MAX_DETAILS) details.push({ index, ...checked.problem });
      continue;
    }
    if (checked.event.ip !== (raw as { ip: unknown }).ip) changed = true;
    events.push(checked.event);
  }
  return { ok: true, batch: { ...envelope.data, events }, rejected, details, changed: changed || rejected > 0 };
}
