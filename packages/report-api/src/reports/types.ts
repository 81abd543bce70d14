import type { BotCategory } from '@watchpost/middleware/protocol';

/**
 * The daily posture report of one site for one local day. Counts are sample-weighted
 * (each event counts `1 / sampleRate`) and rounded to whole requests.
 * This shape is public (DESIGN.md): add fields, never rename or remove them.
 */
export interface DailyReport {
  site: { id: string; name: string; timeZone: string; homeCountry: string | null };
  /** Local date, YYYY-MM-DD, in the site's time zone. */
  date: string;
  /** The local day as epoch ms: [from, to). */
  range: { from: number; to: number };
  generatedAt: number;
  totals: {
    requests: number;
    allowed: number;
    blocked: number;
    /** Would have been blocked: rules in `count` (dry-run) mode. */
    counted: number;
    /** Share of responses that were not 5xx, rounded to four decimals; null on a day without traffic. */
    successRate: number | null;
    /** Distinct client IPs seen. */
    uniqueIps: number;
  };
  statusClasses: { '1xx': number; '2xx': number; '3xx': number; '4xx': number; '5xx': number };
  /** Per hour of the local day (24 entries, 23 or 25 on a daylight-saving change). */
  timeline: TimelinePoint[];
  domestic: TrafficShare;
  foreign: TrafficShare;
  /** Requests whose country is unknown. */
  unknownCountry: TrafficShare;
  topCountries: Array<{ country: string | null; requests: number; blocked: number }>;
  topIps: Array<{
    ip: string;
    requests: number;
    blocked: number;
    country: string | null;
    errors4xx: number;
    errors5xx: number;
  }>;
  topPaths: Array<{ path: string; requests: number; blocked: number; errors4xx: number; errors5xx: number }>;
  topUserAgents: Array<{ ua: string; requests: number; blocked: number; botCategory: BotCategory | null }>;
  bots: Array<{ category: BotCategory; requests: number; blocked: number }>;
  blocksByRule: Array<{ rule: string; blocked: number; counted: number }>;
  /**
   * The most errors in 30 s a burst had to pass on this day: the absolute threshold (default 100),
   * or 3 times the typical 30 s around the window (the median quarter-hour within two hours either
   * side) when that is more. Absent on reports built before.
   */
  burstThreshold?: number;
  /** 30-second windows whose 4xx+5xx count passed the day's burst threshold. */
  bursts: Array<{ start: number; end: number; errors: number; ips: Array<{ ip: string; errors: number }> }>;
  /** Clients that were answered 5xx (server failed) while their behaviour deserved a 403. */
  suspicious5xx: Array<{ ip: string; errors5xx: number; reasons: string[] }>;
  /**
   * Login and rate-rule sections. Optional until the report builder fills them (absent on reports built before);
   * see RateLimitedSection and LoginsSection.
   */
  rateLimited?: RateLimitedSection;
  logins?: LoginsSection;
  /** Case decisions since the last report and the cases still open (absent on reports built before cases). */
  triage?: TriageSection;
  /** Present when the site has GuardDuty findings that day. */
  guardDuty?: GuardDutySection;
  /** Present on a day with AI traffic, impersonators or robots.txt fetches. */
  botActivity?: BotActivitySection;
  /** Present when the site has threat lists (`watchpost import --format iplist`). */
  intel?: IntelSection;
  recommendations: Recommendation[];
  comparison: {
    previousDay: PeriodTotals | null;
    trailing7Days: PeriodTotals | null;
    /** Relative change against the previous day, e.g. 0.25 for +25%; null without a previous day. */
    change: { requests: number | null; blocked: number | null; errors5xx: number | null };
  };
}

export interface TimelinePoint {
  /** Start of the hour, epoch ms. */
  start: number;
  requests: number;
  blocked: number;
  errors4xx: number;
  errors5xx: number;
}

export interface TrafficShare {
  requests: number;
  blocked: number;
  /** blocked / requests, four decimals; null without requests. */
  blockRate: number | null;
}

export interface PeriodTotals {
  /** For the trailing seven days these are daily averages. */
  requests: number;
  blocked: number;
  errors4xx: number;
  errors5xx: number;
  successRate: number | null;
}

export interface Recommendation {
  ip: string;
  country: string | null;
  /** Human-readable evidence, one line each: "burst of 240 4xx in 30 s at 14:02", "probed /.env". */
  reasons: string[];
  /** Machine-readable kinds of evidence. */
  kinds: Array<
    | 'burst'
    | 'probe'
    | 'scanner'
    | 'high-4xx'
    | 'suspicious-5xx'
    | 'blocked-often'
    | 'rate-limited'
    | 'login-attack'
    | 'impersonator'
  >;
  requests: number;
  /** Whether the IP is already on the site's served deny list. */
  denied: boolean;
}

/** GuardDuty findings last seen that day (imported with `watchpost import --format guardduty`). */
export interface GuardDutySection {
  /** Distinct findings, and those without a remote IP (kept and counted, no IP evidence). */
  findings: number;
  withoutIp: number;
  byType: Array<{ type: string; findings: number }>;
  bySeverity: Array<{ severity: 'low' | 'medium' | 'high'; findings: number }>;
  byRegion: Array<{ region: string; findings: number }>;
  byCountry: Array<{ country: string | null; findings: number }>;
  /** Findings per local hour, by last seen. */
  byHour: number[];
  /** Remote IPs, those also seen in the site's HTTP traffic that day first. */
  ips: Array<{
    ip: string;
    country: string | null;
    findings: number;
    types: string[];
    maxSeverity: number;
    /** How many times GuardDuty saw the activity (the findings' counts summed). */
    times: number;
    /** The IP's HTTP requests and 4xx that day (0 when it sent none). */
    requests: number;
    errors4xx: number;
  }>;
  /** Remote IPs of the day's findings that also sent HTTP requests. */
  alsoInTraffic: number;
}

/** Bots beyond the category counts: AI traffic, impersonators and robots.txt fetches of the day. */
export interface BotActivitySection {
  ai: {
    requests: number;
    blocked: number;
    byCategory: Array<{ category: string; requests: number; blocked: number }>;
    /** The AI user agents with the most requests. */
    userAgents: Array<{ ua: string; category: string; requests: number; blocked: number }>;
  };
  /** Clients that named a verified crawler from outside its published ranges. */
  impersonators: {
    requests: number;
    clients: Array<{
      ip: string;
      country: string | null;
      ua: string;
      requests: number;
      blocked: number;
      /** Reverse-DNS check (`serve --verify-crawlers`): a real crawler on a range not yet published shows verified. */
      rdns: { state: 'verified' | 'failed' | 'unknown'; host: string | null } | null;
    }>;
  };
  robotsTxt: { fetches: number; fetchers: Array<{ ua: string; botCategory: string | null; requests: number }> };
  /**
   * Bots by the name their user agents give, busiest first (own and impersonated requests). For a
   * name whose operator publishes its addresses (`checked`), `requests` came from inside them and
   * `impersonated` counts the claims from outside (those clients are listed above); for other names
   * the claim is taken as given. A name seen only from impersonators has the category
   * `impersonator`. `checked` comes from the name, not from the sender: an app that turned
   * `crawlerVerification` off sends unchecked claims under a checked name. Empty for days stored
   * before events carried names.
   */
  byName: Array<{
    name: string;
    category: string;
    requests: number;
    blocked: number;
    checked: boolean;
    impersonated: { requests: number; blocked: number };
  }>;
}

/** The site's threat lists and the day's clients they name (busiest first, at most 100 listed). */
export interface IntelSection {
  sources: Array<{ source: string; entries: number }>;
  /** Clients of the day on at least one list. */
  clients: number;
  matches: Array<{ ip: string; sources: string[]; requests: number; blocked: number }>;
}

/** Triage: the case decisions taken since the last report, and the cases still open. */
export interface TriageSection {
  /** The window of `decided` (epoch ms): the previous day's report time to this day's. */
  since: number;
  until: number;
  decided: Array<{
    caseId: string;
    client: string;
    country: string | null;
    state: 'new' | 'denied' | 'allowed' | 'dismissed' | 'ticketed';
    /** Who decided: an admin key's label, `cli`, or the dashboard user. */
    by: string;
    at: number;
    reason: string;
    /** Deny decisions: when the deny ends (epoch ms); null for good or for other decisions. */
    expiresAt: number | null;
  }>;
  open: {
    /** Open cases (`new`), counted up to 500; `more` when there may be more. */
    count: number;
    more: boolean;
    /** The open cases with the most requests. */
    top: Array<{ caseId: string; client: string; country: string | null; kinds: string[]; lastDay: string }>;
  };
}

/** Clients refused or counted by a rate rule (`rate:<name>`) that day. */
export interface RateLimitedSection {
  /**
   * The `MAX_RATE_LIMITED_CLIENTS` (200) refused most, then counted most; `totals` count them all
   * (a botnet over a rate rule is tens of thousands of clients, and the report stays small).
   */
  clients: Array<{
    ip: string;
    country: string | null;
    /** Rule names without the `rate:` prefix. */
    rules: string[];
    /** Sample-weighted requests refused (`block`) and counted (`count`) by a rate rule. */
    refused: number;
    counted: number;
    /** Most requests (sample-weighted) from this client in one minute of the day. */
    peakPerMinute: number;
    /** Epoch ms of the first and last refused request; null when the client was only counted. */
    firstRefused: number | null;
    lastRefused: number | null;
  }>;
  totals: { clients: number; refused: number; counted: number };
}

export type LoginDetectionKind = 'brute-force' | 'credential-stuffing' | 'password-spraying' | 'compromised';

/** Login attempts that day: from events with a login outcome (app-reported, declared or imported). */
export interface LoginsSection {
  attempts: number;
  failures: number;
  /** Successes / attempts, four decimals; null without attempts. */
  successRate: number | null;
  /** Per hour of the local day, like `timeline`. */
  byHour: Array<{ start: number; attempts: number; failures: number }>;
  topClients: Array<{ ip: string; country: string | null; attempts: number; failures: number; accounts: number }>;
  topCountries: Array<{ country: string | null; attempts: number; failures: number }>;
  /** Accounts are 32-hex HMAC hashes, never clear text. */
  accounts: { distinct: number; top: Array<{ account: string; failures: number; clients: number }> };
  detections: Array<{
    kind: LoginDetectionKind;
    ip: string | null;
    account: string | null;
    count: number;
    first: number;
    last: number;
    evidence: string;
  }>;
}
