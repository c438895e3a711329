// The daemon's one outbound WebSocket to its relay: registers by signing the relay's challenge, then carries
// every remote client's bytes, multiplexed by connection id. Reconnects with jittered backoff; heartbeats.
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  backoffDelay,
  daemonIdFor,
  decodeRelayMessage,
  encodeClosePayload,
  encodeRelayMessage,
  fromBase64Url,
  parseRelayTextMessage,
  registerTranscript,
  RelayOp,
  relaySocketUrl,
  toBase64Url,
  writeRelayHeader,
  type Identity,
} from '@vibe/protocol';
import WebSocket from 'ws';
import type { Logger } from '../logger.js';

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

export class RelayLink {
  private socket: WebSocket | undefined;
  private disposed = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private alive = false;
  private registered = false;
  private corked = false;
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

  /**
   * Sends one message to client `conn`; `written` runs once ws has handed it to the kernel. The message's
   * first RELAY_HEADER_SIZE bytes are free for the header (RecordCipher's headroom): it is sent as it is.
   */
  send(conn: number, message: Uint8Array, written?: () => void): void {
    if (!this.registered) return;
    this.corkUntilNextTick();
    this.socket!.send(writeRelayHeader(message, RelayOp.Data, conn), { binary: true }, written);
  }

  /**
   * One chunk of output fans out as a message per remote viewer: corked, they leave in one write(2) at the
   * end of the tick instead of one each (a hundred viewers of a flood were a hundred system calls per read).
   */
  private corkUntilNextTick(): void {
    const raw = (this.socket as unknown as { _socket?: { cork(): void; uncork(): void } } | undefined)?._socket;
    if (this.corked || !raw) return;
    this.corked = true;
    raw.cork();
    process.nextTick(() => {
      this.corked = false;
      raw.uncork();
    });
  }

  closeClient(conn: number, code: number, reason: string): void {
    if (!this.registered) return;
    this.socket!.send(encodeRelayMessage({ op: RelayOp.Close, conn, payload: encodeClosePayload(code, reason) }), { binary: true });
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
    const socket = new WebSocket(url, {
      maxPayload: 2 * 1024 * 1024,
      perMessageDeflate: false,
      handshakeTimeout: 10_000,
      // A zero mask, so ws skips XOR-ing every byte it sends. Masking keeps a browser script's chosen bytes
      // from reading as another protocol to proxies on the way; this client is not a browser and what it sends
      // past the registration is AEAD ciphertext, which no one chooses.
      generateMask: (mask: Buffer) => void mask.fill(0),
    });
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
    const { op, conn, payload } = decodeRelayMessage(data);
    if (op === RelayOp.Open) this.options.events.open(conn);
    else if (op === RelayOp.Data) this.options.events.data(conn, payload);
    else if (op === RelayOp.Close) this.options.events.close(conn);
  }

  private control(text: string): void {
    // Once registered, the relay has nothing more to say in text; a compromised one saying more is ignored.
    if (this.registered) return;
    let message;
    try {
      message = parseRelayTextMessage(text);
    } catch {
      return;
    }
    if (message.type === 'challenge') {
      const signature = ed25519.sign(registerTranscript(fromBase64Url(message.nonce)!, message.relay), this.options.identity.secretKey);
      this.socket!.send(JSON.stringify({ type: 'register', publicKey: toBase64Url(this.options.identity.publicKey), signature: toBase64Url(signature) }));
    } else if (message.type === 'registered') {
      if (message.daemonId !== this.daemonId) {
        this.state.lastError = `relay registered us as ${message.daemonId}, not ${this.daemonId}`;
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
    this.retryTimer = setTimeout(() => this.connect(), backoffDelay(this.attempt++, min, max));
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
