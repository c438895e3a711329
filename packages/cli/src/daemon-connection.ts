// Opens a control connection to the daemon for one command and always closes it afterwards: over the local
// socket, or through a relay when the command runs with `--link URL` (or VIBE_LINK) on another machine.
import type { ControlClient, Welcome } from '@vibe/protocol';
import { connectToDaemon } from '@vibe/protocol/node';
import { CliError, EXIT } from './errors.js';
import { vibePaths } from './paths.js';
import { CLI_VERSION } from './version.js';
import { noticeVersionSkew } from './version-skew.js';

export interface DaemonSession {
  client: ControlClient;
  welcome: Welcome;
}

const CLIENT = { name: 'vibe-cli', version: CLI_VERSION };

/** What others watching the same session see this client as, beside its name and version (protocol 1.5). */
const DEVICE = `terminal on ${({ darwin: 'macOS', linux: 'Linux', win32: 'Windows' } as Record<string, string>)[process.platform] ?? process.platform}`;

let link: string | undefined;

/** The link this command reaches the daemon through (`--link`, else VIBE_LINK), or undefined for the socket. */
export function activeLink(): string | undefined {
  return link ?? (process.env.VIBE_LINK || undefined);
}

/** Set from the global `--link` option before a command runs. */
export function useLink(url: string | undefined): void {
  link = url;
}

/** Commands that only make sense on the daemon's own machine refuse a link in one clear line. */
export function requireLocal(command: string): void {
  if (activeLink()) throw new CliError(`\`vibe ${command}\` runs on the daemon's machine; drop --link (and VIBE_LINK) to use it`, EXIT.usage);
}

/**
 * Connects and completes the handshake. Over the socket: DaemonUnavailableError (exit 69) when the daemon is
 * absent or unresponsive, a CliError naming the socket for any other connect(2) failure. Over a link: a
 * CliError saying why the relay or the daemon could not be reached (exit 69 when trying later may work).
 */
export async function connect(options: { timeoutMs?: number; socketPath?: string } = {}): Promise<DaemonSession> {
  const url = options.socketPath ? undefined : activeLink();
  if (url) return connectLink(url, options.timeoutMs);
  const socket = options.socketPath ?? vibePaths().socket;
  try {
    const session = await connectToDaemon(socket, { client: CLIENT, device: DEVICE, timeoutMs: options.timeoutMs });
    // Only the daemon on this machine is ours to replace; one behind a link may be any version.
    noticeVersionSkew(session.welcome.daemon.version);
    return session;
  } catch (error) {
    const { code, syscall } = error as NodeJS.ErrnoException;
    if (typeof code === 'string' && syscall === 'connect') {
      throw new CliError(`cannot connect to the daemon socket ${socket}: ${code}`, 1, { cause: error });
    }
    throw error;
  }
}

async function connectLink(url: string, timeoutMs = 10_000): Promise<DaemonSession> {
  // Loaded only for a link: `ws` and the relay client cost nothing to local commands. The relay client has
  // its own entry (as has the AES-GCM binding) so these imports keep the message schemas (zod) and the
  // ciphers out of every command's start-up.
  const [{ connectOverRelay, RelayConnectError }, { nodeAead }, { WebSocket }] = await Promise.all([
    import('@vibe/protocol/relay-client'),
    import('@vibe/protocol/node/aead'),
    import('ws'),
  ]);
  try {
    const { client, welcome } = await connectOverRelay(url, {
      WebSocket: WebSocket as never,
      aead: nodeAead,
      binaryType: 'nodebuffer',
      client: CLIENT,
      device: DEVICE,
      timeoutMs,
    });
    return { client, welcome };
  } catch (error) {
    if (error instanceof RelayConnectError) {
      const why = error.kind === 'wrong-daemon' ? 'the daemon behind this link is not the one it names (its key does not match)' : error.message;
      throw new CliError(`cannot reach the daemon through the link: ${why}`, error.retryable ? EXIT.unavailable : EXIT.failure, { cause: error });
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
