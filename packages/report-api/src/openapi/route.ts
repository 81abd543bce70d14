import { Hono } from 'hono';
import type { AppEnv } from '../http/env.js';
import { openApiDocument } from './document.js';

/**
 * `GET /openapi.json`, generated once when the app is built.
 *
 * @example
 * app.route('/', openApiRoutes());
 */
export function openApiRoutes() {
  const document = openApiDocument();
  const app = new Hono<AppEnv>();
  app.get('/openapi.json', (c) => c.json(document));
  return app;
}
