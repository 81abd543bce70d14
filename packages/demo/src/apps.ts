import { createServer, type Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { createForwarder, type Forwarder, type RateRule } from '@watchpost/middleware';
import { loadGeoLookup } from '@watchpost/middleware/node';
import type { SimulatedClock } from './clock.js';
import { closeServer, listenLocal } from './listen.js';
import type { AppTarget, Outage } from './scenario.js';

/** Options of {@link startDemoApps}. */
export interface DemoAppsOptions {
  reportApiUrl: string;
  ingestKey: string;
  /** The middleware stamps events, counts windows and expires bans with this clock. */
  clock: SimulatedClock;
  /** Outages of the day being played; an app answers 500 while the clock is inside one of its own. */
  outages: () => readonly Outage[];
  /** Share of allowed requests kept as events. Default 0.5, so reports show sample weighting at work. */
  sampleRate?: number;
  /** Seeds which allowed requests are sampled. */
  random?: () => number;
}

/** The two example apps, listening on 127.0.0.1. */
export interface DemoApps {
  urls: Record<AppTarget, string>;
  /** Sends every queued event to the report API now; resolves with what the forwarders dropped (0 when all arrived). */
  flush(): Promise<{ sent: number; dropped: number }>;
  /** Stops both servers, then flushes and stops the middleware. */
  close(): Promise<void>;
}

async function importExamples() {
  try {
    const [express, hono] = await Promise.all([
      import('@watchpost/example-express'),
      import('@watchpost/example-hono'),
    ]);
    return { express, hono };
  } catch (error) {
    // Only the examples themselves missing means "not a checkout"; any other failure is a real bug to show.
    if (!/Cannot find (module|package) '@watchpost\/example-/.test(String((error as Error)?.message))) throw error;
    throw new Error(
      'the demo runs the example apps in examples/, which exist only in a checkout of the repository: run `pnpm ' +
        'demo` there',
      { cause: error },
    );
  }
}

/**
 * Starts the Express and the Hono example app in this process, each behind the Watchpost
 * middleware pointed at the report API. They trust 127.0.0.1 as a proxy, so the traffic player
 * sets each client's address in X-Forwarded-For, and they read time from the simulated clock:
 * the product itself never trusts a time sent by a client.
 *
 * @example
 * const apps = await startDemoApps({ reportApiUrl, ingestKey, clock, outages: () => day.outages });
 * await playTraffic({ requests: day.requests, targets: apps.urls, clock });
 * await apps.close();
 */
export async function startDemoApps(options: DemoAppsOptions): Promise<DemoApps> {
  const { reportApiUrl, ingestKey, clock, outages, sampleRate = 0.5, random = Math.random } = options;
  const examples = await importExamples();
  const failing = (app: AppTarget) => () => {
    const now = clock.now();
    return outages().some((o) => o.app === app && now >= o.from && now < o.to);
  };
  // The demo makes the forwarders itself (the middleware would make the same from `reportApi`)
  // so that it can flush them when the day has played, while the apps keep serving.
  const forwarder = (source: AppTarget): Forwarder =>
    createForwarder({
      url: reportApiUrl,
      ingestKey,
      source,
      flushIntervalMs: 1_000,
      onError: (error) => console.error('[demo]', error),
    });
  const forwarders = [forwarder('express'), forwarder('hono')];
  const geo = loadGeoLookup();
  const watchpost = (sink: Forwarder) => ({
    reportApi: { url: reportApiUrl, ingestKey, syncIntervalMs: 5_000 },
    sink,
    geo,
    trustedProxies: ['loopback'],
    sampleRate,
    random,
    // AWS's own habit: more than 50 4xx in a minute earns a 4-hour block.
    bans: { threshold: 50, windowMs: 60_000, banMs: 4 * 3_600_000 },
    // The slow scraper (python-requests, a catalogue page every 30-60 s) passes 12 pages in 10 minutes, then 403.
    rateRules: [
      {
        name: 'catalog-scrapers',
        limit: 12,
        windowMs: 600_000,
        match: { paths: ['/products'], botCategories: ['http-client'] },
        status: 403,
        banMs: 3_600_000,
      },
    ] satisfies RateRule[],
    // The apps report each login's outcome; 5 distinct accounts failing from one client is credential stuffing.
    logins: { accountKey: 'watchpost-demo-account-key' },
    now: clock.now,
  });
  const express = examples.express.createExampleApp({
    watchpost: watchpost(forwarders[0] as Forwarder),
    failing: failing('express'),
  });
  const hono = examples.hono.createExampleApp({
    watchpost: watchpost(forwarders[1] as Forwarder),
    failing: failing('hono'),
  });
  const servers: Server[] = [createServer(express.app), createAdaptorServer({ fetch: hono.app.fetch }) as Server];
  const [expressUrl, honoUrl] = await Promise.all(servers.map((server) => listenLocal(server, 0)));

  return {
    urls: { express: expressUrl as string, hono: honoUrl as string },
    async flush() {
      await Promise.all(forwarders.map((f) => f.flush()));
      const stats = forwarders.map((f) => f.stats());
      return {
        sent: stats.reduce((n, s) => n + s.sentEvents, 0),
        dropped: stats.reduce((n, s) => n + s.dropped + s.queued, 0),
      };
    },
    async close() {
      await Promise.all(servers.map((server) => closeServer(server)));
      // Closing the middleware stops its deny-list sync and flushes and closes its forwarder.
      await Promise.all([express.protection?.close(), hono.protection?.close()]);
    },
  };
}
