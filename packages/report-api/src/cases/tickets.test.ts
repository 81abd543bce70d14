import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import MarkdownIt from 'markdown-it';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import type { AuditPage } from '../db/audit.js';
import type { Case } from '../db/cases.js';
import { batch, event, post, tempStore } from '../../test/helpers.js';
import { parseTicketTargets, ticketOf, ticketRequestBody, ticketUrlOf, type TicketTarget } from './tickets.js';

const T = Date.UTC(2026, 11, 4, 9);
const HOSTILE = '/[click](https://evil.example) ![x](https://evil.example/i.png) <script>@everyone';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}
let server: Server | undefined;
let t: ReturnType<typeof tempStore> | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await t?.cleanup();
  server = undefined;
  t = undefined;
});

/** A local tracker: records each POST and answers `status` with `answer(n)`. */
async function tracker(status: number, answer: (n: number) => unknown) {
  const received: Received[] = [];
  server = createServer(async (req, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(text) as Record<string, unknown> });
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer(received.length)));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

async function siteWithCases(targetOf: (siteId: string) => Map<string, TicketTarget>, publicOrigin?: string) {
  t = tempStore(() => T);
  const created = await t.store.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: 'JP' });
  const app = createApp({
    store: t.store,
    now: () => T,
    logError: () => undefined,
    tickets: targetOf(created.site.id),
    ...(publicOrigin ? { dashboard: { sessionSecret: new Uint8Array(32).fill(7), publicOrigin } } : {}),
  });
  const events = ['203.0.113.7', '198.51.100.9'].flatMap((ip) =>
    Array.from({ length: 25 }, (_, i) => event({ ts: T - 3_600_000 + i, ip, path: HOSTILE, status: 404 })),
  );
  expect((await app.request('/v1/events', post(created.ingestKey, batch(events)))).status).toBe(202);
  const base = `/v1/sites/${created.site.id}/cases`;
  const get = async (path: string) =>
    (await app.request(path, { headers: { authorization: `Bearer ${created.adminKey}` } })).json();
  const cases = ((await get(base)) as { cases: Case[] }).cases;
  // Through whatever Host the caller sent: `origin` stands for a request's Host header.
  const decide = (id: string, body: unknown, origin = 'http://localhost') =>
    app.request(`${origin}${base}/${id}/decision`, post(created.adminKey, body));
  return { ...created, app, base, get, cases, decide };
}

describe('ticket targets', () => {
  it('reads WATCHPOST_TICKETS and refuses what it cannot use, without echoing a token', () => {
    const targets = parseTicketTargets(
      '{"site_1":{"format":"github","url":"https://api.github.com/repos/o/r/issues","authorization":"Bearer ghp_x"},' +
        '"__proto__":{"format":"jira","url":"https://o.atlassian.net/rest/api/2/issue","project":"OPS"}}',
    );
    expect(targets.get('site_1')).toMatchObject({ format: 'github', labels: [], issueType: 'Task' });
    expect(targets.get('__proto__')).toMatchObject({ format: 'jira', project: 'OPS' });
    expect(parseTicketTargets(undefined).size).toBe(0);
    for (const bad of [
      '{"s":{"format":"github","url":"ftp://x"}}',
      '{"s":{"format":"gitlab","url":"https://x"}}',
      '{"s":{"format":"jira","url":"https://x"}}',
      '{"s":{"format":"github","url":"https://x","authorization":"Bearer a\\r\\nX-Evil: 1"}}',
      'not json ghp_secret',
    ]) {
      expect(() => parseTicketTargets(bad), bad).toThrow(TypeError);
      try {
        parseTicketTargets(bad);
      } catch (error) {
        expect(String(error)).not.toContain('ghp_secret');
      }
    }
  });

  it('writes a ticket whose Markdown holds no link, image or HTML from traffic text', () => {
    const c = {
      id: 'case_1',
      client: '203.0.113.7',
      country: null,
      kinds: ['probe'],
      requests: 3,
      firstDay: '2026-12-04',
      lastDay: '2026-12-04',
      evidence: { '2026-12-04': { kinds: ['probe'], reasons: [`probed ${HOSTILE}`], requests: 3 } },
    } as unknown as Case;
    const ticket = ticketOf(c, 'shop <b>', null);
    const tokens = new MarkdownIt({ linkify: true }).parse(ticket.body, {});
    const inline = tokens.flatMap((token) => token.children ?? []);
    expect(inline.some((token) => ['link_open', 'image', 'html_inline'].includes(token.type))).toBe(false);
    expect(tokens.some((token) => token.type === 'html_block')).toBe(false);
    const jira = ticketRequestBody(
      { format: 'jira', url: 'https://o.atlassian.net/rest/api/2/issue', project: 'OPS', issueType: 'Bug', labels: [] },
      ticket,
    );
    expect(jira).toMatchObject({
      fields: { project: { key: 'OPS' }, issuetype: { name: 'Bug' }, labels: ['watchpost', 'probe'] },
    });
  });

  it('takes the ticket URL only from the field each tracker answers with', () => {
    const github: TicketTarget = { format: 'github', url: 'https://api.github.com/x', issueType: 'Task', labels: [] };
    expect(ticketUrlOf(github, { html_url: 'https://github.com/o/r/issues/7' })).toBe(
      'https://github.com/o/r/issues/7',
    );
    expect(ticketUrlOf(github, { html_url: 'javascript:alert(1)' })).toBeNull();
    const jira: TicketTarget = { ...github, format: 'jira', project: 'OPS' };
    expect(ticketUrlOf(jira, { key: 'OPS-12', self: 'https://o.atlassian.net/rest/api/2/issue/10001' })).toBe(
      'https://o.atlassian.net/browse/OPS-12',
    );
    expect(ticketUrlOf(jira, { key: '../../x', self: 'https://o.atlassian.net/rest' })).toBeNull();
    expect(ticketUrlOf({ ...github, format: 'generic' }, null)).toBeNull();
  });
});

describe('POST …/cases/:caseId/decision with action ticket', () => {
  it('opens one GitHub issue per case, keeps its URL, and records the decision', async () => {
    const gh = await tracker(201, (n) => ({ html_url: `https://github.com/acme/ops/issues/${n}` }));
    const s = await siteWithCases(
      (id) =>
        new Map([
          [
            id,
            {
              format: 'github',
              url: `${gh.url}/repos/acme/ops/issues`,
              authorization: 'Bearer ghp_test',
              issueType: 'Task',
              labels: ['waf'],
            },
          ],
        ]),
    );
    const res = await s.decide(s.cases[0]!.id, { action: 'ticket', reason: 'for the ops board' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      state: 'ticketed',
      decision: { ticketUrl: 'https://github.com/acme/ops/issues/1' },
    });
    expect(gh.received).toHaveLength(1);
    expect(gh.received[0]).toMatchObject({
      path: '/repos/acme/ops/issues',
      headers: { authorization: 'Bearer ghp_test' },
    });
    expect(gh.received[0]!.body).toMatchObject({
      title: expect.stringContaining(s.cases[0]!.client),
      labels: expect.arrayContaining(['watchpost', 'waf']),
    });
    expect(String(gh.received[0]!.body['body'])).toContain(`/dashboard/sites/${s.site.id}/ip?ip=`);
    const audit = (await s.get(`/v1/sites/${s.site.id}/audit`)) as AuditPage;
    expect(audit.entries.map((e) => e.action)).toEqual(['case.ticket']);
    // In bulk: the next case too.
    const bulk = await s.app.request(
      `${s.base}/decisions`,
      post(s.adminKey, { caseIds: [s.cases[1]!.id], decision: { action: 'ticket' } }),
    );
    expect(await bulk.json()).toEqual({ decided: [s.cases[1]!.id], missing: [], failed: [] });
  });

  it('leaves the case as it was when the tracker refuses (502), and says tickets are not set up (409)', async () => {
    const down = await tracker(500, () => ({ message: 'boom' }));
    const s = await siteWithCases(
      (id) =>
        new Map([
          [id, { format: 'jira', url: `${down.url}/rest/api/2/issue`, project: 'OPS', issueType: 'Task', labels: [] }],
        ]),
    );
    const refused = await s.decide(s.cases[0]!.id, { action: 'ticket' });
    expect(refused.status).toBe(502);
    expect(((await refused.json()) as { error: string }).error).toBe('no ticket was opened: the tracker answered 500');
    expect(((await s.get(`${s.base}/${s.cases[0]!.id}`)) as Case).state).toBe('new');
    const bulk = await s.app.request(
      `${s.base}/decisions`,
      post(s.adminKey, { caseIds: s.cases.map((c) => c.id), decision: { action: 'ticket' } }),
    );
    expect(((await bulk.json()) as { failed: unknown[] }).failed).toHaveLength(2);

    await t!.cleanup();
    t = undefined;
    const none = await siteWithCases(() => new Map());
    const conflict = await none.decide(none.cases[0]!.id, { action: 'ticket' });
    expect(conflict.status).toBe(409);
  });

  it('links tickets to the public origin, never to the Host header a caller sent', async () => {
    const gh = await tracker(201, (n) => ({ html_url: `https://github.com/acme/ops/issues/${n}` }));
    const target = (id: string) =>
      new Map<string, TicketTarget>([
        [id, { format: 'github', url: `${gh.url}/repos/a/b/issues`, issueType: 'Task', labels: [] }],
      ]);
    const s = await siteWithCases(target, 'https://watchpost.example');
    expect((await s.decide(s.cases[0]!.id, { action: 'ticket' }, 'http://evil.example')).status).toBe(200);
    const body = String(gh.received[0]!.body['body']);
    expect(body).toContain(`https://watchpost.example/dashboard/sites/${s.site.id}/ip?ip=`);
    expect(body).not.toContain('evil.example/dashboard');
  });
});
