// The relay's routing core: daemons register by signature, clients are paired with the daemon they name, bytes
// move between them untouched, and every queue is bounded. One state machine, so it stays in one file; the
// HTTP side (server.ts) and Redis (cluster.ts) adapt to it.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  daemonIdFor,
  decodeClosePayload,
  decodeRelayMessage,
  encodeClosePayload,
  fromBase64Url,
  isDaemonId,
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
import WebSocket, { WebSocketServer } from 'ws';
import { Cluster } from './cluster.js';
import { ClusterOp, daemonChannel, relayChannel, type ClusterMessage } from './cluster-codec.js';
import { DaemonSession, remoteKey, type ClientPeer } from './daemon-session.js';
import type { RelayLogger } from './logger.js';
import { Metrics } from './metrics.js';
import type { RelayLimits } from './options.js';
import { HandshakeLimiter } from './rate-limit.js';
import { verifyEd25519 } from './verify.js';

type Route = { kind: 'local'; session: DaemonSession; conn: number } | { kind: 'remote'; conn: number; holder?: string };

/** A client socket on this relay. */
interface LocalClient {
  ws: WebSocket;
  daemonId: string;
  address: string;
  lastActive: number;
  route: Route | undefined;
}

interface PeerState {
  alive: boolean;
}

/**
 * How long a socket told to close may take to finish the closing handshake before it is cut. A slow consumer
 * gets its 4508 only after what is queued ahead of it, so this is also how long its bounded queue may linger.
 */
const CLOSE_GRACE_MS = 5_000;
/** How long shutdown waits for sockets to close before cutting them. */
const SHUTDOWN_GRACE_MS = 3_000;
/** How long a registration waits for Redis to confirm the daemon's channel. */
const HOLD_TIMEOUT_MS = 2_000;
const DRAIN_POLL_MS = 5;
const TWO_32 = 2 ** 32;

export class Relay {
  readonly metrics = new Metrics();
  private readonly daemons = new Map<string, DaemonSession>();
  private readonly clients = new Set<LocalClient>();
  /** Local clients whose daemon is on another relay, by the conn id this relay gave them. */
  private readonly remoteClients = new Map<number, LocalClient>();
  private readonly peers = new Map<WebSocket, PeerState>();
  private readonly limiter: HandshakeLimiter;
  private readonly daemonWss: WebSocketServer;
  private readonly clientWss: WebSocketServer;
  private readonly cluster: Cluster | undefined;
  private readonly tick: ReturnType<typeof setInterval>;
  private nextRemoteConn = 1;
  private clusterCheck = false;
  private closing = false;
  private readonly rateLogged = new Set<string>();

  constructor(
    readonly instanceId: string,
    private readonly limits: RelayLimits,
    private readonly logger: RelayLogger,
    redisUrl: string | undefined,
    private readonly trustProxy: boolean,
  ) {
    this.limiter = new HandshakeLimiter(limits.handshakeRate, limits.handshakeBurst);
    // ws closes a connection whose message is over maxPayload with 1009 on its own; other connections go on.
    const common = { noServer: true, perMessageDeflate: false, clientTracking: false } as const;
    this.daemonWss = new WebSocketServer({ ...common, maxPayload: limits.maxMessageBytes + RELAY_HEADER_SIZE });
    this.clientWss = new WebSocketServer({ ...common, maxPayload: limits.maxMessageBytes });
    if (redisUrl) {
      this.cluster = new Cluster(redisUrl, instanceId, {
        daemonMessage: (daemonId, message) => this.fromCluster(daemonId, message),
        relayMessage: (message) => this.fromHolder(message),
        down: () => this.dropRemoteRoutes(),
      }, logger);
      this.cluster.start();
    }
    this.tick = setInterval(() => this.heartbeat(), limits.heartbeatMs);
    this.tick.unref();
  }

  get counts(): { daemons: number; clients: number } {
    return { daemons: this.daemons.size, clients: this.clients.size };
  }

  renderMetrics(): string {
    let remoteClients = 0;
    for (const session of this.daemons.values()) remoteClients += session.remoteIndex.size;
    return this.metrics.render({
      daemons: this.daemons.size,
      clients: this.clients.size,
      remoteClients,
      redisUp: this.cluster ? Number(this.cluster.ready) : undefined,
    });
  }

  /** The address a handshake is counted against: the socket's peer, or the proxy's X-Forwarded-For entry. */
  addressOf(req: IncomingMessage): string {
    if (this.trustProxy) {
      const header = req.headers['x-forwarded-for'];
      const last = (Array.isArray(header) ? header.join(',') : header)?.split(',').pop()?.trim();
      if (last) return last;
    }
    const address = req.socket.remoteAddress ?? 'unknown';
    return address.startsWith('::ffff:') ? address.slice(7) : address;
  }

  /** Handles an HTTP upgrade: rate limit, route by path, then the WebSocket takes over. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, path: string, query: URLSearchParams): void {
    socket.on('error', () => socket.destroy());
    if (this.closing) return refuseUpgrade(socket, 503, 'Service Unavailable');
    const address = this.addressOf(req);
    if (path !== '/v1/daemon' && path !== '/v1/client') return refuseUpgrade(socket, 404, 'Not Found');
    if (!this.limiter.take(address)) {
      this.metrics.rateLimited++;
      if (!this.rateLogged.has(address)) {
        this.rateLogged.add(address);
        this.logger.log('warn', 'handshake rate limit reached', { address });
      }
      return refuseUpgrade(socket, 429, 'Too Many Requests', 'Retry-After: 1\r\n');
    }
    if (path === '/v1/daemon') {
      this.daemonWss.handleUpgrade(req, socket, head, (ws) => this.onDaemon(ws, address));
    } else {
      this.clientWss.handleUpgrade(req, socket, head, (ws) => this.onClient(ws, address, query.get('daemon')));
    }
  }

  // ——— daemons ———

  private onDaemon(ws: WebSocket, address: string): void {
    this.track(ws);
    const nonce = randomBytes(32);
    let session: DaemonSession | undefined;
    let registering = false;
    const timer = setTimeout(() => {
      this.metrics.handshake('daemon', 'timeout');
      this.logger.log('info', 'daemon registration timed out', { address });
      this.closeSocket(ws, RELAY_CLOSE.timeout, 'registration timed out');
    }, this.limits.registerTimeoutMs);
    timer.unref();
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (session) return this.fromDaemon(session, data, isBinary);
      if (registering) return; // a daemon sends nothing between register and registered
      registering = true;
      const publicKey = this.checkRegister(data, isBinary, nonce, address);
      if (!publicKey) return this.closeSocket(ws, RELAY_CLOSE.unauthorized, 'registration failed');
      clearTimeout(timer);
      void this.register(ws, publicKey, address).then((registered) => (session = registered));
    });
    ws.on('close', (code) => {
      clearTimeout(timer);
      this.peers.delete(ws);
      if (session) this.daemonGone(session, code);
    });
    ws.on('error', (error) => this.socketError(error));
    ws.send(JSON.stringify({ type: 'challenge', protocol: RELAY_PROTOCOL, relay: this.instanceId, nonce: toBase64Url(nonce) }));
  }

  /** The public key of a well-formed register message whose signature checks out, else undefined. */
  private checkRegister(data: Buffer, isBinary: boolean, nonce: Uint8Array, address: string): Uint8Array | undefined {
    const refuse = (result: string, why: string): undefined => {
      this.metrics.handshake('daemon', result);
      this.logger.log('warn', 'daemon registration refused', { address, why });
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
    if (!verifyEd25519(publicKey, registerTranscript(nonce, this.instanceId), signature)) return refuse('bad_signature', 'bad signature');
    return publicKey;
  }

  private async register(ws: WebSocket, publicKey: Uint8Array, address: string): Promise<DaemonSession | undefined> {
    const id = daemonIdFor(publicKey);
    const older = this.daemons.get(id);
    if (older) this.replace(older, 'replaced by a newer registration');
    // Hold the daemon's Redis channel before announcing it, so a client on another relay never finds it missing.
    if (this.cluster) await withTimeout(this.cluster.hold(id), HOLD_TIMEOUT_MS);
    if (ws.readyState !== WebSocket.OPEN) {
      if (!this.daemons.has(id)) void this.cluster?.release(id);
      return undefined;
    }
    const current = this.daemons.get(id);
    if (current) this.replace(current, 'replaced by a newer registration');
    const session = new DaemonSession(id, ws, address);
    this.daemons.set(id, session);
    ws.send(JSON.stringify({ type: 'registered', daemonId: id }));
    this.metrics.handshake('daemon', 'ok');
    this.logger.log('info', 'daemon registered', { daemon: id, address });
    return session;
  }

  /** A newer registration of the same daemon wins: the older socket gets 4409 and its clients 4503. */
  private replace(session: DaemonSession, reason: string): void {
    if (this.daemons.get(session.id) === session) this.daemons.delete(session.id);
    this.logger.log('info', 'daemon replaced', { daemon: session.id, address: session.address });
    this.endSession(session);
    this.closeSocket(session.ws, RELAY_CLOSE.replaced, reason);
  }

  private fromDaemon(session: DaemonSession, data: Buffer, isBinary: boolean): void {
    if (!isBinary) return this.metrics.drop('daemon_text');
    if (data.length < RELAY_HEADER_SIZE) {
      this.metrics.drop('short_message');
      return this.closeSocket(session.ws, 1002, 'relay message shorter than 5 bytes');
    }
    const { op, conn, payload } = decodeRelayMessage(data);
    if (op === RelayOp.Data) {
      const peer = session.conns.get(conn);
      if (!peer) return this.metrics.drop('unknown_conn');
      this.metrics.forwarded('to_client', payload.length);
      peer.deliver(payload as Buffer);
    } else if (op === RelayOp.Close) {
      const peer = session.remove(conn);
      if (!peer) return this.metrics.drop('unknown_conn');
      const { code, reason } = decodeClosePayload(payload);
      peer.close(isSendableCloseCode(code) ? code : 1000, reason);
    } else {
      this.metrics.drop('unknown_op');
    }
  }

  private daemonGone(session: DaemonSession, code: number): void {
    if (this.daemons.get(session.id) === session) {
      this.daemons.delete(session.id);
      void this.cluster?.release(session.id);
      this.logger.log('info', 'daemon disconnected', { daemon: session.id, code, clients: session.conns.size });
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

  // ——— clients ———

  private onClient(ws: WebSocket, address: string, daemonId: string | null): void {
    this.track(ws);
    ws.on('error', (error) => this.socketError(error));
    if (!isDaemonId(daemonId)) {
      this.metrics.handshake('client', 'bad_request');
      ws.on('close', () => this.peers.delete(ws));
      return this.closeSocket(ws, RELAY_CLOSE.badRequest, 'no or malformed daemon id');
    }
    const client: LocalClient = { ws, daemonId, address, lastActive: Date.now(), route: undefined };
    this.clients.add(client);
    ws.on('message', (data: Buffer, isBinary: boolean) => this.fromClient(client, data, isBinary));
    ws.on('close', (code) => {
      this.peers.delete(ws);
      this.clients.delete(client);
      this.detach(client);
      this.logger.log('debug', 'client disconnected', { daemon: daemonId, address, code });
    });
    const session = this.daemons.get(daemonId);
    if (session) return this.attachLocal(client, session);
    if (this.cluster) return this.attachRemote(client, this.cluster);
    this.refuseClient(client, RELAY_CLOSE.unknownDaemon, 'unknown daemon', 'unknown_daemon');
  }

  private attachLocal(client: LocalClient, session: DaemonSession): void {
    if (session.conns.size >= this.limits.maxClientsPerDaemon) return this.refuseClient(client, RELAY_CLOSE.tooMany, 'too many clients for this daemon', 'too_many');
    const peer: ClientPeer = {
      deliver: (payload) => this.toClient(client, payload),
      close: (code, reason) => this.closeClient(client, code, reason),
    };
    const conn = session.add(peer);
    client.route = { kind: 'local', session, conn };
    session.open(conn);
    this.metrics.handshake('client', 'ok');
    this.logger.log('debug', 'client connected', { daemon: client.daemonId, address: client.address, conn });
  }

  /** Asks whichever relay holds the daemon; no receiver on its channel means no relay has it. */
  private attachRemote(client: LocalClient, cluster: Cluster): void {
    if (!cluster.ready) return this.refuseClient(client, RELAY_CLOSE.daemonGone, 'daemon unreachable: relay cluster unavailable', 'cluster_down');
    let conn = this.nextRemoteConn;
    while (this.remoteClients.has(conn)) conn = conn + 1 >= TWO_32 ? 1 : conn + 1;
    this.nextRemoteConn = conn + 1 >= TWO_32 ? 1 : conn + 1;
    this.remoteClients.set(conn, client);
    client.route = { kind: 'remote', conn };
    cluster.toDaemon(client.daemonId, ClusterOp.Open, conn).then(
      (receivers) => {
        if (receivers > 0) {
          this.metrics.handshake('client', 'ok');
          this.logger.log('debug', 'client connected', { daemon: client.daemonId, address: client.address, remote: true });
        } else if (client.route?.kind === 'remote' && client.route.conn === conn) {
          this.refuseClient(client, RELAY_CLOSE.unknownDaemon, 'unknown daemon', 'unknown_daemon');
        }
      },
      () => this.refuseClient(client, RELAY_CLOSE.daemonGone, 'daemon unreachable: relay cluster unavailable', 'cluster_down'),
    );
  }

  private refuseClient(client: LocalClient, code: number, reason: string, result: string): void {
    this.metrics.handshake('client', result);
    this.logger.log('info', 'client refused', { daemon: client.daemonId, address: client.address, code });
    this.closeClient(client, code, reason);
  }

  private fromClient(client: LocalClient, data: Buffer, isBinary: boolean): void {
    client.lastActive = Date.now();
    if (!isBinary) {
      this.metrics.drop('client_text');
      return this.closeClient(client, 1003, 'text messages are not accepted', true);
    }
    const route = client.route;
    if (!route) return this.metrics.drop('no_route');
    this.metrics.forwarded('to_daemon', data.length);
    if (route.kind === 'local') {
      const { session } = route;
      session.send(RelayOp.Data, route.conn, data);
      if (session.ws.bufferedAmount > this.limits.daemonWindowBytes) this.holdBack(session, client.ws);
      return;
    }
    this.cluster!.toDaemon(client.daemonId, ClusterOp.Data, route.conn, data).then(
      (receivers) => receivers === 0 && client.route === route && this.closeClient(client, RELAY_CLOSE.daemonGone, 'daemon went away', true),
      () => client.route === route && this.closeClient(client, RELAY_CLOSE.daemonGone, 'daemon unreachable: relay cluster unavailable', true),
    );
  }

  /** Stops reading from a local client while its daemon's socket is over its window, rather than queueing more. */
  private holdBack(session: DaemonSession, ws: WebSocket): void {
    ws.pause();
    session.paused.add(ws);
    if (session.drainTimer) return;
    const check = (): void => {
      session.drainTimer = undefined;
      if (session.ended) return;
      if (session.ws.bufferedAmount > this.limits.daemonWindowBytes / 2) {
        session.drainTimer = setTimeout(check, DRAIN_POLL_MS);
        return;
      }
      for (const paused of session.paused) paused.resume();
      session.paused.clear();
    };
    session.drainTimer = setTimeout(check, DRAIN_POLL_MS);
  }

  /** Daemon bytes for a client on this relay: sent whole, or the client is dropped as a slow consumer. */
  private toClient(client: LocalClient, payload: Buffer): void {
    const { ws } = client;
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount + payload.length > this.limits.clientWindowBytes) {
      this.metrics.drop('slow_consumer');
      this.logger.log('info', 'slow client dropped', { daemon: client.daemonId, address: client.address, buffered: ws.bufferedAmount });
      return this.closeClient(client, RELAY_CLOSE.slowConsumer, 'slow consumer: reconnect and resume', true);
    }
    client.lastActive = Date.now();
    ws.send(payload, { binary: true });
  }

  /**
   * Closes a client socket. With `tellDaemon`, the daemon side learns the client is gone; without it the
   * close came from the daemon side, which already knows.
   */
  private closeClient(client: LocalClient, code: number, reason: string, tellDaemon = false): void {
    if (tellDaemon) this.detach(client);
    else this.forget(client);
    this.closeSocket(client.ws, code, reason);
  }

  /** Unroutes a client and tells its daemon (here or on the holding relay) that it is gone. */
  private detach(client: LocalClient): void {
    const route = client.route;
    if (!route) return;
    this.forget(client);
    if (route.kind === 'local') {
      route.session.send(RelayOp.Close, route.conn);
    } else {
      this.cluster?.toDaemon(client.daemonId, ClusterOp.Close, route.conn).catch(() => undefined);
    }
  }

  /** Unroutes a client without telling anyone. */
  private forget(client: LocalClient): void {
    const route = client.route;
    if (!route) return;
    client.route = undefined;
    if (route.kind === 'local') {
      if (route.session.conns.get(route.conn)) route.session.remove(route.conn);
      route.session.paused.delete(client.ws);
    } else if (this.remoteClients.get(route.conn) === client) {
      this.remoteClients.delete(route.conn);
    }
  }

  // ——— other relays ———

  /** A message for a daemon this relay holds, from a relay with a client of it. */
  private fromCluster(daemonId: string, message: ClusterMessage): void {
    const session = this.daemons.get(daemonId);
    if (!session) return; // a stale subscription; whoever holds the daemon answers
    const { op, from, conn, payload } = message;
    const local = session.remoteIndex.get(remoteKey(from, conn));
    if (op === ClusterOp.Open) {
      if (local !== undefined) return;
      if (session.conns.size >= this.limits.maxClientsPerDaemon) {
        this.metrics.handshake('client', 'too_many');
        return void this.cluster!.toRelay(from, ClusterOp.Close, conn, encodeClosePayload(RELAY_CLOSE.tooMany, 'too many clients for this daemon')).catch(() => undefined);
      }
      const added = session.add(this.remotePeer(session, from, conn));
      this.cluster!.toRelay(from, ClusterOp.Opened, conn).catch(() => undefined);
      session.open(added);
    } else if (op === ClusterOp.Data) {
      if (local === undefined) {
        this.metrics.drop('unknown_conn');
        return void this.cluster!.toRelay(from, ClusterOp.Close, conn, encodeClosePayload(RELAY_CLOSE.daemonGone, 'daemon went away')).catch(() => undefined);
      }
      if (session.ws.bufferedAmount > this.limits.daemonWindowBytes) {
        // A remote client cannot be paused from here: drop it instead of queueing without bound.
        this.metrics.drop('daemon_window');
        session.remove(local);
        session.send(RelayOp.Close, local);
        return void this.cluster!.toRelay(from, ClusterOp.Close, conn, encodeClosePayload(RELAY_CLOSE.slowConsumer, 'daemon is not keeping up')).catch(() => undefined);
      }
      session.send(RelayOp.Data, local, payload);
    } else if (op === ClusterOp.Close) {
      if (local === undefined) return;
      session.remove(local);
      session.send(RelayOp.Close, local);
    } else if (op === ClusterOp.Takeover) {
      this.logger.log('info', 'daemon registered on another relay', { daemon: daemonId, relay: from });
      void this.cluster!.release(daemonId);
      this.replace(session, 'replaced by a newer registration on another relay');
    } else {
      this.metrics.drop('cluster_unknown_op');
    }
  }

  /** A client on relay `instance` as its daemon's session here sees it. */
  private remotePeer(session: DaemonSession, instance: string, conn: number): ClientPeer {
    const cluster = this.cluster!;
    const peer: ClientPeer = {
      remote: { instance, conn },
      deliver: (payload) => {
        cluster.toRelay(instance, ClusterOp.Data, conn, payload).then(
          (receivers) => receivers === 0 && this.remoteGone(session, peer),
          () => this.remoteGone(session, peer),
        );
      },
      close: (code, reason) => void cluster.toRelay(instance, ClusterOp.Close, conn, encodeClosePayload(code, reason)).catch(() => undefined),
    };
    return peer;
  }

  /** The relay holding a remote client is gone: the daemon learns its client is. */
  private remoteGone(session: DaemonSession, peer: ClientPeer): void {
    const local = session.remoteIndex.get(remoteKey(peer.remote!.instance, peer.remote!.conn));
    if (local === undefined || session.conns.get(local) !== peer) return;
    session.remove(local);
    session.send(RelayOp.Close, local);
  }

  /** A message from the relay holding the daemon of one of this relay's clients. */
  private fromHolder(message: ClusterMessage): void {
    const client = this.remoteClients.get(message.conn);
    if (!client || client.route?.kind !== 'remote') return this.metrics.drop('unknown_conn');
    if (message.op === ClusterOp.Opened) {
      client.route.holder = message.from;
    } else if (message.op === ClusterOp.Data) {
      this.metrics.forwarded('to_client', message.payload.length);
      this.toClient(client, message.payload as Buffer);
    } else if (message.op === ClusterOp.Close) {
      const { code, reason } = decodeClosePayload(message.payload);
      this.closeClient(client, isSendableCloseCode(code) ? code : 1000, reason);
    } else {
      this.metrics.drop('cluster_unknown_op');
    }
  }

  /** Redis is gone, and messages with it: every route through it closes, and its peers reconnect. */
  private dropRemoteRoutes(): void {
    for (const client of [...this.remoteClients.values()]) this.closeClient(client, RELAY_CLOSE.daemonGone, 'relay cluster connection lost');
    for (const session of this.daemons.values()) {
      for (const [conn, peer] of [...session.conns]) {
        if (!peer.remote) continue;
        session.remove(conn);
        session.send(RelayOp.Close, conn);
      }
    }
  }

  /**
   * Finds routes to relays that died without a word: a remote client's daemon channel or holder with no
   * subscriber, or a remote peer's relay channel with none.
   */
  private async checkCluster(cluster: Cluster): Promise<void> {
    const channels = new Set<string>();
    for (const client of this.remoteClients.values()) {
      channels.add(daemonChannel(client.daemonId));
      if (client.route?.kind === 'remote' && client.route.holder) channels.add(relayChannel(client.route.holder));
    }
    for (const session of this.daemons.values()) for (const peer of session.conns.values()) if (peer.remote) channels.add(relayChannel(peer.remote.instance));
    if (channels.size === 0 || !cluster.ready) return;
    const counts = await cluster.subscribers([...channels]);
    const gone = (channel: string): boolean => counts[channel] === 0;
    for (const client of [...this.remoteClients.values()]) {
      const holder = client.route?.kind === 'remote' ? client.route.holder : undefined;
      if (gone(daemonChannel(client.daemonId)) || (holder && gone(relayChannel(holder)))) {
        this.closeClient(client, RELAY_CLOSE.daemonGone, 'daemon went away', true);
      }
    }
    for (const session of this.daemons.values()) {
      for (const peer of [...session.conns.values()]) if (peer.remote && gone(relayChannel(peer.remote.instance))) this.remoteGone(session, peer);
    }
  }

  // ——— every socket ———

  private track(ws: WebSocket): void {
    const state: PeerState = { alive: true };
    this.peers.set(ws, state);
    ws.on('pong', () => (state.alive = true));
  }

  private heartbeat(): void {
    for (const [ws, state] of this.peers) {
      if (!state.alive) {
        this.metrics.drop('heartbeat');
        ws.terminate();
        continue;
      }
      state.alive = false;
      if (ws.readyState === WebSocket.OPEN) ws.ping();
    }
    const idleSince = Date.now() - this.limits.idleTimeoutMs;
    for (const client of [...this.clients]) {
      if (client.lastActive < idleSince && client.ws.readyState === WebSocket.OPEN) {
        this.metrics.drop('idle');
        this.closeClient(client, RELAY_CLOSE.timeout, 'idle timeout', true);
      }
    }
    this.limiter.sweep();
    this.rateLogged.clear();
    if (this.cluster && !this.clusterCheck) {
      this.clusterCheck = true;
      this.checkCluster(this.cluster)
        .catch(() => undefined)
        .finally(() => (this.clusterCheck = false));
    }
  }

  private closeSocket(ws: WebSocket, code: number, reason: string): void {
    if (ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING) return;
    this.metrics.closed(code);
    ws.close(code, reason);
    // A peer that never answers the close frame (or cannot: a slow consumer's buffer is full) is cut.
    setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  private socketError(error: Error & { code?: string }): void {
    this.metrics.drop(error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'too_big' : 'protocol_error');
  }

  /** Graceful shutdown: new upgrades get 503, every socket closes with 1012, Redis routes are handed back. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearInterval(this.tick);
    const pending: Array<Promise<unknown>> = [];
    const cluster = this.cluster;
    for (const client of [...this.clients]) {
      const route = client.route;
      if (route?.kind === 'remote' && cluster) pending.push(cluster.toDaemon(client.daemonId, ClusterOp.Close, route.conn).catch(() => undefined));
      this.forget(client);
      this.closeSocket(client.ws, RELAY_CLOSE.restarting, 'relay restarting');
    }
    for (const session of [...this.daemons.values()]) {
      this.daemons.delete(session.id);
      session.ended = true;
      for (const peer of session.conns.values()) {
        if (peer.remote && cluster) pending.push(cluster.toRelay(peer.remote.instance, ClusterOp.Close, peer.remote.conn, encodeClosePayload(RELAY_CLOSE.daemonGone, 'daemon went away')).catch(() => undefined));
      }
      session.conns.clear();
      this.closeSocket(session.ws, RELAY_CLOSE.restarting, 'relay restarting');
    }
    for (const ws of this.peers.keys()) this.closeSocket(ws, RELAY_CLOSE.restarting, 'relay restarting');
    await withTimeout(Promise.all(pending), 1_000);
    const deadline = Date.now() + SHUTDOWN_GRACE_MS;
    while (this.peers.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    for (const ws of this.peers.keys()) ws.terminate();
    await cluster?.close();
  }
}

function refuseUpgrade(socket: Duplex, status: number, text: string, headers = ''): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n${headers}\r\n`);
  setTimeout(() => socket.destroy(), 1_000).unref();
}

function withTimeout(promise: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() => clearTimeout(timer));
}
