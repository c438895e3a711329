// Routing shared between relay processes through Redis pub/sub: a channel per daemon held here and one for this
// relay. Redis going away is survivable: local routing goes on, remote routes are dropped (their peers reconnect)
// and the clients reconnect to Redis with backoff.
import type { createClient } from 'redis';
import { ClusterOp, daemonChannel, decodeClusterMessage, encodeClusterMessage, relayChannel, type ClusterMessage } from './cluster-codec.js';
import type { RelayLogger } from './logger.js';

export interface ClusterHandlers {
  /** A message on the channel of a daemon this relay holds. */
  daemonMessage(daemonId: string, message: ClusterMessage): void;
  /** A message on this relay's own channel. */
  relayMessage(message: ClusterMessage): void;
  /** Redis was lost (messages may have been missed): every remote route must be dropped. */
  down(): void;
}

type Client = ReturnType<typeof createClient>;
/** redis's `createClient`, imported by the caller only when a Redis URL is given (the module costs ~24 MB). */
export type CreateRedisClient = typeof createClient;

const DAEMON_PREFIX = 'vibe:daemon:';

export class Cluster {
  private readonly pub: Client;
  private readonly sub: Client;
  /** Daemon channels this relay should be subscribed to, whatever Redis's state. */
  private readonly held = new Set<string>();
  private wasReady = false;
  private warnedUnavailable = false;
  private closed = false;

  constructor(
    url: string,
    createClient: CreateRedisClient,
    private readonly instanceId: string,
    private readonly handlers: ClusterHandlers,
    private readonly logger: RelayLogger,
  ) {
    // Commands fail at once while Redis is down instead of queueing without bound.
    const options = {
      url,
      disableOfflineQueue: true,
      socket: { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(10_000, 100 * 2 ** Math.min(retries, 7)) + Math.random() * 100 },
    };
    this.pub = createClient(options);
    this.sub = createClient(options);
    for (const [role, client] of [['publish', this.pub], ['subscribe', this.sub]] as const) {
      client.on('error', (error: Error) => this.lost(role, error));
      client.on('end', () => this.lost(role));
      client.on('ready', () => this.readied());
    }
  }

  /** Connects in the background; the relay serves local routing meanwhile. */
  start(): void {
    for (const client of [this.pub, this.sub]) {
      client.connect().catch((error: unknown) => {
        if (!this.closed) this.logger.log('error', 'redis connect failed', { error: String(error) });
      });
    }
  }

  get ready(): boolean {
    return this.pub.isReady && this.sub.isReady;
  }

  /** Subscribes to the daemon's channel, then tells any other relay holding it to let go. */
  async hold(daemonId: string): Promise<void> {
    this.held.add(daemonId);
    if (!this.ready) return;
    try {
      await this.sub.subscribe(daemonChannel(daemonId), this.onDaemonChannel, true);
      await this.toDaemon(daemonId, ClusterOp.Takeover, 0);
    } catch (error) {
      this.logger.log('warn', 'redis subscribe failed', { daemon: daemonId, error: String(error) });
    }
  }

  /** Subscribes again to what is held, without a takeover: nothing changed hands while Redis was away. */
  private resubscribe(): void {
    const channels = [relayChannel(this.instanceId)];
    void this.sub.subscribe(channels, this.onRelayChannel, true).catch(() => undefined);
    const daemons = [...this.held].map(daemonChannel);
    if (daemons.length > 0) void this.sub.subscribe(daemons, this.onDaemonChannel, true).catch(() => undefined);
  }

  async release(daemonId: string): Promise<void> {
    if (!this.held.delete(daemonId) || !this.sub.isReady) return;
    await this.sub.unsubscribe(daemonChannel(daemonId)).catch(() => undefined);
  }

  /** Publishes to the relay holding `daemonId`; resolves with the number of receivers, rejects while Redis is down. */
  toDaemon(daemonId: string, op: number, conn: number, payload?: Uint8Array): Promise<number> {
    return this.pub.publish(daemonChannel(daemonId), encodeClusterMessage(op, conn, this.instanceId, payload));
  }

  toRelay(instanceId: string, op: number, conn: number, payload?: Uint8Array): Promise<number> {
    return this.pub.publish(relayChannel(instanceId), encodeClusterMessage(op, conn, this.instanceId, payload));
  }

  /** Subscriber counts per channel; rejects while Redis is down. */
  async subscribers(channels: string[]): Promise<Record<string, number>> {
    if (channels.length === 0) return {};
    return (await this.pub.pubSubNumSub(channels)) as Record<string, number>;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const client of [this.pub, this.sub]) {
      // close() waits for replies in flight; destroy() is for a client still retrying a dead server.
      if (client.isReady) await client.close().catch(() => client.destroy());
      else if (client.isOpen) client.destroy();
    }
  }

  private readonly onDaemonChannel = (data: Buffer, channel: Buffer): void => {
    const message = decodeClusterMessage(data);
    const name = channel.toString('latin1');
    if (!message || message.from === this.instanceId || !name.startsWith(DAEMON_PREFIX)) return;
    this.handlers.daemonMessage(name.slice(DAEMON_PREFIX.length), message);
  };

  private readonly onRelayChannel = (data: Buffer): void => {
    const message = decodeClusterMessage(data);
    if (message) this.handlers.relayMessage(message);
  };

  private readied(): void {
    if (!this.ready || this.closed) return;
    this.wasReady = true;
    this.warnedUnavailable = false;
    this.logger.log('info', 'redis ready', { instance: this.instanceId });
    // node-redis resubscribes what it had; this covers channels held while Redis was down (listener sets dedupe).
    this.resubscribe();
  }

  private lost(role: string, error?: Error): void {
    if (this.closed) return;
    if (!this.wasReady) {
      // Once per outage, not once per retry.
      if (error && !this.warnedUnavailable) this.logger.log('warn', 'redis unavailable; serving local routes only, retrying', { role, error: error.message });
      this.warnedUnavailable = true;
      return;
    }
    this.wasReady = false;
    this.logger.log('warn', 'redis connection lost; serving local routes only until it returns', { role, error: error?.message });
    this.handlers.down();
  }
}
