import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './cli.js';
import { batch, event, post } from './helpers.js';
import { describePostgres, tempPostgresStore } from './postgres.js';

// `--db postgres://...` in the CLI: bad URLs and unreachable servers are usage errors; with a
// server, the commands and `serve` work on PostgreSQL as on SQLite.
describe('watchpost --db with a PostgreSQL URL', () => {
  it.each([
    {
      name: 'unreachable server',
      db: 'postgres://watchpost:s3cret@127.0.0.1:1/watchpost',
      error: new RegExp(
        String.raw`--db: cannot open the PostgreSQL database at ` +
          String.raw`postgres:\/\/watchpost:\*\*\*@127\.0\.0\.1:1\/watchpost: .*ECONNREFUSED`,
      ),
    },
    { name: 'malformed URL', db: 'postgres://127.0.0.1:port/watchpost', error: /--db: malformed PostgreSQL URL/ },
    {
      name: 'bad schema',
      db: 'postgresql://127.0.0.1:1/watchpost?schema=Drop%20Table',
      error: /--db: schema must be a lower-case SQL identifier/,
    },
  ])('$name → exit 2, one line, no password', async ({ db, error }) => {
    for (const argv of [
      ['sites', 'list'],
      ['report', '--site', 's', '--date', '2026-03-01'],
      ['webhooks', 'list', '--site', 's'],
    ]) {
      const result = await cli(...argv, '--db', db);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(error);
      expect(result.err.split('\n')).toHaveLength(1);
      expect(result.err).not.toContain('s3cret');
    }
  });

  it('demo is not in the published CLI: it says how to run it, whatever --db says', async () => {
    const result = await cli('demo', '--db', 'postgres://127.0.0.1/watchpost');
    expect(result.code).toBe(1);
    expect(result.err).toContain('npm run demo');
  });
});

describePostgres('watchpost on PostgreSQL', () => {
  let t: Awaited<ReturnType<typeof tempPostgresStore>> | undefined;
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });

  it('creates and lists sites, manages webhooks and reports, all in the database of the URL', async () => {
    t = await tempPostgresStore();
    const created = await cli('sites', 'create', 'shop', '--tz', 'Asia/Tokyo', '--home-country', 'jp', '--db', t.url);
    expect(created.code).toBe(0);
    const site = JSON.parse(created.out) as { id: string; adminKey: string };
    expect(await t.store.getSite(site.id)).toMatchObject({ name: 'shop', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
    expect((await cli('sites', 'list', '--db', t.url)).out).toContain(site.id);
    expect(
      (await cli('webhooks', 'add', '--site', site.id, '--url', 'https://hooks.example/T/B/secret', '--db', t.url))
        .code,
    ).toBe(0);
    expect(await t.store.listWebhooks(site.id)).toHaveLength(1);
    await t.store.ingestBatch(site.id, batch([event({ ts: Date.UTC(2026, 2, 1, 3) })]));
    const report = await cli('report', '--site', site.id, '--date', '2026-03-01', '--db', t.url);
    expect(report.code).toBe(0);
    expect(JSON.parse(report.out)).toMatchObject({ date: '2026-03-01', totals: { requests: 1 } });
    expect((await cli('report', '--site', 'site_nope', '--date', '2026-03-01', '--db', t.url)).err).toMatch(
      /no site "site_nope"/,
    );
  });

  it('serve --db postgres://... ingests, reports and stops on SIGTERM', async () => {
    t = await tempPostgresStore();
    const { site, ingestKey, adminKey } = await t.store.createSite({
      name: 'shop',
      timeZone: 'UTC',
      homeCountry: 'JP',
    });
    const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
    const child = spawn(tsx, [main, 'serve', '--port', '0', '--db', t.url], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('serve did not start in 15 s')), 15_000);
        child.stdout.on('data', (chunk: Buffer) => {
          const match = /listening on (http:\/\/\S+)/.exec(chunk.toString());
          if (!match?.[1]) return;
          clearTimeout(timer);
          resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      const sent = batch([event({ ts: Date.UTC(2026, 2, 1, 9) }), event({ ts: Date.UTC(2026, 2, 1, 9), status: 503 })]);
      const answer = await fetch(`${url}/v1/events`, post(ingestKey, sent));
      expect(answer.status).toBe(202);
      expect(await answer.json()).toEqual({
        batchId: sent.batchId,
        accepted: 2,
        rejected: 0,
        duplicate: false,
        details: [],
      });
      // Stored in PostgreSQL by the server, read here through another instance.
      expect(await t.store.listEvents(site.id, { from: 0, to: Date.UTC(2030, 0), limit: 10 })).toHaveLength(2);
      const report = await fetch(`${url}/v1/reports/daily?date=2026-03-01`, {
        headers: { authorization: `Bearer ${adminKey}` },
      });
      expect(await report.json()).toMatchObject({ totals: { requests: 2 }, statusClasses: { '5xx': 1 } });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
