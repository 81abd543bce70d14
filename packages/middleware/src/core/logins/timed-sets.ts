import { Generations } from '../generations.js';

/**
 * Distinct members per key seen within a sliding window (accounts per client, clients per
 * account), bounded: at most `maxKeys` keys (the least recently touched evicted first) and
 * `maxMembers` members per key (the oldest dropped first), so memory stays bounded whatever
 * a client sends.
 */
export class TimedSets {
  private readonly sets: Generations<Map<string, number>>;

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
      members = new Map();
      this.sets.set(key, members);
    }
    members.delete(member);
    members.set(member, now);
    // Members are in insertion order, which is time order: drop the expired ones from the front.
    for (const [old, at] of members) {
      if (at > now - this.windowMs && members.size <= this.maxMembers) break;
      members.delete(old);
    }
    return members.size;
  }

  /** The members of `key` (most recent last). */
  members(key: string): string[] {
    return [...(this.sets.get(key)?.keys() ?? [])];
  }

  delete(key: string): void {
    this.sets.delete(key);
  }
}
