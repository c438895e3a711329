// How an attach through a link rides out a lost connection (a relay restart, a phone changing networks):
// connect again with jittered backoff for up to a minute and resume by sequence. `vibe attach` and the
// board's attach share it. Not over the local socket: losing it means the daemon stopped, and a new daemon
// run starts new streams, so there would be nothing to resume.
import { backoffDelay } from '@vibe/protocol';
import { activeLink, connect, onDisconnect, type DaemonSession } from '../daemon-connection.js';
import { CliError, EXIT } from '../errors.js';
import type { Reconnect } from './attach-session.js';

/** How long an attach through a link keeps trying to get back before it gives up. */
const RECONNECT_FOR_MS = 60_000;
/**
 * How long the session's screen stays up, as it was, while the link reconnects: a relay restart passes
 * unseen and output resumes where it stopped. Past this the terminal is given back to say what is going on.
 */
const HOLD_SCREEN_MS = 10_000;

/** The reconnect option for `attachSession` when this process talks through a link; undefined otherwise. */
export function linkReconnect(sessionName: () => string, onGiveBack: () => void): Reconnect | undefined {
  if (!activeLink()) return undefined;
  return {
    connect: async (lost, aborted) => {
      if (!resumable(lost)) throw lost;
      const next = await reconnect(sessionName(), aborted);
      return { client: next.client, onDisconnect: (listener) => onDisconnect(next.client, listener), close: () => next.client.close() };
    },
    holdMs: HOLD_SCREEN_MS,
    onGiveBack,
  };
}

/** A revoked link or a wrong secret will not get better; anything else (the relay or daemon away) may. */
function resumable(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return !(code === 4401 || code === 4403 || code === 1000);
}

/** Connects again through the link with jittered backoff; gives up after a minute, or at once when aborted. */
async function reconnect(name: string, signal: AbortSignal): Promise<DaemonSession> {
  const deadline = Date.now() + RECONNECT_FOR_MS;
  for (let attempt = 0; ; attempt++) {
    if (signal.aborted) throw new CliError(`detached from ${name}`, EXIT.interrupted);
    try {
      const session = await connect({ timeoutMs: 5000 });
      if (signal.aborted) session.client.close();
      else return session;
    } catch (error) {
      const retryable = error instanceof CliError && error.exitCode === EXIT.unavailable;
      if (!retryable || Date.now() > deadline) {
        throw new CliError(`detached from ${name}: the connection to the daemon was lost and did not come back (${(error as Error).message})`, EXIT.unavailable, { cause: error });
      }
      await sleep(backoffDelay(attempt, 250, 2000), signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
