// Reconnect delays for every peer of the relay (daemon, CLI, web view): exponential, with full jitter, so a
// relay restart does not bring every peer back in the same millisecond.

/** The delay before retry number `attempt` (0 first): between min/2 and min·2^attempt, capped at max. */
export function backoffDelay(attempt: number, minMs = 250, maxMs = 10_000, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
  return minMs / 2 + random() * (ceiling - minMs / 2);
}
