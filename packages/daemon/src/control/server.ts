// The control socket server: listens on the unix socket, owns the connections and the event hub.
import { chmodSync, unlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { Logger } from '../logger.js';
import { ControlConnection } from './connection.js';
import { EventHub } from './event-hub.js';
import { createHandlers, type ControlServices } from './handlers.js';

export interface ControlServerOptions {
  socketPath: string;
  services: ControlServices;
  logger: Logger;
  version: string;
  validateResults?: boolean;
}

export class ControlServer {
  readonly hub = new EventHub();
  private readonly connections = new Set<ControlConnection>();
  private readonly server: Server;
  private nextConnectionId = 1;
  private draining = false;

  constructor(private readonly options: ControlServerOptions) {
    const handlers = createHandlers(options.services, this.hub);
    this.server = createServer((socket) => {
      const connection = new ControlConnection(socket, this.nextConnectionId++, {
        handlers,
        logger: options.logger,
        version: options.version,
        pid: options.services.pid,
        validateResults: options.validateResults ?? false,
        draining: () => this.draining,
        streams: options.services.streams,
        onClose: (closed) => {
          this.connections.delete(closed);
          this.hub.dropSink(closed);
        },
      });
      this.connections.add(connection);
    });
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
   * Stops accepting, refuses further requests (a client still writing gets `shutting_down`, so nothing it
   * sends after this point changes state), lets every client receive what was written, then removes the
   * socket file.
   */
  async close(): Promise<void> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of this.connections) connection.end();
    const forced = setTimeout(() => {
      for (const connection of this.connections) connection.socket.destroy();
    }, 1000);
    await closed;
    clearTimeout(forced);
    try {
      unlinkSync(this.options.socketPath);
    } catch {
      // Already gone: server.close() removes it on some platforms.
    }
  }
}
