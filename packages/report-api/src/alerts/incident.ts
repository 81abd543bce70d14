/** What an alert is about. `test` and `daily-report` are not incidents but share the delivery path. */
export type AlertKind = IncidentKind | 'test' | 'daily-report';

/** The incident kinds that open and resolve. */
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** Every incident kind: HTTP error bursts, bans, 5xx, traffic baseline, login attacks, rate rules. */
export const INCIDENT_KINDS = [
  'burst',
  'auto-ban',
  'suspicious-5xx',
  'baseline',
  'login-brute-force',
  'login-credential-stuffing',
  'login-password-spraying',
  'login-compromised',
  'rate-limited',
] as const;

/** One change of an incident that is worth a message: it opened, or it is over. */
export interface AlertNotice {
  siteId: string;
  kind: IncidentKind;
  /** Identifies the incident within its site and kind: the IP, the ban id, `site` for site-wide ones. */
  key: string;
  state: 'alert' | 'resolved';
  /** When the incident opened (epoch ms). */
  openedAt: number;
  /** When this notice was raised (epoch ms). */
  at: number;
  /** One-line summary, plain text. */
  title: string;
  /** Further lines of evidence, plain text. */
  lines: string[];
}

/** An incident that has not been resolved yet. */
export interface OpenIncident {
  siteId: string;
  kind: IncidentKind;
  key: string;
  openedAt: number;
  lastActiveAt: number;
  title: string;
  lines: string[];
}

/** Options of {@link createIncidentTracker}. */
export interface IncidentTrackerOptions {
  /**
   * How long the condition must stay clear before the incident counts as over, per kind (ms).
   * A condition that comes back inside this time continues the same incident: no second alert.
   */
  coolDownMs?: Partial<Record<IncidentKind, number>>;
}

/** Default cool-downs: long enough that a flapping condition sends one alert, short enough to say "resolved" soon. */
export const DEFAULT_COOL_DOWN_MS: Record<IncidentKind, number> = {
  burst: 120_000,
  'suspicious-5xx': 600_000,
  'auto-ban': 600_000,
  baseline: 0,
  'login-brute-force': 600_000,
  'login-credential-stuffing': 600_000,
  'login-password-spraying': 600_000,
  'login-compromised': 3_600_000,
  'rate-limited': 600_000,
};

/**
 * Turns conditions that are re-evaluated again and again into one "alert" when an incident starts
 * and one "resolved" when it has stayed clear for the kind's cool-down.
 *
 * @example
 * const incidents = createIncidentTracker();
 * const burst = { siteId: 's1', kind: 'burst', key: 'site', lines: [] } as const;
 * incidents.active({ ...burst, title: '150 errors in 30 s' }, now); // notice
 * incidents.active({ ...burst, title: '170 errors in 30 s' }, now + 1000); // null
 * incidents.resolveQuiet(now + 200_000); // [resolved notice]
 */
export function createIncidentTracker({ coolDownMs = {} }: IncidentTrackerOptions = {}) {
  const coolDowns = { ...DEFAULT_COOL_DOWN_MS, ...coolDownMs };
  for (const [kind, ms] of Object.entries(coolDowns)) {
    if (!Number.isFinite(ms) || ms < 0)
      throw new TypeError(`coolDownMs.${kind} must be a non-negative number, got ${ms}`);
  }
  const open = new Map<string, OpenIncident>();
  const idOf = (siteId: string, kind: string, key: string) => `${siteId}\u0000${kind}\u0000${key}`;

  return {
    /** Marks a condition as present now; returns an "alert" notice only when this opens an incident. */
    active(
      condition: { siteId: string; kind: IncidentKind; key: string; title: string; lines: string[] },
      now: number,
    ): AlertNotice | null {
      const id = idOf(condition.siteId, condition.kind, condition.key);
      const incident = open.get(id);
      if (incident) {
        incident.lastActiveAt = now;
        return null;
      }
      open.set(id, { ...condition, openedAt: now, lastActiveAt: now });
      return { ...condition, state: 'alert', openedAt: now, at: now };
    },

    /** Whether an incident is open for this condition. */
    isOpen(siteId: string, kind: IncidentKind, key: string): boolean {
      return open.has(idOf(siteId, kind, key));
    },

    /**
     * Closes incidents whose condition has been clear for their kind's cool-down; `only` limits this
     * to one site and/or kind (the ones just evaluated).
     */
    resolveQuiet(now: number, only: { siteId?: string; kind?: IncidentKind } = {}): AlertNotice[] {
      const notices: AlertNotice[] = [];
      for (const [id, incident] of open) {
        if (only.kind && incident.kind !== only.kind) continue;
        if (only.siteId && incident.siteId !== only.siteId) continue;
        // The condition was last seen at lastActiveAt; it has been clear for quietFor since.
        const quietFor = now - incident.lastActiveAt;
        if (quietFor <= 0 || quietFor < coolDowns[incident.kind]) continue;
        open.delete(id);
        notices.push({
          siteId: incident.siteId,
          kind: incident.kind,
          key: incident.key,
          state: 'resolved',
          openedAt: incident.openedAt,
          at: now,
          title: `Resolved: ${incident.title}`,
          lines: [`Open from ${new Date(incident.openedAt).toISOString()} to ${new Date(now).toISOString()}.`],
        });
      }
      return notices;
    },

    /** Open incidents, oldest first (for status pages and tests). */
    list(): Array<Readonly<OpenIncident>> {
      return [...open.values()];
    },
  };
}

/** The tracker returned by {@link createIncidentTracker}. */
export type IncidentTracker = ReturnType<typeof createIncidentTracker>;
