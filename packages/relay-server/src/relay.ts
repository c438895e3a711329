import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { KeyedRateLimiter, RELAY_CLOSE, RELAY_HEADER_SIZE } from '@vibe/protocol';
import { WebSocketServer } from 'ws';
import { Clients } from './clients.js';
import { Cluster, type CreateRedisClient } from './cluster.js';
import { ClusterRoutes } from './cluster-routes.js';
import type { RelayContext } from './context.js';
import { Daemons } from './daemons.js';
import type { RelayLogger } from './logger.js';
import { Metrics } from './metrics.js';
import type { RelayLimits } from './options.js';
import { Sockets } from './sockets.js';
import { withTimeout } from './with-timeout.js';

// The relay's routing core, assembled: upgrades are rate-limited and handed to the daemon or the client side,
// one timer drives heartbeats, idle timeouts and cluster checks, and shutdown closes everything with 1012. The
// HTTP side (server.ts) and Redis (cluster.ts) adapt to it; daemons.ts, clients.ts and cluster-routes.ts route.

/** How long shutdown waits for sockets to close before cutting them. */
const SHUTDOWN_GRACE_MS = 3_000;

export class Relay {
  readonly metrics = new Metrics();
  private readonly sockets = new Sockets(this.metrics);
  private readonly limiter: KeyedRateLimiter;
  private readonly daemonWss: WebSocketServer;
  private readonly clientWss: WebSocketServer;
  private readonly daemons: Daemons;
  private readonly clients: Clients;
  private readonly routes: ClusterRoutes | undefined;
  private readonly cluster: Cluster | undefined;
  private readonly tick: ReturnType<typeof setInterval>;
  private clusterCheck = false;
  private closing = false;
  private readonly rateLogged = new Set<string>();

  constructor(
    readonly instanceId: string,
    private readonly limits: RelayLimits,
    private readonly logger: RelayLogger,
    redis: { url: string; createClient: CreateRedisClient } | undefined,
    private readonly trustProxy: boolean,
  ) {
    this.limiter = new KeyedRateLimiter(limits.handshakeRate, limits.handshakeBurst);
    // ws closes a connection whose message is over maxPayload with 1009 on its own; other connections go on.
    const common = { noServer: true, perMessageDeflate: false, clientTracking: false } as const;
    this.daemonWss = new WebSocketServer({ ...common, maxPayload: limits.maxMessageBytes + RELAY_HEADER_SIZE });
    this.clientWss = new WebSocketServer({ ...common, maxPayload: limits.maxMessageBytes });
    this.cluster = redis
      ? new Cluster(redis.url, redis.createClient, instanceId, {
          daemonMessage: (daemonId, message) => this.routes!.fromCluster(daemonId, message),
          relayMessage: (message) => this.routes!.fromHolder(message),
          down: () => this.routes!.dropRemoteRoutes(),
        }, logger)
      : undefined;
    const ctx: RelayContext = { instanceId, limits, logger, metrics: this.metrics, sockets: this.sockets, cluster: this.cluster };
    this.daemons = new Daemons(ctx);
    this.clients = new Clients(ctx, this.daemons);
    if (this.cluster) {
      this.routes = new ClusterRoutes(ctx, this.cluster, this.daemons, this.clients);
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
      this.daemonWss.handleUpgrade(req, socket, head, (ws) => this.daemons.accept(ws, address));
    } else {
      this.clientWss.handleUpgrade(req, socket, head, (ws) => this.clients.accept(ws, address, query.get('daemon')));
    }
  }

  private heartbeat(): void {
    this.sockets.ping();
    this.clients.closeIdle();
    this.limiter.sweep();
    this.rateLogged.clear();
    if (this.routes && !this.clusterCheck) {
      this.clusterCheck = true;
      this.routes
        .check()
        .catch(() => undefined)
        .finally(() => (this.clusterCheck = false));
    }
  }

  /** Graceful shutdown: new upgrades get 503, every socket closes with 1012, Redis routes are handed back. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearInterval(this.tick);
    const pending = [...this.clients.closeAll(), ...this.daemons.closeAll()];
    this.sockets.closeAll(RELAY_CLOSE.restarting, 'relay restarting');
    await withTimeout(Promise.all(pending), 1_000);
    const deadline = Date.now() + SHUTDOWN_GRACE_MS;
    while (this.sockets.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    this.sockets.terminateAll();
    await this.cluster?.close();
  }
}

function refuseUpgrade(socket: Duplex, status: number, text: string, headers = ''): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n${headers}\r\n`);
  setTimeout(() => socket.destroy(), 1_000).unref();
}
