import type Database from 'better-sqlite3';
import { localDayOf } from '../../time/local-day.js';

/**
 * The time zone of a site (null for an unknown site), cached: a site's zone never changes, and the
 * ingest hot path asks for it on every batch.
 *
 * @example
 * const zoneOf = siteZones(db);
 * zoneOf('site_abc'); // 'Asia/Tokyo'
 */
export function siteZones(db: Database.Database): (siteId: string) => string | null {
  const zones = new Map<string, string>();
  const select = db.prepare<[string], { time_zone: string }>('SELECT time_zone FROM sites WHERE id = ?');
  return (siteId) => {
    let zone = zones.get(siteId);
    if (zone === undefined) {
      zone = select.get(siteId)?.time_zone;
      if (zone === undefined) return null;
      zones.set(siteId, zone);
    }
    return zone;
  };
}

/**
 * The local-day mapper (`localDayOf`) of a site's zone, one per zone, or null for an unknown site.
 *
 * @example
 * const localDayOfSite = siteLocalDays(siteZones(db));
 * localDayOfSite('site_abc')?.(Date.now()); // '2026-03-01'
 */
export function siteLocalDays(
  zoneOf: (siteId: string) => string | null,
): (siteId: string) => ((epochMs: number) => string) | null {
  const days = new Map<string, (epochMs: number) => string>();
  return (siteId) => {
    const zone = zoneOf(siteId);
    if (zone === null) return null;
    let day = days.get(zone);
    if (!day) days.set(zone, (day = localDayOf(zone)));
    return day;
  };
}
