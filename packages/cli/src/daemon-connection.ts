// Opens a control connection to the running daemon for one command and always closes it afterwards.
import type { ControlClient, Welcome } from '@vibe/protocol';
import { connectToDaemon, resolvePaths } from '@vibe/protocol/node';
import { CLI_VERSION } from './version.js';

export interface DaemonSession {
  client: ControlClient;
  welcome: Welcome;
}

export async function connect(options: { timeoutMs?: number; socket?: string } = {}): Promise<DaemonSession> {
  const socket = options.socket ?? resolvePaths().socket;
  return connectToDaemon(socket, { client: { name: 'vibe-cli', version: CLI_VERSION }, timeoutMs: options.timeoutMs });
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
