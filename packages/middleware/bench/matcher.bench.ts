/**
 * Matcher lookup cost at 1k..1M mixed IPv4/IPv6 entries, beside node:net BlockList and ipaddr.js
 * in the same run. Run: `npx tsx bench/matcher.bench.ts [--sizes=1000,10000] [--budget-ms=1500]`.
 * Lookups go through text (`match('203.0.113.7')`), as a request gives them; the trie is also
 * timed on pre-parsed addresses. 'hits' is the share of lookups that found an entry. Slow peers get a time budget per
 * size: they run as many lookups as fit, at least 20, and the table says how many that was.
 */
import { BlockList } from 'node:net';
import { loadavg } from 'node:os';
import ipaddr from 'ipaddr.js';
import { createIpMatcher } from '../src/core/ip/matcher.js';
import { parseIp } from '../src/core/ip/parse.js';
import { mixedEntries, probes } from './ip-fixtures.js';

const args = new Map(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=') as [string, string]));
const sizes = (args.get('sizes') ?? '1000,10000,100000,1000000').split(',').map(Number);
const budgetMs = Number(args.get('budget-ms') ?? 1500);
const PROBES = 20_000;

interface Row {
  entries: number;
  name: string;
  buildMs: number;
  nsPerOp: number;
  wallNsPerOp: number;
  lookups: number;
  hits: number;
}

/**
 * Runs `lookup` over the probes: a warm-up pass, then (for fast implementations) three rounds
 * of at least `minMs` each, keeping the cheapest round; slow peers get one round within the
 * budget. ns/op is CPU time of this process (the machine is shared, and time spent waiting for
 * a core says nothing about the matcher); wall time is printed beside it.
 */
function time(probeList: readonly unknown[], lookup: (probe: never) => unknown, minMs: number, budget = false) {
  for (let i = 0; i < (budget ? 5 : probeList.length); i++) lookup(probeList[i] as never);
  let bestRound = { nsPerOp: Infinity, wallNsPerOp: Infinity, lookups: 0, hits: 0 };
  for (let round = 0; round < (budget ? 1 : 3); round++) {
    let hits = 0;
    let ops = 0;
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    let elapsed: number;
    do {
      for (let i = 0; i < probeList.length; i++) {
        if (lookup(probeList[i] as never)) hits++;
        ops++;
        if (budget && (ops & 7) === 0 && performance.now() - start > budgetMs && ops >= 20) break;
      }
      elapsed = performance.now() - start;
    } while (elapsed < minMs && !(budget && elapsed > budgetMs));
    const cpu = process.cpuUsage(cpuStart);
    const nsPerOp = ((cpu.user + cpu.system) * 1e3) / ops;
    if (nsPerOp < bestRound.nsPerOp) bestRound = { nsPerOp, wallNsPerOp: (elapsed * 1e6) / ops, lookups: ops, hits };
  }
  return bestRound;
}

function build<T>(make: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = make();
  return { value, ms: performance.now() - start };
}

const rows: Row[] = [];
for (const size of sizes) {
  const entries = mixedEntries(size);
  const probeList = probes(entries, PROBES);
  const parsedProbes = probeList.map((p) => parseIp(p));

  const trie = build(() => createIpMatcher(entries));
  rows.push({
    entries: size,
    name: 'watchpost trie (text)',
    buildMs: trie.ms,
    ...time(probeList, (p: string) => trie.value.match(p), 300),
  });
  rows.push({
    entries: size,
    name: 'watchpost trie (parsed)',
    buildMs: trie.ms,
    ...time(parsedProbes, (p: NonNullable<ReturnType<typeof parseIp>>) => trie.value.match(p), 300),
  });

  const blockList = build(() => {
    const list = new BlockList();
    for (const entry of entries) {
      const [address, prefix] = entry.split('/') as [string, string | undefined];
      const family = address.includes(':') ? 'ipv6' : 'ipv4';
      if (prefix === undefined) list.addAddress(address, family);
      else list.addSubnet(address, Number(prefix), family);
    }
    return list;
  });
  rows.push({
    entries: size,
    name: 'node:net BlockList',
    buildMs: blockList.ms,
    ...time(probeList, (p: string) => blockList.value.check(p, p.includes(':') ? 'ipv6' : 'ipv4'), 300, true),
  });

  // ipaddr.js has no index: the usual pattern scans parsed ranges of the address's family
  // and stops at the first match (cheaper than the longest match the trie returns).
  const ranges = build(() => {
    const byKind = { ipv4: [] as Array<[ipaddr.IPv4, number]>, ipv6: [] as Array<[ipaddr.IPv6, number]> };
    for (const entry of entries) {
      const [address, bits] = entry.includes('/')
        ? ipaddr.parseCIDR(entry)
        : [ipaddr.parse(entry), entry.includes(':') ? 128 : 32];
      if (address.kind() === 'ipv4') byKind.ipv4.push([address as ipaddr.IPv4, bits]);
      else byKind.ipv6.push([address as ipaddr.IPv6, bits]);
    }
    return byKind;
  });
  rows.push({
    entries: size,
    name: 'ipaddr.js scan',
    buildMs: ranges.ms,
    ...time(
      probeList,
      (p: string) => {
        const address = ipaddr.process(p);
        if (address.kind() === 'ipv4') {
          for (const [net, bits] of ranges.value.ipv4) if ((address as ipaddr.IPv4).match(net, bits)) return true;
        } else {
          for (const [net, bits] of ranges.value.ipv6) if ((address as ipaddr.IPv6).match(net, bits)) return true;
        }
        return false;
      },
      300,
      true,
    ),
  });
}

const format = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
console.log(
  `node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}, ${PROBES} probes (half hits, half random), budget ${budgetMs} ms for slow peers`,
);
console.log(
  '| entries | implementation | build ms (wall) | lookup ns/op (CPU) | vs trie (text) | wall ns/op | lookups ' +
    'timed | hits |',
);
console.log('|---:|---|---:|---:|---:|---:|---:|---:|');
for (const row of rows) {
  const base = rows.find((r) => r.entries === row.entries && r.name === 'watchpost trie (text)') as Row;
  console.log(
    `| ${row.entries.toLocaleString('en-US')} | ${row.name} | ${format(row.buildMs)} | ${format(row.nsPerOp)} ` +
      `| ${(row.nsPerOp / base.nsPerOp).toFixed(2)}x | ${format(row.wallNsPerOp)} ` +
      `| ${row.lookups.toLocaleString('en-US')} | ${((row.hits / row.lookups) * 100).toFixed(0)}% |`,
  );
}
