// The daemon's one outbound WebSocket to its relay: registers by signing the relay's challenge, then carries
// every remote client's bytes, multiplexed by connection id. Reconnects with jittered backoff; heartbeats.
import { ed25519 } from '@noble/curves/ed25519.js';
import { concatBytes, daemonIdFor, fromBase64Url, relaySocketUrl, toBase64Url, utf8Bytes, type Identity } from '@vibe/protocol';
import WebSocket from 'ws';
import type { Logger } from '../logger.js';

/** Binary messages between relay and daemon: `[op u8][conn u32][payload]` (docs/protocol.md §11). */
export const RelayOp = { Open: 0x01, Data: 0x02, Close: 0x03 } as const;

export interface RelayLinkEvents {
  open(conn: number): void;
  data(conn: number, payload: Uint8Array): void;
  /** The client's socket at the relay is gone. */
  close(conn: number): void;
  /** The relay socket dropped: every client it carried is gone. */
  lost(): void;
}

export interface RelayLinkOptions {
  relayUrl: string;
  identity: Identity;
  events: RelayLinkEvents;
  logger: Logger;
  heartbeatMs?: number;
  /** Backoff bounds for reconnecting. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export type RelayLinkState = { connected: boolean; connectedAt: string | null; lastError: string | null };

const REGISTER_LABEL = utf8Bytes('vibe-relay-register-v1\n');

export class RelayLink {
  private socket: WebSocket | undefined;
  private disposed = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private alive = false;
  private registered = false;
  readonly daemonId: string;
  state: RelayLinkState = { connected: false, connectedAt: null, lastError: null };
  private readonly waiters = new Set<() => void>();

  constructor(private readonly options: RelayLinkOptions) {
    this.daemonId = daemonIdFor(options.identity.publicKey);
    this.connect();
  }

  /** Resolves once registered, or after `timeoutMs` whatever the state. */
  whenConnected(timeoutMs: number): Promise<void> {
    if (this.state.connected) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }

  /** Sends one message to client `conn`; `written` runs once ws has handed it to the kernel. */
  send(conn: number, payload: Uint8Array, written?: () => void): void {
    if (!this.registered) return;
    this.socket!.send(frame(RelayOp.Data, conn, payload), { binary: true }, written);
  }

  closeClient(conn: number, code: number, reason: string): void {
    if (!this.registered) return;
    const text = utf8Bytes(reason).subarray(0, 120);
    const payload = new Uint8Array(2 + text.length);
    new DataView(payload.buffer).setUint16(0, code);
    payload.set(text, 2);
    this.socket!.send(frame(RelayOp.Close, conn, payload), { binary: true });
  }

  /** Bytes queued on the relay socket, shared by every remote client. */
  bufferedBytes(): number {
    return this.socket?.bufferedAmount ?? 0;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.retryTimer);
    this.stopHeartbeat();
    this.socket?.close(1001, 'daemon stopping');
    this.socket?.terminate();
    this.dropped('stopped');
  }

  private connect(): void {
    if (this.disposed) return;
    const url = relaySocketUrl(this.options.relayUrl, 'daemon');
    const socket = new WebSocket(url, { maxPayload: 2 * 1024 * 1024, perMessageDeflate: false, handshakeTimeout: 10_000 });
    this.socket = socket;
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data: Buffer, isBinary: boolean) => this.message(data, isBinary));
    socket.on('pong', () => (this.alive = true));
    socket.on('ping', () => (this.alive = true));
    socket.on('error', (error) => {
      this.state.lastError = `${url}: ${error.message}`;
    });
    socket.on('close', (code, reason) => {
      if (this.socket !== socket) return;
      const why = reason.toString() || `close ${code}`;
      if (this.registered) this.options.logger.warn('relay connection lost', { relay: this.options.relayUrl, code, reason: why });
      if (code !== 1006 || !this.state.lastError) this.state.lastError = `relay closed the connection (${code}${reason.length ? `: ${why}` : ''})`;
      this.dropped(why);
      this.scheduleReconnect();
    });
  }

  private message(data: Buffer, isBinary: boolean): void {
    if (!isBinary) return this.control(data.toString('utf8'));
    if (!this.registered || data.length < 5) return;
    const conn = data.readUInt32BE(1);
    const op = data[0];
    if (op === RelayOp.Open) this.options.events.open(conn);
    else if (op === RelayOp.Data) this.options.events.data(conn, data.subarray(5));
    else if (op === RelayOp.Close) this.options.events.close(conn);
  }

  private control(text: string): void {
    // Once registered, the relay has nothing more to say in text; a compromised one saying more is ignored.
    if (this.registered) return;
    let message: { type?: unknown; nonce?: unknown; relay?: unknown; daemonId?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (message.type === 'challenge' && typeof message.nonce === 'string' && typeof message.relay === 'string') {
      const nonce = fromBase64Url(message.nonce);
      if (nonce?.length !== 32) return;
      const signature = ed25519.sign(concatBytes(REGISTER_LABEL, nonce, utf8Bytes(message.relay)), this.options.identity.secretKey);
      this.socket!.send(JSON.stringify({ type: 'register', publicKey: toBase64Url(this.options.identity.publicKey), signature: toBase64Url(signature) }));
    } else if (message.type === 'registered') {
      if (message.daemonId !== this.daemonId) {
        this.state.lastError = `relay registered us as ${String(message.daemonId)}, not ${this.daemonId}`;
        this.socket!.close(1002, 'wrong daemon id');
        return;
      }
      this.registered = true;
      this.attempt = 0;
      this.state = { connected: true, connectedAt: new Date().toISOString(), lastError: null };
      this.options.logger.info('relay connected', { relay: this.options.relayUrl, daemonId: this.daemonId });
      this.startHeartbeat();
      for (const waiter of [...this.waiters]) waiter();
    }
  }

  private dropped(_why: string): void {
    const wasRegistered = this.registered;
    this.registered = false;
    this.stopHeartbeat();
    this.state.connected = false;
    if (wasRegistered) this.options.events.lost();
  }

  private scheduleReconnect(): void {
    if (this.disposed) return;
    const min = this.options.minBackoffMs ?? 250;
    const max = this.options.maxBackoffMs ?? 10_000;
    // Full jitter: a relay restart does not bring every daemon back in the same millisecond.
    const ceiling = Math.min(max, min * 2 ** this.attempt++);
    const delay = min / 2 + Math.random() * (ceiling - min / 2);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private startHeartbeat(): void {
    this.alive = true;
    this.heartbeat = setInterval(() => {
      const socket = this.socket;
      if (!socket) return;
      if (!this.alive) {
        this.options.logger.warn('relay stopped answering pings; reconnecting', { relay: this.options.relayUrl });
        socket.terminate();
        return;
      }
      this.alive = false;
      socket.ping();
    }, this.options.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}

function frame(op: number, conn: number, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(5 + payload.length);
  out[0] = op;
  out.writeUInt32BE(conn, 1);
  out.set(payload, 5);
  return out;
}
