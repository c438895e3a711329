// Opens a control connection to the running daemon for one command and always closes it afterwards.
import type { ControlClient, Welcome } from '@vibe/protocol';
import { connectToDaemon, DaemonUnavailableError, resolvePaths } from '@vibe/protocol/node';
import { CliError } from './errors.js';
import { CLI_VERSION } from './version.js';

export interface DaemonSession {
  client: ControlClient;
  welcome: Welcome;
}

export async function connect(options: { timeoutMs?: number } = {}): Promise<DaemonSession> {
  const socket = resolvePaths().socket;
  try {
    return await connectToDaemon(socket, { client: { name: 'vibe-cli', version: CLI_VERSION }, timeoutMs: options.timeoutMs });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A path component that is a file: nothing can be listening there, so no daemon runs (yet).
    if (code === 'ENOTDIR') throw new DaemonUnavailableError(`cannot reach the daemon at ${socket} (${code})`, { cause: error });
    if (typeof code === 'string' && (error as NodeJS.ErrnoException).syscall === 'connect') {
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
