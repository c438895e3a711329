// A control client over an in-memory transport, as the relay room opens them: a connection with a link's
// access, with no socket underneath. Collects decoded replies and terminal frames, and records how it closed.
import { decodeControlPayload, encodeControl, encodeFrame, FrameDecoder, FrameKind, LIMITS, PROTOCOL_VERSION, type Frame } from '@vibe/protocol';
import type { ConnectionAccess, ControlPort, ControlServer } from '../src/control/index.js';

export class MemoryClient {
  readonly messages: Array<Record<string, unknown>> = [];
  readonly frames: Frame[] = [];
  /** How the daemon closed the transport, if it did. */
  closedBy: 'end' | 'destroy' | undefined;
  private readonly decoder = new FrameDecoder(LIMITS.maxResponseBytes);
  private readonly port: ControlPort;
  private nextId = 1;

  constructor(control: ControlServer, readonly access: ConnectionAccess) {
    this.port = control.openConnection(
      {
        // Delivered on a later microtask, as a real transport would: the daemon never re-enters itself.
        write: (bytes) => {
          const copy = bytes.slice();
          queueMicrotask(() => this.deliver(copy));
        },
        bufferedBytes: () => 0,
        end: () => {
          this.closedBy ??= 'end';
          queueMicrotask(() => this.port.closed());
        },
        destroy: () => {
          this.closedBy ??= 'destroy';
        },
      },
      access,
    );
  }

  /** Opens a connection and completes the handshake (speaking `hello`'s protocol, default ours, and naming its device); resolves with the welcome. */
  static async ready(
    control: ControlServer,
    access: ConnectionAccess,
    hello: { protocol?: string; device?: string } = {},
  ): Promise<{ client: MemoryClient; welcome: Record<string, unknown> }> {
    const client = new MemoryClient(control, access);
    client.sendJson({ type: 'hello', protocol: hello.protocol ?? PROTOCOL_VERSION, client: { name: 'memory', version: '0' }, capabilities: [], device: hello.device });
    const welcome = await client.waitFor((m) => m.type === 'welcome');
    return { client, welcome };
  }

  sendBytes(bytes: Uint8Array): void {
    const copy = bytes.slice();
    queueMicrotask(() => this.port.receive(copy));
  }

  sendJson(message: unknown): void {
    this.sendBytes(encodeControl(message));
  }

  sendInput(session: number, text: string): void {
    this.sendBytes(encodeFrame({ kind: FrameKind.Input, session, seq: 0, payload: new TextEncoder().encode(text) }));
  }

  async request(method: string, params?: unknown): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    this.sendJson({ type: 'request', id, method, params });
    return this.waitFor((m) => m.type === 'response' && m.id === id);
  }

  /** The terminal output received for a session, as text. */
  output(session: number): string {
    const chunks = this.frames.filter((frame) => frame.session === session && (frame.kind === FrameKind.Output || frame.kind === FrameKind.Snapshot));
    return Buffer.concat(chunks.map((frame) => Buffer.from(frame.payload))).toString('utf8');
  }

  async waitFor(match: (message: Record<string, unknown>) => boolean, timeoutMs = 5000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.messages.findIndex(match);
      if (index >= 0) return this.messages.splice(index, 1)[0]!;
      if (Date.now() > deadline) throw new Error(`timed out; messages so far: ${JSON.stringify(this.messages)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** The owner's side of a client going away. */
  gone(): void {
    this.port.closed();
  }

  private deliver(bytes: Uint8Array): void {
    for (const item of this.decoder.push(bytes)) {
      if (item.type !== 'frame') continue;
      if (item.frame.kind === FrameKind.Control) this.messages.push(decodeControlPayload(item.frame.payload) as Record<string, unknown>);
      else this.frames.push(item.frame);
    }
  }
}
