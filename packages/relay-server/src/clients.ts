import { isDaemonId, RELAY_CLOSE, RelayOp } from '@vibe/protocol';
import WebSocket from 'ws';
import type { Cluster } from './cluster.js';
import { ClusterOp } from './cluster-codec.js';
import type { RelayContext } from './context.js';
import type { ClientPeer, DaemonSession } from './daemon-session.js';
import type { Daemons } from './daemons.js';

// The client side of the relay: pairing each client socket with the daemon it names (here or, through Redis,
// on another relay), its bytes to the daemon, the daemon's bytes to it, and the bounds on both.

type Route = { kind: 'local'; session: DaemonSession; conn: number } | { kind: 'remote'; conn: number; holder?: string };

/** A client socket on this relay. */
export interface LocalClient {
  ws: WebSocket;
  daemonId: string;
  address: string;
  /** Last time a message went either way or the client pinged: the idle timeout counts from here. */
  lastActive: number;
  route: Route | undefined;
}

const DRAIN_POLL_MS = 5;
const TWO_32 = 2 ** 32;

export class Clients {
  private readonly all = new Set<LocalClient>();
  /** Local clients whose daemon is on another relay, by the conn id this relay gave them. */
  readonly remote = new Map<number, LocalClient>();
  private nextRemoteConn = 1;

  constructor(
    private readonly ctx: RelayContext,
    private readonly daemons: Daemons,
  ) {}

  get size(): number {
    return this.all.size;
  }

  /** A new socket on /v1/client?daemon=ID: route it to that daemon, or close it with the reason it cannot be. */
  accept(ws: WebSocket, address: string, daemonId: string | null): void {
    const { ctx } = this;
    ctx.sockets.track(ws);
    if (!isDaemonId(daemonId)) {
      ctx.metrics.handshake('client', 'bad_request');
      return ctx.sockets.close(ws, RELAY_CLOSE.badRequest, 'no or malformed daemon id');
    }
    const client: LocalClient = { ws, daemonId, address, lastActive: Date.now(), route: undefined };
    this.all.add(client);
    ws.on('message', (data: Buffer, isBinary: boolean) => this.fromClient(client, data, isBinary));
    // A client that pings (Node's can; a browser's cannot) is there, however quiet its session: `vibe --link
    // attach` to an idle agent stays open. Answering the relay's own pings, which any socket does, is not enough.
    ws.on('ping', () => (client.lastActive = Date.now()));
    ws.on('close', (code) => {
      this.all.delete(client);
      this.detach(client);
      ctx.logger.log('debug', 'client disconnected', { daemon: daemonId, address, code });
    });
    const session = this.daemons.get(daemonId);
    if (session) return this.attachLocal(client, session);
    if (ctx.cluster) return this.attachRemote(client, ctx.cluster);
    this.refuse(client, RELAY_CLOSE.unknownDaemon, 'unknown daemon', 'unknown_daemon');
  }

  private attachLocal(client: LocalClient, session: DaemonSession): void {
    if (session.conns.size >= this.ctx.limits.maxClientsPerDaemon) return this.refuse(client, RELAY_CLOSE.tooMany, 'too many clients for this daemon', 'too_many');
    const peer: ClientPeer = {
      deliver: (payload) => this.deliver(client, payload),
      close: (code, reason) => this.close(client, code, reason),
    };
    const conn = session.add(peer);
    client.route = { kind: 'local', session, conn };
    session.open(conn);
    this.ctx.metrics.handshake('client', 'ok');
    this.ctx.logger.log('debug', 'client connected', { daemon: client.daemonId, address: client.address, conn });
  }

  /** Asks whichever relay holds the daemon; no receiver on its channel means no relay has it. */
  private attachRemote(client: LocalClient, cluster: Cluster): void {
    if (!cluster.ready) return this.refuse(client, RELAY_CLOSE.daemonGone, 'daemon unreachable: relay cluster unavailable', 'cluster_down');
    let conn = this.nextRemoteConn;
    while (this.remote.has(conn)) conn = conn + 1 >= TWO_32 ? 1 : conn + 1;
    this.nextRemoteConn = conn + 1 >= TWO_32 ? 1 : conn + 1;
    this.remote.set(conn, client);
    client.route = { kind: 'remote', conn };
    cluster.toDaemon(client.daemonId, ClusterOp.Open, conn).then(
      (receivers) => {
        if (receivers > 0) {
          this.ctx.metrics.handshake('client', 'ok');
          this.ctx.logger.log('debug', 'client connected', { daemon: client.daemonId, address: client.address, remote: true });
        } else if (client.route?.kind === 'remote' && client.route.conn === conn) {
          this.refuse(client, RELAY_CLOSE.unknownDaemon, 'unknown daemon', 'unknown_daemon');
        }
      },
      () => this.refuse(client, RELAY_CLOSE.daemonGone, 'daemon unreachable: relay cluster unavailable', 'cluster_down'),
    );
  }

  private refuse(client: LocalClient, code: number, reason: string, result: string): void {
    this.ctx.metrics.handshake('client', result);
    this.ctx.logger.log('info', 'client refused', { daemon: client.daemonId, address: client.address, code });
    this.close(client, code, reason);
  }

  private fromClient(client: LocalClient, data: Buffer, isBinary: boolean): void {
    const { metrics, limits } = this.ctx;
    client.lastActive = Date.now();
    if (!isBinary) {
      metrics.drop('client_text');
      return this.close(client, 1003, 'text messages are not accepted', true);
    }
    const route = client.route;
    if (!route) return metrics.drop('no_route');
    metrics.forwarded('to_daemon', data.length);
    if (route.kind === 'local') {
      const { session } = route;
      session.send(RelayOp.Data, route.conn, data);
      if (session.ws.bufferedAmount > limits.daemonWindowBytes) this.holdBack(session, client.ws);
      return;
    }
    this.ctx.cluster!.toDaemon(client.daemonId, ClusterOp.Data, route.conn, data).then(
      (receivers) => receivers === 0 && client.route === route && this.close(client, RELAY_CLOSE.daemonGone, 'daemon went away', true),
      () => client.route === route && this.close(client, RELAY_CLOSE.daemonGone, 'daemon unreachable: relay cluster unavailable', true),
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
      if (session.ws.bufferedAmount > this.ctx.limits.daemonWindowBytes / 2) {
        session.drainTimer = setTimeout(check, DRAIN_POLL_MS);
        return;
      }
      for (const paused of session.paused) paused.resume();
      session.paused.clear();
    };
    session.drainTimer = setTimeout(check, DRAIN_POLL_MS);
  }

  /** Daemon bytes for a client on this relay: sent whole, or the client is dropped as a slow consumer. */
  deliver(client: LocalClient, payload: Buffer): void {
    const { ws } = client;
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount + payload.length > this.ctx.limits.clientWindowBytes) {
      this.ctx.metrics.drop('slow_consumer');
      this.ctx.logger.log('info', 'slow client dropped', { daemon: client.daemonId, address: client.address, buffered: ws.bufferedAmount });
      return this.close(client, RELAY_CLOSE.slowConsumer, 'slow consumer: reconnect and resume', true);
    }
    client.lastActive = Date.now();
    ws.send(payload, { binary: true });
  }

  /**
   * Closes a client socket. With `tellDaemon`, the daemon side learns the client is gone; without it the
   * close came from the daemon side, which already knows.
   */
  close(client: LocalClient, code: number, reason: string, tellDaemon = false): void {
    if (tellDaemon) this.detach(client);
    else this.forget(client);
    this.ctx.sockets.close(client.ws, code, reason);
  }

  /** Unroutes a client and tells its daemon (here or on the holding relay) that it is gone. */
  private detach(client: LocalClient): void {
    const route = client.route;
    if (!route) return;
    this.forget(client);
    if (route.kind === 'local') {
      route.session.send(RelayOp.Close, route.conn);
    } else {
      this.ctx.cluster?.toDaemon(client.daemonId, ClusterOp.Close, route.conn).catch(() => undefined);
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
    } else if (this.remote.get(route.conn) === client) {
      this.remote.delete(route.conn);
    }
  }

  /** Closes every client that has been idle (no message either way, no ping from it) for the idle timeout. */
  closeIdle(): void {
    const idleSince = Date.now() - this.ctx.limits.idleTimeoutMs;
    for (const client of [...this.all]) {
      if (client.lastActive < idleSince && client.ws.readyState === WebSocket.OPEN) {
        this.ctx.metrics.drop('idle');
        this.close(client, RELAY_CLOSE.timeout, 'idle timeout', true);
      }
    }
  }

  /**
   * Shutdown: every client closes with 1012; the relays holding the daemons of remote-routed ones are told.
   * Returns those messages in flight.
   */
  closeAll(): Array<Promise<unknown>> {
    const pending: Array<Promise<unknown>> = [];
    const cluster = this.ctx.cluster;
    for (const client of [...this.all]) {
      const route = client.route;
      if (route?.kind === 'remote' && cluster) pending.push(cluster.toDaemon(client.daemonId, ClusterOp.Close, route.conn).catch(() => undefined));
      this.forget(client);
      this.ctx.sockets.close(client.ws, RELAY_CLOSE.restarting, 'relay restarting');
    }
    return pending;
  }
}
