import { normalizeCountry, normalizeIp, type RequestFacts } from '@watchpost/middleware';

/** The parts of Cloudflare's `request.cf` object the worker reads; all optional (absent locally). */
export interface CfSignals {
  country?: unknown;
  asn?: unknown;
  botManagement?: { verifiedBot?: unknown } | null;
  verifiedBotCategory?: unknown;
}

function countryOf(cf: CfSignals | undefined): string | null {
  // The engine's own normaliser: Cloudflare's XX ("unknown") becomes null, and so does T1 (Tor),
  // which is not two letters; the event format wants a real ISO code or null.
  return typeof cf?.country === 'string' ? normalizeCountry(cf.country) : null;
}

function asnOf(cf: CfSignals | undefined): number | null {
  const value = cf?.asn;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

function verifiedBotOf(cf: CfSignals | undefined): boolean {
  // `botManagement.verifiedBot` needs Bot Management; `verifiedBotCategory` is on every plan that has it.
  if (cf?.botManagement?.verifiedBot === true) return true;
  return typeof cf?.verifiedBotCategory === 'string' && cf.verifiedBotCategory.length > 0;
}

/**
 * Turns an incoming Workers request into the engine's plain shape. The client IP comes from
 * `CF-Connecting-IP`, which Cloudflare's edge always sets (a client cannot forge it there);
 * country, ASN and the verified-bot signal come from `request.cf` when present. Pass `url` when the
 * request URL is already parsed.
 *
 * @example
 * const facts = requestFacts(request, request.cf);
 * engine.decide(facts);
 */
export function requestFacts(request: Request, cf: CfSignals | undefined, url = new URL(request.url)): RequestFacts {
  const rawIp = request.headers.get('cf-connecting-ip')?.trim() ?? '';
  const facts: RequestFacts = {
    // Canonical text (IPv4-mapped IPv6 as IPv4, IPv6 compressed) so events and counters agree.
    ip: normalizeIp(rawIp) ?? rawIp,
    method: request.method,
    host: url.host,
    path: url.pathname,
    ua: request.headers.get('user-agent') ?? '',
    country: countryOf(cf),
    asn: asnOf(cf),
  };
  if (verifiedBotOf(cf)) facts.verifiedBot = true;
  return facts;
}
