import { escapeRegExp } from '../regexp.js';
import { assertMode, type RuleMode } from './mode.js';

/**
 * A probe of a sensitive path. `contains` (the default for plain strings) matches the pattern
 * anywhere in the path, case-insensitively, so `/.env` also catches `/api/.env.local`;
 * `prefix` only at the start; `exact` the whole path. `mode` overrides the global mode.
 */
export interface ProbeRule {
  pattern: string;
  match?: 'contains' | 'prefix' | 'exact';
  /** Rule name on events; defaults to `probe:<pattern>`. */
  name?: string;
  mode?: RuleMode;
}

/** A probe given as a plain path (`contains` match) or as a full rule. */
export type ProbeInput = string | ProbeRule;

/** Options of the probe rules. `false` in EngineOptions turns them off. */
export interface ProbeOptions {
  /** Replaces the default list. */
  paths?: readonly ProbeInput[];
  /** Added to the default list (or to `paths`). */
  extraPaths?: readonly ProbeInput[];
  /** Mode of every probe that has none of its own; defaults to the global mode. */
  mode?: RuleMode;
  /** Catch `../`, `..\` and their percent-encoded forms; default true. */
  pathTraversal?: boolean | RuleMode;
}

/** Paths no Express or Hono app serves; scanners ask for them all day. */
export const DEFAULT_PROBES: readonly string[] = [
  '/.env',
  '/.git/',
  '/.svn/',
  '/.hg/',
  '/.aws/',
  '/.ssh/',
  '/.DS_Store',
  '/.htaccess',
  '/.htpasswd',
  '/wp-config.php',
  '/phpmyadmin',
  '/server-status',
  '/config.php',
  '/phpinfo.php',
  '/web.config',
  '/vendor/phpunit/',
  '/cgi-bin/',
  '/etc/passwd',
  '/HNAP1',
  '/boaform/',
];

/** Probes that are only suspicious on a site that is not WordPress (`wordpress: false`). */
export const WORDPRESS_PROBES: readonly string[] = ['/wp-login.php', '/wp-admin', '/xmlrpc.php'];

/** A compiled probe: the rule name and its effective mode. */
export interface ProbeHit {
  rule: string;
  mode: RuleMode;
}

/** Checks a raw request path (before percent-decoding) against the compiled probes. */
export type ProbeMatcher = (path: string) => ProbeHit | null;

const TRAVERSAL = /(?:^|[/\\]|%2f|%5c)(?:\.|%2e|%252e){2}(?:[/\\]|%2f|%5c|%252f|$)/i;

interface Compiled extends ProbeHit {
  test: RegExp;
}

function compileOne(input: ProbeInput, index: number, defaultMode: RuleMode, where: string): Compiled {
  const rule: ProbeRule = typeof input === 'string' ? { pattern: input } : input;
  if (rule === null || typeof rule !== 'object' || typeof rule.pattern !== 'string' || rule.pattern.length === 0) {
    throw new TypeError(`${where}[${index}] must be a non-empty path or { pattern }, got ${JSON.stringify(input)}`);
  }
  const match = rule.match ?? 'contains';
  if (match !== 'contains' && match !== 'prefix' && match !== 'exact') {
    throw new TypeError(
      `${where}[${index}].match must be "contains", "prefix" or "exact", got ${JSON.stringify(match)}`,
    );
  }
  const mode = rule.mode ?? defaultMode;
  assertMode(mode, `${where}[${index}].mode`);
  const body = escapeRegExp(rule.pattern);
  const source = match === 'exact' ? `^${body}$` : match === 'prefix' ? `^${body}` : body;
  return { rule: rule.name ?? `probe:${rule.pattern}`, mode, test: new RegExp(source, 'i') };
}

/**
 * Compiles the probe rules once into a single case-insensitive regular expression, so an
 * innocent path costs one scan however long the list is.
 *
 * @example
 * const probe = compileProbes({}, { mode: 'block', wordpress: false });
 * probe('/.env');        // { rule: 'probe:/.env', mode: 'block' }
 * probe('/a/../../etc'); // { rule: 'probe:path-traversal', mode: 'block' }
 * probe('/products/1');  // null
 */
export function compileProbes(
  options: ProbeOptions | false | undefined,
  site: { mode: RuleMode; wordpress: boolean },
): ProbeMatcher {
  if (options === false)
    return function noProbes() {
      return null;
    };
  const opts = options ?? {};
  if (typeof opts !== 'object')
    throw new TypeError(`options.probes must be an object or false, got ${JSON.stringify(options)}`);
  const defaultMode = opts.mode ?? site.mode;
  assertMode(defaultMode, 'options.probes.mode');
  if (opts.paths !== undefined && !Array.isArray(opts.paths)) {
    throw new TypeError(`options.probes.paths must be an array, got ${JSON.stringify(opts.paths)}`);
  }
  if (opts.extraPaths !== undefined && !Array.isArray(opts.extraPaths)) {
    throw new TypeError(`options.probes.extraPaths must be an array, got ${JSON.stringify(opts.extraPaths)}`);
  }
  const base = opts.paths ?? [...DEFAULT_PROBES, ...(site.wordpress ? [] : WORDPRESS_PROBES)];
  const rules = [
    ...base.map((p, i) => compileOne(p, i, defaultMode, 'options.probes.paths')),
    ...(opts.extraPaths ?? []).map((p, i) => compileOne(p, i, defaultMode, 'options.probes.extraPaths')),
  ];
  const traversal = opts.pathTraversal ?? true;
  const traversalMode: RuleMode | null = traversal === false ? null : traversal === true ? defaultMode : traversal;
  if (traversalMode !== null) assertMode(traversalMode, 'options.probes.pathTraversal');
  const traversalHit: ProbeHit | null =
    traversalMode === null ? null : { rule: 'probe:path-traversal', mode: traversalMode };

  // One alternation answers "does any probe match?"; only a hit pays for finding which one.
  const any = rules.length === 0 ? null : new RegExp(rules.map((r) => `(?:${r.test.source})`).join('|'), 'i');
  const hits: ProbeHit[] = rules.map(({ rule, mode }) => ({ rule, mode }));
  // And one scan of the path for the probes and traversal together: an innocent path (nearly every
  // one) is read once, where the two expressions read it twice (~28 against ~37 ns for short paths).
  const sources = [...(any === null ? [] : [any.source]), ...(traversalHit === null ? [] : [TRAVERSAL.source])];
  const either = sources.length === 0 ? null : new RegExp(sources.join('|'), 'i');

  return function matchProbe(path) {
    if (either === null || !either.test(path)) return null;
    if (any !== null && any.test(path)) {
      for (let i = 0; i < rules.length; i++) {
        if (rules[i]!.test.test(path)) return hits[i]!;
      }
    }
    if (traversalHit !== null && TRAVERSAL.test(path)) return traversalHit;
    return null;
  };
}
