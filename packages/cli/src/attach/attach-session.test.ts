// attachSession against a fake daemon connection and a fake terminal: what the user sees, what the daemon gets.
import { EventEmitter } from 'node:events';
import { FrameKind, ProtocolError, type Event, type Frame, type Session } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { attachSession, type AttachClient, type AttachConnection, type AttachOptions } from './attach-session.js';
import { parseDetachKey } from './detach-key.js';
import { ACK_DELAY_MS } from '@vibe/protocol';
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
/** Past the screen writer's delay before it acknowledges a quiet stream. */
const ackDelay = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, ACK_DELAY_MS + 10));

/** A daemon connection that answers attach with `attached` and then pushes `frames` at once. */
function fakeDaemon(attached: { session: Session; offset?: number; frames?: Frame[]; snapshot?: boolean; stream?: string; refuse?: Error }) {
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
        if (attached.refuse) throw attached.refuse;
        // Frames follow the response on the wire: they reach the listeners before the caller's await resumes.
        queueMicrotask(() => attached.frames?.forEach((frame) => frameListeners.forEach((listener) => listener(frame))));
        return { session: attached.session, stream: attached.stream ?? 's1', offset: attached.offset ?? 0, snapshot: attached.snapshot ?? true };
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
  let closes = 0;
  const daemonOnDisconnect = (listener: (error: Error) => void) => {
    disconnectListeners.add(listener);
    return () => disconnectListeners.delete(listener);
  };
  return {
    client,
    requests,
    sent,
    closes: () => closes,
    connection: (): AttachConnection => ({ client, onDisconnect: daemonOnDisconnect, close: () => void closes++ }),
    onDisconnect: daemonOnDisconnect,
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
    await ackDelay();
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

  it('never writes output that skips bytes: it attaches again from the last byte written and shows what was missing', async () => {
    let attaches = 0;
    const answer = {
      session: session(),
      get offset() {
        return attaches === 1 ? 0 : 3;
      },
      get snapshot() {
        return attaches === 1;
      },
      get frames(): Frame[] {
        if (attaches === 1) {
          return [
            { kind: FrameKind.Snapshot, session: 4, seq: 0, payload: bytes('[screen]') },
            { kind: FrameKind.Output, session: 4, seq: 0, payload: bytes('abc') },
            { kind: FrameKind.Output, session: 4, seq: 10, payload: bytes('XYZ') },
          ];
        }
        return [{ kind: FrameKind.Output, session: 4, seq: 3, payload: bytes('defghijXYZ') }];
      },
    };
    const { daemon, input, output, run } = setup(answer);
    const request = daemon.client.request.bind(daemon.client);
    daemon.client.request = (async (method: string, params: unknown) => {
      if (method === 'session.attach') attaches++;
      return request(method as never, params as never);
    }) as typeof daemon.client.request;
    for (let i = 0; i < 6; i++) await tick();
    input.type('\x1d');
    await run;
    const resumes = daemon.requests.filter((r) => r.method === 'session.attach').map((r) => (r.params as { resume?: unknown }).resume);
    expect(resumes).toEqual([undefined, { stream: 's1', offset: 3 }]);
    expect(output.written).toBe(`${ENTER_SEQUENCE}[screen]abcdefghijXYZ${RESTORE_SEQUENCE}`);
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

describe('attachSession reconnecting (through a link)', () => {
  const first = { session: session(), offset: 10, frames: [{ kind: FrameKind.Snapshot, session: 4, seq: 10, payload: bytes('[screen]') }, { kind: FrameKind.Output, session: 4, seq: 10, payload: bytes('abc') }] };

  /** Attaches over one fake daemon connection and, when it drops, hands out `next` in turn. */
  function setupReconnecting(next: Array<ReturnType<typeof fakeDaemon>>, holdMs = 10_000) {
    const connects: Array<{ lost: Error; signal: AbortSignal }> = [];
    let gaveBack = 0;
    const started = setup(first, {
      reconnect: {
        connect: async (lost, signal) => {
          connects.push({ lost, signal });
          const daemon = next.shift();
          if (!daemon) return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
          return daemon.connection();
        },
        holdMs,
        onGiveBack: () => void gaveBack++,
      },
    });
    return { ...started, connects, gaveBack: () => gaveBack };
  }

  it('resumes from the offset after the last byte written, so the screen continues without a repaint', async () => {
    const second = fakeDaemon({ session: session(), offset: 13, snapshot: false, frames: [{ kind: FrameKind.Output, session: 4, seq: 12, payload: bytes('cdef') }] });
    const { daemon, input, output, run, connects } = setupReconnecting([second]);
    await tick();
    daemon.disconnect();
    await tick();
    await tick();
    second.push({ kind: FrameKind.Output, session: 4, seq: 16, payload: bytes('g') });
    input.type('k\x1d');
    expect((await run).how).toBe('detached');
    expect(connects.map((connect) => connect.lost.message)).toEqual(['connection to the daemon closed']);
    expect(second.requests.map((request) => request.method)).toEqual(['events.subscribe', 'session.attach']);
    expect(second.requests[1]!.params).toEqual({ session: 4, size: { cols: 120, rows: 40 }, resume: { stream: 's1', offset: 13 } });
    // The resent "c" is not written twice; nothing between the two connections touched the screen.
    expect(output.written).toBe(`${ENTER_SEQUENCE}[screen]abcdefg${RESTORE_SEQUENCE}`);
    expect(inputFrames(second.sent).map((frame) => new TextDecoder().decode(frame.payload))).toEqual(['k']);
    expect(second.closes()).toBe(1);
  });

  it('repaints from the snapshot the daemon sends when the offset is gone, and acknowledges in the new stream', async () => {
    const second = fakeDaemon({
      session: session(),
      offset: 500,
      stream: 's2',
      frames: [{ kind: FrameKind.Snapshot, session: 4, seq: 500, payload: bytes('[new screen]') }, { kind: FrameKind.Output, session: 4, seq: 500, payload: bytes('x') }],
    });
    const { daemon, input, output, run } = setupReconnecting([second]);
    await tick();
    daemon.disconnect();
    for (let i = 0; i < 4; i++) await tick();
    await ackDelay();
    input.type('\x1d');
    await run;
    expect(output.written).toBe(`${ENTER_SEQUENCE}[screen]abc[new screen]x${RESTORE_SEQUENCE}`);
    expect(second.sent.filter((frame) => frame.kind === FrameKind.Ack).map((frame) => frame.seq)).toEqual([501]);
  });

  it('gives the terminal back and says so when the connection stays away, then takes it over again and repaints', async () => {
    const second = fakeDaemon({ session: session(), offset: 40, frames: [{ kind: FrameKind.Snapshot, session: 4, seq: 40, payload: bytes('[again]') }] });
    let arrive: (connection: AttachConnection) => void = () => {};
    let gaveBack = 0;
    const { daemon, input, output, run } = setup(first, {
      reconnect: { connect: () => new Promise((resolve) => (arrive = resolve)), holdMs: 5, onGiveBack: () => void gaveBack++ },
    });
    await tick();
    daemon.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(gaveBack).toBe(1);
    expect(input.raw).toEqual([true, false]);
    expect(output.written).toBe(`${ENTER_SEQUENCE}[screen]abc${RESTORE_SEQUENCE}`);
    arrive(second.connection());
    for (let i = 0; i < 4; i++) await tick();
    // The screen was lost with the alternate screen: no resume, a fresh snapshot.
    expect(second.requests[1]!.params).toEqual({ session: 4, size: { cols: 120, rows: 40 } });
    input.type('\x1d');
    expect((await run).how).toBe('detached');
    expect(output.written).toBe(`${ENTER_SEQUENCE}[screen]abc${RESTORE_SEQUENCE}${ENTER_SEQUENCE}[again]${RESTORE_SEQUENCE}`);
    expect(input.raw).toEqual([true, false, true, false]);
  });

  it('ends as disconnected with the reason when reconnecting gives up, and restores the terminal', async () => {
    const { daemon, output, run } = setup(first, {
      reconnect: { connect: () => Promise.reject(new Error('the link was revoked')), holdMs: 10_000, onGiveBack: () => {} },
    });
    await tick();
    daemon.disconnect();
    expect(await run).toMatchObject({ how: 'disconnected', error: { message: 'the link was revoked' } });
    expect(output.written).toBe(`${ENTER_SEQUENCE}[screen]abc${RESTORE_SEQUENCE}`);
  });

  it('detaches on the detach key while reconnecting, stops reconnecting, and types nothing', async () => {
    const { daemon, input, run, connects } = setupReconnecting([]);
    await tick();
    daemon.disconnect();
    input.type('ls\r');
    input.type('\x1d');
    expect((await run).how).toBe('detached');
    expect(connects[0]!.signal.aborted).toBe(true);
    expect(inputFrames(daemon.sent)).toEqual([]);
  });

  it('ends, instead of reconnecting again, when the daemon refuses the attach on a working connection', async () => {
    const second = fakeDaemon({ session: session(), refuse: new ProtocolError('forbidden', 'this link is view-only') });
    const { daemon, run, connects } = setupReconnecting([second]);
    await tick();
    daemon.disconnect();
    expect(await run).toMatchObject({ how: 'disconnected', error: { message: 'this link is view-only' } });
    expect(connects).toHaveLength(1);
  });

  it('ends as exited when the session ended while the connection was away', async () => {
    const second = fakeDaemon({ session: session(), refuse: new ProtocolError('conflict', 'session 4 has exited') });
    const { daemon, output, run } = setupReconnecting([second]);
    await tick();
    daemon.disconnect();
    expect(await run).toMatchObject({ how: 'exited', exitCode: null });
    expect(output.written.endsWith(RESTORE_SEQUENCE)).toBe(true);
  });
});
