// The control server: listens on the unix socket, opens connections over other transports (the relay room's
// remote clients) with their access, and owns the connections and the event hub.
import { chmodSync, unlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { Logger } from '../logger.js';
import { ControlConnection, type ConnectionOptions } from './connection.js';
import { EventHub, liveEvent } from './event-hub.js';
import { createHandlers, type ControlServices } from './handlers.js';
import { Presence } from './presence.js';
import { LOCAL_ACCESS, socketTransport, type ConnectionAccess, type ConnectionTransport, type ControlPort } from './transport.js';

export interface ControlServerOptions {
  socketPath: string;
  services: ControlServices;
  logger: Logger;
  version: string;
  validateResults?: boolean;
  /** The daemon's id, announced in every welcome (@since 1.3). */
  daemonId?: string;
  /** How local socket clients are named in chat and presence (@since 1.5); default "local". */
  localLabel?: string;
  /** How long a viewer counts as typing after its last key (tests shorten it). */
  typingMs?: number;
}

export class ControlServer {
  readonly hub = new EventHub();
  /** Who watches each session; its changes go to subscribers as live session.viewers events. */
  readonly presence: Presence;
  private readonly connections = new Set<ControlConnection>();
  private readonly server: Server;
  private readonly connectionOptions: ConnectionOptions;
  private nextConnectionId = 1;
  private draining = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: ControlServerOptions) {
    const { store } = options.services;
    this.presence = new Presence({
      typingMs: options.typingMs,
      changed: (session, viewers) => this.hub.publish(liveEvent({ name: 'session.viewers', data: { session, viewers } }, store.lastEventSeq())),
    });
    this.connectionOptions = {
      handlers: createHandlers(options.services, this.hub, this, this.presence),
      logger: options.logger,
      version: options.version,
      pid: options.services.pid,
      daemonId: options.daemonId,
      validateResults: options.validateResults ?? false,
      draining: () => this.draining,
      inFlight: this.inFlight,
      streams: options.services.streams,
      presence: this.presence,
      localLabel: options.localLabel ?? 'local',
      onClose: (closed) => {
        this.connections.delete(closed);
        this.hub.dropSink(closed);
        options.services.approvals.connectionClosed(closed);
        this.presence.dropConnection(closed);
      },
    };
    this.server = createServer((socket) => {
      const port: ControlPort & { readonly id: number } = this.openConnection(socketTransport(socket, () => port.drained()), LOCAL_ACCESS);
      socket.on('data', (chunk) => port.receive(chunk));
      socket.on('error', (error) => options.logger.debug('control connection error', { connection: port.id, error: error.message }));
      socket.on('close', () => port.closed());
      socket.on('drain', () => port.drained());
    });
  }

  /**
   * Serves one client over a transport the caller owns, with the given access: the same handshake, methods
   * and handlers as the unix socket, minus what the access refuses. The caller feeds the port.
   */
  openConnection(transport: ConnectionTransport, access: ConnectionAccess): ControlPort & { readonly id: number } {
    const connection = new ControlConnection(transport, this.nextConnectionId++, access, this.connectionOptions);
    this.connections.add(connection);
    // A stop under way lets no new client in; it would only be told `shutting_down`.
    if (this.draining) connection.end();
    return connection;
  }

  /** Drops every connection whose access matches (a revoked link's); returns how many. */
  closeConnections(match: (access: ConnectionAccess) => boolean): number {
    let closed = 0;
    for (const connection of [...this.connections]) {
      if (!match(connection.access)) continue;
      connection.destroy();
      closed++;
    }
    return closed;
  }

  /** How many open connections have a matching access (a link's live connections). */
  countConnections(match: (access: ConnectionAccess) => boolean): number {
    let count = 0;
    for (const connection of this.connections) if (match(connection.access)) count++;
    return count;
  }

  /**
   * Binds the socket. The caller holds the daemon lock, so any file at the path is a leftover of a daemon
   * that died (kill -9) and is removed first. The umask makes the socket 0600 from its first instant.
   */
  async listen(): Promise<void> {
    const { socketPath } = this.options;
    try {
      unlinkSync(socketPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const umask = process.umask(0o177);
    try {
      await new Promise<void>((resolve, reject) => {
        this.server.once('error', reject);
        this.server.listen(socketPath, () => {
          this.server.off('error', reject);
          resolve();
        });
      });
    } finally {
      process.umask(umask);
    }
    chmodSync(socketPath, 0o600);
  }

  /**
   * Refuses every further request (`shutting_down`, nothing done) and waits, at most `limitMs`, for the
   * requests under way — a task start creating its worktree, a merge — to finish, whether or not their
   * clients are still connected, so a stop (an upgrade's, say) does not close the store under them.
   */
  async drain(limitMs: number): Promise<void> {
    this.draining = true;
    const pending = [...this.inFlight];
    if (pending.length === 0) return;
    this.options.logger.info('waiting for requests under way', { count: pending.length });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(pending), new Promise((resolve) => (timer = setTimeout(resolve, limitMs)))]);
    clearTimeout(timer);
  }

  /**
   * Stops accepting, refuses further requests (a client still writing gets `shutting_down`, so nothing it
   * sends after this point changes state), lets every client receive what was written, then removes the
   * socket file.
   */
  async close(): Promise<void> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of this.connections) connection.end();
    const forced = setTimeout(() => {
      for (const connection of [...this.connections]) connection.destroy();
    }, 1000);
    await closed;
    clearTimeout(forced);
    this.presence.dispose();
    try {
      unlinkSync(this.options.socketPath);
    } catch {
      // Already gone: server.close() removes it on some platforms.
    }
  }
}
