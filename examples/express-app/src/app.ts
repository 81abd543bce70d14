import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { ratePresets, watchpost, type WatchpostOptions } from '@watchpost/middleware/express';

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
export const exampleRateRules: NonNullable<WatchpostOptions['rateRules']> = [
  ...ratePresets.standard,
  { name: 'login-posts', limit: 10, windowMs: 60_000, match: { methods: ['POST'], paths: ['/login'] }, status: 429 },
];

/** Options of {@link createExampleApp}. */
export interface ExampleAppOptions {
  /** Options of the Watchpost middleware. Omit to run the app without it. */
  watchpost?: WatchpostOptions;
  /** While this returns true every route answers 500, as an app whose database is down would (the demo's incident). */
  failing?: () => boolean;
}

/** The app and the middleware instance in front of it (call its `close()` on shutdown to flush events). */
export interface ExampleApp {
  app: Express;
  protection: ReturnType<typeof watchpost> | null;
}

/**
 * A small shop: a home page, a product list, product pages and a JSON login, with Watchpost in
 * front of every route. `src/server.ts` runs it; the demo runs it in-process.
 *
 * @example
 * const { app } = createExampleApp({
 *   watchpost: { reportApi: { url: 'http://127.0.0.1:8787', ingestKey: 'wpi_...' } },
 * });
 * app.listen(3000);
 */
export function createExampleApp(options: ExampleAppOptions = {}): ExampleApp {
  const app = express();
  // The only Express-side setting Watchpost needs: which proxies' X-Forwarded-For to believe is
  // configured in the middleware itself (`trustedProxies`), not through `trust proxy`.
  const protection = options.watchpost ? watchpost(options.watchpost) : null;
  if (protection) app.use(protection);

  const failing = options.failing;
  if (failing) {
    app.use(function outage(_req: Request, res: Response, next: NextFunction) {
      if (failing()) res.status(500).json({ error: 'the database is not answering' });
      else next();
    });
  }

  app.use(express.json({ limit: '10kb' }));

  app.get('/', (_req, res) => {
    res.type('html').send('<h1>Example shop</h1><p><a href="/products">Products</a></p>');
  });
  app.get('/robots.txt', (_req, res) => {
    res.type('text/plain').send('User-agent: *\nAllow: /\n');
  });
  app.get('/products', (_req, res) => {
    res.json(PRODUCTS);
  });
  app.get('/products/:id', (req, res) => {
    const product = PRODUCTS.find((p) => String(p.id) === req.params.id);
    if (product) res.json(product);
    else res.status(404).json({ error: 'no such product' });
  });
  app.post('/login', (req, res) => {
    const body = (req.body ?? {}) as { username?: unknown; password?: unknown };
    const ok = body.username === DEMO_USER.username && body.password === DEMO_USER.password;
    // With `logins` configured, Watchpost judges the attempt (the account is HMAC'd, never stored).
    req.watchpost?.login(ok ? 'success' : 'failed', typeof body.username === 'string' ? body.username : null);
    if (ok) res.json({ ok: true });
    else res.status(401).json({ error: 'wrong username or password' });
  });
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  return { app, protection };
}
