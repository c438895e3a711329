// `vibe attach ID`: the session's terminal, full-screen, through the daemon, until the detach key; through a
// link it rides out a lost connection and resumes the terminal where it stopped.
import type { Session } from '@vibe/protocol';
import { attachSession } from '../attach/attach-session.js';
import { detachKeyFrom, type DetachKey } from '../attach/detach-key.js';
import { linkReconnect } from '../attach/link-reconnect.js';
import { connect, onDisconnect } from '../daemon-connection.js';
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
      // Through a relay a dropped connection is routine: reconnect and resume by sequence.
      reconnect: linkReconnect(
        () => attachedTo!,
        () => say(`connection to the daemon lost — reconnecting to ${attachedTo!} through the relay (Ctrl-C stops)`),
      ),
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

function sessionName(session: Session): string {
  return taskName({ project: session.project, number: session.taskNumber });
}

function attachedMessage(session: Session, key: DetachKey, mode: string | undefined): string {
  const keyName = `Ctrl-${key.name.slice('ctrl-'.length)}`;
  return `attached to ${sessionName(session)} (session ${session.id}, ${escapeText(session.agent)})${mode ? `, ${mode}` : ''} — ${keyName} detaches`;
}
