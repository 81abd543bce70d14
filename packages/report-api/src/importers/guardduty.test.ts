import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Case } from '../db/cases.js';
import { openSqliteStore } from '../db/sqlite/open.js';
import type { DailyReport } from '../reports/types.js';
import { reportToMarkdown } from '../reports/markdown.js';
import { cli } from '../../test/cli.js';
import { guardDutyFinding } from '../../test/support/guardduty.js';
import { batch, event } from '../../test/helpers.js';
import { findingRows, parseFindingsText } from './guardduty.js';
import { readFindings } from './guardduty-read.js';

const NOW = Date.parse('2026-12-05T00:00:00Z');
const SEEN = '2026-12-04T03:10:00Z';
const PROBER = '198.51.100.44';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('GuardDuty findings', () => {
  it('reads the remote IPs of each kind of action, and keeps a finding without one', () => {
    const probe = findingRows(
      guardDutyFinding({
        id: 'f1',
        type: 'Recon:EC2/PortProbeUnprotectedPort',
        severity: 5,
        ips: [PROBER, '203.0.113.5', PROBER],
        action: 'portProbeAction',
        lastSeen: SEEN,
        count: 3,
      }),
      NOW,
    );
    expect(probe).toEqual({
      rows: [
        expect.objectContaining({
          findingId: 'f1',
          ip: PROBER,
          severity: 5,
          country: 'CN',
          count: 3,
          resource: 'Instance:i-0abc123',
        }),
        expect.objectContaining({ ip: '203.0.113.5' }),
      ],
    });
    const api = findingRows(
      guardDutyFinding({
        id: 'f2',
        type: 'Recon:IAMUser/MaliciousIPCaller',
        severity: 5,
        ips: ['2001:DB8::0001'],
        action: 'awsApiCallAction',
        lastSeen: SEEN,
      }),
      NOW,
    );
    expect(api).toEqual({ rows: [expect.objectContaining({ ip: '2001:db8::1' })] });
    const none = findingRows(
      guardDutyFinding({ id: 'f3', type: 'Trojan:EC2/DNSDataExfiltration', severity: 8, lastSeen: SEEN }),
      NOW,
    );
    expect(none).toEqual({ rows: [expect.objectContaining({ ip: '', country: null })] });
    // EventBridge delivers the finding in `detail`.
    const event = {
      'detail-type': 'GuardDuty Finding',
      source: 'aws.guardduty',
      detail: guardDutyFinding({
        id: 'f4',
        type: 'UnauthorizedAccess:EC2/SSHBruteForce',
        severity: 2,
        ips: [PROBER],
        lastSeen: SEEN,
      }),
    };
    expect(findingRows(event, NOW)).toEqual({ rows: [expect.objectContaining({ findingId: 'f4' })] });
  });

  it('names the resource and reads the other actions, counts and countries', () => {
    const base = guardDutyFinding({ id: 'r1', type: 'Recon:IAMUser/TorIPCaller', severity: 5, lastSeen: SEEN });
    const service = base['service'] as Record<string, unknown>;
    const remote = (ip: string, country: unknown) => ({
      remoteIpDetails: { ipAddressV4: ip, country: { countryCode: country } },
    });
    const cases: Array<[Record<string, unknown>, Record<string, unknown>]> = [
      [
        {
          resource: { resourceType: 'AccessKey', accessKeyDetails: { accessKeyId: 'AKIAEXAMPLE' } },
          service: { ...service, count: 'many', action: { kubernetesApiCallAction: remote('192.0.2.1', 'zz') } },
        },
        { resource: 'AccessKey:AKIAEXAMPLE', count: 1, country: null, ip: '192.0.2.1' },
      ],
      [
        {
          resource: { resourceType: 'EKSCluster', eksClusterDetails: { name: 'prod' } },
          service: { ...service, count: 4, action: { rdsLoginAttemptAction: remote('192.0.2.2', 'US') } },
        },
        { resource: 'EKSCluster:prod', count: 4, country: 'US', ip: '192.0.2.2' },
      ],
      [
        {
          resource: { resourceType: 'S3Bucket', s3BucketDetails: { name: 'logs' } },
          service: { ...service, action: { awsApiCallAction: { remoteIpDetails: { ipAddressV6: '2001:db8::7' } } } },
        },
        { resource: 'S3Bucket:logs', ip: '2001:db8::7' },
      ],
      [
        { resource: null, service: { ...service, eventLastSeen: 'yesterday' } },
        { resource: 'Unknown', lastSeen: Date.parse(SEEN) },
      ],
    ];
    for (const [overrides, expected] of cases) {
      const result = findingRows({ ...base, ...overrides }, NOW);
      expect(result, JSON.stringify(expected)).toEqual({ rows: [expect.objectContaining(expected)] });
    }
  });

  it('skips hostile records with a reason, never throwing', () => {
    const ok = guardDutyFinding({ id: 'f1', type: 'Recon:EC2/Portscan', severity: 5, ips: [PROBER], lastSeen: SEEN });
    const cases: Array<[unknown, string]> = [
      [{ ...ok, severity: 11 }, 'bad-field'],
      [{ ...ok, severity: '5' }, 'bad-field'],
      [{ ...ok, id: 'x\u001b[2J' }, 'bad-field'],
      [{ ...ok, type: 'a'.repeat(400) }, 'bad-field'],
      [
        {
          ...ok,
          updatedAt: '9999-01-01T00:00:00Z',
          service: { ...(ok['service'] as object), eventLastSeen: '+275760-09-13T00:00:00Z' },
        },
        'bad-time',
      ],
      [{ hello: 'world' }, 'not-a-finding'],
      [[1, 2], 'not-a-finding'],
      [JSON.parse('{"__proto__": {"polluted": 1}, "schemaVersion": "2.0", "service": {}}'), 'bad-field'],
    ];
    for (const [value, skip] of cases)
      expect(findingRows(value, NOW), JSON.stringify(value).slice(0, 80)).toEqual({ skip });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(parseFindingsText('['.repeat(100) + ']'.repeat(100), NOW)).toEqual([{ skip: 'too-deep' }]);
    expect(parseFindingsText('{not json', NOW)).toEqual([{ skip: 'not-json' }]);
    // A bad IP is not evidence: the finding is kept without it.
    const badIp = findingRows(
      guardDutyFinding({ id: 'f9', type: 'Recon:EC2/Portscan', severity: 5, ips: ['<script>'], lastSeen: SEEN }),
      NOW,
    );
    expect(badIp).toEqual({ rows: [expect.objectContaining({ ip: '' })] });
  });

  it('reads JSON lines and a pretty {"findings": [...]} document, plain or gzip', async () => {
    const findings = [1, 2, 3].map((i) =>
      guardDutyFinding({ id: `f${i}`, type: 'Recon:EC2/Portscan', severity: 5, ips: [PROBER], lastSeen: SEEN }),
    );
    const lines = findings.map((f) => JSON.stringify(f)).join('\n') + '\n';
    const doc = JSON.stringify({ findings }, null, 4);
    for (const text of [lines, doc]) {
      for (const bytes of [Buffer.from(text), gzipSync(text)]) {
        const got = [];
        for await (const result of readFindings([bytes], NOW)) got.push(result);
        expect(got.map((r) => ('rows' in r ? r.rows[0]!.findingId : r.skip))).toEqual(['f1', 'f2', 'f3']);
      }
    }
  });

  it('imported next to the day’s traffic, a finding’s IP becomes a case with both kinds of evidence', async () => {
    dir = mkdtempSync(join(tmpdir(), 'watchpost-guardduty-'));
    const db = join(dir, 'watchpost.db');
    const store = openSqliteStore({ path: db, now: () => NOW });
    const { site, adminKey } = await store.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: 'JP' });
    // The prober also sent 30 requests to the site that day, 20 of them 404s.
    const at = Date.parse('2026-12-04T04:00:00Z');
    const http = Array.from({ length: 30 }, (_, i) =>
      event({ ts: at + i * 1000, ip: PROBER, country: 'CN', path: `/x${i}`, status: i < 20 ? 404 : 200 }),
    );
    await store.ingestBatch(site.id, batch(http));
    await store.close();
    const file = join(dir, 'findings.jsonl.gz');
    const exported = [
      guardDutyFinding({
        id: 'f1',
        type: 'Recon:EC2/PortProbeUnprotectedPort',
        severity: 5,
        ips: [PROBER],
        action: 'portProbeAction',
        lastSeen: SEEN,
        count: 3,
      }),
      guardDutyFinding({
        id: 'f2',
        type: 'UnauthorizedAccess:EC2/SSHBruteForce',
        severity: 2,
        ips: ['203.0.113.99'],
        lastSeen: SEEN,
      }),
      guardDutyFinding({ id: 'f3', type: 'Trojan:EC2/DNSDataExfiltration', severity: 8, lastSeen: SEEN }),
    ];
    writeFileSync(file, gzipSync(exported.map((f) => JSON.stringify(f)).join('\n')));
    const imported = await cli('import', '--site', site.id, '--format', 'guardduty', file, '--db', db);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.out)).toEqual({ files: 1, findings: 3, rows: 3, withoutIp: 1, skipped: {} });
    // Importing the same export again replaces, never doubles.
    expect((await cli('import', '--site', site.id, '--format', 'guardduty', file, '--db', db)).code).toBe(0);

    const reopened = openSqliteStore({ path: db, now: () => NOW });
    try {
      const { createApp } = await import('../app.js');
      const app = createApp({ store: reopened, now: () => NOW, logError: () => undefined });
      const get = async (path: string) =>
        (await app.request(path, { headers: { authorization: `Bearer ${adminKey}` } })).json();
      const report = (await get('/v1/reports/daily?date=2026-12-04')) as DailyReport;
      expect(report.guardDuty).toMatchObject({ findings: 3, withoutIp: 1, alsoInTraffic: 1 });
      expect(report.guardDuty!.ips[0]).toMatchObject({
        ip: PROBER,
        requests: 30,
        errors4xx: 20,
        times: 3,
        maxSeverity: 5,
      });
      expect(report.guardDuty!.bySeverity).toEqual([
        { severity: 'high', findings: 1 },
        { severity: 'low', findings: 1 },
        { severity: 'medium', findings: 1 },
      ]);
      expect(reportToMarkdown(report)).toContain('*GuardDuty findings*: 3');
      const refreshed = await app.request(`/v1/sites/${site.id}/cases/refresh?date=2026-12-04`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}` },
      });
      expect(refreshed.status).toBe(200);
      const cases = ((await get(`/v1/sites/${site.id}/cases?refresh=0`)) as { cases: Case[] }).cases;
      const prober = cases.find((c) => c.client === PROBER)!;
      expect(prober.kinds).toEqual(expect.arrayContaining(['guardduty', 'high-4xx']));
      expect(prober.evidence['2026-12-04']!.reasons[0]).toBe(
        'GuardDuty Recon:EC2/PortProbeUnprotectedPort, severity 5, 3 times; then 30 requests, 20 4xx',
      );
      // An IP only in findings, with no HTTP traffic, is not a case.
      expect(cases.some((c) => c.client === '203.0.113.99')).toBe(false);
    } finally {
      await reopened.close();
    }
  });

  it('POST /v1/import takes GuardDuty findings and threat lists, bounded like logs', async () => {
    const { tempStore, appWithSite } = await import('../../test/helpers.js');
    const t = tempStore(() => NOW);
    try {
      const { app, adminKey, ingestKey } = await appWithSite(t.store, {}, () => NOW);
      const send = (query: string, body: BodyInit, key = adminKey) =>
        app.request(`/v1/import?${query}`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body });
      const findings = [
        guardDutyFinding({ id: 'f1', type: 'Recon:EC2/Portscan', severity: 5, ips: [PROBER], lastSeen: SEEN }),
      ];
      const gd = await send('format=guardduty', gzipSync(JSON.stringify({ findings }, null, 2)));
      expect(gd.status).toBe(200);
      expect(await gd.json()).toEqual({ files: 1, findings: 1, rows: 1, withoutIp: 0, skipped: {} });
      const list = await send('format=iplist&source=drop', '192.0.2.0/24\nnope\n');
      expect(await list.json()).toEqual({
        source: 'drop',
        entries: 1,
        skipped: 1,
        skippedLines: [2],
        truncated: false,
      });
      expect((await send('format=iplist', '192.0.2.1\n')).status).toBe(400);
      expect((await send('format=iplist&source=..%2Fx', '192.0.2.1\n')).status).toBe(400);
      expect((await send('format=guardduty', '{}', ingestKey)).status).toBe(403);
      for (let i = 0; i < 19; i++) expect((await send(`format=iplist&source=l${i}`, '192.0.2.1\n')).status).toBe(200);
      expect((await send('format=iplist&source=one-too-many', '192.0.2.1\n')).status).toBe(409);
    } finally {
      await t.cleanup();
    }
  });
});
