// What the review room works with: the store, the attempts room (sessions, typing, restarting) and where
// events go; plus the one lookup every method starts with.
import { ProtocolError, type Session, type VibeEvent } from '@vibe/protocol';
import type { Attempts } from '../attempts/index.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/index.js';
import type { CommandRunner } from './command.js';

export interface ReviewOptions {
  store: Store;
  attempts: Attempts;
  publish(event: VibeEvent | undefined): void;
  logger: Logger;
  /** vibe's worktree directory (`paths.worktrees`): worktrees of removed tasks are found there. */
  worktreesDir: string;
  /** Runs programs other than git (gh); tests inject one. */
  run?: CommandRunner;
}

export interface AttemptSelector {
  project?: string;
  cwd?: string;
  number: number;
  attempt?: number;
}

export type FullProject = ReturnType<Store['resolveProject']>;
export type FullTask = ReturnType<Store['getTask']>;

/** The project, task and session an attempt selector names (the newest attempt by default). */
export function locate(options: ReviewOptions, selector: AttemptSelector): { project: FullProject; task: FullTask; session: Session } {
  const project = options.store.resolveProject(selector);
  const task = options.store.getTask(project.id, selector.number);
  const session = options.attempts.attemptSession(project.id, selector.number, selector.attempt);
  return { project, task, session };
}

/** States in which an agent is busy with the worktree: landing or rebasing under it would race its edits. */
export const BUSY_STATES: readonly Session['state'][] = ['starting', 'working', 'waiting'];

/** Refuses while any of the task's sessions is busy. */
export function requireQuiet(options: ReviewOptions, project: FullProject, taskNumber: number, what: string): Session[] {
  const live = options.store.listSessions({ projectId: project.id, taskNumber, live: true });
  const busy = live.find((session) => BUSY_STATES.includes(session.state));
  if (busy) {
    throw new ProtocolError('conflict', `the agent of task ${taskNumber} is ${busy.state} (attempt ${busy.attempt}); wait until it is idle or stop it before ${what}`);
  }
  return live;
}

/**
 * Delivers a prompt to the attempt's agent: typed into a running session, or the agent started again in the
 * same worktree. A multi-line prompt is sent as a bracketed paste, so a TUI agent takes it as one message
 * instead of submitting at the first newline.
 */
export async function deliver(
  options: ReviewOptions,
  project: FullProject,
  session: Session,
  prompt: string,
): Promise<{ delivered: 'sent' | 'restarted'; session: Session }> {
  const { attempts } = options;
  if (session.state !== 'exited') {
    attempts.send(session.id, prompt.includes('\n') ? `\x1b[200~${prompt}\x1b[201~` : prompt, true);
    return { delivered: 'sent', session: attempts.view(attempts.session(session.id)) };
  }
  const restarted = await attempts.resume({ project: project.name, number: session.taskNumber, attempt: session.attempt, prompt });
  return { delivered: 'restarted', session: attempts.view(restarted) };
}
