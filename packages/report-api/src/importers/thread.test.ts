import { fileURLToPath } from 'node:url';
import type { EventBatch } from '@watchpost/middleware/protocol';
import { describe, expect, it } from 'vitest';
import { parseLoginPaths } from './login-paths.js';
import { importFiles } from './stream.js';
import { importFilesOnThread } from './thread.js';

const alb = fileURLToPath(new URL('./fixtures/alb-logins.log', import.meta.url));
const waf = fileURLToPath(new URL('./fixtures/aws-waf-logins.log', import.meta.url));
const loginPaths = parseLoginPaths(['POST:/login']);

/** An ingest that keeps what it is given and answers as a store would. */
function recorder(failOn?: number) {
  const batches: EventBatch[] = [];
  const ingest = (_siteId: string, batch: EventBatch) => {
    if (batches.length === failOn) throw new Error('the disk is full');
    batches.push(batch);
    return { duplicate: false };
  };
  return { batches, ingest };
}

describe('importFilesOnThread', () => {
  it('stores the same batches and counts the same summary as importFiles on this thread', async () => {
    const options = { siteId: 'site_t', format: 'alb' as const, loginPaths, batchLines: 5 };
    const here = recorder();
    const expected = await importFiles([alb], { ...options, ingest: here.ingest });
    const there = recorder();
    const progress: number[] = [];
    const summary = await importFilesOnThread({
      ...options,
      paths: [alb],
      ingest: there.ingest,
      onProgress: (s) => progress.push(s.linesRead),
    });
    expect({ ...summary, seconds: 0 }).toEqual({ ...expected, seconds: 0 });
    expect(there.batches).toEqual(here.batches);
    expect(there.batches.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(19);
  });

  it('reads several files of one format into one summary', async () => {
    const there = recorder();
    const summary = await importFilesOnThread({
      siteId: 'site_t',
      format: 'aws-waf',
      loginPaths: [],
      paths: [waf, waf],
      ingest: there.ingest,
    });
    expect(summary).toMatchObject({ files: 2, linesRead: 24 });
    // The same lines twice: the second file's batch has the same id (a store would call it a duplicate).
    expect(new Set(there.batches.map((b) => b.batchId)).size).toBe(1);
  });

  it('a store failure stops the import with the message importFiles gives, naming the file', async () => {
    const options = { siteId: 'site_t', format: 'alb' as const, loginPaths, batchLines: 5 };
    const here = await importFiles([alb], { ...options, ingest: recorder(2).ingest }).catch((e: Error) => e);
    const there = await importFilesOnThread({ ...options, paths: [alb], ingest: recorder(2).ingest }).catch(
      (e: Error) => e,
    );
    expect(there).toBeInstanceOf(Error);
    expect((there as Error).message).toBe((here as Error).message);
    expect((there as Error).message).toMatch(
      /alb-logins\.log: the import failed: the disk is full after \d+ lines; 10 events/,
    );
  });

  it('a missing file rejects with its name', async () => {
    const error = await importFilesOnThread({
      siteId: 'site_t',
      format: 'alb',
      loginPaths: [],
      paths: ['/nonexistent/watchpost.log'],
      ingest: recorder().ingest,
    }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/\/nonexistent\/watchpost\.log/);
  });
});
