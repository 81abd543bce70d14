import { createGunzip } from 'node:zlib';
import { HTTPException } from 'hono/http-exception';
import type { BodyLimits } from './env.js';
import { apiError } from './errors.js';
import { type BodyMeter, meterOf } from './ingest-limits.js';

// Stateless for whole-buffer decodes, so one decoder serves every request.
const utf8 = new TextDecoder('utf-8', { fatal: true });
const mb = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/**
 * Reads a JSON request body within `limits`: stops reading past `maxBodyBytes`, gunzips
 * `Content-Encoding: gzip` as it arrives on zlib's thread pool (never blocking the serving thread)
 * and stops a zip bomb as soon as its output passes `maxDecompressedBytes`, rejects invalid UTF-8,
 * and parses. The decompressed bytes are counted on the request's `BodyMeter` (see `ingestLimits`). Every failure is a
 * 4xx `HTTPException`; `tooLargeHint` ends the 413 message (what a smaller body looks like).
 *
 * @example
 * const body = await readJsonBody(c.req.raw, { maxBodyBytes: 5 << 20, maxDecompressedBytes: 50 << 20 });
 */
export async function readJsonBody(
  request: Request,
  limits: BodyLimits,
  tooLargeHint = 'send smaller batches (at most 5000 events each)',
): Promise<unknown> {
  return (await readJsonText(request, limits, tooLargeHint)).value;
}

/**
 * `readJsonBody`, also answering the JSON text (decompressed, decoded) the value was parsed from.
 *
 * @example
 * const { text, value } = await readJsonText(c.req.raw, limits);
 */
export async function readJsonText(
  request: Request,
  limits: BodyLimits,
  tooLargeHint = 'send smaller batches (at most 5000 events each)',
): Promise<{ text: string; value: unknown }> {
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

  const meter = meterOf(request);
  const raw =
    encoding === 'gzip'
      ? await gunzipCapped(request, limits, tooLargeHint, meter)
      : await readCapped(request, Math.min(limits.maxBodyBytes, limits.maxDecompressedBytes), tooLargeHint, meter);
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw apiError(400, 'body is not valid UTF-8; encode the JSON as UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw apiError(400, `body is not valid JSON: ${(error as Error).message}`);
  }
  const events = (value as { events?: unknown } | null)?.events;
  if (Array.isArray(events)) meter?.events(events.length);
  return { text, value };
}

function tooLarge(max: number, hint: string) {
  return apiError(413, `body is larger than ${mb(max)}; ${hint}`);
}

async function readCapped(request: Request, max: number, hint: string, meter?: BodyMeter): Promise<Buffer> {
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) throw tooLarge(max, hint);
      meter?.add(value.byteLength);
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  }
  return Buffer.concat(chunks, size);
}

/**
 * Inflates the body chunk by chunk as it is read. zlib's stream works on the libuv thread pool, so
 * a large body never stalls the serving thread, and the output cap is checked after every chunk:
 * a bomb is stopped within one chunk of the cap instead of being inflated whole first.
 */
async function gunzipCapped(request: Request, limits: BodyLimits, hint: string, meter?: BodyMeter): Promise<Buffer> {
  if (!request.body)
    throw apiError(400, 'body is not valid gzip; compress the JSON with gzip or drop Content-Encoding');
  const reader = request.body.getReader();
  const gunzip = createGunzip({ chunkSize: 64 * 1024 });
  const chunks: Buffer[] = [];
  let size = 0;
  let failure: unknown;
  const finished = new Promise<void>((resolve, reject) => {
    gunzip.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      try {
        if (size > limits.maxDecompressedBytes) {
          throw apiError(413, `body is larger than ${mb(limits.maxDecompressedBytes)} once decompressed; ${hint}`);
        }
        meter?.add(chunk.byteLength);
        chunks.push(chunk);
      } catch (error) {
        failure = error;
        gunzip.destroy();
        reject(error);
      }
    });
    gunzip.once('end', resolve);
    gunzip.once('error', (error) => reject(failure ?? error));
    gunzip.once('close', () => reject(failure ?? new Error('gunzip closed early')));
  });
  finished.catch(() => undefined); // observed below; never an unhandled rejection meanwhile
  try {
    let read = 0;
    for (;;) {
      const { done, value } = await Promise.race([
        reader.read(),
        finished.then(() => ({ done: true as const, value: undefined })),
      ]);
      if (done) break;
      read += value.byteLength;
      if (read > limits.maxBodyBytes) throw tooLarge(limits.maxBodyBytes, hint);
      // Backpressure: wait for zlib to take this chunk before reading more of the socket.
      if (!gunzip.write(value)) await Promise.race([new Promise((resolve) => gunzip.once('drain', resolve)), finished]);
    }
    gunzip.end();
    await finished;
  } catch (error) {
    gunzip.destroy();
    chunks.length = 0;
    await reader.cancel().catch(() => undefined);
    if (error instanceof HTTPException) throw error;
    throw apiError(400, 'body is not valid gzip; compress the JSON with gzip or drop Content-Encoding');
  }
  return Buffer.concat(chunks, size);
}
