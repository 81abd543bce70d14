import { createServer, type Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
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
  /** Share of allowed requests kept as events. */
  sampleRate?: number;
}

/** The two example apps, listening on 127.0.0.1. */
export interface DemoApps {
  urls: Record<AppTarget, string>;
  /** Sends every queued event to the report API now. */
  flush(): Promise<void>;
  /** Stops both servers, then flushes and stops the middleware. */
  close(): Promise<void>;
}

interface Protection {
  flush?: () => Promise<void>;
  close?: () => Promise<void>;
}

async function importExamples() {
  try {
    const [express, hono] = await Promise.all([import('@watchpost/example-express'), import('@watchpost/example-hono')]);
    return { express, hono };
  } catch (error) {
    // Only the examples themselves missing means "not a checkout"; any other failure is a real bug to show.
    if (!/Cannot find (module|package) '@watchpost\/example-/.test(String((error as Error)?.message))) throw error;
    throw new Error('the demo runs the example apps in examples/, which exist only in a checkout of the repository: run `pnpm demo` there');
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
  const { reportApiUrl, ingestKey, clock, outages, sampleRate = 0.5 } = options;
  const examples = await importExamples();
  const failing = (app: AppTarget) => () => {
    const now = clock.now();
    return outages().some((o) => o.app === app && now >= o.from && now < o.to);
  };
  const watchpost = {
    reportApi: { url: reportApiUrl, ingestKey, flushIntervalMs: 1_000, syncIntervalMs: 5_000 },
    trustedProxies: ['127.0.0.1'],
    sampleRate,
    // The managed-rules habit of AWS: 50 4xx in a minute earns a 4-hour block.
    bans: { threshold: 50, windowMs: 60_000, banMs: 4 * 3_600_000 },
    now: clock.now,
  };
  const express = examples.express.createExampleApp({ watchpost, failing: failing('express') });
  const hono = examples.hono.createExampleApp({ watchpost, failing: failing('hono') });
  const servers: Server[] = [createServer(express.app), createAdaptorServer({ fetch: hono.app.fetch }) as Server];
  const protections = [express.protection, hono.protection] as Array<Protection | null>;
  const [expressUrl, honoUrl] = await Promise.all(servers.map((server) => listenLocal(server, 0)));

  return {
    urls: { express: expressUrl as string, hono: honoUrl as string },
    async flush() {
      await Promise.all(protections.map((p) => p?.flush?.()));
    },
    async close() {
      await Promise.all(servers.map((server) => closeServer(server)));
      await Promise.all(protections.map((p) => p?.close?.()));
    },
  };
}
