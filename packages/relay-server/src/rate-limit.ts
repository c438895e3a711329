// A token bucket per remote address for WebSocket handshakes; buckets that have refilled are forgotten, so the
// table holds only addresses seen recently.

interface Bucket {
  tokens: number;
  at: number;
}

export class HandshakeLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a token for `address`; false when its bucket is empty. */
  take(address: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(address);
    if (!bucket) {
      this.buckets.set(address, { tokens: this.burst - 1, at: now });
      return true;
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Forgets buckets that would be full by now (called on every heartbeat). */
  sweep(): void {
    const now = this.now();
    for (const [address, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.rate >= this.burst) this.buckets.delete(address);
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}
