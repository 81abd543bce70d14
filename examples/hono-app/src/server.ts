import { serve } from '@hono/node-server';
import { createExampleApp, exampleRateRules } from './app.js';

// Configuration from the environment, as in a real deployment:
//   WATCHPOST_URL         the report API, e.g. http://127.0.0.1:8787
//   WATCHPOST_INGEST_KEY  the site's ingest key (`watchpost sites create NAME` prints it)
//   PORT                  where this app listens (default 3001)
const url = process.env.WATCHPOST_URL;
const ingestKey = process.env.WATCHPOST_INGEST_KEY;
const port = Number(process.env.PORT ?? 3001);
if (!url || !ingestKey) {
  console.warn('WATCHPOST_URL or WATCHPOST_INGEST_KEY is not set: blocking still works, but no events are sent.');
}

const { app, protection } = createExampleApp({
  watchpost: {
    ...(url && ingestKey ? { reportApi: { url, ingestKey } } : {}),
    rateRules: exampleRateRules,
    // WATCHPOST_ACCOUNT_KEY: the per-site HMAC key for login accounts (without it accounts are not kept).
    logins: process.env.WATCHPOST_ACCOUNT_KEY ? { accountKey: process.env.WATCHPOST_ACCOUNT_KEY } : {},
  },
});
const server = serve({ fetch: app.fetch, port }, (info) =>
  console.log(`example Hono app on http://localhost:${info.port}`),
);

async function shutdown(): Promise<void> {
  server.close();
  // Send the events still queued before the process ends.
  await protection?.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
