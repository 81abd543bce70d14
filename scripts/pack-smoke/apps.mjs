// The scratch app's files: one package with Express 4 (npm alias `express4`) and 5, Hono on
// @hono/node-server, ESM and CommonJS entries, and a strict `nodenext` TypeScript file.

/** package.json of the scratch app; `tarballs` maps package name to tarball path. */
export function manifest(tarballs) {
  return {
    name: 'watchpost-pack-smoke-app',
    private: true,
    type: 'module',
    dependencies: {
      '@watchpost/middleware': `file:${tarballs['@watchpost/middleware']}`,
      '@watchpost/report-api': `file:${tarballs['@watchpost/report-api']}`,
      '@hono/node-server': '2.1.9',
      express: '5.3.0',
      express4: 'npm:express@4.21.2',
      hono: '4.13.19',
    },
    devDependencies: { '@types/express': '5.0.6', '@types/node': '20.19.43', typescript: '5.9.3' },
  };
}

// Each server denies 203.0.113.0/24, trusts loopback proxies, asks itself twice and prints the statuses.
const check = `
async function check(port) {
  const ask = (ip) => fetch('http://127.0.0.1:' + port + '/', { headers: { 'x-forwarded-for': ip } });
  const denied = (await ask('203.0.113.9')).status;
  const allowed = (await ask('198.51.100.7')).status;
  console.log(JSON.stringify({ denied, allowed }));
}`;
const options = `{ trustedProxies: ['loopback'], denyList: ['203.0.113.0/24'], geo: false }`;

/** Express behind Watchpost: `app.use(guard)`, or with `wrapped` the guard at the server (`guard.wrap(app)`). */
function expressApp(module, pkg, wrapped = false) {
  const imports =
    module === 'esm'
      ? [
          `import { createServer } from 'node:http';`,
          `import express from '${pkg}';`,
          `import { watchpost } from '@watchpost/middleware/express';`,
        ].join('\n')
      : [
          `const { createServer } = require('node:http');`,
          `const express = require('${pkg}');`,
          `const { watchpost } = require('@watchpost/middleware/express');`,
        ].join('\n');
  return `${imports}
${check}
const guard = watchpost(${options});
const app = express();
${wrapped ? '' : 'app.use(guard);'}
app.get('/', (req, res) => { res.send('ok'); });
const server = createServer(${wrapped ? 'guard.wrap(app)' : 'app'}).listen(0, '127.0.0.1', async () => {
  try { await check(server.address().port); } finally { server.close(); await guard.close(); }
});
`;
}

const honoApp = `import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { watchpost } from '@watchpost/middleware/hono';
${check}
const guard = watchpost(${options});
const app = new Hono();
app.use(guard);
app.get('/', (c) => c.text('ok'));
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, async (info) => {
  try { await check(info.port); } finally { server.close(); await guard.close(); }
});
`;

// Type-checked only: the public types as a strict nodenext project sees them.
const typedApp = `import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { Hono } from 'hono';
import { watchpost, type WatchpostOptions } from '@watchpost/middleware/express';
import { watchpost as honoWatchpost } from '@watchpost/middleware/hono';
import { classifyUserAgent, createIpMatcher } from '@watchpost/middleware';
import { runCli } from '@watchpost/report-api';

const options: WatchpostOptions = { denyList: ['203.0.113.0/24'], sampleRate: 0.5 };
express().use(watchpost(options));
const listener: (req: IncomingMessage, res: ServerResponse) => void = watchpost(options).wrap(express());
new Hono().use(honoWatchpost({ denyList: ['203.0.113.0/24'] }));
const category: string | null = classifyUserAgent('curl/8.0').category;
const hit = createIpMatcher(['10.0.0.0/8']).match('10.1.2.3');
const code: number = await runCli(['--version']);
console.log(category, hit, code, listener.length);
`;

const tsconfig = {
  compilerOptions: {
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2022',
    strict: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    noEmit: true,
    types: ['node'],
  },
  files: ['typed.ts'],
};

/** Entry files to run, each printing `{"denied":403,"allowed":200}`. */
export const servers = {
  'express5-esm.mjs': expressApp('esm', 'express'),
  'express5-cjs.cjs': expressApp('cjs', 'express'),
  'express4-esm.mjs': expressApp('esm', 'express4'),
  'express4-cjs.cjs': expressApp('cjs', 'express4'),
  'express5-wrap-esm.mjs': expressApp('esm', 'express', true),
  'express4-wrap-cjs.cjs': expressApp('cjs', 'express4', true),
  'hono-esm.mjs': honoApp,
};

/** Files only type-checked. */
export const typed = { 'typed.ts': typedApp, 'tsconfig.json': JSON.stringify(tsconfig, null, 2) };
