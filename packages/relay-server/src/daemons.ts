import { randomBytes } from 'node:crypto';
import {
  daemonIdFor,
  decodeClosePayload,
  decodeRelayMessage,
  encodeClosePayload,
  fromBase64Url,
  isSendableCloseCode,
  parseRelayTextMessage,
  RELAY_CLOSE,
  RELAY_HEADER_SIZE,
  RELAY_PROTOCOL,
  RelayMessageError,
  RelayOp,
  registerTranscript,
  toBase64Url,
} from '@vibe/protocol';
import WebSocket from 'ws';
import { ClusterOp } from './cluster-codec.js';
import type { RelayContext } from './context.js';
import { DaemonSession } from './daemon-session.js';
import { verifyEd25519 } from './verify.js';
import { withTimeout } from './with-timeout.js';

// The daemon side of the relay: the signed registration, the table of daemons registered here, and what a
// daemon sends its clients.

/** How long a registration waits for Redis to confirm the daemon's channel. */
const HOLD_TIMEOUT_MS = 2_000;

export class Daemons {
  private readonly sessions = new Map<string, DaemonSession>();

  constructor(private readonly ctx: RelayContext) {}

  get size(): number {
    return this.sessions.size;
  }

  get(id: string): DaemonSession | undefined {
    return this.sessions.get(id);
  }

  values(): IterableIterator<DaemonSession> {
    return this.sessions.values();
  }

  /** A new socket on /v1/daemon: challenge it, and route for it once it has registered. */
  accept(ws: WebSocket, address: string): void {
    const { ctx } = this;
    ctx.sockets.track(ws);
    const nonce = randomBytes(32);
    let session: DaemonSession | undefined;
    let registering = false;
    const timer = setTimeout(() => {
      ctx.metrics.handshake('daemon', 'timeout');
      ctx.logger.log('info', 'daemon registration timed out', { address });
      ctx.sockets.close(ws, RELAY_CLOSE.timeout, 'registration timed out');
    }, ctx.limits.registerTimeoutMs);
    timer.unref();
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (session) return this.fromDaemon(session, data, isBinary);
      if (registering) return; // a daemon sends nothing between register and registered
      registering = true;
      const publicKey = this.checkRegister(data, isBinary, nonce, address);
      if (!publicKey) return ctx.sockets.close(ws, RELAY_CLOSE.unauthorized, 'registration failed');
      clearTimeout(timer);
      void this.register(ws, publicKey, address).then((registered) => (session = registered));
    });
    ws.on('close', (code) => {
      clearTimeout(timer);
      if (session) this.gone(session, code);
    });
    ws.send(JSON.stringify({ type: 'challenge', protocol: RELAY_PROTOCOL, relay: ctx.instanceId, nonce: toBase64Url(nonce) }));
  }

  /** The public key of a well-formed register message whose signature checks out, else undefined. */
  private checkRegister(data: Buffer, isBinary: boolean, nonce: Uint8Array, address: string): Uint8Array | undefined {
    const refuse = (result: string, why: string): undefined => {
      this.ctx.metrics.handshake('daemon', result);
      this.ctx.logger.log('warn', 'daemon registration refused', { address, why });
      return undefined;
    };
    if (isBinary) return refuse('malformed', 'binary message before registering');
    let message;
    try {
      message = parseRelayTextMessage(data.toString('utf8'));
    } catch (error) {
      return refuse('malformed', error instanceof RelayMessageError ? error.message : 'unreadable message');
    }
    if (message.type !== 'register') return refuse('malformed', `expected register, got ${message.type}`);
    const publicKey = fromBase64Url(message.publicKey)!;
    const signature = fromBase64Url(message.signature)!;
    if (!verifyEd25519(publicKey, registerTranscript(nonce, this.ctx.instanceId), signature)) return refuse('bad_signature', 'bad signature');
    return publicKey;
  }

  private async register(ws: WebSocket, publicKey: Uint8Array, address: string): Promise<DaemonSession | undefined> {
    const { cluster, metrics, logger } = this.ctx;
    const id = daemonIdFor(publicKey);
    const older = this.sessions.get(id);
    if (older) this.replace(older, 'replaced by a newer registration');
    // Hold the daemon's Redis channel before announcing it, so a client on another relay never finds it missing.
    if (cluster) await withTimeout(cluster.hold(id), HOLD_TIMEOUT_MS);
    if (ws.readyState !== WebSocket.OPEN) {
      if (!this.sessions.has(id)) void cluster?.release(id);
      return undefined;
    }
    const current = this.sessions.get(id);
    if (current) this.replace(current, 'replaced by a newer registration');
    const session = new DaemonSession(id, ws, address);
    this.sessions.set(id, session);
    ws.send(JSON.stringify({ type: 'registered', daemonId: id }));
    metrics.handshake('daemon', 'ok');
    logger.log('info', 'daemon registered', { daemon: id, address });
    return session;
  }

  /** A newer registration of the same daemon wins: the older socket gets 4409 and its clients 4503. */
  replace(session: DaemonSession, reason: string): void {
    if (this.sessions.get(session.id) === session) this.sessions.delete(session.id);
    this.ctx.logger.log('info', 'daemon replaced', { daemon: session.id, address: session.address });
    this.endSession(session);
    this.ctx.sockets.close(session.ws, RELAY_CLOSE.replaced, reason);
  }

  private fromDaemon(session: DaemonSession, data: Buffer, isBinary: boolean): void {
    const { metrics } = this.ctx;
    if (!isBinary) return metrics.drop('daemon_text');
    if (data.length < RELAY_HEADER_SIZE) {
      metrics.drop('short_message');
      return this.ctx.sockets.close(session.ws, 1002, 'relay message shorter than 5 bytes');
    }
    const { op, conn, payload } = decodeRelayMessage(data);
    if (op === RelayOp.Data) {
      const peer = session.conns.get(conn);
      if (!peer) return metrics.drop('unknown_conn');
      metrics.forwarded('to_client', payload.length);
      peer.deliver(payload as Buffer);
    } else if (op === RelayOp.Close) {
      const peer = session.remove(conn);
      if (!peer) return metrics.drop('unknown_conn');
      const { code, reason } = decodeClosePayload(payload);
      peer.close(isSendableCloseCode(code) ? code : 1000, reason);
    } else {
      metrics.drop('unknown_op');
    }
  }

  private gone(session: DaemonSession, code: number): void {
    if (this.sessions.get(session.id) === session) {
      this.sessions.delete(session.id);
      void this.ctx.cluster?.release(session.id);
      this.ctx.logger.log('info', 'daemon disconnected', { daemon: session.id, code, clients: session.conns.size });
    }
    this.endSession(session);
  }

  /** Closes every client of the session with 4503 (they reconnect and find the daemon wherever it is next). */
  private endSession(session: DaemonSession): void {
    if (session.ended) return;
    session.ended = true;
    clearTimeout(session.drainTimer);
    for (const conn of [...session.conns.keys()]) session.remove(conn)?.close(RELAY_CLOSE.daemonGone, 'daemon went away');
    for (const ws of session.paused) ws.resume();
    session.paused.clear();
  }

  /**
   * Shutdown: every daemon is forgotten and its socket closed with 1012; clients on other relays are told
   * their daemon went away. Returns those messages in flight.
   */
  closeAll(): Array<Promise<unknown>> {
    const { cluster, sockets } = this.ctx;
    const pending: Array<Promise<unknown>> = [];
    for (const session of [...this.sessions.values()]) {
      this.sessions.delete(session.id);
      session.ended = true;
      for (const peer of session.conns.values()) {
        if (peer.remote && cluster) pending.push(cluster.toRelay(peer.remote.instance, ClusterOp.Close, peer.remote.conn, encodeClosePayload(RELAY_CLOSE.daemonGone, 'daemon went away')).catch(() => undefined));
      }
      session.conns.clear();
      sockets.close(session.ws, RELAY_CLOSE.restarting, 'relay restarting');
    }
    return pending;
  }
}
