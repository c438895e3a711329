// Opens a control connection to the running daemon for one command and always closes it afterwards.
import type { ControlClient, Welcome } from '@vibe/protocol';
import { connectToDaemon } from '@vibe/protocol/node';
import { CliError } from './errors.js';
import { vibePaths } from './paths.js';
import { CLI_VERSION } from './version.js';

export interface DaemonSession {
  client: ControlClient;
  welcome: Welcome;
}

/**
 * Connects and completes the handshake. Throws DaemonUnavailableError (exit 69) with `reason` absent or
 * unresponsive; any other connect(2) failure is a CliError naming the socket.
 */
export async function connect(options: { timeoutMs?: number; socketPath?: string } = {}): Promise<DaemonSession> {
  const socket = options.socketPath ?? vibePaths().socket;
  try {
    return await connectToDaemon(socket, { client: { name: 'vibe-cli', version: CLI_VERSION }, timeoutMs: options.timeoutMs });
  } catch (error) {
    const { code, syscall } = error as NodeJS.ErrnoException;
    if (typeof code === 'string' && syscall === 'connect') {
      throw new CliError(`cannot connect to the daemon socket ${socket}: ${code}`, 1, { cause: error });
    }
    throw error;
  }
}

/** Runs `body` with a connected client; throws DaemonUnavailableError (exit 69) when there is no daemon. */
export async function withDaemon<T>(body: (session: DaemonSession) => Promise<T>, options?: { timeoutMs?: number }): Promise<T> {
  const session = await connect(options);
  try {
    return await body(session);
  } finally {
    session.client.close();
  }
}

/** Calls `listener` once when the connection to the daemon is lost (or closed). */
export function onDisconnect(client: ControlClient, listener: (error: Error) => void): () => void {
  return client.onClose(listener);
}
