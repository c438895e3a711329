// A token bucket per key — the relay's per address for WebSocket handshakes, the daemon's per sender for chat;
// buckets that have refilled are forgotten, so the table holds only keys seen recently. No Node APIs.

interface Bucket {
  tokens: number;
  at: number;
}

export class KeyedRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** `rate` tokens a second refill each key's bucket, up to `burst`. */
  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a token for `key`; false when its bucket is empty. */
  take(key: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(key);
    if (!bucket) {
      this.buckets.set(key, { tokens: this.burst - 1, at: now });
      return true;
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Forgets buckets that would be full by now (the relay calls it on every heartbeat). */
  sweep(): void {
    const now = this.now();
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.rate >= this.burst) this.buckets.delete(key);
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}
