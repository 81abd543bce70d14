/**
 * CIDR arithmetic for the crawler ranges of scripts/bots/refresh.mjs: parse, format, and merge
 * adjacent or nested blocks into the fewest covering ones.
 */

/** A CIDR as [family bits, first address, prefix length], addresses as BigInt. */
function parseCidr(cidr) {
  const [address, length] = cidr.split('/');
  if (address.includes(':')) {
    const [head, tail = ''] = address.split('::');
    const groups = (part) => (part === '' ? [] : part.split(':'));
    const missing = 8 - groups(head).length - groups(tail).length;
    const words = [...groups(head), ...Array(address.includes('::') ? missing : 0).fill('0'), ...groups(tail)];
    return [128, words.reduce((value, word) => (value << 16n) | BigInt(parseInt(word, 16)), 0n), Number(length)];
  }
  const value = address.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
  return [32, value, Number(length)];
}

function formatCidr([bits, value, length]) {
  if (bits === 32) return `${[24n, 16n, 8n, 0n].map((shift) => (value >> shift) & 255n).join('.')}/${length}`;
  const words = Array.from({ length: 8 }, (_, index) => ((value >> BigInt(112 - 16 * index)) & 0xffffn).toString(16));
  // The longest run of zero words becomes '::'.
  let best = [-1, 0];
  for (let start = 0; start < 8; start++) {
    let end = start;
    while (end < 8 && words[end] === '0') end++;
    if (end - start > best[1] && end - start > 1) best = [start, end - start];
  }
  const text =
    best[0] === -1
      ? words.join(':')
      : `${words.slice(0, best[0]).join(':')}::${words.slice(best[0] + best[1]).join(':')}`;
  return `${text}/${length}`;
}

/**
 * The same addresses in as few CIDRs as possible: blocks inside another are dropped and two halves
 * of one block merged, until nothing changes. No address is added or lost.
 */
export function aggregate(cidrs) {
  const byFamily = new Map();
  for (const cidr of cidrs) {
    const [bits, value, length] = parseCidr(cidr);
    const size = BigInt(bits - length);
    const first = (value >> size) << size;
    byFamily.set(bits, [...(byFamily.get(bits) ?? []), [bits, first, length]]);
  }
  const out = [];
  for (const blocks of byFamily.values()) {
    let changed = true;
    let list = blocks;
    while (changed) {
      changed = false;
      list.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[2] - b[2]));
      const next = [];
      for (const block of list) {
        const last = next[next.length - 1];
        if (last) {
          const lastEnd = last[1] + (1n << BigInt(last[0] - last[2]));
          if (block[1] < lastEnd) {
            changed = true; // inside the previous block
            continue;
          }
          const parentSize = 1n << BigInt(last[0] - last[2] + 1);
          if (last[2] === block[2] && block[1] === lastEnd && last[1] % parentSize === 0n) {
            next[next.length - 1] = [last[0], last[1], last[2] - 1];
            changed = true;
            continue;
          }
        }
        next.push(block);
      }
      list = next;
    }
    // A single address needs no length: the IP matcher reads both forms.
    out.push(
      ...list.map((block) =>
        formatCidr(block).replace(/\/(?:32|128)$/, (suffix) => (block[2] === block[0] ? '' : suffix)),
      ),
    );
  }
  return out;
}
