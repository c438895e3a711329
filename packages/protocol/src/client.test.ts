// Tests for ControlClient, a pure state machine, over an in-memory transport that records what it sends.
import { describe, expect, it } from 'vitest';
import { readDaemonMessage, ControlClient, type FrameTransport } from './client.js';
import { ProtocolError } from './errors.js';
import { decodeControlPayload, encodeControl, encodeFrame, FrameDecoder, FrameKind, type Frame } from './frame.js';
import { PROTOCOL_VERSION } from './version.js';

class MemoryTransport implements FrameTransport {
  readonly sent: unknown[] = [];
  closeCount = 0;
  private readonly decoder = new FrameDecoder();

  send(bytes: Uint8Array): void {
    for (const item of this.decoder.push(bytes)) {
      if (item.type !== 'frame' || item.frame.kind !== FrameKind.Control) throw new Error('client sent a non-control frame');
      this.sent.push(decodeControlPayload(item.frame.payload));
    }
  }

  close(): void {
    this.closeCount++;
  }

  /** The id of the last request the client sent. */
  get lastId(): number {
    const last = this.sent.at(-1) as { id?: unknown } | undefined;
    if (typeof last?.id !== 'number') throw new Error('no request sent');
    return last.id;
  }
}

const welcome = { type: 'welcome', protocol: '1.7', daemon: { version: '0.1.0', pid: 4242 }, capabilities: ['events', 'tasks'] };
const clientInfo = { client: { name: 'test', version: '0.0.0' } };

function setup(): { client: ControlClient; transport: MemoryTransport } {
  const transport = new MemoryTransport();
  return { client: new ControlClient(transport), transport };
}

async function connected(): Promise<{ client: ControlClient; transport: MemoryTransport }> {
  const pair = setup();
  const started = pair.client.start(clientInfo);
  pair.client.receive(encodeControl(welcome));
  await started;
  return pair;
}

/** Resolves to the settled state of `promise` without waiting for it to settle. */
async function peek(promise: Promise<unknown>): Promise<'pending' | 'settled'> {
  const marker = Symbol('pending');
  const winner = await Promise.race([promise.then(() => undefined, () => undefined), Promise.resolve(marker)]);
  return winner === marker ? 'pending' : 'settled';
}

describe('ControlClient handshake', () => {
  it('sends hello with its protocol version, client info and capabilities', () => {
    const { client, transport } = setup();
    void client.start({ ...clientInfo, capabilities: ['events'] }).catch(() => undefined);
    expect(transport.sent).toEqual([{ type: 'hello', protocol: PROTOCOL_VERSION, client: clientInfo.client, capabilities: ['events'] }]);
  });

  it('announces no capabilities when none are given', () => {
    const { client, transport } = setup();
    void client.start(clientInfo).catch(() => undefined);
    expect(transport.sent).toEqual([expect.objectContaining({ capabilities: [] })]);
  });

  it('resolves with the welcome of a daemon on the same major, any minor', async () => {
    const { client } = setup();
    const started = client.start(clientInfo);
    expect(await peek(started)).toBe('pending');
    expect(client.daemon).toBeUndefined();
    client.receive(encodeControl(welcome));
    await expect(started).resolves.toEqual(welcome);
    expect(client.daemon).toEqual(welcome);
  });

  it('rejects with unsupported_version and closes the transport when the daemon speaks another major', async () => {
    const { client, transport } = setup();
    const started = client.start(clientInfo);
    client.receive(encodeControl({ ...welcome, protocol: '2.0' }));
    await expect(started).rejects.toMatchObject({ name: 'ProtocolError', code: 'unsupported_version' });
    await expect(started).rejects.toThrow(/daemon speaks protocol 2.0/);
    expect(transport.closeCount).toBe(1);
    expect(client.daemon).toBeUndefined();
  });

  it('rejects the handshake when the daemon answers hello with an id-null error', async () => {
    const { client, transport } = setup();
    const started = client.start(clientInfo);
    const refusal = { code: 'unsupported_version', message: 'this daemon speaks 2.0', data: { daemon: '2.0' } };
    client.receive(encodeControl({ type: 'response', id: null, error: refusal }));
    const error: unknown = await started.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).toJSON()).toEqual(refusal);
    expect(transport.closeCount).toBe(1);
  });

  it('passes an id-null error after the welcome to onRefusal and stays open', async () => {
    const { client, transport } = setup();
    const started = client.start(clientInfo);
    client.receive(encodeControl(welcome));
    await started;
    const refusals: ProtocolError[] = [];
    const closes: Error[] = [];
    client.onRefusal((error) => refusals.push(error));
    client.onClose((error) => closes.push(error));
    const refusal = { code: 'forbidden', message: 'input for session 1 refused: this link is view-only' };
    client.receive(encodeControl({ type: 'response', id: null, error: refusal }));
    expect(refusals.map((error) => error.toJSON())).toEqual([refusal]);
    expect(closes).toEqual([]);
    expect(transport.closeCount).toBe(0);
  });

  it('ignores an id-null response that carries a result', async () => {
    const { client, transport } = setup();
    const started = client.start(clientInfo);
    client.receive(encodeControl({ type: 'response', id: null, result: {} }));
    client.receive(encodeControl(welcome));
    await expect(started).resolves.toEqual(welcome);
    expect(transport.closeCount).toBe(0);
  });
});

describe('ControlClient requests', () => {
  it('sends requests with increasing ids and the method and params given', async () => {
    const { client, transport } = await connected();
    void client.request('task.get', { number: 3 });
    void client.request('daemon.status', {});
    expect(transport.sent.slice(1)).toEqual([
      { type: 'request', id: 1, method: 'task.get', params: { number: 3 } },
      { type: 'request', id: 2, method: 'daemon.status', params: {} },
    ]);
  });

  it('matches responses to requests by id when they arrive out of order', async () => {
    const { client, transport } = await connected();
    const first = client.request('project.list', {});
    const firstId = transport.lastId;
    const second = client.request('events.subscribe', {});
    const secondId = transport.lastId;
    client.receive(encodeControl({ type: 'response', id: secondId, result: { subscription: 1, lastSeq: 9 } }));
    expect(await peek(first)).toBe('pending');
    client.receive(encodeControl({ type: 'response', id: firstId, result: { projects: [] } }));
    await expect(second).resolves.toEqual({ subscription: 1, lastSeq: 9 });
    await expect(first).resolves.toEqual({ projects: [] });
  });

  it('rejects with a ProtocolError carrying the code, message and data of an error response', async () => {
    const { client, transport } = await connected();
    const pending = client.request('task.create', { title: ' ' });
    const data = { issues: [{ path: 'title', message: 'title must not be empty' }] };
    client.receive(encodeControl({ type: 'response', id: transport.lastId, error: { code: 'invalid_params', message: 'bad title', data } }));
    const error: unknown = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: 'invalid_params', message: 'bad title', data });
  });

  it('rejects as internal, keeping the message, when a newer daemon sends an error code this client does not know', async () => {
    const { client, transport } = await connected();
    const pending = client.request('task.get', { number: 1 });
    client.receive(encodeControl({ type: 'response', id: transport.lastId, error: { code: 'session_gone', message: 'session 4 ended', data: { session: 4 } } }));
    const error: unknown = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).toJSON()).toEqual({ code: 'internal', message: 'session 4 ended', data: { session: 4 } });
    expect(transport.closeCount).toBe(0);
  });

  it('ignores a response to an id it never sent and keeps serving the real one', async () => {
    const { client, transport } = await connected();
    const pending = client.request('project.list', {});
    client.receive(encodeControl({ type: 'response', id: 999, result: { projects: ['stray'] } }));
    client.receive(encodeControl({ type: 'response', id: transport.lastId, result: { projects: [] } }));
    await expect(pending).resolves.toEqual({ projects: [] });
  });

  it('settles a request once even when its response is repeated', async () => {
    const { client, transport } = await connected();
    const pending = client.request('project.list', {});
    const id = transport.lastId;
    client.receive(encodeControl({ type: 'response', id, result: { projects: [] } }));
    client.receive(encodeControl({ type: 'response', id, error: { code: 'internal', message: 'late' } }));
    await expect(pending).resolves.toEqual({ projects: [] });
    expect(transport.closeCount).toBe(0);
  });

  it('handles a response delivered one byte at a time', async () => {
    const { client, transport } = await connected();
    const pending = client.request('task.get', { number: 1 });
    const bytes = encodeControl({ type: 'response', id: transport.lastId, result: { task: 'ü🙂' } });
    for (let i = 0; i < bytes.length; i++) {
      client.receive(bytes.subarray(i, i + 1));
      if (i < bytes.length - 1) expect(await peek(pending), `after byte ${i}`).toBe('pending');
    }
    await expect(pending).resolves.toEqual({ task: 'ü🙂' });
  });

  it('handles the welcome and a response arriving in the same chunk', async () => {
    const { client, transport } = setup();
    const started = client.start(clientInfo);
    const pending = client.request('project.list', {});
    const hello = encodeControl(welcome);
    const response = encodeControl({ type: 'response', id: transport.lastId, result: { projects: [] } });
    const chunk = new Uint8Array(hello.length + response.length);
    chunk.set(hello);
    chunk.set(response, hello.length);
    client.receive(chunk);
    await expect(started).resolves.toEqual(welcome);
    await expect(pending).resolves.toEqual({ projects: [] });
  });
});

describe('ControlClient events and frames', () => {
  const event = {
    type: 'event',
    subscription: 1,
    seq: 12,
    at: '2026-01-01T00:00:00.000Z',
    name: 'task.removed',
    data: { task: { number: 3 } },
  };

  it('passes events to every onEvent listener until it unsubscribes', async () => {
    const { client } = await connected();
    const a: unknown[] = [];
    const b: unknown[] = [];
    const stopA = client.onEvent((e) => a.push(e));
    client.onEvent((e) => b.push(e));
    client.receive(encodeControl(event));
    stopA();
    client.receive(encodeControl({ ...event, seq: 13 }));
    expect(a).toEqual([event]);
    expect(b).toEqual([event, { ...event, seq: 13 }]);
  });

  it('passes non-control frames to onFrame listeners untouched, and not to onEvent', async () => {
    const { client } = await connected();
    const frames: Frame[] = [];
    const events: unknown[] = [];
    client.onFrame((f) => frames.push(f));
    client.onEvent((e) => events.push(e));
    const output: Frame = { kind: FrameKind.Output, session: 7, seq: 2 ** 40, payload: new Uint8Array([0x1b, 0x5b, 0x32, 0x4a]) };
    const snapshot: Frame = { kind: FrameKind.Snapshot, session: 7, seq: 99, payload: new Uint8Array(0) };
    client.receive(encodeFrame(output));
    client.receive(encodeFrame(snapshot));
    expect(frames).toEqual([output, snapshot]);
    expect(events).toEqual([]);
  });

  it('stops passing frames to a listener once it unsubscribes', async () => {
    const { client } = await connected();
    const frames: Frame[] = [];
    const stop = client.onFrame((f) => frames.push(f));
    stop();
    client.receive(encodeFrame({ kind: FrameKind.Output, session: 1, seq: 0, payload: new Uint8Array([1]) }));
    expect(frames).toEqual([]);
  });
});

describe('ControlClient failure', () => {
  it('rejects every pending request and the handshake when closed', async () => {
    const { client } = setup();
    const started = client.start(clientInfo);
    const a = client.request('project.list', {});
    const b = client.request('daemon.status', {});
    const gone = new Error('socket closed');
    client.closed(gone);
    await expect(started).rejects.toBe(gone);
    await expect(a).rejects.toBe(gone);
    await expect(b).rejects.toBe(gone);
  });

  it('rejects with an internal ProtocolError by default when closed', async () => {
    const { client } = await connected();
    const pending = client.request('project.list', {});
    client.closed();
    await expect(pending).rejects.toMatchObject({ name: 'ProtocolError', code: 'internal' });
  });

  it('rejects requests made after closing at once, without sending them', async () => {
    const { client, transport } = await connected();
    const gone = new Error('gone');
    client.closed(gone);
    const sentBefore = transport.sent.length;
    await expect(client.request('project.list', {})).rejects.toBe(gone);
    expect(transport.sent.length).toBe(sentBefore);
  });

  it('rejects a handshake started after closing at once, without sending hello', async () => {
    const { client, transport } = setup();
    const gone = new Error('gone');
    client.closed(gone);
    await expect(client.start(clientInfo)).rejects.toBe(gone);
    expect(transport.sent).toEqual([]);
  });

  it('keeps the first error when closed twice', async () => {
    const { client } = await connected();
    const first = new Error('first');
    client.closed(first);
    client.closed(new Error('second'));
    await expect(client.request('project.list', {})).rejects.toBe(first);
  });

  it('fails pending requests with malformed and closes the transport on a malformed message', async () => {
    const { client, transport } = await connected();
    const pending = client.request('project.list', {});
    client.receive(encodeControl({ type: 'nonsense' }));
    await expect(pending).rejects.toMatchObject({ code: 'malformed' });
    expect(transport.closeCount).toBe(1);
  });

  it('fails pending requests and closes the transport on a control frame that is not JSON', async () => {
    const { client, transport } = await connected();
    const pending = client.request('project.list', {});
    client.receive(encodeFrame({ kind: FrameKind.Control, session: 0, seq: 0, payload: new TextEncoder().encode('{"type":') }));
    await expect(pending).rejects.toThrow();
    expect(transport.closeCount).toBe(1);
  });

  it('fails pending requests and closes the transport on a framing error', async () => {
    const { client, transport } = await connected();
    const pending = client.request('project.list', {});
    client.receive(new Uint8Array(20).fill(0x41));
    await expect(pending).rejects.toMatchObject({ name: 'FrameError' });
    expect(transport.closeCount).toBe(1);
  });

  it('fails with too_large when the daemon sends a frame beyond the client limit', async () => {
    const { client, transport } = await connected();
    const pending = client.request('project.list', {});
    // A header claiming 2^32-1 payload bytes: beyond any limit the client accepts.
    const header = encodeFrame({ kind: FrameKind.Control, session: 0, seq: 0, payload: new Uint8Array(0) });
    new DataView(header.buffer).setUint32(16, 0xffff_ffff);
    client.receive(header);
    await expect(pending).rejects.toMatchObject({ code: 'too_large' });
    expect(transport.closeCount).toBe(1);
  });
});

describe('readDaemonMessage', () => {
  it.each([
    ['a welcome', welcome],
    ['an event', { type: 'event', subscription: 1, seq: 1, at: 'now', name: 'task.created', data: {} }],
    ['a result response', { type: 'response', id: 1, result: null }],
    ['an error response', { type: 'response', id: 0, error: { code: 'not_found', message: 'no task 9' } }],
    ['an id-null error response', { type: 'response', id: null, error: { code: 'malformed', message: 'not JSON' } }],
  ])('accepts %s as is', (_what, message) => {
    expect(readDaemonMessage(message)).toBe(message);
  });

  it.each([
    ['null', null, 'not an object'],
    ['an array', [welcome], 'not an object'],
    ['a string', 'welcome', 'not an object'],
    ['a number', 1, 'not an object'],
    ['a message without type', { protocol: '1.0' }, 'unknown type undefined'],
    ['a message of unknown type', { type: 'hello' }, 'unknown type "hello"'],
    ['a welcome without protocol', { ...welcome, protocol: 1 }, 'welcome without protocol'],
    ['a welcome without daemon info', { ...welcome, daemon: null }, 'welcome without daemon info'],
    ['a welcome without capabilities', { ...welcome, capabilities: 'events' }, 'welcome without capabilities'],
    ['an event without name', { type: 'event', seq: 1, data: {} }, 'event without name or seq'],
    ['an event without seq', { type: 'event', name: 'task.created', seq: '1', data: {} }, 'event without name or seq'],
    ['an event without data', { type: 'event', name: 'task.created', seq: 1, data: null }, 'event without data'],
    ['a response without id', { type: 'response', result: 1 }, 'response without id'],
    ['a response with a fractional id', { type: 'response', id: 1.5, result: 1 }, 'response without id'],
    ['a response with a string id', { type: 'response', id: '1', result: 1 }, 'response without id'],
    ['a response with a null error', { type: 'response', id: 1, error: null }, 'response with an invalid error'],
    ['a response with an error without message', { type: 'response', id: 1, error: { code: 'internal' } }, 'response with an invalid error'],
    ['a response with an error without code', { type: 'response', id: 1, error: { message: 'x' } }, 'response with an invalid error'],
    ['a response with a numeric error code', { type: 'response', id: 1, error: { code: -32600, message: 'x' } }, 'response with an invalid error'],
    ['a response with neither result nor error', { type: 'response', id: 1 }, 'response with neither result nor error'],
  ])('refuses %s with code malformed', (_what, message, why) => {
    let caught: unknown;
    try {
      readDaemonMessage(message);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProtocolError);
    expect(caught).toMatchObject({ code: 'malformed', message: `malformed message from daemon: ${why}` });
  });
});

describe('onClose', () => {
  it('tells listeners once, with the reason, when the connection ends — also when they subscribe late', async () => {
    const sent: Uint8Array[] = [];
    const client = new ControlClient({ send: (bytes) => sent.push(bytes), close() {} });
    const reasons: string[] = [];
    client.onClose((error) => reasons.push(error.message));
    client.closed(new Error('gone'));
    client.closed(new Error('again'));
    expect(reasons).toEqual(['gone']);
    const late = await new Promise<string>((resolve) => client.onClose((error) => resolve(error.message)));
    expect(late).toBe('gone');
  });
});
