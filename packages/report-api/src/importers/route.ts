import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { loadGeoLookup } from '@watchpost/middleware/node';
import { Hono, type Context } from 'hono';
import { requireKey } from '../http/auth.js';
import type { AppEnv, ResolvedDeps } from '../http/env.js';
import { apiError } from '../http/errors.js';
import { createParseContext, type ParseContext } from './context.js';
import { IMPORT_FORMATS, isImportFormat } from './formats.js';
import { storeIngest } from './ingest.js';
import { parseLoginPaths } from './login-paths.js';
import { describeImportError } from './errors.js';
import { ImportLimitError, importStream } from './stream.js';
import { importGuardDuty } from './guardduty-import.js';
import { importIpList, TooManyListsError } from './iplist-import.js';
import { SOURCE_NAME } from './iplist.js';

const GB = 1024 ** 3;

/** Options of {@link importRoutes}. */
export interface ImportRouteOptions {
  /** Largest body as sent (gzip counts compressed). Default 1 GiB. */
  maxBodyBytes?: number;
  /** Largest log once decompressed (zip-bomb guard). Default 8 GiB. */
  maxTextBytes?: number;
  /**
   * Lookups for bots, IPs and countries. Default: the middleware's classifier and `loadGeoLookup()`, loaded on first
   * use.
   */
  context?: ParseContext;
}

const formats = [...Object.keys(IMPORT_FORMATS), 'guardduty', 'iplist'].join(', ');

/** Passes chunks through, failing once more than `max` bytes went by. */
async function* capped(body: AsyncIterable<Uint8Array>, max: number): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > max) throw new ImportLimitError(`the body is larger than ${max} bytes`);
    yield chunk;
  }
}

/**
 * `POST /v1/import?format=aws-waf|alb|combined[&loginPath=…][&sampleRate=0.1]` (admin key): the body is a log,
 * (or `format=guardduty`: GuardDuty findings; `format=iplist&source=NAME`: a threat list replacing that one),
 * plain or gzip (`Content-Encoding: gzip` or simply a `.gz` file's bytes), read as a stream and imported
 * into the key's site through the same validation and ingest as `POST /v1/events`; `sampleRate` stores
 * only that share of the allowed 2xx/3xx raw events, with exact report counts (see `storeIngest`).
 * Answers 200 with the same JSON summary as `watchpost import`. Importing the same log twice adds
 * nothing (`duplicates`). A body over the limits gets 413; what was stored before the limit stays.
 *
 * @example
 * app.route('/v1/import', importRoutes(deps));
 * // curl -H 'Authorization: Bearer wpa_…' --data-binary @alb.log.gz 'http://localhost:8787/v1/import?format=alb'
 */
export function importRoutes(
  deps: ResolvedDeps,
  { maxBodyBytes = GB, maxTextBytes = 8 * GB, context }: ImportRouteOptions = {},
) {
  let lookups = context;
  const app = new Hono<AppEnv>();

  /** GuardDuty findings or a threat list: evidence beside the events, bounded like a log body. */
  async function importEvidence(c: Context<AppEnv>, format: 'guardduty' | 'iplist') {
    const body = c.req.raw.body;
    if (body === null) throw apiError(400, 'the body is empty: send the export as the body');
    if (Number(c.req.header('content-length') ?? 0) > maxBodyBytes)
      throw apiError(413, `the body is larger than ${maxBodyBytes} bytes; split the export`);
    const source = () => capped(Readable.fromWeb(body as unknown as NodeReadableStream<Uint8Array>), maxBodyBytes);
    const site = c.get('site');
    try {
      if (format === 'guardduty') return c.json(await importGuardDuty(deps.store, site, [source], deps.now()), 200);
      const name = c.req.query('source') ?? '';
      if (!SOURCE_NAME.test(name))
        throw apiError(400, 'add ?source=NAME (letters, digits, ".", "_" and "-", 64 at most): the list to replace');
      return c.json(await importIpList(deps.store, site, name, [source], deps.now()), 200);
    } catch (error) {
      if (error instanceof TooManyListsError) throw apiError(409, error.message);
      if (error instanceof ImportLimitError) throw apiError(413, error.message);
      throw error;
    }
  }
  app.post('/', requireKey(deps.store, ['admin']), async function importLog(c) {
    const format = c.req.query('format');
    if (format === undefined) throw apiError(400, `add ?format= to the URL: one of ${formats}`);
    if (format === 'guardduty' || format === 'iplist') return importEvidence(c, format);
    if (!isImportFormat(format)) throw apiError(400, `format ${JSON.stringify(format)} is not one of ${formats}`);
    let loginPaths;
    try {
      loginPaths = parseLoginPaths(c.req.queries('loginPath') ?? [], 'loginPath');
    } catch (error) {
      throw apiError(400, (error as Error).message);
    }
    const rateText = c.req.query('sampleRate');
    const sampleRate = rateText === undefined ? 1 : Number(rateText);
    if (rateText !== undefined && (rateText.trim() === '' || !(sampleRate > 0 && sampleRate <= 1)))
      throw apiError(400, `sampleRate ${JSON.stringify(rateText.slice(0, 40))} is not a number above 0 and at most 1`);
    const encoding = (c.req.header('content-encoding') ?? 'identity').trim().toLowerCase();
    // gzip is recognised by its magic bytes, so the header only has to be one we can read.
    if (encoding !== 'identity' && encoding !== 'gzip') {
      throw apiError(415, `unsupported Content-Encoding ${JSON.stringify(encoding)}; send gzip or no encoding`);
    }
    if (Number(c.req.header('content-length') ?? 0) > maxBodyBytes)
      throw apiError(413, `the body is larger than ${maxBodyBytes} bytes; split the log`);
    const body = c.req.raw.body;
    if (body === null) throw apiError(400, 'the body is empty: send the log file as the body');
    if (lookups === undefined) {
      const geo = loadGeoLookup({ warn: (message) => deps.logError(new Error(message)) });
      lookups = createParseContext({ lookupCountry: (ip) => geo(ip) });
    }
    const source = capped(Readable.fromWeb(body as unknown as NodeReadableStream<Uint8Array>), maxBodyBytes);
    try {
      const summary = await importStream(source, {
        siteId: c.get('site').id,
        format,
        ingest: storeIngest(deps.store, { sampleRate, statusUnknown: format === 'aws-waf' }),
        context: lookups,
        loginPaths,
        maxTextBytes,
        now: deps.now,
      });
      summary.seconds = Math.round(summary.seconds * 1000) / 1000;
      return c.json(summary, 200);
    } catch (error) {
      const failure = describeImportError(error);
      if (failure.status === 413) throw apiError(413, `${failure.message}; split the log (what came before is stored)`);
      if (failure.status === 400) throw apiError(400, `${failure.message}; what came before is stored`);
      throw error;
    }
  });
  return app;
}
