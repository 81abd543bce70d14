import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appWithSite, tempStore } from '../../test/helpers.js';

const t = tempStore();
let ctx: Awaited<ReturnType<typeof appWithSite>>;
beforeAll(async () => {
  ctx = await appWithSite(t.store, { timeZone: 'UTC' });
});
afterAll(() => t.cleanup());

const MB = 1024 * 1024;
const line = (i: number) =>
  `198.51.100.${i} - - [09/Mar/2026:10:00:0${i} +0000] "GET /after HTTP/1.1" 200 1 "-" "curl/8"`;

/**
 * A gzip body of `head`, then `megabytes` MB of 'a' with no newline, then `tail`: built by streaming, never held whole.
 */
async function bombBody(head: string, megabytes: number, tail: string): Promise<Uint8Array<ArrayBuffer>> {
  const block = Buffer.alloc(MB, 'a');
  async function* text() {
    yield Buffer.from(head);
    for (let i = 0; i < megabytes; i++) yield block;
    yield Buffer.from(tail);
  }
  const parts: Buffer[] = [];
  for await (const part of Readable.from(text()).pipe(createGzip({ level: 1 }))) parts.push(part as Buffer);
  return new Uint8Array(Buffer.concat(parts));
}

describe('POST /v1/import with hostile bodies', () => {
  it('skips a 64 MB line without a newline, counts it, and imports the lines around it', async () => {
    const body = await bombBody(`${line(1)}\n`, 64, `\n${line(2)}\n`);
    expect(body.length).toBeLessThan(MB); // the attack: well under a megabyte on the wire
    const res = await ctx.app.request('/v1/import?format=combined', {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.adminKey}`, 'content-encoding': 'gzip' },
      body,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      linesRead: 3,
      imported: 2,
      skipped: 1,
      skippedByReason: { 'line-too-long': 1 },
    });
  });

  it.each([
    {
      name: 'truncated gzip',
      body: () => bombBody('x', 1, '').then((gz) => gz.subarray(0, gz.length - 20)),
      status: 400,
    },
    {
      name: 'gzip magic and garbage',
      body: async () => new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff]),
      status: 400,
    },
  ])('answers $status for $name, and the server keeps serving', async ({ body, status }) => {
    const res = await ctx.app.request('/v1/import?format=combined', {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.adminKey}` },
      body: await body(),
    });
    expect(res.status).toBe(status);
    expect(await res.json()).toHaveProperty('error');
    const health = await ctx.app.request('/v1/import?format=combined', {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.adminKey}` },
      body: `${line(3)}\n`,
    });
    expect(await health.json()).toMatchObject({ linesRead: 1 });
  });
});

describe('POST /v1/import loginPath', () => {
  it('refuses a loginPath with control bytes or 10k characters with 400 naming it', async () => {
    for (const value of ['/log%01in', '/' + 'a'.repeat(10_000)]) {
      const res = await ctx.app.request(`/v1/import?format=combined&loginPath=${value}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ctx.adminKey}` },
        body: `${line(1)}\n`,
      });
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toMatch(/loginPath (must not contain control|is over 2048)/);
    }
  });
});
