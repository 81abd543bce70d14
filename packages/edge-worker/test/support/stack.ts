// What every end-to-end test starts: an origin, the real report API and `wrangler dev` between them,
// wired together (ORIGIN_URL, REPORT_API_URL, INGEST_KEY, events flushed at once), and stopped again.
import type { Server } from 'node:http';
import { startReportApi } from './report-api.js';
import { close, listen } from './servers.js';
import { startWranglerDev, type WranglerDev } from './wrangler-dev.js';

export interface EdgeStack {
  reportApi: Awaited<ReturnType<typeof startReportApi>>;
  dev: WranglerDev;
  /** Stops wrangler, the origin and the report API (printing wrangler's output with WATCHPOST_E2E_DEBUG). */
  stop: () => Promise<void>;
}

interface StackOptions {
  /** The origin's server, not yet listening. */
  origin: Server;
  /** Deny-list entries the site starts with. */
  denied?: string[];
  /** `--env` of wrangler.jsonc (e.g. `exact`); the top-level environment when absent. */
  env?: string;
  /** Vars on top of the wiring (which a test may override, e.g. EVENTS_FLUSH_MS). */
  vars?: Record<string, string>;
  cf: Record<string, unknown>;
}

export async function startEdgeStack({ origin, denied = [], env, vars = {}, cf }: StackOptions): Promise<EdgeStack> {
  const originUrl = await listen(origin);
  const reportApi = await startReportApi({ denied });
  let dev: WranglerDev;
  try {
    dev = await startWranglerDev({
      ...(env === undefined ? {} : { env }),
      vars: {
        ORIGIN_URL: originUrl,
        REPORT_API_URL: reportApi.url,
        INGEST_KEY: reportApi.ingestKey,
        EVENTS_FLUSH_MS: '0',
        ...vars,
      },
      cf,
    });
  } catch (error) {
    await close(origin);
    await reportApi.stop();
    throw error;
  }
  return {
    reportApi,
    dev,
    stop: async () => {
      if (process.env.WATCHPOST_E2E_DEBUG) console.log(dev.output());
      await dev.stop();
      await close(origin);
      await reportApi.stop();
    },
  };
}
