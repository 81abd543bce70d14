/**
 * Waits for `promise` at most `ms`: resolves with its value, or with `undefined` when the time runs
 * out first (the promise itself keeps running). The timer is cleared either way, so it never holds
 * a request open. Give it promises that never resolve to `undefined`, or the two cannot be told apart.
 *
 * @example
 * const value = await bounded(env.DENYLIST.get(key, 'json'), 5_000);
 * if (value === undefined) throw new Error('KV read took more than 5000 ms');
 */
export function bounded<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    if (timer !== null) clearTimeout(timer);
  });
}
