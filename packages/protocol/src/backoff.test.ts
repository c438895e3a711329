import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('grows exponentially within its jitter and stops at the cap', () => {
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, 100, 1000, () => 1))).toEqual([100, 200, 400, 800]);
    expect(backoffDelay(10, 100, 1000, () => 1)).toBe(1000);
    expect(backoffDelay(1e6, 100, 1000, () => 1)).toBe(1000);
    // Never below half the minimum, whatever the draw.
    expect(backoffDelay(5, 100, 1000, () => 0)).toBe(50);
  });
});
