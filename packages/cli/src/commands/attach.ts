// `vibe attach ID`: the session's terminal, full-screen, through the daemon, until the detach key; through a
// link it rides out a lost connection and resumes the terminal where it stopped.
import { backoffDelay, type Session } from '@vibe/protocol';
import { attachSession } from '../attach/attach-session.js';
import { detachKeyFrom, type DetachKey } from '../attach/detach-key.js';
import { activeLink, connect, onDisconnect, type DaemonSession } from '../daemon-connection.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { escapeText } from '../escape.js';
import { interruptSignal } from '../interrupt.js';
import { say } from '../output.js';
import { sessionTarget } from '../session-ref.js';
import { taskName } from '../task-format.js';

export interface AttachOptions {
  readOnly?: boolean;
  session?: string;
  project?: string;
  detachKey?: string;
}

export async function attach(id: string | undefined, options: AttachOptions): Promise<void> {
  const target = sessionTarget(id, options);
  const detachKey = detachKeyFrom(options.detachKey);
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError('vibe attach needs a terminal on stdin and stdout; from a script, `vibe send` types into a session');
  }
  const { client, welcome } = await connect();
  // SIGTERM and SIGHUP detach (restoring the terminal); so does SIGINT from outside, since raw mode turns Ctrl-C into a key.
  const hangUp = new AbortController();
  const onSignal = (): void => hangUp.abort();
  process.on('SIGTERM', onSignal).on('SIGHUP', onSignal);
  const signal = AbortSignal.any([hangUp.signal, interruptSignal()]);
  let attachedTo: string | undefined;
  try {
    // A view-only link can only watch: attach read-only rather than be refused.
    const readOnly = options.readOnly === true || welcome.access === 'view';
    const outcome = await attachSession({
      client,
      onDisconnect: (listener) => onDisconnect(client, listener),
      target,
      readOnly,
      detachKey,
      input: process.stdin,
      output: process.stdout,
      signal,
      onAttached: (session) => {
        attachedTo = sessionName(session);
        say(attachedMessage(session, detachKey, readOnly ? (welcome.access === 'view' ? 'read-only (view-only link)' : 'read-only') : undefined));
      },
      // Through a relay a dropped connection is routine (a relay restart, a phone changing networks): reconnect
      // and resume by sequence. Not over the socket: losing it means the daemon stopped, and a new daemon run
      // starts new streams, so there would be nothing to resume.
      ...(activeLink() && {
        reconnect: {
          connect: async (lost: Error, aborted: AbortSignal) => {
            if (!resumable(lost)) throw lost;
            const next = await reconnect(attachedTo!, aborted);
            return { client: next.client, onDisconnect: (listener: (error: Error) => void) => onDisconnect(next.client, listener), close: () => next.client.close() };
          },
          holdMs: HOLD_SCREEN_MS,
          onGiveBack: () => say(`connection to the daemon lost — reconnecting to ${attachedTo!} through the relay (Ctrl-C stops)`),
        },
      }),
    });
    const name = sessionName(outcome.session);
    switch (outcome.how) {
      case 'detached':
        say(`detached from ${name}`);
        return;
      case 'exited':
        say(outcome.exitCode === null ? `session exited (${name})` : `session exited (code ${outcome.exitCode})`);
        return;
      case 'disconnected':
        if (outcome.error instanceof CliError) throw outcome.error;
        throw new CliError(`detached from ${name}: the connection to the daemon was lost`, EXIT.unavailable, { cause: outcome.error });
    }
  } catch (error) {
    if (attachedTo !== undefined && !(error instanceof CliError)) say(`detached from ${attachedTo}`);
    throw error;
  } finally {
    client.close();
    process.off('SIGTERM', onSignal).off('SIGHUP', onSignal);
  }
}

/** How long an attach through a link keeps trying to get back before it gives up. */
const RECONNECT_FOR_MS = 60_000;
/**
 * How long the session's screen stays up, as it was, while the link reconnects: a relay restart passes
 * unseen and output resumes where it stopped. Past this the terminal is given back to say what is going on.
 */
const HOLD_SCREEN_MS = 10_000;

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

function sessionName(session: Session): string {
  return taskName({ project: session.project, number: session.taskNumber });
}

function attachedMessage(session: Session, key: DetachKey, mode: string | undefined): string {
  const keyName = `Ctrl-${key.name.slice('ctrl-'.length)}`;
  return `attached to ${sessionName(session)} (session ${session.id}, ${escapeText(session.agent)})${mode ? `, ${mode}` : ''} — ${keyName} detaches`;
}
