import { describe, expect, it } from 'vitest';
import { parseRetryAfter, readAnswer } from './answer.js';

const NOW = Date.UTC(2026, 11, 4);

describe('parseRetryAfter', () => {
  it.each([
    ['absent', null, null],
    ['delta-seconds', '5', 5_000],
    ['zero', '0', 0],
    ['HTTP date in the future', new Date(NOW + 7_000).toUTCString(), 7_000],
    ['HTTP date in the past', new Date(NOW - 7_000).toUTCString(), 0],
    ['garbage', 'soon', null],
    ['negative', '-5', null],
  ])('%s', (_name, header, expected) => {
    expect(parseRetryAfter(header, NOW)).toBe(expected);
  });
});

describe('readAnswer', () => {
  it.each<[string, Response, unknown]>([
    ['200 without a body count', Response.json({ ok: true }), { kind: 'ok', rejected: 0 }],
    [
      '202 with rejected events',
      Response.json({ accepted: 8, rejected: 2, details: [] }, { status: 202 }),
      { kind: 'ok', rejected: 2 },
    ],
    [
      '202 whose rejected is a list',
      Response.json({ rejected: [{ index: 0 }] }, { status: 202 }),
      { kind: 'ok', rejected: 1 },
    ],
    [
      '202 claiming more than were sent',
      Response.json({ rejected: 99 }, { status: 202 }),
      { kind: 'ok', rejected: 10 },
    ],
    [
      '202 with a broken body',
      new Response('{"rej', { status: 202, headers: { 'content-type': 'application/json' } }),
      { kind: 'ok', rejected: 0 },
    ],
    ['204', new Response(null, { status: 204 }), { kind: 'ok', rejected: 0 }],
    ['400', new Response('bad', { status: 400 }), { kind: 'reject' }],
    ['413', new Response('big', { status: 413 }), { kind: 'reject' }],
    ['408', new Response('slow', { status: 408 }), { kind: 'retry', retryAfterMs: null }],
    [
      '429 with Retry-After',
      new Response('', { status: 429, headers: { 'retry-after': '2' } }),
      { kind: 'retry', retryAfterMs: 2_000 },
    ],
    [
      '503 with Retry-After',
      new Response('', { status: 503, headers: { 'retry-after': '1' } }),
      { kind: 'retry', retryAfterMs: 1_000 },
    ],
    ['500', new Response('boom', { status: 500 }), { kind: 'retry', retryAfterMs: null }],
  ])('%s', async (_name, response, expected) => {
    expect(await readAnswer(response, 10, NOW)).toEqual(expected);
  });
});
