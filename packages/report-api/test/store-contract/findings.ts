import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/db/findings.js';
import { batch, event } from '../helpers.js';
import { T, type ContractContext } from './context.js';

const finding = (id: string, ip: string, lastSeen: number, overrides: Partial<Finding> = {}): Finding => ({
  findingId: id,
  ip,
  type: 'Recon:EC2/PortProbeUnprotectedPort',
  severity: 5,
  region: 'ap-northeast-1',
  accountId: '123456789012',
  resource: 'Instance:i-0abc',
  country: 'CN',
  firstSeen: lastSeen - 60_000,
  lastSeen,
  count: 3,
  ...overrides,
});

/** Store contract: GuardDuty findings. */
export function findingsContract({ fresh }: ContractContext): void {
  describe('GuardDuty findings', () => {
    it('replaces a finding’s rows on re-import, lists by last seen, and keeps sites apart', async () => {
      const store = await fresh();
      const a = await store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: null });
      const b = await store.createSite({ name: 'b', timeZone: 'UTC', homeCountry: null });
      const probe = [finding('f1', '198.51.100.1', T), finding('f1', '198.51.100.2', T)];
      await store.putFindings(a.site.id, [...probe, finding('f2', '', T + 10, { country: null, severity: 8 })]);
      expect(await store.listFindings(a.site.id, T, T + 11)).toEqual([
        ...probe,
        finding('f2', '', T + 10, { country: null, severity: 8 }),
      ]);
      // The updated finding now names one IP, seen more often.
      const updated = finding('f1', '198.51.100.2', T + 5, { count: 9 });
      await store.putFindings(a.site.id, [updated]);
      expect(await store.listFindings(a.site.id, T, T + 11)).toEqual([
        updated,
        finding('f2', '', T + 10, { country: null, severity: 8 }),
      ]);
      expect(await store.listFindings(a.site.id, T + 6, T + 10)).toEqual([]);
      expect(await store.listFindings(b.site.id, 0, T + 100)).toEqual([]);
    });

    it('stores a batch of findings whole or not at all: a failing row leaves the old rows in place', async () => {
      const store = await fresh();
      const a = await store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: null });
      const before = [finding('f1', '198.51.100.1', T), finding('f2', '198.51.100.2', T + 1)];
      await store.putFindings(a.site.id, before);
      // f1's new rows, then a row the schema refuses (type is NOT NULL): f1's old row must survive.
      const broken = finding('f2', '198.51.100.9', T + 2, { type: null as unknown as string });
      await expect(store.putFindings(a.site.id, [finding('f1', '198.51.100.3', T + 2), broken])).rejects.toThrow();
      expect(await store.listFindings(a.site.id, T, T + 10)).toEqual(before);
    });

    it('replaces a threat list by source and keeps sites apart', async () => {
      const store = await fresh();
      const a = await store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: null });
      const b = await store.createSite({ name: 'b', timeZone: 'UTC', homeCountry: null });
      await store.replaceIntel(a.site.id, 'drop', ['192.0.2.0/24', '2001:db8::/32', '192.0.2.0/24'], T);
      await store.replaceIntel(a.site.id, 'edrop', ['198.51.100.7'], T);
      expect(await store.intelSources(a.site.id)).toEqual([
        { source: 'drop', entries: 2 },
        { source: 'edrop', entries: 1 },
      ]);
      await store.replaceIntel(a.site.id, 'drop', ['203.0.113.0/24'], T + 1);
      expect(await store.listIntel(a.site.id)).toEqual([
        { source: 'drop', value: '203.0.113.0/24' },
        { source: 'edrop', value: '198.51.100.7' },
      ]);
      expect(await store.listIntel(b.site.id)).toEqual([]);
      // A list that fails half-way (a value the schema refuses) replaces nothing.
      await expect(
        store.replaceIntel(a.site.id, 'drop', ['192.0.2.0/24', null as unknown as string], T + 2),
      ).rejects.toThrow();
      expect(await store.listIntel(a.site.id)).toEqual([
        { source: 'drop', value: '203.0.113.0/24' },
        { source: 'edrop', value: '198.51.100.7' },
      ]);
    });

    it('answers the bot questions of raw events: clients of a category, fetchers of a path', async () => {
      const store = await fresh();
      const a = await store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: null });
      const b = await store.createSite({ name: 'b', timeZone: 'UTC', homeCountry: null });
      const fake = (i: number) =>
        event({
          ts: T + i,
          ip: '198.51.100.66',
          country: 'RU',
          ua: 'Googlebot/2.1',
          botCategory: 'impersonator',
          action: 'block',
        });
      await store.ingestBatch(
        a.site.id,
        batch([
          fake(1),
          fake(2),
          event({ ts: T + 3, path: '/robots.txt', ua: 'GPTBot/1.2', botCategory: 'ai-crawler' }),
        ]),
      );
      await store.ingestBatch(b.site.id, batch([fake(4)]));
      expect(await store.categoryClients(a.site.id, 'impersonator', T, T + 10, 5)).toEqual([
        { ip: '198.51.100.66', country: 'RU', ua: 'Googlebot/2.1', requests: 2, blocked: 2 },
      ]);
      expect(await store.pathFetchers(a.site.id, '/robots.txt', T, T + 10, 5)).toEqual([
        { ua: 'GPTBot/1.2', botCategory: 'ai-crawler', requests: 1 },
      ]);
      expect(await store.categoryClients(a.site.id, 'impersonator', T + 5, T + 10, 5)).toEqual([]);
    });
  });
}
