// Tests for the per-key token bucket (the relay's handshakes, the daemon's chat), on a clock the test moves.
import { describe, expect, it } from 'vitest';
import { KeyedRateLimiter } from './rate-limiter.js';

describe('KeyedRateLimiter', () => {
  it('allows a burst, then refills at the rate', () => {
    let now = 0;
    const limiter = new KeyedRateLimiter(2, 3, () => now);
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false]);
    now = 499;
    expect(limiter.take('a')).toBe(false);
    now = 500;
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
  });

  it('keeps addresses apart', () => {
    const limiter = new KeyedRateLimiter(1, 1, () => 0);
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
    expect(limiter.take('b')).toBe(true);
  });

  it('never banks more than the burst', () => {
    let now = 0;
    const limiter = new KeyedRateLimiter(10, 2, () => now);
    limiter.take('a');
    now = 60_000;
    expect([1, 2, 3].map(() => limiter.take('a'))).toEqual([true, true, false]);
  });

  it('forgets buckets that have refilled, so the table stays small', () => {
    let now = 0;
    const limiter = new KeyedRateLimiter(1, 2, () => now);
    for (let i = 0; i < 1000; i++) limiter.take(`10.0.${i >> 8}.${i & 255}`);
    limiter.take('busy');
    limiter.take('busy');
    expect(limiter.size).toBe(1001);
    now = 1_000;
    limiter.sweep();
    expect(limiter.size).toBe(1);
    now = 2_000;
    limiter.sweep();
    expect(limiter.size).toBe(0);
  });
});
