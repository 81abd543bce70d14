import { Hono } from 'hono';
import { ratePresets, watchpost, type HonoWatchpostOptions, type WatchpostVariables } from '@watchpost/middleware/hono';
import { loadGeoLookup } from '@watchpost/middleware/node';

// Stand-ins for a real catalogue and user table: products 1..48, one account demo/demo.
const PRODUCTS = Array.from({ length: 48 }, (_, i) => ({
  id: i + 1,
  name: `Product ${i + 1}`,
  priceYen: 500 + 100 * i,
}));
const DEMO_USER = { username: 'demo', password: 'demo' };

/**
 * The shop's rate rules: the shipped `standard` preset plus at most 10 login posts per client per
 * minute (429 with Retry-After). `src/server.ts` and the demo use them; see README.md "Rate rules and logins".
 */
export const exampleRateRules: NonNullable<HonoWatchpostOptions['rateRules']> = [
  ...ratePresets.standard,
  { name: 'login-posts', limit: 10, windowMs: 60_000, match: { methods: ['POST'], paths: ['/login'] }, status: 429 },
];

/** Options of {@link createExampleApp}. */
export interface ExampleAppOptions {
  /** Options of the Watchpost middleware. Omit to run the app without it. */
  watchpost?: HonoWatchpostOptions;
  /** While this returns true every route answers 500, as an app whose database is down would (the demo's incident). */
  failing?: () => boolean;
}

/** The app and the middleware instance in front of it (call its `close()` on shutdown to flush events). */
export interface ExampleApp {
  app: Hono<{ Variables: WatchpostVariables }>;
  protection: ReturnType<typeof watchpost> | null;
}

/**
 * A small shop API: a home page, a product list, product pages and a JSON login, with Watchpost
 * in front of every route. `src/server.ts` serves it on Node.js; the demo runs it in-process.
 *
 * @example
 * const { app } = createExampleApp({
 *   watchpost: { reportApi: { url: 'http://127.0.0.1:8787', ingestKey: 'wpi_...' } },
 * });
 * serve({ fetch: app.fetch, port: 3001 });
 */
export function createExampleApp(options: ExampleAppOptions = {}): ExampleApp {
  const app = new Hono<{ Variables: WatchpostVariables }>();
  // On Node.js the offline GeoIP table gives every client a country (Hono's adapter leaves it off,
  // since Hono also runs where that table cannot be read).
  const protection = options.watchpost ? watchpost({ geo: loadGeoLookup(), ...options.watchpost }) : null;
  if (protection) app.use(protection);

  const failing = options.failing;
  if (failing) {
    app.use(async function outage(c, next) {
      if (failing()) return c.json({ error: 'the database is not answering' }, 500);
      await next();
    });
  }

  app.get('/', (c) => c.html('<h1>Example shop</h1><p><a href="/products">Products</a></p>'));
  app.get('/robots.txt', (c) => c.text('User-agent: *\nAllow: /\n'));
  app.get('/products', (c) => c.json(PRODUCTS));
  app.get('/products/:id', (c) => {
    const product = PRODUCTS.find((p) => String(p.id) === c.req.param('id'));
    return product ? c.json(product) : c.json({ error: 'no such product' }, 404);
  });
  app.post('/login', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { username?: unknown; password?: unknown };
    const ok = body.username === DEMO_USER.username && body.password === DEMO_USER.password;
    // With `logins` configured, Watchpost judges the attempt (the account is HMAC'd, never stored).
    c.get('watchpost')?.login(ok ? 'success' : 'failed', typeof body.username === 'string' ? body.username : null);
    return ok ? c.json({ ok: true }) : c.json({ error: 'wrong username or password' }, 401);
  });
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  return { app, protection };
}
