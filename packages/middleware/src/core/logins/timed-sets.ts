/**
 * Distinct members per key seen within a sliding window (accounts per client, clients per
 * account), bounded: at most `maxKeys` keys (the least recently touched evicted first) and
 * `maxMembers` members per key (the oldest dropped first), so memory stays bounded whatever
 * a client sends.
 */
export class TimedSets {
  evictions = 0;
  private readonly sets = new Map<string, Map<string, number>>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys: number,
    private readonly maxMembers: number,
  ) {}

  get size(): number {
    return this.sets.size;
  }

  /** Adds `member` under `key` at `now`; returns the distinct members seen within the window. */
  add(key: string, member: string, now: number): number {
    let members = this.sets.get(key);
    if (members === undefined) {
      if (this.sets.size >= this.maxKeys) {
        const stalest = this.sets.keys().next();
        if (stalest.done !== true) {
          this.sets.delete(stalest.value);
          this.evictions++;
        }
      }
      members = new Map();
    } else this.sets.delete(key);
    this.sets.set(key, members);
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
