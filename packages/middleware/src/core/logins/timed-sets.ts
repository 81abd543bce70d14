import { Generations } from '../generations.js';

/**
 * Distinct members per key seen within a sliding window (accounts per client, clients per
 * account), bounded: at most `maxKeys` keys (the least recently touched evicted first) and
 * `maxMembers` members per key (the oldest dropped first), so memory stays bounded whatever
 * a client sends.
 */
interface Members {
  readonly times: Map<string, number>;
  /** No member is older than this: until it leaves the window, nothing has expired. */
  oldest: number;
}

export class TimedSets {
  private readonly sets: Generations<Members>;

  constructor(
    private readonly windowMs: number,
    maxKeys: number,
    private readonly maxMembers: number,
  ) {
    // Two generations: keys not touched since the younger one last filled are dropped together, O(1).
    this.sets = new Generations(Math.max(2, maxKeys));
  }

  get size(): number {
    return this.sets.size;
  }

  /** Keys dropped to keep memory bounded. */
  get evictions(): number {
    return this.sets.evicted;
  }

  /** Adds `member` under `key` at `now`; returns the distinct members seen within the window. */
  add(key: string, member: string, now: number): number {
    let members = this.sets.get(key);
    if (members === undefined) {
      members = { times: new Map(), oldest: now };
      this.sets.set(key, members);
    }
    const { times } = members;
    // A member seen again moves to the end with its new time, unless it was seen in the last 64th of
    // the window: it then stays where it is, so a client retrying one account costs one lookup, and
    // it leaves the window at most a 64th of it early.
    const seen = times.get(member);
    if (seen === undefined) times.set(member, now);
    else if (now - seen > this.windowMs / 64 || seen > now) {
      times.delete(member);
      times.set(member, now);
    }
    // Members are in insertion order, which is time order: drop the expired ones from the front.
    // Walked only when the oldest may have expired or there are too many, so a member costs O(1) on average.
    if (members.oldest <= now - this.windowMs || times.size > this.maxMembers) {
      for (const [old, at] of times) {
        if (at > now - this.windowMs && times.size <= this.maxMembers) {
          members.oldest = at;
          break;
        }
        times.delete(old);
      }
    }
    return times.size;
  }

  /** The members of `key` (most recent last). */
  members(key: string): string[] {
    return [...(this.sets.get(key)?.times.keys() ?? [])];
  }

  delete(key: string): void {
    this.sets.delete(key);
  }
}
