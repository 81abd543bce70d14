import { describe, expect, it, vi } from 'vitest';

describe('loadIoredis', () => {
  it('loads the Redis class of the installed ioredis', async () => {
    const { loadIoredis } = await import('./load-ioredis.js');
    expect(typeof loadIoredis()).toBe('function');
  });

  it('says what to install when ioredis is missing', async () => {
    vi.resetModules();
    vi.doMock('node:module', () => ({
      createRequire: () => () => {
        throw Object.assign(new Error("Cannot find module 'ioredis'"), { code: 'MODULE_NOT_FOUND' });
      },
    }));
    const { loadIoredis } = await import('./load-ioredis.js');
    expect(() => loadIoredis()).toThrow(/needs ioredis, an optional peer dependency: npm install ioredis@6\.0\.0/);
    vi.doUnmock('node:module');
  });
});
