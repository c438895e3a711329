import { decodeClosePayload, encodeClosePayload, isSendableCloseCode, RELAY_CLOSE, RelayOp } from '@vibe/protocol';
import type { Clients } from './clients.js';
import type { Cluster } from './cluster.js';
import { ClusterOp, daemonChannel, relayChannel, type ClusterMessage } from './cluster-codec.js';
import type { RelayContext } from './context.js';
import { remoteKey, type ClientPeer, type DaemonSession } from './daemon-session.js';
import type { Daemons } from './daemons.js';

// Routes that cross to other relays through Redis: clients elsewhere of the daemons held here, clients here of
// daemons held elsewhere, and what happens to both when a relay or Redis goes away.

export class ClusterRoutes {
  constructor(
    private readonly ctx: RelayContext,
    private readonly cluster: Cluster,
    private readonly daemons: Daemons,
    private readonly clients: Clients,
  ) {}

  /** A message for a daemon this relay holds, from a relay with a client of it. */
  fromCluster(daemonId: string, message: ClusterMessage): void {
    const { cluster, ctx } = this;
    const session = this.daemons.get(daemonId);
    if (!session) return; // a stale subscription; whoever holds the daemon answers
    const { op, from, conn, payload } = message;
    const local = session.remoteIndex.get(remoteKey(from, conn));
    if (op === ClusterOp.Open) {
      if (local !== undefined) return;
      if (session.conns.size >= ctx.limits.maxClientsPerDaemon) {
        ctx.metrics.handshake('client', 'too_many');
        return void cluster.toRelay(from, ClusterOp.Close, conn, encodeClosePayload(RELAY_CLOSE.tooMany, 'too many clients for this daemon')).catch(() => undefined);
      }
      const added = session.add(this.remotePeer(session, from, conn));
      cluster.toRelay(from, ClusterOp.Opened, conn).catch(() => undefined);
      session.open(added);
    } else if (op === ClusterOp.Data) {
      if (local === undefined) {
        ctx.metrics.drop('unknown_conn');
        return void cluster.toRelay(from, ClusterOp.Close, conn, encodeClosePayload(RELAY_CLOSE.daemonGone, 'daemon went away')).catch(() => undefined);
      }
      if (session.ws.bufferedAmount > ctx.limits.daemonWindowBytes) {
        // A remote client cannot be paused from here: drop it instead of queueing without bound.
        ctx.metrics.drop('daemon_window');
        session.remove(local);
        session.send(RelayOp.Close, local);
        return void cluster.toRelay(from, ClusterOp.Close, conn, encodeClosePayload(RELAY_CLOSE.slowConsumer, 'daemon is not keeping up')).catch(() => undefined);
      }
      session.send(RelayOp.Data, local, payload);
    } else if (op === ClusterOp.Close) {
      if (local === undefined) return;
      session.remove(local);
      session.send(RelayOp.Close, local);
    } else if (op === ClusterOp.Takeover) {
      ctx.logger.log('info', 'daemon registered on another relay', { daemon: daemonId, relay: from });
      void cluster.release(daemonId);
      this.daemons.replace(session, 'replaced by a newer registration on another relay');
    } else {
      ctx.metrics.drop('cluster_unknown_op');
    }
  }

  /** A client on relay `instance` as its daemon's session here sees it. */
  private remotePeer(session: DaemonSession, instance: string, conn: number): ClientPeer {
    const { cluster } = this;
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
  fromHolder(message: ClusterMessage): void {
    const client = this.clients.remote.get(message.conn);
    if (!client || client.route?.kind !== 'remote') return this.ctx.metrics.drop('unknown_conn');
    if (message.op === ClusterOp.Opened) {
      client.route.holder = message.from;
    } else if (message.op === ClusterOp.Data) {
      this.ctx.metrics.forwarded('to_client', message.payload.length);
      this.clients.deliver(client, message.payload as Buffer);
    } else if (message.op === ClusterOp.Close) {
      const { code, reason } = decodeClosePayload(message.payload);
      this.clients.close(client, isSendableCloseCode(code) ? code : 1000, reason);
    } else {
      this.ctx.metrics.drop('cluster_unknown_op');
    }
  }

  /** Redis is gone, and messages with it: every route through it closes, and its peers reconnect. */
  dropRemoteRoutes(): void {
    for (const client of [...this.clients.remote.values()]) this.clients.close(client, RELAY_CLOSE.daemonGone, 'relay cluster connection lost');
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
  async check(): Promise<void> {
    const { cluster } = this;
    const channels = new Set<string>();
    for (const client of this.clients.remote.values()) {
      channels.add(daemonChannel(client.daemonId));
      if (client.route?.kind === 'remote' && client.route.holder) channels.add(relayChannel(client.route.holder));
    }
    for (const session of this.daemons.values()) for (const peer of session.conns.values()) if (peer.remote) channels.add(relayChannel(peer.remote.instance));
    if (channels.size === 0 || !cluster.ready) return;
    const counts = await cluster.subscribers([...channels]);
    const gone = (channel: string): boolean => counts[channel] === 0;
    for (const client of [...this.clients.remote.values()]) {
      const holder = client.route?.kind === 'remote' ? client.route.holder : undefined;
      if (gone(daemonChannel(client.daemonId)) || (holder && gone(relayChannel(holder)))) {
        this.clients.close(client, RELAY_CLOSE.daemonGone, 'daemon went away', true);
      }
    }
    for (const session of this.daemons.values()) {
      for (const peer of [...session.conns.values()]) if (peer.remote && gone(relayChannel(peer.remote.instance))) this.remoteGone(session, peer);
    }
  }
}
