/**
 * The account a login request names, read at the edge from a copy of its body (as AWS WAF's account
 * takeover rules read the username field): a top-level field of a form (`application/x-www-form-
 * urlencoded`) or JSON object body. The engine hashes it with the site's key at once; the clear
 * text is never stored or sent. Bounded: bodies over `maxBytes` and other content types give null.
 */

/** Longest body read for an account, in bytes. Login forms are a few hundred bytes. */
export const MAX_LOGIN_BODY_BYTES = 8_192;
const MAX_ACCOUNT_CHARS = 256;

async function readBounded(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array | null> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) return null;
      chunks.push(value);
    }
  } finally {
    // Our copy only: the origin's branch of the body keeps flowing.
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

function accountFrom(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const account = value.trim();
  return account === '' || account.length > MAX_ACCOUNT_CHARS ? null : account;
}

/**
 * Reads `field` from a login request's body; pass a clone (`request.clone()`) so the origin still
 * gets the body. Never throws: an unreadable, oversized or malformed body gives null.
 *
 * @example
 * const reading = readLoginAccount(request.clone(), 'username');
 * const response = await fetch(toOriginRequest(request, originUrl));
 * const account = await reading; // 'alice@example.com' or null
 */
export async function readLoginAccount(
  request: Request,
  field: string,
  maxBytes = MAX_LOGIN_BODY_BYTES,
): Promise<string | null> {
  try {
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (request.body === null || declared > maxBytes) return null;
    const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const isForm = type === 'application/x-www-form-urlencoded';
    if (!isForm && type !== 'application/json') return null;
    const bytes = await readBounded(request.body, maxBytes);
    if (bytes === null) return null;
    const text = new TextDecoder().decode(bytes);
    if (isForm) return accountFrom(new URLSearchParams(text).get(field));
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    // An own property only: `__proto__` or `toString` in the settings must not reach the prototype.
    return Object.hasOwn(parsed, field) ? accountFrom((parsed as Record<string, unknown>)[field]) : null;
  } catch {
    return null;
  }
}
