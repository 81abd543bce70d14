import {
  MAX_BOT_NAME_LENGTH,
  type Action,
  type BotCategory,
  type WatchpostEvent,
} from '@watchpost/middleware/protocol';
import { defaultParseContext, type ParseContext, type ParseResult } from './context.js';
import { cleanHost, cleanPath, cleanToken, cleanUa, parseIsoUtc } from './fields.js';
import { jsonDepthExceeds } from './json-depth.js';
import { cleanAsn, plausibleTs } from './plausible.js';

/** The parts of the documented AWS WAF log record that an import reads. */
interface WafRecord {
  timestamp?: unknown;
  action?: unknown;
  terminatingRuleId?: unknown;
  terminatingRuleType?: unknown;
  responseCodeSent?: unknown;
  httpRequest?: {
    clientIp?: unknown;
    country?: unknown;
    headers?: Array<{ name?: unknown; value?: unknown }>;
    uri?: unknown;
    httpMethod?: unknown;
    asn?: unknown;
  };
  labels?: Array<{ name?: unknown }> | null;
  ruleGroupList?: Array<WafRuleGroup> | null;
  nonTerminatingMatchingRules?: Array<{ ruleId?: unknown; action?: unknown }> | null;
}

interface WafRuleGroup {
  ruleGroupId?: unknown;
  terminatingRule?: { ruleId?: unknown; action?: unknown } | null;
  nonTerminatingMatchingRules?: Array<{ ruleId?: unknown; action?: unknown }> | null;
  excludedRules?: Array<{ ruleId?: unknown; exclusionType?: unknown }> | null;
}

/**
 * What each terminating WAF action becomes. WAF answers BLOCK with 403, CAPTCHA with 405 and CHALLENGE
 * with 202 unless a custom response (`responseCodeSent`) says otherwise; none of them reached the
 * origin, so all three are blocks. ALLOW (and COUNT) carry no origin status in a WAF log.
 */
const ACTIONS = new Map<string, { action: Action; status: number }>([
  ['BLOCK', { action: 'block', status: 403 }],
  ['CAPTCHA', { action: 'block', status: 405 }],
  ['CHALLENGE', { action: 'block', status: 202 }],
  ['ALLOW', { action: 'allow', status: 0 }],
  ['COUNT', { action: 'count', status: 0 }],
]);

/** Bot Control category labels (`awswaf:managed:aws:bot-control:bot:category:X`) → Watchpost categories. */
/** A Map, not an object literal: label text comes from the log, and `constructor` must not find anything. */
const BOT_CONTROL = new Map<string, BotCategory>([
  ['search_engine', 'search-engine'],
  ['ai', 'ai-crawler'],
  ['seo', 'seo'],
  ['monitoring', 'monitor'],
  ['security', 'scanner'],
  ['http_library', 'http-client'],
  ['social_media', 'social-preview'],
  ['archiver', 'archiver'],
  ['link_checker', 'validator'],
  ['scraping_framework', 'crawler'],
  ['content_fetcher', 'other-bot'],
  ['advertising', 'other-bot'],
  ['email_client', 'other-bot'],
  ['miscellaneous', 'other-bot'],
]);
const BOT_LABEL = 'awswaf:managed:aws:bot-control:bot:category:';

/** Records longer than this (characters) are checked for absurd nesting before `JSON.parse`. */
const LONG_RECORD = 16_384;

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
/** A list field, or empty when it is missing, null or (in a damaged record) not a list. */
const list = <T>(value: T[] | null | undefined): T[] => (Array.isArray(value) ? value : []);

/** `AWS#AWSManagedRulesCommonRuleSet` or a rule-group ARN → a short group name. */
function groupName(id: unknown): string {
  const text = str(id) ?? '';
  const arn = text.indexOf('rulegroup/');
  if (arn !== -1) return text.slice(arn + 10).split('/')[0]!;
  return text.slice(text.lastIndexOf('#') + 1);
}

function terminatingRule(record: WafRecord): string | null {
  const id = str(record.terminatingRuleId);
  if (id === null || id === '') return null;
  for (const group of list(record.ruleGroupList)) {
    const inner = str(group?.terminatingRule?.ruleId);
    if (inner !== null) return `${id}:${inner}`;
  }
  return id;
}

/** The first rule that matched in COUNT mode, top level first, then inside rule groups. */
function countedRule(record: WafRecord): string | null {
  for (const match of list(record.nonTerminatingMatchingRules)) {
    if (match?.action === 'COUNT' && str(match.ruleId) !== null) return str(match.ruleId);
  }
  for (const group of list(record.ruleGroupList)) {
    for (const match of list(group?.nonTerminatingMatchingRules)) {
      if (match?.action === 'COUNT' && str(match.ruleId) !== null)
        return `${groupName(group.ruleGroupId)}:${match.ruleId}`;
    }
    for (const excluded of list(group?.excludedRules)) {
      if (excluded?.exclusionType === 'EXCLUDED_AS_COUNT' && str(excluded.ruleId) !== null) {
        return `${groupName(group.ruleGroupId)}:${excluded.ruleId}`;
      }
    }
  }
  return null;
}

const BOT_NAME_LABEL = 'awswaf:managed:aws:bot-control:bot:name:';

/** The bot's name from a Bot Control label (`…:bot:name:googlebot`), storable, or null without one. */
function botControlName(labels: WafRecord['labels']): string | null {
  for (const label of list(labels)) {
    const name = str(label?.name);
    if (name !== null && name.startsWith(BOT_NAME_LABEL)) {
      return cleanToken(name.slice(BOT_NAME_LABEL.length), MAX_BOT_NAME_LENGTH) || null;
    }
  }
  return null;
}

function botControlCategory(labels: WafRecord['labels']): BotCategory | null | undefined {
  for (const label of list(labels)) {
    const name = str(label?.name);
    if (name !== null && name.startsWith(BOT_LABEL))
      return BOT_CONTROL.get(name.slice(BOT_LABEL.length)) ?? 'other-bot';
  }
  return undefined;
}

/**
 * Parses one AWS WAF log record (one JSON object per line, as WAF writes to S3, CloudWatch Logs or
 * Firehose; a CloudWatch Logs export's leading timestamp is allowed). The terminating action decides the event: BLOCK,
 * CAPTCHA and CHALLENGE are blocks by
 * `terminatingRuleId` (with the rule-group rule appended, `AWS-AWSManagedRulesCommonRuleSet:SizeRestrictions_BODY`);
 * an ALLOW with a COUNT match (web ACL or rule group) is a `count` by that rule.
 *
 * Status: `responseCodeSent` when WAF sent a custom response, else WAF's default answer for blocks
 * (403, CAPTCHA 405, CHALLENGE 202), else **0**: a WAF log does not know what the origin answered to an
 * allowed request, and inventing 200 would inflate 2xx and the success rate. Import the ALB or access
 * logs of the same traffic for origin statuses. Latency is 0 (not in the record). The bot category
 * comes from Bot Control labels when present, else from the user agent.
 *
 * @example
 * const record = {
 *   timestamp: 1773064931482, action: 'BLOCK', terminatingRuleId: 'BadIps', terminatingRuleType: 'REGULAR',
 *   httpRequest: { clientIp: '192.0.2.44', country: 'NL', headers: [{ name: 'Host', value: 'shop.example' }],
 *     uri: '/.env', args: '', httpMethod: 'GET' },
 * };
 * parseAwsWafLine(JSON.stringify(record));
 * // { event: { ip: '192.0.2.44', country: 'NL', path: '/.env', status: 403, action: 'block', rule: 'BadIps', ... } }
 */
export function parseAwsWafLine(line: string, ctx: ParseContext = defaultParseContext): ParseResult {
  let text = line.trim();
  if (text === '') return { skip: 'empty' };
  if (text.charCodeAt(0) !== 123 /* { */) {
    // CloudWatch Logs exports put the ingestion time in front: `2026-03-09T14:02:11.482Z {...}`.
    const brace = text.indexOf(' {');
    if (brace === -1 || Number.isNaN(parseIsoUtc(text.slice(0, brace)))) return { skip: 'not-json' };
    text = text.slice(brace + 1);
  }
  // Only long lines can nest deep enough to be slow to parse; real records are a few KB.
  if (text.length > LONG_RECORD && jsonDepthExceeds(text)) return { skip: 'not-json' };
  let record: WafRecord;
  try {
    record = JSON.parse(text) as WafRecord;
  } catch {
    return { skip: text.endsWith('}') ? 'not-json' : 'truncated' };
  }
  const request = record.httpRequest;
  if (typeof request !== 'object' || request === null) return { skip: 'missing-field' };
  const ts = typeof record.timestamp === 'string' ? Number(record.timestamp) : record.timestamp;
  if (!plausibleTs(ts, ctx.now())) return { skip: 'bad-timestamp' };
  const clientIp = str(request.clientIp);
  const method = str(request.httpMethod);
  const outcome = ACTIONS.get(str(record.action) ?? '');
  if (clientIp === null || method === null || method === '' || outcome === undefined) return { skip: 'missing-field' };
  const ip = ctx.normalizeIp(clientIp);
  if (ip === null) return { skip: 'bad-ip' };

  let host = '';
  let ua = '';
  for (const header of list(request.headers)) {
    const name = str(header?.name)?.toLowerCase();
    if (name === 'host' && host === '') host = str(header.value) ?? '';
    else if (name === 'user-agent' && ua === '') ua = cleanUa(str(header.value) ?? '');
  }
  let { action, status } = outcome;
  let rule: string | null;
  if (action === 'block') rule = terminatingRule(record) ?? 'aws-waf';
  else {
    rule = countedRule(record) ?? (action === 'count' ? terminatingRule(record) : null);
    if (rule !== null) action = 'count';
  }
  const sent = record.responseCodeSent;
  if (typeof sent === 'number' && Number.isInteger(sent) && sent >= 100 && sent <= 999) status = sent;
  const country = str(request.country);
  const asn = cleanAsn(request.asn);
  // Bot Control's labels, when present, are AWS's own verdict (it verifies crawlers itself); else the user agent's.
  const labelled = botControlCategory(record.labels);
  const bot = ctx.bot(ua, ip);
  const event: WatchpostEvent = {
    ts,
    ip,
    country: country !== null && /^[A-Z]{2}$/.test(country) ? country : null,
    method: cleanToken(method, 16),
    host: cleanHost(host),
    path: cleanPath(str(request.uri) ?? '/'),
    status,
    latencyMs: 0,
    ua,
    action,
    rule: rule === null ? null : cleanToken(rule, 128),
    botCategory: labelled ?? bot.category,
    sampleRate: 1,
    ...(asn === undefined ? {} : { asn }),
  };
  const botName = botControlName(record.labels) ?? bot.name;
  if (botName !== null) event.botName = botName;
  return { event };
}
