// Connects a ControlClient to the daemon's unix socket and completes the handshake.
import { connect } from 'node:net';
import { ControlClient, type ClientOptions } from '../client.js';
import type { Welcome } from '../messages/envelope.js';

/** The daemon is not there: no socket, nobody listening, or it did not answer the handshake in time. */
export class DaemonUnavailableError extends Error {
  override readonly name = 'DaemonUnavailableError';
}

export interface ConnectedClient {
  client: ControlClient;
  welcome: Welcome;
}

export function connectToDaemon(socketPath: string, options: ClientOptions & { timeoutMs?: number }): Promise<ConnectedClient> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const client = new ControlClient({
      send: (bytes) => socket.write(bytes),
      close: () => socket.destroy(),
    });
    let settled = false;
    const timer = setTimeout(() => {
      settle(new DaemonUnavailableError(`daemon at ${socketPath} did not answer within ${options.timeoutMs ?? 5000} ms`));
      socket.destroy();
    }, options.timeoutMs ?? 5000);
    const settle = (error?: Error, welcome?: Welcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve({ client, welcome: welcome! });
    };
    socket.on('data', (chunk) => client.receive(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const unavailable = ['ENOENT', 'ENOTDIR', 'ECONNREFUSED', 'ENOTSOCK', 'EACCES'].includes(error.code ?? '');
      settle(unavailable ? new DaemonUnavailableError(`cannot reach the daemon at ${socketPath} (${error.code})`, { cause: error }) : error);
      client.closed(error);
    });
    socket.on('close', () => {
      settle(new DaemonUnavailableError(`daemon at ${socketPath} closed the connection during the handshake`));
      client.closed();
    });
    socket.once('connect', () => {
      client.start(options).then(
        (welcome) => settle(undefined, welcome),
        (error: Error) => {
          settle(error);
          socket.destroy();
        },
      );
    });
  });
}
