import type { Action } from '../protocol/index.js';

/** Decides whether one finished request becomes an event, and at which rate. */
/** `login` true for a login attempt: always kept. */
export type Sampler = (action: Action, status: number, login?: boolean) => number;

/**
 * Every block, count, 4xx, 5xx, login attempt and abandoned request (status 0) is kept at rate 1; allowed
 * traffic is kept with probability `sampleRate`. Returns the rate the event carries, or 0 when
 * it is not kept, so reports can scale counts back up by `1 / rate`.
 *
 * @example
 * const sample = createSampler({ sampleRate: 0.1, random: Math.random });
 * sample('block', 403); // 1
 * sample('allow', 200); // 0.1 about one time in ten, else 0
 */
export function createSampler({ sampleRate, random }: { sampleRate: number; random: () => number }): Sampler {
  if (typeof sampleRate !== 'number' || !(sampleRate > 0 && sampleRate <= 1)) {
    throw new TypeError(`options.sampleRate must be a number in (0, 1], got ${JSON.stringify(sampleRate)}`);
  }
  if (typeof random !== 'function') throw new TypeError(`options.random must be a function, got ${typeof random}`);
  if (sampleRate === 1)
    return function keepAll() {
      return 1;
    };
  return function sample(action, status, login = false) {
    if (action !== 'allow' || status >= 400 || status === 0 || login) return 1;
    return random() < sampleRate ? sampleRate : 0;
  };
}
