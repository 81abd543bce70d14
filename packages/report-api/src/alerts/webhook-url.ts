/**
 * Webhook URLs: what a valid one is, and how to show one without its secret path. The alert store
 * itself (webhooks, settings, deliveries) is `db/alerts.ts`.
 */
/**
 * Checks a webhook URL: absolute http(s), no credentials in it. Returns an error message or null.
 *
 * @example
 * webhookUrlProblem('ftp://x'); // 'webhook URL must be http:// or https://, got ftp:'
 */
export function webhookUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `webhook URL is not a valid absolute URL: ${JSON.stringify(url.slice(0, 200))}`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `webhook URL must be http:// or https://, got ${parsed.protocol}`;
  }
  if (parsed.username || parsed.password) return 'webhook URL must not contain a user name or password';
  if (url.length > 2048) return 'webhook URL is longer than 2048 characters';
  return null;
}

/**
 * A webhook URL safe to display: scheme and host, then only the last four characters of the rest
 * (webhook paths are bearer secrets).
 *
 * @example
 * redactUrl('https://hooks.slack.com/services/T0/B0/abcdefgh'); // 'https://hooks.slack.com/…efgh'
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const rest = `${parsed.pathname}${parsed.search}`;
    return rest.length <= 1 ? parsed.origin : `${parsed.origin}/…${rest.slice(-4)}`;
  } catch {
    return '(invalid URL)';
  }
}
