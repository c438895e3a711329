// Connects a ControlClient to the daemon's unix socket and completes the handshake.
import { connect } from 'node:net';
import { ControlClient, type ClientOptions } from '../client.js';
import type { Welcome } from '../messages/envelope.js';

/**
 * Why there is no daemon to talk to. `absent`: nothing listens on the socket (no file, a file left by a dead
 * daemon, a path that cannot hold a socket). `unresponsive`: something accepted the connection but did not
 * complete the handshake — it timed out, hung up, or refused the connection for a full backlog — which is a
 * wedged or overloaded daemon, not a missing one.
 */
export type DaemonUnavailableReason = 'absent' | 'unresponsive';

/** The daemon cannot be reached; `reason` says whether it is missing or not answering. */
export class DaemonUnavailableError extends Error {
  override readonly name = 'DaemonUnavailableError';
  readonly reason: DaemonUnavailableReason;
  /** The socket that was tried, when known. */
  readonly socketPath: string | undefined;

  constructor(message: string, options: { reason?: DaemonUnavailableReason; socketPath?: string; cause?: unknown } = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.reason = options.reason ?? 'absent';
    this.socketPath = options.socketPath;
  }
}

export interface ConnectedClient {
  client: ControlClient;
  welcome: Welcome;
}

/** connect(2) errors that mean no daemon listens at the path. */
const ABSENT_CODES = new Set(['ENOENT', 'ENOTDIR', 'ECONNREFUSED', 'ENOTSOCK', 'EACCES']);
/**
 * Errors that mean a daemon is there but not keeping up: Linux refuses a unix-socket connect with EAGAIN when
 * the listen backlog is full, and a reset or broken pipe after the connection was accepted is a hang-up.
 */
const UNRESPONSIVE_CODES = new Set(['EAGAIN', 'ECONNRESET', 'EPIPE']);

export function connectToDaemon(socketPath: string, options: ClientOptions & { timeoutMs?: number }): Promise<ConnectedClient> {
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const client = new ControlClient({
      send: (bytes) => socket.write(bytes),
      close: () => socket.destroy(),
    });
    let settled = false;
    const unavailable = (message: string, reason: DaemonUnavailableReason, cause?: unknown): DaemonUnavailableError =>
      new DaemonUnavailableError(message, { reason, socketPath, ...(cause !== undefined && { cause }) });
    const timer = setTimeout(() => {
      settle(unavailable(`daemon at ${socketPath} did not answer within ${timeoutMs} ms`, 'unresponsive'));
      socket.destroy();
    }, timeoutMs);
    const settle = (error?: Error, welcome?: Welcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve({ client, welcome: welcome! });
    };
    socket.on('data', (chunk) => client.receive(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? '';
      if (ABSENT_CODES.has(code)) settle(unavailable(`cannot reach the daemon at ${socketPath} (${code})`, 'absent', error));
      else if (UNRESPONSIVE_CODES.has(code)) settle(unavailable(`the daemon at ${socketPath} did not complete the handshake (${code})`, 'unresponsive', error));
      else settle(error);
      client.closed(error);
    });
    socket.on('close', () => {
      settle(unavailable(`daemon at ${socketPath} closed the connection during the handshake`, 'unresponsive'));
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
