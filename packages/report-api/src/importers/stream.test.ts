import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { batchSchema, type EventBatch } from '@watchpost/middleware/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { createParseContext } from './context.js';
import { emptySummary, importFiles, importStream, type IngestFn } from './stream.js';

const dir = mkdtempSync(join(tmpdir(), 'watchpost-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function accessLine(i: number): string {
  const second = String(i % 60).padStart(2, '0');
  return (
    `192.0.2.${i % 250} - - [09/Mar/2026:14:02:${second} +0000] "GET /page/${i}?x=1 ` +
    `HTTP/1.1" ${i % 10 === 0 ? 503 : 200} 512 "-" "Mozilla/5.0"`
  );
}

/** 2,500 good lines with junk sprinkled in: 3 truncated, 2 garbage, 1 bad timestamp, 4 blank. */
function sampleLog(): string {
  const lines: string[] = [];
  for (let i = 0; i < 2500; i++) {
    lines.push(accessLine(i));
    if (i === 10 || i === 1200 || i === 2400) lines.push(accessLine(i).slice(0, 60));
    if (i === 20 || i === 1500) lines.push('<html><body>oops</body></html>');
    if (i === 30) lines.push(accessLine(i).replace('09/Mar', '32/Mar'));
    if (i % 700 === 0) lines.push('');
  }
  return lines.join('\n') + '\n';
}

/** An ingest that keeps batches by id like the store does, and records how it was called. */
function recordingIngest(): { ingest: IngestFn; batches: Map<string, EventBatch>; calls: number; maxInFlight: number } {
  const state = {
    batches: new Map<string, EventBatch>(),
    calls: 0,
    maxInFlight: 0,
    ingest: undefined as unknown as IngestFn,
  };
  let inFlight = 0;
  state.ingest = async (_siteId, batch) => {
    state.calls++;
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 1));
    inFlight--;
    expect(batchSchema.safeParse(batch).success).toBe(true);
    if (state.batches.has(batch.batchId)) return { duplicate: true };
    state.batches.set(batch.batchId, batch);
    return { duplicate: false };
  };
  return state;
}

const expectedReasons = { truncated: 3, 'unknown-line-type': 2, 'bad-timestamp': 1, empty: 4 };

describe('importStream / importFiles', () => {
  const plain = join(dir, 'access.log');
  const gz = join(dir, 'access.log.1'); // gzip with a misleading name: detected by magic bytes
  writeFileSync(plain, sampleLog());
  writeFileSync(gz, gzipSync(sampleLog()));

  it('imports a log in batches, counts skips by reason; with maxInFlight 1 ingest calls never overlap', async () => {
    const store = recordingIngest();
    const summary = await importFiles([plain], {
      siteId: 's1',
      format: 'combined',
      ingest: store.ingest,
      maxInFlight: 1,
    });
    expect(summary).toMatchObject({ files: 1, linesRead: 2510, imported: 2500, skipped: 10, duplicates: 0 });
    expect(summary.skippedByReason).toEqual(expectedReasons);
    expect(store.calls).toBe(3);
    expect(store.maxInFlight).toBe(1);
    const events = [...store.batches.values()].flatMap((batch) => batch.events);
    expect(events.filter((event) => event.status === 503)).toHaveLength(250);
    expect([...store.batches.values()].every((batch) => batch.source === 'import')).toBe(true);
  });

  it('reads gzip by its magic bytes and gives the same batch ids as the plain file', async () => {
    const plainStore = recordingIngest();
    const gzStore = recordingIngest();
    await importFiles([plain], { siteId: 's1', format: 'combined', ingest: plainStore.ingest });
    const summary = await importFiles([gz], { siteId: 's1', format: 'combined', ingest: gzStore.ingest });
    expect(summary).toMatchObject({ linesRead: 2510, imported: 2500, skipped: 10 });
    expect([...gzStore.batches.keys()]).toEqual([...plainStore.batches.keys()]);
  });

  it('importing the same file twice stores nothing new and reports duplicates', async () => {
    const store = recordingIngest();
    await importFiles([plain], { siteId: 's1', format: 'combined', ingest: store.ingest });
    const again = await importFiles([gz, plain], { siteId: 's1', format: 'combined', ingest: store.ingest });
    expect(again).toMatchObject({ files: 2, linesRead: 5020, imported: 0, duplicates: 5000 });
    expect(store.batches.size).toBe(3);
  });

  it('two batches of identical lines in one log are both stored', async () => {
    const store = recordingIngest();
    const same = `${accessLine(7)}\n`.repeat(10);
    const summary = await importStream([same], {
      siteId: 's1',
      format: 'combined',
      ingest: store.ingest,
      batchLines: 5,
    });
    expect(summary).toMatchObject({ imported: 10, duplicates: 0 });
  });

  it('a line over maxLineBytes is skipped and counted; importing the log again is all duplicates', async () => {
    const store = recordingIngest();
    const log = [accessLine(1), `${accessLine(2)} ${'x'.repeat(5000)}`, accessLine(3)].join('\n');
    const options = { siteId: 's1', format: 'combined' as const, ingest: store.ingest, maxLineBytes: 4096 };
    const first = await importStream([log.slice(0, 3000), log.slice(3000)], options);
    expect(first).toMatchObject({ linesRead: 3, imported: 2, skipped: 1, skippedByReason: { 'line-too-long': 1 } });
    expect(await importStream([log], options)).toMatchObject({
      imported: 0,
      duplicates: 2,
      skippedByReason: { 'line-too-long': 1 },
    });
  });

  it('batch ids differ per site, so two sites can import the same file', async () => {
    const store = recordingIngest();
    await importFiles([plain], { siteId: 's1', format: 'combined', ingest: store.ingest });
    const other = await importFiles([plain], { siteId: 's2', format: 'combined', ingest: store.ingest });
    expect(other).toMatchObject({ imported: 2500, duplicates: 0 });
  });

  it('accepts a body that arrives one byte at a time, gzip or not, with CRLF line ends', async () => {
    const text = sampleLog().replaceAll('\n', '\r\n');
    for (const bytes of [Buffer.from(text), gzipSync(text)]) {
      async function* dribble(): AsyncGenerator<Uint8Array> {
        for (let i = 0; i < 64; i++) yield bytes.subarray(i, i + 1);
        yield bytes.subarray(64);
      }
      const store = recordingIngest();
      const summary = await importStream(dribble(), { siteId: 's1', format: 'combined', ingest: store.ingest });
      expect(summary).toMatchObject({ linesRead: 2510, imported: 2500, skipped: 10 });
    }
  });

  it('an empty input imports nothing', async () => {
    const store = recordingIngest();
    const summary = await importStream([], { siteId: 's1', format: 'alb', ingest: store.ingest });
    expect(summary).toMatchObject({ files: 1, linesRead: 0, imported: 0 });
    expect(store.calls).toBe(0);
  });

  it('reports progress after each batch and accumulates into a given summary', async () => {
    const store = recordingIngest();
    const seen: number[] = [];
    const summary = emptySummary();
    await importStream(
      [Buffer.from(sampleLog())],
      {
        siteId: 's1',
        format: 'combined',
        ingest: store.ingest,
        batchLines: 500,
        onProgress: (s) => seen.push(s.linesRead),
      },
      summary,
    );
    // Once per batch, and once more when the batches still in flight are stored.
    expect(seen).toEqual([500, 1000, 1500, 2000, 2500, 2510, 2510]);
    expect(summary.linesRead).toBe(2510);
  });

  it('hands up to maxInFlight batches to a slow store, and counts them all once stored', async () => {
    let inFlight = 0;
    let most = 0;
    const bytes: number[] = [];
    const summary = await importStream([Buffer.from(sampleLog())], {
      siteId: 's1',
      format: 'combined',
      batchLines: 100,
      maxInFlight: 3,
      onProgress: (_s, read) => bytes.push(read),
      ingest: async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return { duplicate: false };
      },
    });
    expect(most).toBe(3);
    expect(summary).toMatchObject({ linesRead: 2510, imported: 2500 });
    expect(bytes.at(-1)).toBe(Buffer.byteLength(sampleLog()));
  });

  it('a batch the store refuses fails the import after the batches in flight settle', async () => {
    let calls = 0;
    let settled = 0;
    const failing = importStream([Buffer.from(sampleLog())], {
      siteId: 's1',
      format: 'combined',
      batchLines: 100,
      ingest: async () => {
        const call = ++calls;
        await new Promise((resolve) => setTimeout(resolve, 2));
        settled++;
        if (call === 3) throw new Error('disk full');
        return { duplicate: false };
      },
    });
    await expect(failing).rejects.toThrow('disk full');
    expect(settled).toBe(calls);
  });

  it('refuses a maxInFlight of 0 or 65', async () => {
    for (const maxInFlight of [0, 65, 1.5]) {
      await expect(
        importStream(['x'], { siteId: 's1', format: 'combined', ingest: () => ({ duplicate: false }), maxInFlight }),
      ).rejects.toThrow(/maxInFlight/);
    }
  });

  it('a missing file rejects with the path in the message', async () => {
    const store = recordingIngest();
    await expect(
      importFiles([join(dir, 'nope.log')], { siteId: 's1', format: 'alb', ingest: store.ingest }),
    ).rejects.toThrow(/nope\.log/);
  });

  it('an ingest failure stops the import with that error', async () => {
    const failing: IngestFn = () => Promise.reject(new Error('disk full'));
    await expect(importFiles([plain], { siteId: 's1', format: 'combined', ingest: failing })).rejects.toThrow(
      'disk full',
    );
  });

  it('a source that fails in the middle of a gzip stream rejects instead of hanging', async () => {
    const bytes = gzipSync(sampleLog());
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield bytes.subarray(0, 4000);
      throw new Error('connection reset');
    }
    const store = recordingIngest();
    await expect(importStream(broken(), { siteId: 's1', format: 'combined', ingest: store.ingest })).rejects.toThrow(
      'connection reset',
    );
  });

  it('a line whose parsing throws is skipped as parse-error, the import goes on', async () => {
    const store = recordingIngest();
    const context = createParseContext({
      classifyUserAgent: (ua) => {
        if (ua === 'boom') throw new Error('classifier bug');
        return { category: null };
      },
    });
    const text = `${accessLine(1)}\n${accessLine(2).replace('Mozilla/5.0', 'boom')}\n${accessLine(3)}\n`;
    const summary = await importStream([text], { siteId: 's1', format: 'combined', ingest: store.ingest, context });
    expect(summary).toMatchObject({ imported: 2, skipped: 1, skippedByReason: { 'parse-error': 1 } });
  });

  it('events refused by the store count as skipped invalid-event, not as imported', async () => {
    const summary = await importStream([`${accessLine(1)}\n${accessLine(2)}\n${accessLine(3)}\n`], {
      siteId: 's1',
      format: 'combined',
      ingest: () => ({ duplicate: false, rejected: 1 }),
    });
    expect(summary).toMatchObject({ linesRead: 3, imported: 2, skipped: 1, skippedByReason: { 'invalid-event': 1 } });
  });

  it('rejects a batch size outside 1..5000', async () => {
    const store = recordingIngest();
    await expect(
      importStream([], { siteId: 's1', format: 'alb', ingest: store.ingest, batchLines: 0 }),
    ).rejects.toThrow(TypeError);
  });
});
