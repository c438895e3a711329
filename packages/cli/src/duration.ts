// Durations for people: "45s", "12m 3s", "3h 12m", "2d 4h", and how long ago a timestamp was.

export function humaniseSeconds(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  const rest = seconds % 60;
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  if (minutes > 0) return rest > 0 ? `${minutes}m ${rest}s` : `${minutes}m`;
  return `${rest}s`;
}

/**
 * "just now", "45s ago", "3h 12m ago" for an ISO timestamp; the raw text when it does not parse. A
 * timestamp slightly in the future (clocks of two processes) counts as now.
 */
export function timeAgo(timestamp: string, now: number = Date.now()): string {
  const then = Date.parse(timestamp);
  if (Number.isNaN(then)) return timestamp;
  const seconds = (now - then) / 1000;
  return seconds < 2 ? 'just now' : `${humaniseSeconds(seconds)} ago`;
}
