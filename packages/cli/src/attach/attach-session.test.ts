// attachSession against a fake daemon connection and a fake terminal: what the user sees, what the daemon gets.
import { EventEmitter } from 'node:events';
import { FrameKind, type Event, type Frame, type Session } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { attachSession, type AttachClient, type AttachOptions } from './attach-session.js';
import { parseDetachKey } from './detach-key.js';
import { ENTER_SEQUENCE, RESTORE_SEQUENCE } from './terminal-mode.js';

const session = (overrides: Partial<Session> = {}): Session => ({
  id: 4,
  project: 'myapp',
  taskNumber: 3,
  attempt: 1,
  agent: 'fake',
  state: 'waiting',
  exitCode: null,
  host: 'tmux',
  branch: 'vibe/3-x',
  worktree: '/w/3-1',
  pid: 42,
  cols: 100,
  rows: 30,
  startedAt: '2026-01-02T03:04:05.000Z',
  endedAt: null,
  lastActivityAt: '2026-01-02T03:04:05.000Z',
  ...overrides,
});

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A daemon connection that answers attach with `attached` and then pushes `frames` at once. */
function fakeDaemon(attached: { session: Session; offset?: number; frames?: Frame[]; snapshot?: boolean }) {
  const frameListeners = new Set<(frame: Frame) => void>();
  const eventListeners = new Set<(event: Event) => void>();
  const disconnectListeners = new Set<(error: Error) => void>();
  const requests: Array<{ method: string; params: unknown }> = [];
  const sent: Frame[] = [];
  let closed = false;
  const client = {
    request: async (method: string, params: unknown) => {
      requests.push({ method, params });
      if (method === 'events.subscribe') return { subscription: 1, lastSeq: 0, complete: true };
      if (method === 'session.attach') {
        // Frames follow the response on the wire: they reach the listeners before the caller's await resumes.
        queueMicrotask(() => attached.frames?.forEach((frame) => frameListeners.forEach((listener) => listener(frame))));
        return { session: attached.session, stream: 's1', offset: attached.offset ?? 0, snapshot: attached.snapshot ?? true };
      }
      return {};
    },
    sendFrame: (frame: Frame) => {
      if (closed) throw new Error('connection to the daemon closed');
      sent.push(frame);
    },
    onFrame: (listener: (frame: Frame) => void) => {
      frameListeners.add(listener);
      return () => frameListeners.delete(listener);
    },
    onEvent: (listener: (event: Event) => void) => {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
  } as unknown as AttachClient;
  return {
    client,
    requests,
    sent,
    onDisconnect: (listener: (error: Error) => void) => {
      disconnectListeners.add(listener);
      return () => disconnectListeners.delete(listener);
    },
    push: (frame: Frame) => frameListeners.forEach((listener) => listener(frame)),
    event: (event: Event) => eventListeners.forEach((listener) => listener(event)),
    disconnect: () => {
      closed = true;
      disconnectListeners.forEach((listener) => listener(new Error('connection to the daemon closed')));
    },
  };
}

class FakeInput extends EventEmitter {
  raw: boolean[] = [];
  paused = true;
  setRawMode(mode: boolean) {
    this.raw.push(mode);
  }
  resume() {
    this.paused = false;
  }
  pause() {
    this.paused = true;
  }
  type(text: string) {
    this.emit('data', Buffer.from(text, 'latin1'));
  }
}

class FakeOutput extends EventEmitter {
  columns = 120;
  rows = 40;
  written = '';
  write(data: string | Uint8Array, callback?: () => void) {
    this.written += typeof data === 'string' ? data : new TextDecoder().decode(data);
    if (callback) queueMicrotask(callback);
    return true;
  }
}

function setup(attached: Parameters<typeof fakeDaemon>[0], overrides: Partial<AttachOptions> = {}) {
  const daemon = fakeDaemon(attached);
  const input = new FakeInput();
  const output = new FakeOutput();
  const options: AttachOptions = {
    client: daemon.client,
    onDisconnect: daemon.onDisconnect,
    target: { number: 3, cwd: '/repo' },
    readOnly: false,
    detachKey: parseDetachKey('ctrl-]'),
    input,
    output,
    ...overrides,
  };
  const run = attachSession(options);
  return { daemon, input, output, run };
}

const inputFrames = (sent: Frame[]) => sent.filter((frame) => frame.kind === FrameKind.Input);

describe('attachSession', () => {
  it('takes over the screen, shows the snapshot and output, and gives the terminal back on the detach key', async () => {
    const { daemon, input, output, run } = setup({
      session: session(),
      offset: 10,
      frames: [
        { kind: FrameKind.Snapshot, session: 4, seq: 10, payload: bytes('[screen]') },
        { kind: FrameKind.Output, session: 4, seq: 10, payload: bytes('Continue? ') },
      ],
    });
    await tick();
    daemon.push({ kind: FrameKind.Output, session: 4, seq: 20, payload: bytes('(y/n)') });
    input.type('\x1d');
    const outcome = await run;
    expect(outcome).toMatchObject({ how: 'detached', session: { id: 4 } });
    expect(output.written).toBe(`${ENTER_SEQUENCE}[screen]Continue? (y/n)${RESTORE_SEQUENCE}`);
    expect(input.raw).toEqual([true, false]);
    expect(input.paused).toBe(true);
  });

  it('asks for the session by task, at the terminal size, subscribed to its exit first', async () => {
    const { daemon, input, run } = setup({ session: session() });
    await tick();
    input.type('\x1d');
    await run;
    expect(daemon.requests.map((request) => request.method)).toEqual(['events.subscribe', 'session.attach']);
    expect(daemon.requests[1]!.params).toEqual({ number: 3, cwd: '/repo', size: { cols: 120, rows: 40 } });
  });

  it('sends keystrokes as Input frames with the session id, and what precedes the detach key', async () => {
    const { daemon, input, run } = setup({ session: session() });
    await tick();
    input.type('y');
    input.type('es\r\x1dnot sent');
    await run;
    const frames = inputFrames(daemon.sent);
    expect(frames.map((frame) => [frame.session, frame.seq, new TextDecoder().decode(frame.payload)])).toEqual([
      [4, 0, 'y'],
      [4, 0, 'es\r'],
    ]);
  });

  it('acknowledges output once written, with the session id and the offset reached', async () => {
    const { daemon, input, run } = setup({
      session: session(),
      offset: 5,
      frames: [{ kind: FrameKind.Output, session: 4, seq: 5, payload: bytes('hello') }],
    });
    await tick();
    await tick();
    input.type('\x1d');
    await run;
    expect(daemon.sent.filter((frame) => frame.kind === FrameKind.Ack).map((frame) => [frame.session, frame.seq])).toEqual([[4, 10]]);
  });

  it('never types in read-only mode, and still detaches on the detach key', async () => {
    const { daemon, input, output, run } = setup({ session: session() }, { readOnly: true });
    await tick();
    input.type('rm -rf /\r');
    output.emit('resize');
    input.type('\x1d');
    expect((await run).how).toBe('detached');
    expect(inputFrames(daemon.sent)).toEqual([]);
    expect(daemon.requests.map((request) => request.method)).not.toContain('session.resize');
    expect(daemon.requests[1]!.params).toMatchObject({ readOnly: true });
  });

  it('follows terminal resizes with session.resize, clamped to what the daemon accepts', async () => {
    const { daemon, input, output, run } = setup({ session: session() });
    await tick();
    output.columns = 5000;
    output.rows = 50;
    output.emit('resize');
    input.type('\x1d');
    await run;
    expect(daemon.requests.at(-1)).toEqual({ method: 'session.resize', params: { session: 4, cols: 1000, rows: 50 } });
  });

  it('ends when the session exits, with its exit code, and restores the terminal', async () => {
    const { daemon, output, run } = setup({ session: session() });
    await tick();
    daemon.event({ type: 'event', subscription: 1, seq: 9, at: '', name: 'session.updated', data: { session: session({ id: 5, state: 'exited', exitCode: 1 }) } });
    daemon.event({ type: 'event', subscription: 1, seq: 10, at: '', name: 'session.updated', data: { session: session({ state: 'exited', exitCode: 3 }) } });
    expect(await run).toMatchObject({ how: 'exited', exitCode: 3 });
    expect(output.written.endsWith(RESTORE_SEQUENCE)).toBe(true);
  });

  it('does not take over the screen for a session that has already exited', async () => {
    const { output, input, run } = setup({ session: session({ state: 'exited', exitCode: 0 }) });
    expect(await run).toMatchObject({ how: 'exited', exitCode: 0 });
    expect(output.written).toBe('');
    expect(input.raw).toEqual([]);
  });

  it('restores the terminal when the daemon goes away, and writes nothing after', async () => {
    const { daemon, input, output, run } = setup({ session: session() });
    await tick();
    daemon.disconnect();
    daemon.push({ kind: FrameKind.Output, session: 4, seq: 0, payload: bytes('late') });
    const outcome = await run;
    expect(outcome.how).toBe('disconnected');
    expect(output.written).toBe(ENTER_SEQUENCE + RESTORE_SEQUENCE);
    expect(input.raw).toEqual([true, false]);
  });

  it('ends as disconnected when typing finds the connection closed', async () => {
    const { daemon, input, run } = setup({ session: session() });
    await tick();
    daemon.sent.length = 0;
    (daemon.client as { sendFrame: unknown }).sendFrame = () => {
      throw new Error('connection to the daemon closed');
    };
    input.type('x');
    expect((await run).how).toBe('disconnected');
  });

  it('detaches when its signal aborts (SIGTERM, SIGHUP)', async () => {
    const controller = new AbortController();
    const { output, run } = setup({ session: session() }, { signal: controller.signal });
    await tick();
    controller.abort();
    expect((await run).how).toBe('detached');
    expect(output.written.endsWith(RESTORE_SEQUENCE)).toBe(true);
  });

  it('leaves the terminal alone when the attach is refused', async () => {
    const daemon = fakeDaemon({ session: session() });
    (daemon.client as { request: unknown }).request = async (method: string) => {
      if (method === 'session.attach') throw new Error('task #3 has no session');
      return {};
    };
    const input = new FakeInput();
    const output = new FakeOutput();
    await expect(
      attachSession({ client: daemon.client, onDisconnect: daemon.onDisconnect, target: { session: 9 }, readOnly: false, detachKey: parseDetachKey('ctrl-]'), input, output }),
    ).rejects.toThrow('no session');
    expect(output.written).toBe('');
    expect(input.raw).toEqual([]);
  });
});
