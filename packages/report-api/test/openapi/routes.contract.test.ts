import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContract, readAnswer, type Contract, type OpenApiDocument } from './contract.js';
import { startSeededApi, type SeededApi } from './seeded-api.js';

// Every route of the OpenAPI document, called over HTTP on a report API in this process (SQLite, two
// seeded days with bots, bursts, 5xx, logins and rate-rule refusals), each answer checked against the
// document the app serves at /openapi.json at test time. (Batches the real middleware sends are checked
// in middleware-batches.contract.test.ts.)
let api: SeededApi;
let contract: Contract;

beforeAll(async () => {
  api = await startSeededApi();
  const document = (await (await fetch(`${api.reportApiUrl}/openapi.json`)).json()) as OpenApiDocument;
  contract = createContract(document);
}, 90_000);

afterAll(async () => {
  await api?.close();
});

interface Call {
  key?: 'admin' | 'ingest' | 'none' | 'wrong' | { bearer: string };
  body?: unknown;
  contentType?: string;
  query?: string;
  accept?: string;
}

/** Calls `method template` (with `{id}` filled from `id`) and returns the answer and its contract problems. */
async function call(method: string, template: string, { key = 'admin', ...options }: Call = {}) {
  return callPath(method, template, template, { key, ...options });
}

async function callPath(method: string, template: string, path: string, options: Call) {
  const { key, body, contentType = 'application/json', query = '', accept } = options;
  const headers: Record<string, string> = accept === undefined ? {} : { accept };
  const token =
    typeof key === 'object'
      ? key.bearer
      : { admin: api.adminKey, ingest: api.ingestKey, wrong: 'wpa_not_a_key', none: undefined }[key!];
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = contentType;
  const res = await fetch(`${api.reportApiUrl}${path}${query}`, {
    method: method.toUpperCase(),
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const answer = await readAnswer(res);
  return { answer, problems: contract.checkResponse(method, template, answer) };
}

const expectValid = async (promise: ReturnType<typeof call>, status: number) => {
  const { answer, problems } = await promise;
  expect(problems).toEqual([]);
  expect(answer.status).toBe(status);
  return answer.body as Record<string, unknown>;
};

describe('real responses match the OpenAPI document', () => {
  it('GET /healthz without a key', async () => {
    await expectValid(call('get', '/healthz', { key: 'none' }), 200);
  });

  it("GET /v1/reports/daily: the seeded day's report, the day before, an empty day, bad input", async () => {
    const report = await expectValid(call('get', '/v1/reports/daily', { query: `?date=${api.date}` }), 200);
    // The document holds for the rows that used to fail: browsers (botCategory null) and bots.
    const agents = report.topUserAgents as Array<{ botCategory: string | null }>;
    expect(agents.some((a) => a.botCategory === null)).toBe(true);
    expect(agents.some((a) => a.botCategory !== null)).toBe(true);
    // ...and for the login and rate-rule sections, which have rows on this day.
    expect(report.logins).toMatchObject({ attempts: 13, failures: 12 });
    expect(report.rateLimited).toMatchObject({ totals: { refused: 5 } });
    await expectValid(call('get', '/v1/reports/daily', { query: `?date=${api.previousDate}` }), 200);
    await expectValid(call('get', '/v1/reports/daily', { query: '?date=2020-01-01' }), 200);
    await expectValid(call('get', '/v1/reports/daily', { query: '?date=2026-02-30' }), 400);
    await expectValid(call('get', '/v1/reports/daily', { key: 'none', query: `?date=${api.date}` }), 401);
    await expectValid(call('get', '/v1/reports/daily', { key: 'ingest', query: `?date=${api.date}` }), 403);
    const csv = await call('get', '/v1/reports/daily', { accept: 'text/csv', query: `?date=${api.date}&table=topIps` });
    expect(csv.problems).toEqual([]);
    expect(csv.answer).toMatchObject({ status: 200, contentType: 'text/csv; charset=utf-8' });
    expect(String(csv.answer.body).split('\n')[0]).toMatch(/^ip,requests,blocked,country/);
    await expectValid(call('get', '/v1/reports/daily', { accept: 'text/csv', query: `?date=${api.date}` }), 400);
  });

  it('cases: refresh a day, list, one, decide, decide in bulk', async () => {
    const at = (path: string) => `/v1/sites/${encodeURIComponent(api.site.id)}${path}`;
    const site = (method: string, template: string, path: string, options: Call = {}) =>
      callPath(method, `/v1/sites/{id}${template}`, at(path), { key: 'admin', ...options });
    const refreshed = await expectValid(
      site('post', '/cases/refresh', '/cases/refresh', { query: `?date=${api.date}` }),
      200,
    );
    expect(refreshed.created).toBeGreaterThan(0);
    await expectValid(site('post', '/cases/refresh', '/cases/refresh', { query: '?date=2026-02-30' }), 400);
    const listed = await expectValid(site('get', '/cases', '/cases', { query: '?refresh=0' }), 200);
    const [first, second] = listed.cases as Array<{ id: string }>;
    expect(second).toBeDefined();
    const csv = await site('get', '/cases', '/cases', { query: '?refresh=0&table=cases', accept: 'text/csv' });
    expect(csv.problems).toEqual([]);
    await expectValid(site('get', '/cases', '/cases', { query: '?state=bogus' }), 400);
    await expectValid(site('get', '/cases', '/cases', { key: 'ingest' }), 403);
    await expectValid(site('get', '/cases/{caseId}', `/cases/${first!.id}`), 200);
    await expectValid(site('get', '/cases/{caseId}', '/cases/case_nope'), 404);
    const decide = (id: string, body: unknown) =>
      site('post', '/cases/{caseId}/decision', `/cases/${id}/decision`, { body });
    await expectValid(decide(first!.id, { action: 'dismiss', reason: 'contract test' }), 200);
    await expectValid(decide(first!.id, { action: 'dismiss', reason: '' }), 400);
    await expectValid(decide('case_nope', { action: 'dismiss', reason: 'x' }), 404);
    const bulk = { caseIds: [second!.id, 'case_nope'], decision: { action: 'dismiss', reason: 'contract test' } };
    const decided = await expectValid(site('post', '/cases/decisions', '/cases/decisions', { body: bulk }), 200);
    expect(decided).toEqual({ decided: [second!.id], missing: ['case_nope'], failed: [] });
    await expectValid(site('post', '/cases/decisions', '/cases/decisions', { body: { caseIds: [] } }), 400);
    await expectValid(site('get', '/policies', '/policies'), 200);
    const policies = { autoDeny: ['scanner-probe'], expiry: '7d' };
    expect(contract.checkRequest('put', '/v1/sites/{id}/policies', policies)).toEqual([]);
    await expectValid(site('put', '/policies', '/policies', { body: policies }), 200);
    await expectValid(site('put', '/policies', '/policies', { body: { autoDeny: ['x'], expiry: '7d' } }), 400);
    await expectValid(site('put', '/policies', '/policies', { body: { autoDeny: [], expiry: '7d' } }), 200);
  });

  it('GET /v1/sites/{id}/ip, /country, /path and /bot: drill-downs as JSON and CSV', async () => {
    const at = (path: string) => `/v1/sites/${encodeURIComponent(api.site.id)}${path}`;
    const drill = (template: string, query: string, options: Call = {}) =>
      callPath('get', `/v1/sites/{id}${template}`, at(template), { key: 'admin', query, ...options });
    const ip = await expectValid(drill('/ip', `?ip=203.0.113.50&date=${api.date}`), 200);
    expect(ip.totals).toMatchObject({ requests: 12, errors4xx: 12 });
    await expectValid(drill('/country', `?code=JP&date=${api.date}`), 200);
    await expectValid(drill('/country', `?code=unknown&date=${api.date}`), 200);
    await expectValid(drill('/path', `?path=%2Flogin&date=${api.date}`), 200);
    const csv = await drill('/path', `?path=%2Flogin&date=${api.date}&table=ips&format=csv`);
    expect(csv.problems).toEqual([]);
    expect(csv.answer).toMatchObject({ status: 200, contentType: 'text/csv; charset=utf-8' });
    await expectValid(drill('/bot', `?name=GPTBot&date=${api.date}`), 200);
    await expectValid(drill('/bot', '?name='), 400);
    await expectValid(drill('/ip', '?ip=nope'), 400);
    await expectValid(drill('/path', '?path=%2Flogin&table=nope', { accept: 'text/csv' }), 400);
    await expectValid(drill('/ip', '?ip=203.0.113.50', { key: 'none' }), 401);
    await expectValid(drill('/ip', '?ip=203.0.113.50', { key: 'ingest' }), 403);
    await expectValid(
      callPath('get', '/v1/sites/{id}/ip', '/v1/sites/site_other/ip', { key: 'admin', query: '?ip=203.0.113.50' }),
      404,
    );
  });

  it('POST /v1/events and GET /v1/ingest/stats', async () => {
    const ts = Date.parse('2026-11-20T03:00:00Z');
    const events = [
      { ts, ip: '198.51.100.7', country: null, method: 'GET', host: 'shop.example', path: '/', status: 200 },
      { ts, ip: '198.51.100.8', country: 'US', method: 'GET', host: 'shop.example', path: '/<b>x</b>', status: 404 },
    ].map((e, i) => ({
      ...e,
      latencyMs: 3,
      ua: i === 0 ? 'Mozilla/5.0' : 'curl/8.0',
      action: 'allow',
      rule: null,
      botCategory: i === 0 ? null : 'http-client',
      sampleRate: 1,
    }));
    const batch = { batchId: `contract-${Date.now()}`, source: 'express', events: [...events, { ts: 'x' }] };
    expect(contract.checkRequest('post', '/v1/events', { ...batch, events })).toEqual([]);
    const stored = await expectValid(call('post', '/v1/events', { key: 'ingest', body: batch }), 202);
    expect(stored).toMatchObject({ accepted: 2, rejected: 1, duplicate: false });
    await expectValid(call('post', '/v1/events', { key: 'ingest', body: batch }), 202);
    await expectValid(call('post', '/v1/events', { key: 'ingest', body: '{"batchId":' }), 400);
    await expectValid(call('post', '/v1/events', { key: 'wrong', body: batch }), 401);
    await expectValid(call('post', '/v1/events', { key: 'ingest', body: 'x', contentType: 'text/csv' }), 415);
    await expectValid(call('get', '/v1/ingest/stats'), 200);
    await expectValid(call('get', '/v1/ingest/stats', { query: '?from=abc' }), 400);
    await expectValid(call('get', '/v1/ingest/stats', { key: 'ingest' }), 403);
  });

  it('the deny list: GET (200, 304), POST, DELETE', async () => {
    const added = await expectValid(
      call('post', '/v1/denylist', { body: { value: '203.0.113.0/24', reason: 'contract test' } }),
      201,
    );
    await expectValid(call('post', '/v1/denylist', { body: { value: 'not-an-ip' } }), 400);
    await expectValid(call('post', '/v1/denylist', { key: 'ingest', body: { value: '203.0.113.9' } }), 403);
    const res = await fetch(`${api.reportApiUrl}/v1/denylist`, {
      headers: { authorization: `Bearer ${api.ingestKey}` },
    });
    const list = await readAnswer(res);
    expect(contract.checkResponse('get', '/v1/denylist', list)).toEqual([]);
    expect(list.status).toBe(200);
    const unchanged = await fetch(`${api.reportApiUrl}/v1/denylist`, {
      headers: { authorization: `Bearer ${api.ingestKey}`, 'if-none-match': res.headers.get('etag')! },
    });
    expect(contract.checkResponse('get', '/v1/denylist', await readAnswer(unchanged))).toEqual([]);
    expect(unchanged.status).toBe(304);
    await expectValid(call('get', '/v1/denylist', { key: 'none' }), 401);
    const id = encodeURIComponent(String(added.id));
    const remove = (key: Call['key'], path = `/v1/denylist/${id}`) =>
      callPath('delete', '/v1/denylist/{id}', path, { key });
    await expectValid(remove('ingest'), 403);
    await expectValid(remove('admin'), 204);
    await expectValid(remove('admin'), 404);
  });

  it('webhooks and alerts', async () => {
    const hook = await expectValid(call('post', '/v1/webhooks', { body: { url: 'https://hooks.example/T0/B0' } }), 201);
    await expectValid(call('post', '/v1/webhooks', { body: { url: 'ftp://hooks.example/x' } }), 400);
    await expectValid(call('get', '/v1/webhooks'), 200);
    await expectValid(call('get', '/v1/webhooks', { key: 'ingest' }), 403);
    const id = encodeURIComponent(String(hook.id));
    await expectValid(callPath('delete', '/v1/webhooks/{id}', `/v1/webhooks/${id}`, { key: 'admin' }), 204);
    await expectValid(callPath('delete', '/v1/webhooks/{id}', `/v1/webhooks/${id}`, { key: 'admin' }), 404);
    await expectValid(call('get', '/v1/alerts/settings'), 200);
    await expectValid(call('put', '/v1/alerts/settings', { body: { reportTime: '18:30' } }), 200);
    await expectValid(call('put', '/v1/alerts/settings', { body: { reportTime: '25:00' } }), 400);
    const tested = await call('post', '/v1/alerts/test');
    expect(tested.problems).toEqual([]);
    expect([200, 409]).toContain(tested.answer.status);
    await expectValid(call('get', '/v1/alerts/deliveries', { query: '?limit=5' }), 200);
    await expectValid(call('get', '/v1/alerts/deliveries', { query: '?limit=0' }), 400);
  });

  it('POST /v1/import', async () => {
    const line = '198.51.100.9 - - [20/Nov/2026:10:00:00 +0900] "GET /wp-login.php HTTP/1.1" 404 12 "-" "curl/8"';
    const imported = await expectValid(
      call('post', '/v1/import', {
        body: `${line}\nnot a log line\n`,
        contentType: 'text/plain',
        query: '?format=combined',
      }),
      200,
    );
    expect(imported).toMatchObject({ imported: 1, skipped: 1 });
    await expectValid(
      call('post', '/v1/import', { body: line, contentType: 'text/plain', query: '?format=nope' }),
      400,
    );
    await expectValid(call('post', '/v1/import', { key: 'ingest', body: line, query: '?format=combined' }), 403);
  });

  it('site administration: keys, rotate, revoke, audit log, rename, delete', async () => {
    const doomed = await api.store.createSite({ name: 'doomed', timeZone: 'UTC', homeCountry: null });
    const admin = { bearer: doomed.adminKey };
    const at = (path: string) => `/v1/sites/${encodeURIComponent(doomed.site.id)}${path}`;
    const site = (method: string, template: string, path: string, options: Call = {}) =>
      callPath(method, `/v1/sites/{id}${template}`, at(path), { key: admin, ...options });
    const created = await expectValid(
      site('post', '/keys', '/keys', { body: { label: 'alice', kind: 'ingest', reason: 'contract test' } }),
      201,
    );
    expect(contract.checkRequest('post', '/v1/sites/{id}/keys', { label: 'alice', kind: 'ingest' })).toEqual([]);
    await expectValid(site('post', '/keys', '/keys', { body: { label: 'a\u001b[2J' } }), 400);
    await expectValid(site('post', '/keys', '/keys', { key: 'ingest', body: { label: 'x' } }), 403);
    await expectValid(site('get', '/keys', '/keys'), 200);
    await expectValid(site('get', '/keys', '/keys', { key: 'none' }), 401);
    await expectValid(site('get', '/keys', '/keys', { key: 'admin' }), 404); // another site's admin key
    const keyId = encodeURIComponent(String((created.key as { id: string }).id));
    const rotate = (options: Call) => site('post', '/keys/{keyId}/rotate', `/keys/${keyId}/rotate`, options);
    await expectValid(rotate({ body: { reason: 'leaked' } }), 201);
    await expectValid(rotate({ body: { reason: 7 } }), 400);
    await expectValid(rotate({ key: 'ingest', body: {} }), 403);
    await expectValid(site('post', '/keys/{keyId}/rotate', '/keys/key_missing/rotate', { body: {} }), 404);
    const revoke = (path: string, options: Call = {}) => site('delete', '/keys/{keyId}', path, options);
    await expectValid(revoke(`/keys/${keyId}`, { query: '?reason=%1B' }), 400);
    await expectValid(revoke(`/keys/${keyId}`, { key: 'ingest' }), 403);
    await expectValid(revoke(`/keys/${keyId}`, { query: '?reason=rotated' }), 204);
    await expectValid(revoke(`/keys/${keyId}`), 404);
    const ownAdmin = (await api.store.resolveKey(doomed.adminKey))!.keyId;
    await expectValid(revoke(`/keys/${encodeURIComponent(ownAdmin)}`), 409);
    const page = await expectValid(site('get', '/audit', '/audit', { query: '?limit=2' }), 200);
    expect(page.next).toEqual(expect.any(String));
    await expectValid(site('get', '/audit', '/audit', { query: `?cursor=${String(page.next)}&since=2026-01-01` }), 200);
    await expectValid(site('get', '/audit', '/audit', { query: '?limit=9999' }), 400);
    await expectValid(site('get', '/audit', '/audit', { key: 'ingest' }), 403);
    await expectValid(site('patch', '', '', { body: { name: 'doomed (renamed)', reason: 'contract' } }), 200);
    await expectValid(site('patch', '', '', { body: { name: '' } }), 400);
    await expectValid(site('patch', '', '', { key: 'ingest', body: { name: 'x' } }), 403);
    await expectValid(site('delete', '', '', { query: '?confirm=nope' }), 400);
    await expectValid(site('delete', '', '', { key: 'admin', query: `?confirm=${doomed.site.id}` }), 404);
    await expectValid(site('delete', '', '', { key: 'ingest', query: `?confirm=${doomed.site.id}` }), 403);
    await expectValid(site('delete', '', '', { query: `?confirm=${doomed.site.id}&reason=contract` }), 200);
    await expectValid(site('get', '/keys', '/keys'), 401); // the key went with its site
    // The deny list DELETE's reason is checked too.
    await expectValid(
      callPath('delete', '/v1/denylist/{id}', '/v1/denylist/deny_x', { key: 'admin', query: '?reason=%07' }),
      400,
    );
  });

  it('covered every operation of the document', () => {
    const missing = contract.operations().filter((op) => !contract.covered().has(op));
    expect(missing).toEqual([]);
  });
});

describe('the contract check bites', () => {
  type Report = Record<string, unknown> & {
    totals: Record<string, unknown>;
    topIps: Array<Record<string, unknown>>;
    topUserAgents: Array<Record<string, unknown>>;
  };
  let report: Report;
  beforeAll(async () => {
    const { answer } = await call('get', '/v1/reports/daily', { query: `?date=${api.date}` });
    report = answer.body as Report;
    expect(report.topIps.length).toBeGreaterThan(0);
  });
  const check = (body: unknown, status = 200) =>
    contract.checkResponse('get', '/v1/reports/daily', { status, contentType: 'application/json', body });
  const copy = () => structuredClone(report);

  it.each([
    ['a fake top-level field', (r: Report) => void (r.fake = 1), /must NOT have additional properties/],
    ['a fake field in a row', (r: Report) => void (r.topIps[0]!.fake = true), /topIps\/0 must NOT have additional/],
    ['a count as a string', (r: Report) => void (r.totals.requests = '12'), /totals\/requests must be/],
    ['an unknown bot category', (r: Report) => void (r.topUserAgents[0]!.botCategory = 'martian'), /botCategory/],
    ['a required field missing', (r: Report) => void delete r.totals.successRate, /must have required property/],
  ])('refuses the real report with %s', (_name, mutate, message) => {
    expect(check(report)).toEqual([]);
    const broken = copy();
    mutate(broken);
    expect(check(broken).join('\n')).toMatch(message);
  });

  it('refuses an undocumented status, a body on a 204 and a wrong content type', () => {
    expect(check(report, 418)).toEqual(['GET /v1/reports/daily 418: status not documented']);
    const deleted = { status: 204, contentType: 'application/json', body: { ok: true } };
    expect(contract.checkResponse('delete', '/v1/denylist/{id}', deleted)).toHaveLength(1);
    const html = { status: 200, contentType: 'text/html', body: '<p>report</p>' };
    expect(contract.checkResponse('get', '/v1/reports/daily', html)).toHaveLength(1);
  });
});
