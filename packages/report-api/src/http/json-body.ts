import { gunzipSync } from 'node:zlib';
import type { BodyLimits } from './env.js';
import { apiError } from './errors.js';

// Stateless for whole-buffer decodes, so one decoder serves every request.
const utf8 = new TextDecoder('utf-8', { fatal: true });
const mb = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`);

/**
 * Reads a JSON request body within `limits`: stops reading past `maxBodyBytes`, gunzips
 * `Content-Encoding: gzip` with an output cap (a zip bomb stops at `maxDecompressedBytes`), rejects
 * invalid UTF-8, and parses. Every failure is a 4xx `HTTPException`; `tooLargeHint` ends the 413
 * message (what a smaller body looks like).
 *
 * @example
 * const body = await readJsonBody(c.req.raw, { maxBodyBytes: 5 << 20, maxDecompressedBytes: 50 << 20 });
 */
export async function readJsonBody(request: Request, limits: BodyLimits, tooLargeHint = 'send smaller batches (at most 5000 events each)'): Promise<unknown> {
  return (await readJsonText(request, limits, tooLargeHint)).value;
}

/**
 * `readJsonBody`, also answering the JSON text (decompressed, decoded) the value was parsed from.
 *
 * @example
 * const { text, value } = await readJsonText(c.req.raw, limits);
 */
export async function readJsonText(request: Request, limits: BodyLimits, tooLargeHint = 'send smaller batches (at most 5000 events each)'): Promise<{ text: string; value: unknown }> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw apiError(415, `send Content-Type: application/json (got ${type ? JSON.stringify(type) : 'none'})`);
  }
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw apiError(415, `unsupported Content-Encoding ${JSON.stringify(encoding)}; send gzip or no encoding`);
  }
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > limits.maxBodyBytes) throw tooLarge(limits.maxBodyBytes, tooLargeHint);

  let raw = await readCapped(request, limits.maxBodyBytes, tooLargeHint);
  if (encoding === 'gzip') {
    try {
      raw = gunzipSync(raw, { maxOutputLength: limits.maxDecompressedBytes });
    } catch (error) {
      if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw apiError(413, `body is larger than ${mb(limits.maxDecompressedBytes)} once decompressed; ${tooLargeHint}`);
      }
      throw apiError(400, 'body is not valid gzip; compress the JSON with gzip or drop Content-Encoding');
    }
  }
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw apiError(400, 'body is not valid UTF-8; encode the JSON as UTF-8');
  }
  try {
    return { text, value: JSON.parse(text) };
  } catch (error) {
    throw apiError(400, `body is not valid JSON: ${(error as Error).message}`);
  }
}

function tooLarge(max: number, hint: string) {
  return apiError(413, `body is larger than ${mb(max)}; ${hint}`);
}

async function readCapped(request: Request, max: number, hint: string): Promise<Buffer> {
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(max, hint);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}
