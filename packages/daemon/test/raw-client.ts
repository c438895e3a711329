// A deliberately low-level control-socket client for tests: sends arbitrary bytes, collects decoded replies.
import { connect, type Socket } from 'node:net';
import { decodeControlPayload, encodeControl, encodeFrame, FrameDecoder, FrameKind, LIMITS, PROTOCOL_VERSION } from '@vibe/protocol';

export class RawClient {
  readonly messages: Array<Record<string, unknown>> = [];
  closed = false;
  private readonly decoder = new FrameDecoder(LIMITS.maxResponseBytes);
  private waiters: Array<() => void> = [];
  private nextId = 1;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => {
      for (const item of this.decoder.push(chunk)) {
        if (item.type === 'frame' && item.frame.kind === FrameKind.Control) {
          this.messages.push(decodeControlPayload(item.frame.payload) as Record<string, unknown>);
        }
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static connect(path: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(path);
      socket.once('connect', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Connects and completes the handshake. */
  static async ready(path: string): Promise<RawClient> {
    const client = await RawClient.connect(path);
    client.sendJson({ type: 'hello', protocol: PROTOCOL_VERSION, client: { name: 'test', version: '0' }, capabilities: [] });
    await client.waitFor((m) => m.type === 'welcome');
    return client;
  }

  sendBytes(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  sendJson(message: unknown): void {
    this.sendBytes(encodeControl(message));
  }

  sendText(text: string): void {
    this.sendBytes(encodeFrame({ kind: FrameKind.Control, session: 0, seq: 0, payload: new TextEncoder().encode(text) }));
  }

  /** Sends a request and resolves with its response message. */
  async request(method: string, params?: unknown): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    this.sendJson({ type: 'request', id, method, params });
    return this.waitFor((m) => m.type === 'response' && m.id === id);
  }

  async waitFor(match: (message: Record<string, unknown>) => boolean, timeoutMs = 5000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.messages.findIndex(match);
      if (index >= 0) return this.messages.splice(index, 1)[0]!;
      if (this.closed) throw new Error(`connection closed; unmatched messages: ${JSON.stringify(this.messages)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; messages so far: ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async waitClosed(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    if (!this.closed) throw new Error('connection still open');
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}
