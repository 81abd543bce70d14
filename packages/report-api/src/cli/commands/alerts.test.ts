import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../../test/support/receiver.js';
import { openSqliteStore } from '../../db/sqlite/open.js';
import { cli } from '../../../test/cli.js';

let dir: string;
let db: string;
let receiver: Receiver;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'watchpost-alerts-cli-'));
  db = join(dir, 'w.db');
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

async function newSite(tz = 'Asia/Tokyo') {
  const created = await cli('sites', 'create', 'shop', '--tz', tz, '--db', db);
  return (JSON.parse(created.out) as { id: string }).id;
}

describe('watchpost webhooks / alerts', () => {
  it('adds a webhook, sends a test message to it, lists and removes it; the delivery log shows the test', async () => {
    const site = await newSite();
    const added = await cli('webhooks', 'add', '--site', site, '--url', receiver.url, '--db', db);
    expect(added.code).toBe(0);
    const hook = JSON.parse(added.out) as { id: string; url: string };
    expect(hook.url).toBe(receiver.url);

    const test = await cli('alerts', 'test', '--site', site, '--db', db, '--public-url', 'https://wp.example');
    expect(test).toMatchObject({ code: 0, out: `${hook.id}: delivered (HTTP 200) after 1 attempt(s)` });
    expect((receiver.messages[0]!.body as { text: string }).text).toContain(
      `https://wp.example/dashboard/sites/${site}?date=`,
    );

    const log = await cli('alerts', 'deliveries', '--site', site, '--db', db);
    expect(JSON.parse(log.out)).toEqual([
      expect.objectContaining({ kind: 'test', status: 'delivered', webhookId: hook.id }),
    ]);

    const listed = await cli('webhooks', 'list', '--site', site, '--db', db);
    expect(JSON.parse(listed.out)).toEqual([
      expect.objectContaining({ id: hook.id, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/…hook$/) }),
    ]);
    expect(await cli('webhooks', 'remove', '--site', site, '--id', hook.id, '--db', db)).toMatchObject({ code: 0 });
    expect(await cli('webhooks', 'remove', '--site', site, '--id', hook.id, '--db', db)).toMatchObject({ code: 1 });
  });

  it('alerts test exits 1 and says why when the webhook fails or there is none', async () => {
    const site = await newSite();
    const none = await cli('alerts', 'test', '--site', site, '--db', db);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/no webhook; add one with watchpost webhooks add/);
    await receiver.close();
    receiver = await startReceiver({ fallback: 410 });
    await cli('webhooks', 'add', '--site', site, '--url', receiver.url, '--db', db);
    const failed = await cli('alerts', 'test', '--site', site, '--db', db);
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/failed \(HTTP 410\) after 1 attempt\(s\): HTTP 410: receiver says no/);
  });

  it('schedule prints and changes the daily report time', async () => {
    const site = await newSite('America/New_York');
    expect((await cli('alerts', 'schedule', '--site', site, '--db', db)).out).toMatch(
      /^daily report at 17:00 America\/New_York, business days \(Mon-Fri\); next: /,
    );
    const changed = await cli(
      'alerts',
      'schedule',
      '--site',
      site,
      '--report-time',
      '08:30',
      '--every-day',
      '--db',
      db,
    );
    expect(changed.out).toMatch(
      /^daily report at 08:30 America\/New_York, every day; next: \d{4}-\d\d-\d\d 08:30 local/,
    );
  });

  it.each([
    [['webhooks', 'add', '--site', 'x', '--url', 'ftp://a'], /--url: webhook URL must be http:\/\/ or https:\/\//],
    [['webhooks', 'add', '--url', 'https://a.example'], /--site is required/],
    [['webhooks', 'frobnicate'], /unknown action "frobnicate"/],
    [['alerts', 'schedule', '--site', 'x', '--report-time', '25:00'], /--report-time: expected HH:MM/],
    [['alerts', 'schedule', '--site', 'x', '--business-days', '--every-day'], /exclude each other/],
    [['alerts', 'deliveries', '--site', 'x', '--limit', '0'], /--limit/],
    [['alerts', 'test', '--site', 'nope'], /no site "nope"/],
    [['alerts', 'test', '--site', 'x', '--bogus'], /Unknown option '--bogus'/],
  ])('%j: one line on stderr, exit 2', async (argv, message) => {
    await openSqliteStore({ path: db }).close(); // commands that take --site never create a database
    const result = await cli(...argv, '--db', db);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err.split('\n')).toHaveLength(1);
  });

  it.each([
    ['webhooks', 'add'],
    ['alerts', 'test'],
  ])('%s --help and %s --help print usage and exit 0', async (name, action) => {
    for (const argv of [
      [name, '--help'],
      [name, action, '--help'],
    ]) {
      const result = await cli(...argv);
      expect(result.code).toBe(0);
      expect(result.out).toMatch(/^Usage:/);
    }
  });
});
