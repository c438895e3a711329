// The input gauge against a probe the test answers: what it counts, when it asks, what an answer forgets.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InputGauge, PROBE_FROM } from './input-gauge.js';

function gauge() {
  const asked: ((answer: boolean | undefined) => void)[] = [];
  let held = 0;
  let blind = 0;
  const g = new InputGauge({
    probe: () => new Promise((resolve) => asked.push(resolve)),
    held: () => held,
    blind: () => blind++,
  });
  return {
    g,
    asked,
    setHeld: (bytes: number) => (held = bytes),
    blindCalls: () => blind,
    /** Answers the newest question and lets the gauge act on it. */
    answer: async (answer: boolean | undefined) => {
      asked.at(-1)!(answer);
      await vi.advanceTimersByTimeAsync(0);
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('InputGauge', () => {
  it('does not ask about a few keys: below PROBE_FROM nothing is probed', async () => {
    const { g, asked } = gauge();
    g.add(PROBE_FROM - 1);
    await vi.advanceTimersByTimeAsync(5000);
    expect(asked).toHaveLength(0);
    expect(g.unread()).toBe(PROBE_FROM - 1);
  });

  it('counts everything typed until a probe finds nothing unread, then forgets only what had left the daemon when it began', async () => {
    const { g, asked, setHeld, answer } = gauge();
    g.add(100_000);
    setHeld(30_000); // still in the daemon's own queue when the probe starts
    await vi.advanceTimersByTimeAsync(0);
    expect(asked).toHaveLength(1);
    g.add(5_000); // typed while the probe runs
    expect(g.unread()).toBe(105_000);
    await answer(true);
    expect(g.unread()).toBe(35_000);
  });

  it('keeps counting while input waits unread, asking again with growing delays up to a second', async () => {
    const { g, asked, answer } = gauge();
    g.add(2 * PROBE_FROM);
    await vi.advanceTimersByTimeAsync(0);
    const times: number[] = [];
    for (let i = 0; i < 8; i++) {
      const before = asked.length;
      await answer(false);
      const started = Date.now();
      while (asked.length === before) await vi.advanceTimersByTimeAsync(10);
      times.push(Date.now() - started);
    }
    expect(g.unread()).toBe(2 * PROBE_FROM);
    expect(times).toEqual([20, 50, 100, 200, 500, 1000, 1000, 1000]);
    await answer(true);
    expect(g.unread()).toBe(0);
  });

  it('when the probe cannot tell, counts only what the daemon holds and stops asking', async () => {
    const { g, asked, setHeld, blindCalls, answer } = gauge();
    g.add(PROBE_FROM);
    await vi.advanceTimersByTimeAsync(0);
    await answer(undefined);
    expect(blindCalls()).toBe(1);
    setHeld(123);
    expect(g.unread()).toBe(123);
    g.add(PROBE_FROM);
    await vi.advanceTimersByTimeAsync(5000);
    expect(asked).toHaveLength(1);
  });

  it('a probe that fails counts as one that cannot tell', async () => {
    const blind = vi.fn();
    const g = new InputGauge({ probe: () => Promise.reject(new Error('spawn perl ENOENT')), held: () => 0, blind });
    g.add(PROBE_FROM);
    await vi.advanceTimersByTimeAsync(0);
    expect(blind).toHaveBeenCalledOnce();
    expect(g.unread()).toBe(0);
  });

  it('ignores an answer that arrives after dispose', async () => {
    const { g, asked, answer } = gauge();
    g.add(PROBE_FROM);
    await vi.advanceTimersByTimeAsync(0);
    g.dispose();
    await answer(true);
    expect(g.unread()).toBe(PROBE_FROM);
    await vi.advanceTimersByTimeAsync(5000);
    expect(asked).toHaveLength(1);
  });
});
