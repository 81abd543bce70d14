/** Deterministic IP lists for the matcher benchmark: the same entries and probes every run. */

/** A seeded PRNG (xorshift32) returning numbers in [0, 1). */
export function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4_294_967_296;
  };
}

const hex = (random: () => number) => Math.floor(random() * 65_536).toString(16);
const byte = (random: () => number) => Math.floor(random() * 256);

/**
 * `count` entries, half IPv4 and half IPv6; in each family half single addresses and half
 * blocks (IPv4 /16../31, IPv6 /32../64 and a few /48s).
 */
export function mixedEntries(count: number, random = prng(42)): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const single = random() < 0.5;
    if (random() < 0.5) {
      const address = `${1 + Math.floor(random() * 222)}.${byte(random)}.${byte(random)}.${byte(random)}`;
      out.push(single ? address : `${address}/${16 + Math.floor(random() * 16)}`);
    } else {
      const address =
        `2${Math.floor(random() * 4)}0${Math.floor(random() * 10)}:${hex(random)}:${hex(random)}:` +
        `${hex(random)}:${hex(random)}:${hex(random)}:${hex(random)}:${hex(random)}`;
      out.push(single ? address : `${address}/${random() < 0.2 ? 48 : 32 + Math.floor(random() * 33)}`);
    }
  }
  return out;
}

/**
 * `count` lookups: half are addresses inside a random entry (hits), half random addresses of
 * either family (mostly misses), interleaved.
 */
export function probes(entries: readonly string[], count: number, random = prng(7)): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) {
      const entry = entries[Math.floor(random() * entries.length)] as string;
      // The block's own address (host bits may be set) lies inside it.
      out.push(entry.split('/')[0] as string);
    } else if (random() < 0.5) {
      out.push(`${1 + Math.floor(random() * 222)}.${byte(random)}.${byte(random)}.${byte(random)}`);
    } else {
      out.push(
        `2${Math.floor(random() * 4)}0${Math.floor(random() * 10)}:${hex(random)}:${hex(random)}::${hex(random)}`,
      );
    }
  }
  return out;
}
