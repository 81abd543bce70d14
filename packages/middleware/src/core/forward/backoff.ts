/**
 * Delay before retry number `attempt` (1 for the first retry): exponential, capped, with
 * "equal jitter" (half fixed, half random) so a fleet of apps that lost the report API at the
 * same moment does not come back in lockstep.
 *
 * @example
 * backoffDelay(1, { baseMs: 500, maxMs: 30_000, random: () => 0.5 }); // 375
 * backoffDelay(10, { baseMs: 500, maxMs: 30_000, random: () => 1 });  // 30000
 */
export function backoffDelay(
  attempt: number,
  { baseMs, maxMs, random }: { baseMs: number; maxMs: number; random: () => number },
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
