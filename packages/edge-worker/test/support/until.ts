/**
 * Polls `probe` every 100 ms until it answers something other than `undefined`, and returns that;
 * past `timeoutMs` it throws, naming `what` and appending `details()` (e.g. wrangler's output).
 *
 * @example
 * const events = await until('six stored events', async () =>
 *   (await api.events()).length >= 6 ? api.events() : undefined,
 * );
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = 10_000, details = () => '' }: { timeoutMs?: number; details?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${details()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
