/** Deterministic inputs shared by the benchmarks (a seeded PRNG: the same list every run). */
export function seeded(seed = 1): () => number {
  let state = seed >>> 0;
  return () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * `count` deny entries, 80% IPv4 (single IPs and /16../32 blocks) and 20% IPv6 (/32../128), none in 203.0.113.0/24 or
 * 2001:db8:ffff::/48.
 */
export function denyEntries(count: number, random = seeded(7)): string[] {
  const out: string[] = [];
  const byte = () => Math.floor(random() * 256);
  const hex = () => Math.floor(random() * 65_536).toString(16);
  while (out.length < count) {
    if (random() < 0.8) {
      const a = 1 + Math.floor(random() * 190); // 1..190: keeps clear of 203.x (the benchmark clients)
      const prefix = random() < 0.5 ? 32 : 16 + Math.floor(random() * 17);
      out.push(prefix === 32 ? `${a}.${byte()}.${byte()}.${byte()}` : `${a}.${byte()}.${byte()}.0/${prefix}`);
    } else {
      const prefix = 32 + Math.floor(random() * 97);
      out.push(`2a0${Math.floor(random() * 9)}:${hex()}:${hex()}:${hex()}::/${prefix}`);
    }
  }
  return out;
}

/** Allowed clients: addresses no deny entry covers. */
export function clientIps(count: number, random = seeded(11)): string[] {
  return Array.from({ length: count }, (_, i) =>
    i % 5 === 4
      ? `2001:db8:ffff:${Math.floor(random() * 65_536).toString(16)}::${i.toString(16)}`
      : `203.0.113.${i % 256}`,
  );
}

export const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
