// Frames to the terminal: written at once, trimmed where already shown, acknowledged as they are written.
import { FrameKind, type Frame } from '../frame.js';
import { describe, expect, it } from 'vitest';
import { ScreenWriter } from './screen-writer.js';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const output = (seq: number, value: string, session = 4): Frame => ({ kind: FrameKind.Output, session, seq, payload: text(value) });
const snapshot = (seq: number, value: string): Frame => ({ kind: FrameKind.Snapshot, session: 4, seq, payload: text(value) });
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/** Past the writer's ack delay (set to 5 ms below). */
const ackDelay = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 15));

function writer(offset = 0, ackEveryBytes?: number) {
  const screen: string[] = [];
  const acks: number[] = [];
  const callbacks: Array<() => void> = [];
  let synchronous = true;
  const out = {
    write: (data: string | Uint8Array, callback?: () => void) => {
      screen.push(typeof data === 'string' ? data : new TextDecoder().decode(data));
      if (callback) {
        if (synchronous) callback();
        else callbacks.push(callback);
      }
      return true;
    },
  };
  const sw = new ScreenWriter({ output: out, session: 4, offset, ack: (seq) => acks.push(seq), ackDelayMs: 5, ...(ackEveryBytes && { ackEveryBytes }) });
  return {
    sw,
    out,
    screen,
    acks,
    /** The terminal stops taking bytes at once; flush() lets the queued writes complete. */
    slow: () => (synchronous = false),
    flush: () => callbacks.splice(0).forEach((callback) => callback()),
  };
}

describe('ScreenWriter', () => {
  it('writes the snapshot, then output from where it resumes, and acknowledges a burst once, a moment after it was written', async () => {
    const { sw, screen, acks } = writer(100);
    sw.frame(snapshot(100, '[screen]'));
    sw.frame(output(100, 'abc'));
    await tick();
    sw.frame(output(103, 'def'));
    expect(screen).toEqual(['[screen]', 'abc', 'def']);
    expect(acks).toEqual([]);
    await ackDelay();
    expect(acks).toEqual([106]);
  });

  it('never shows the same bytes twice: repeated frames are dropped and overlapping ones trimmed', () => {
    const { sw, screen } = writer(0);
    sw.frame(output(0, 'hello'));
    sw.frame(output(0, 'hello'));
    sw.frame(output(3, 'lo world'));
    expect(screen.join('')).toBe('hello world');
  });

  it('does not write output that starts past what it wrote, and says where the stream broke off', () => {
    const gaps: number[] = [];
    const { screen, out } = writer(0);
    const sw = new ScreenWriter({ output: out, session: 4, offset: 0, ack: () => {}, onGap: (offset) => gaps.push(offset) });
    sw.frame(output(0, 'abc'));
    sw.frame(output(7, 'later'));
    sw.frame(output(3, 'defg'));
    expect(screen).toEqual(['abc', 'defg']);
    expect(gaps).toEqual([3]);
  });

  it('ignores output before the attach offset and frames of other sessions', () => {
    const { sw, screen } = writer(10);
    sw.frame(output(0, 'old output'));
    sw.frame(output(10, 'x', 5));
    sw.frame(output(10, 'new'));
    expect(screen).toEqual(['new']);
  });

  it('acknowledges every 64 KiB while the terminal keeps up with a flood', () => {
    const { sw, acks } = writer(0, 64 * 1024);
    const chunk = 'x'.repeat(16 * 1024);
    for (let i = 0; i < 8; i++) sw.frame(output(i * chunk.length, chunk));
    expect(acks).toEqual([64 * 1024, 128 * 1024]);
  });

  it('acknowledges only what the terminal took, not what arrived', async () => {
    const { sw, acks, slow, flush } = writer(0);
    slow();
    sw.frame(output(0, 'abc'));
    sw.frame(output(3, 'def'));
    await ackDelay();
    expect(acks).toEqual([]);
    flush();
    await ackDelay();
    expect(acks).toEqual([6]);
  });

  it('writes and acknowledges nothing once stopped', async () => {
    const { sw, screen, acks } = writer(0);
    sw.frame(output(0, 'a'));
    sw.stop();
    sw.frame(output(1, 'b'));
    await ackDelay();
    expect(screen).toEqual(['a']);
    expect(acks).toEqual([]);
  });
});
