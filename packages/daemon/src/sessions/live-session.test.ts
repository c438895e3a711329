// Viewer streams over a scripted terminal: exact bytes, resume, snapshots, flow control, access, activity.
import { FrameKind } from '@vibe/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveSession } from './live-session.js';
import { bytes, FakeTerminal, RecordingSink, text } from './test-support.js';

const chunk = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (seed + i) % 251);

afterEach(() => vi.useRealTimers());

describe('LiveSession', () => {
  it('starts a new viewer with a snapshot at the current end, then live bytes; two viewers get the same', async () => {
    const terminal = new FakeTerminal();
    const session = new LiveSession(7, terminal);
    terminal.push('before ');
    const a = new RecordingSink();
    const b = new RecordingSink();
    expect(await session.attach(a, { readOnly: false })).toEqual({ stream: session.stream, offset: 7, snapshot: true });
    expect(await session.attach(b, { readOnly: true })).toMatchObject({ offset: 7, snapshot: true });
    terminal.push('live ');
    terminal.push('bytes');
    for (const sink of [a, b]) {
      expect(sink.frames[0]).toEqual({ kind: FrameKind.Snapshot, session: 7, seq: 7, payload: bytes('<screen>') });
      expect(sink.outputs().map((f) => [f.seq, text(f.payload)])).toEqual([
        [7, 'live '],
        [12, 'bytes'],
      ]);
    }
    expect(terminal.snapshots).toBe(2);
  });

  it('holds new output for a viewer whose connection is still writing, and sends it as one frame when it drains', async () => {
    const terminal = new FakeTerminal();
    const session = new LiveSession(7, terminal);
    const sink = new RecordingSink();
    await session.attach(sink, { readOnly: false });
    terminal.push('first ');
    sink.buffered = 6;
    terminal.push('second ');
    terminal.push('third');
    expect(sink.outputs().map((f) => text(f.payload))).toEqual(['first ']);
    sink.buffered = 0;
    session.drained(sink);
    expect(sink.outputs().map((f) => text(f.payload))).toEqual(['first ', 'second third']);
    expect(text(sink.stream())).toBe('first second third');
  });

  it('sends a trickle at once to a crowd, and batches a flood to it: one frame per viewer per interval', async () => {
    const terminal = new FakeTerminal();
    const session = new LiveSession(7, terminal);
    const sinks = Array.from({ length: 50 }, () => new RecordingSink());
    for (const sink of sinks) await session.attach(sink, { readOnly: true });
    terminal.push('echo');
    // The flood follows at once: checking 50 viewers first could take longer than the interval on a busy machine.
    for (let i = 0; i < 20; i++) terminal.push(`line ${i}\n`);
    for (const sink of sinks) expect(sink.outputs().map((f) => text(f.payload))).toEqual(['echo']);
    // 50 viewers: a fan-out at most every 10 ms; what came meanwhile leaves together.
    await new Promise((resolve) => setTimeout(resolve, 30));
    for (const sink of sinks) {
      expect(sink.outputs()).toHaveLength(2);
      expect(text(sink.stream())).toBe(`echo${Array.from({ length: 20 }, (_, i) => `line ${i}\n`).join('')}`);
    }
    session.dispose();
  });

  it('shares one snapshot among viewers attaching at once', async () => {
    const terminal = new FakeTerminal();
    const session = new LiveSession(1, terminal);
    await Promise.all([session.attach(new RecordingSink(), { readOnly: true }), session.attach(new RecordingSink(), { readOnly: true })]);
    expect(terminal.snapshots).toBe(1);
  });

  it('resumes from a held offset with exactly the missing bytes and no snapshot', async () => {
    const terminal = new FakeTerminal();
    const session = new LiveSession(2, terminal);
    terminal.push('0123456789');
    const sink = new RecordingSink();
    expect(await session.attach(sink, { readOnly: false, resume: { stream: session.stream, offset: 4 } })).toEqual({ stream: session.stream, offset: 4, snapshot: false });
    terminal.push('ab');
    expect(sink.snapshots()).toEqual([]);
    expect(text(sink.stream())).toBe('456789ab');
    expect(sink.outputs()[0]!.seq).toBe(4);
  });

  it('catches a resuming viewer up past its window, one window per ack, without skipping', async () => {
    const terminal = new FakeTerminal();
    const session = new LiveSession(3, terminal, { windowBytes: 1000, maxFrameBytes: 300 });
    const all = chunk(5000, 1);
    terminal.push(all);
    const sink = new RecordingSink();
    await session.attach(sink, { readOnly: true, resume: { stream: session.stream, offset: 0 } });
    expect(sink.end()).toBe(1000);
    while (sink.end() < 5000) {
      const before = sink.end();
      session.ack(sink, before);
      expect(sink.end()).toBeGreaterThan(before);
    }
    expect(sink.snapshots()).toEqual([]);
    expect(Array.from(sink.stream())).toEqual(Array.from(all));
    expect(Math.max(...sink.outputs().map((f) => f.payload.length))).toBeLessThanOrEqual(300);
  });

  it('sends a snapshot when the resume offset was evicted or names another stream', async () => {
    const terminal = new FakeTerminal();
    const session = new LiveSession(4, terminal, { scrollbackBytes: 16 });
    terminal.push('0123456789abcdefghij');
    const evicted = new RecordingSink();
    expect(await session.attach(evicted, { readOnly: true, resume: { stream: session.stream, offset: 2 } })).toEqual({ stream: session.stream, offset: 20, snapshot: true });
    const other = new RecordingSink();
    expect(await session.attach(other, { readOnly: true, resume: { stream: 'an-old-run', offset: 18 } })).toMatchObject({ offset: 20, snapshot: true });
    const ahead = new RecordingSink();
    expect(await session.attach(ahead, { readOnly: true, resume: { stream: session.stream, offset: 99 } })).toMatchObject({ offset: 20, snapshot: true });
    for (const sink of [evicted, other, ahead]) expect(sink.frames.map((f) => [f.kind, f.seq])).toEqual([[FrameKind.Snapshot, 20]]);
  });

  it('lets a viewer that stops acking wait at its window, then continue exactly where it was', async () => {
    const terminal = new FakeTerminal();
    const session = new LiveSession(5, terminal, { windowBytes: 100 });
    const sink = new RecordingSink();
    await session.attach(sink, { readOnly: true });
    const start = sink.end();
    for (let i = 0; i < 6; i++) terminal.push(chunk(30, i));
    expect(sink.end() - start).toBe(100); // the window, the last chunk cut to fit
    session.ack(sink, sink.end());
    expect(sink.end() - start).toBe(180);
    expect(sink.snapshots()).toHaveLength(1);
    expect(sink.stream()).toHaveLength(180);
  });

  it('continues a viewer whose connection was full of other traffic once it drains, with no ack or output needed', async () => {
    const terminal = new FakeTerminal();
    const session = new LiveSession(11, terminal, { windowBytes: 100 });
    const sink = new RecordingSink();
    await session.attach(sink, { readOnly: true });
    sink.buffered = 500; // control traffic and other sessions fill the connection
    terminal.push(chunk(60, 1));
    expect(sink.outputs()).toEqual([]);
    sink.buffered = 0;
    await vi.waitFor(() => expect(sink.stream()).toHaveLength(60));
    expect(sink.snapshots()).toHaveLength(1);
  });

  it('skips a slow viewer without touching a fast one, then gives it a snapshot and the present once it drains', async () => {
    const terminal = new FakeTerminal();
    const session = new LiveSession(6, terminal, { windowBytes: 1024 });
    const fast = new RecordingSink();
    fast.onFrame = (frame) => session.ack(fast, frame.seq + frame.payload.length);
    const slow = new RecordingSink();
    await session.attach(fast, { readOnly: false });
    await session.attach(slow, { readOnly: true });
    slow.buffered = 50 * 1024 * 1024; // its socket is not draining
    const sent: number[] = [];
    for (let i = 0; i < 100; i++) {
      const c = chunk(500, i);
      sent.push(...c);
      terminal.push(c);
    }
    expect(Array.from(fast.stream())).toEqual(sent);
    expect(slow.outputs()).toEqual([]);
    terminal.snapshotBytes = bytes('<later screen>');
    slow.buffered = 0;
    await vi.waitFor(() => expect(slow.snapshots()).toHaveLength(2));
    expect(slow.frames.at(-1)).toMatchObject({ kind: FrameKind.Snapshot, seq: 50_000, payload: bytes('<later screen>') });
    terminal.push('after');
    expect(slow.outputs().map((f) => [f.seq, text(f.payload)])).toEqual([[50_000, 'after']]);
  });

  it('hands a sink the bytes as they were output, from a ring that is reused right after', async () => {
    const terminal = new FakeTerminal();
    const session = new LiveSession(8, terminal, { scrollbackBytes: 64, windowBytes: 32, maxFrameBytes: 16 });
    terminal.push(chunk(40, 0));
    const sink = new RecordingSink();
    await session.attach(sink, { readOnly: true, resume: { stream: session.stream, offset: 24 } });
    terminal.push(chunk(60, 100));
    // The sink copied each payload when it was sent, as the control connection encodes or seals it then.
    expect(Array.from(sink.outputs()[0]!.payload)).toEqual(Array.from(chunk(40, 0).subarray(24)));
  });

  it('takes input and resizes only from writers', async () => {
    const terminal = new FakeTerminal();
    const session = new LiveSession(9, terminal);
    const writer = new RecordingSink();
    const watcher = new RecordingSink();
    await session.attach(writer, { readOnly: false, size: { cols: 100, rows: 30 } });
    await session.attach(watcher, { readOnly: true, size: { cols: 40, rows: 10 } });
    expect(session.input(writer, bytes('ls\r'))).toBe(true);
    expect(session.input(watcher, bytes('rm -rf ~\r'))).toBe(false);
    expect(session.resize(watcher, 20, 5)).toBe(false);
    expect(session.resize(writer, 90, 25)).toBe(true);
    expect(session.input(new RecordingSink(), 'x')).toBe(false);
    expect(terminal.written).toEqual(['ls\r']);
    expect(terminal.sizes).toEqual([
      [100, 30],
      [90, 25],
    ]);
    expect(session.size).toEqual({ cols: 90, rows: 25 });
  });

  it('reports activity at most once per throttle period, and the last one after it', async () => {
    vi.useFakeTimers();
    const seen: number[] = [];
    const terminal = new FakeTerminal();
    new LiveSession(10, terminal, { activityThrottleMs: 5000, onActivity: (at) => seen.push(at.getTime()) });
    const t0 = Date.now();
    terminal.push(chunk(100, 0));
    await vi.advanceTimersByTimeAsync(1000);
    terminal.push(chunk(100, 0));
    await vi.advanceTimersByTimeAsync(1000);
    terminal.push('x'); // too small to count
    await vi.advanceTimersByTimeAsync(10_000);
    expect(seen).toEqual([t0, t0 + 1000]);
  });
});
