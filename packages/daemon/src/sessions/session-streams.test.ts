// SessionStreams: routing by session id, and real tmux sessions streamed to viewers (resume, eviction, slow viewers).
import { ProtocolError } from '@vibe/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionStreams } from './session-streams.js';
import { bytes, FakeTerminal, hasTmux, RecordingSink, text, tmuxFixture, waitFor } from './test-support.js';

const chunk = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (seed + i) % 251);

const fixtures: ReturnType<typeof tmuxFixture>[] = [];
const streamsList: SessionStreams[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const streams of streamsList.splice(0)) streams.dispose();
  for (const f of fixtures.splice(0)) f.dispose();
});

async function setup(options: ConstructorParameters<typeof SessionStreams>[0] = {}) {
  const f = tmuxFixture();
  fixtures.push(f);
  const streams = new SessionStreams(options);
  streamsList.push(streams);
  // An echo loop: each line typed comes back as `line:…`; `flood N` prints N lines with `seq` (faster than
  // tmux draws: it skips frames), `rows N` prints N lines one write at a time (each one drawn).
  const script =
    'echo ready; while read x; do case "$x" in flood*) seq 1 ${x#flood };; rows*) i=1; while [ $i -le ${x#rows } ]; do echo "row $i"; i=$((i+1)); done;; *) echo "line:$x";; esac; done';
  const terminal = await f.host.start({ name: 'vibe_1', cwd: f.dir, argv: ['sh', '-c', script], env: {}, cols: 80, rows: 24 });
  const session = streams.add(1, terminal);
  await waitFor(async () => (await terminal.screenText())?.includes('ready'), 'ready');
  return { streams, session, terminal };
}

/** A viewer that acks everything it receives, as a well-behaved client does. */
function ackingSink(streams: SessionStreams): RecordingSink {
  const sink = new RecordingSink();
  sink.onFrame = (frame) => streams.ack(sink, 1, frame.seq + frame.payload.length);
  return sink;
}

describe.skipIf(!hasTmux)('SessionStreams over tmux', () => {
  it('resumes a viewer from its offset with exactly the bytes it missed', async () => {
    const { streams, session } = await setup();
    const steady = ackingSink(streams);
    const flaky = ackingSink(streams);
    await streams.attach(steady, 1, { readOnly: false });
    const first = await streams.attach(flaky, 1, { readOnly: true });
    streams.input(steady, 1, 'a\r');
    await waitFor(() => text(flaky.stream()).includes('line:a'), 'line a');
    const resumeAt = flaky.end();
    streams.detach(flaky, 1);
    streams.input(steady, 1, 'b\r');
    streams.input(steady, 1, 'c\r');
    await waitFor(() => text(steady.stream()).includes('line:c'), 'line c');

    const again = new RecordingSink();
    const resumed = await streams.attach(again, 1, { readOnly: true, resume: { stream: first.stream, offset: resumeAt } });
    expect(resumed).toEqual({ stream: session.stream, offset: resumeAt, snapshot: false });
    expect(again.snapshots()).toEqual([]);
    expect(again.outputs()[0]!.seq).toBe(resumeAt);
    const steadyFrom = resumeAt - steady.snapshots()[0]!.seq;
    expect(Array.from(again.stream())).toEqual(Array.from(steady.stream().subarray(steadyFrom, steadyFrom + again.stream().length)));
    expect(text(again.stream())).toContain('line:c');
  });

  it('sends a snapshot when the offset to resume from has been evicted', async () => {
    const { streams, terminal, session } = await setup({ scrollbackBytes: 512 });
    const writer = ackingSink(streams);
    const first = await streams.attach(writer, 1, { readOnly: false });
    streams.input(writer, 1, 'flood 3000\r');
    await waitFor(async () => (await terminal.screenText())?.includes('3000'), 'the flood to end');
    await waitFor(() => text(writer.stream()).includes('3000'), 'the writer to see it');
    expect(session.scrollback.start).toBeGreaterThan(first.offset);
    const late = new RecordingSink();
    const resumed = await streams.attach(late, 1, { readOnly: true, resume: { stream: first.stream, offset: first.offset } });
    expect(resumed.snapshot).toBe(true);
    expect(late.frames[0]!.kind).toBe(0x04);
    expect(late.frames[0]!.seq).toBe(resumed.offset);
    expect(text(late.frames[0]!.payload)).toContain('3000');
  });

  it('skips a slow viewer while a fast one gets every byte, then gives the slow one a snapshot', async () => {
    // A small window: tmux drops frames of a burst its client cannot take at once (and redraws after), so
    // how many bytes a flood turns into varies; any few screens of it are many windows.
    const { streams, terminal } = await setup({ windowBytes: 256 });
    const fast = ackingSink(streams);
    const slow = new RecordingSink();
    await streams.attach(fast, 1, { readOnly: false });
    await streams.attach(slow, 1, { readOnly: true });
    slow.buffered = 64 * 1024 * 1024; // a connection that stopped draining
    streams.input(fast, 1, 'rows 2000\r');
    await waitFor(async () => (await terminal.screenText())?.includes('row 2000'), 'the rows to end', 10_000);
    await waitFor(() => text(fast.stream()).includes('row 2000'), 'the fast viewer to see the end');
    expect(fast.snapshots()).toHaveLength(1); // only the one it attached with: no gaps, no skips
    expect(fast.stream().length).toBeGreaterThan(4 * 256);
    expect(slow.outputs()).toEqual([]);

    slow.buffered = 0; // it reads again, and acks what it gets
    slow.onFrame = (frame) => streams.ack(slow, 1, frame.seq + frame.payload.length);
    await waitFor(() => slow.snapshots().length >= 2, 'the slow viewer to get a snapshot');
    expect(text(slow.snapshots()[1]!.payload)).toContain('row 2000');
    streams.input(fast, 1, 'after\r');
    await waitFor(() => text(slow.stream()).includes('line:after'), 'the slow viewer to be live again');
  });

  it('tells working, waiting and idle from a real screen', async () => {
    const f = tmuxFixture();
    fixtures.push(f);
    const streams = new SessionStreams();
    streamsList.push(streams);
    const script = 'sleep 0.3; seq 1 40; printf "Proceed? (y/n) "; read x; seq 100 140; sleep 30';
    const terminal = await f.host.start({ name: 'vibe_1', cwd: f.dir, argv: ['sh', '-c', script], env: {}, cols: 80, rows: 24 });
    const states: string[] = [];
    streams.add(1, terminal, { waitingPatterns: [/Proceed\? \(y\/n\)/], usesHooks: false, quietMs: 800 }, (state) => states.push(state));
    await waitFor(() => states.includes('waiting'), 'waiting', 8000);
    expect(states).toEqual(['working', 'waiting']);
    streams.write(1, 'y\r');
    await waitFor(() => states.includes('idle'), 'idle', 8000);
    expect(states).toEqual(['working', 'waiting', 'working', 'idle']);
  });
});

describe('SessionStreams', () => {
  it('routes by session id, refuses unknown sessions and forgets a closed connection everywhere', async () => {
    const streams = new SessionStreams();
    const one = new FakeTerminal('one');
    const two = new FakeTerminal('two');
    streams.add(1, one);
    streams.add(2, two);
    const sink = new RecordingSink();
    await streams.attach(sink, 1, { readOnly: false });
    await streams.attach(sink, 2, { readOnly: false });
    await expect(streams.attach(sink, 3, { readOnly: false })).rejects.toBeInstanceOf(ProtocolError);
    expect(streams.input(sink, 2, bytes('hi'))).toBe(true);
    expect(two.written).toEqual(['hi']);
    streams.dropSink(sink);
    one.push('after close');
    two.push('after close');
    expect(sink.outputs()).toEqual([]);
    expect(streams.input(sink, 1, bytes('x'))).toBe(false);
    expect(streams.get(1)).toBe(one);
    expect(streams.lastActivity(2)).toBeInstanceOf(Date);
  });

  it('passes state guesses to the callback and hook reports to the detector', async () => {
    vi.useFakeTimers();
    const streams = new SessionStreams();
    const terminal = new FakeTerminal();
    const states: string[] = [];
    streams.add(1, terminal, { waitingPatterns: [], usesHooks: false, quietMs: 1000 }, (state) => states.push(state));
    terminal.push(chunk(200, 0));
    await vi.advanceTimersByTimeAsync(1100);
    streams.hookReported(1, 'working');
    terminal.push(chunk(200, 0));
    await vi.advanceTimersByTimeAsync(1100);
    expect(states).toEqual(['working', 'idle']);
  });
});
