// Test doubles for the two HTTP peers of the worker: the origin and the report API. They are plain
// `fetch` functions handed to `createWorker({ fetch })`, so tests never touch the network.
import type { DenyEntry, EventBatch } from '@watchpost/middleware/protocol';

/** A request the fake saw, with its body already read (and un-gzipped). */
export interface SeenRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string;
}

async function readBody(request: Request): Promise<string> {
  if (!request.body) return '';
  if (request.headers.get('content-encoding') === 'gzip') {
    return new Response(request.body.pipeThrough(new DecompressionStream('gzip'))).text();
  }
  return request.text();
}

/** A fake report API: records `POST /v1/events`, serves `GET /v1/denylist` with an ETag. */
export function fakeReportApi(base = 'https://report.test') {
  const seen: SeenRequest[] = [];
  const state = {
    entries: [] as DenyEntry[],
    /** Clients a triage allowed, served in `allow` when there are some. */
    allow: [] as string[],
    version: 'v0',
    eventsStatus: 202,
    /** Body and headers of the answer to `POST /v1/events`. */
    eventsBody: '{"accepted":1}',
    eventsHeaders: {} as Record<string, string>,
    denyListStatus: 200,
  };
  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    seen.push({ method: request.method, url: request.url, headers: request.headers, body: await readBody(request) });
    if (request.headers.get('authorization') !== 'Bearer test-ingest-key') return new Response('no', { status: 401 });
    if (url.pathname === '/v1/events' && request.method === 'POST') {
      return new Response(state.eventsBody, {
        status: state.eventsStatus,
        headers: { 'content-type': 'application/json', ...state.eventsHeaders },
      });
    }
    if (url.pathname === '/v1/denylist' && request.method === 'GET') {
      if (state.denyListStatus !== 200) return new Response('down', { status: state.denyListStatus });
      const etag = `"${state.version}"`;
      if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers: { etag } });
      const allow = state.allow.length > 0 ? { allow: state.allow } : {};
      return Response.json({ version: state.version, entries: state.entries, ...allow }, { headers: { etag } });
    }
    return new Response('not found', { status: 404 });
  }
  return {
    base,
    seen,
    state,
    handle,
    /** The event batches received so far. */
    batches(): EventBatch[] {
      return seen
        .filter((request) => request.method === 'POST' && new URL(request.url).pathname === '/v1/events')
        .map((request) => JSON.parse(request.body) as EventBatch);
    },
  };
}

/** A fake origin that answers every request with a recognisable response and records it. */
export function fakeOrigin(base = 'https://origin.test') {
  const seen: SeenRequest[] = [];
  const state = { status: 200, fail: false, headers: {} as Record<string, string> };
  async function handle(request: Request): Promise<Response> {
    seen.push({ method: request.method, url: request.url, headers: request.headers, body: await readBody(request) });
    if (state.fail) throw new TypeError('connection refused');
    const url = new URL(request.url);
    return new Response(`origin saw ${request.method} ${url.pathname}${url.search}`, {
      status: state.status,
      headers: {
        'content-type': 'text/x-origin',
        'set-cookie': 'session=abc; HttpOnly',
        'x-origin': 'yes',
        ...state.headers,
      },
    });
  }
  return { base, seen, state, handle };
}

/** Routes a fetch to whichever fake owns the URL; anything else is a test bug. */
export function routeFetch(
  ...peers: { base: string; handle: (request: Request) => Promise<Response> }[]
): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const peer = peers.find((candidate) => request.url.startsWith(candidate.base));
    if (!peer) throw new Error(`unexpected outbound fetch to ${request.url}`);
    return peer.handle(request);
  };
}

/** A deny entry for tests. */
export function denyEntry(value: string, extra: Partial<DenyEntry> = {}): DenyEntry {
  return { id: `d_${value}`, value, reason: 'test', source: 'manual', createdAt: 1, expiresAt: null, ...extra };
}

/** A valid one-event batch. */
export function sampleBatch(batchId = 'batch-0001'): EventBatch {
  return {
    batchId,
    source: 'edge-worker',
    events: [
      {
        ts: 1_700_000_000_000,
        ip: '203.0.113.7',
        country: 'JP',
        method: 'GET',
        host: 'shop.example',
        path: '/',
        status: 200,
        latencyMs: 3,
        ua: 'Mozilla/5.0',
        action: 'allow',
        rule: null,
        botCategory: null,
        sampleRate: 1,
      },
    ],
  };
}
