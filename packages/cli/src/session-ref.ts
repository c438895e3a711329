// Reads which session a command means: a task id (its newest attempt), `s4`, or `--session 4`.
import { UsageError } from './errors.js';
import { taskRef } from './task-ref.js';

export type SessionTarget = { session: number } | { number: number; project?: string; cwd: string };

export interface SessionTargetOptions {
  session?: string;
  project?: string;
}

function parseSessionId(text: string, original = text): number {
  if (!/^[1-9][0-9]*$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`invalid session id ${JSON.stringify(original)}: expected a number like 4 (or s4 in place of a task id)`);
  }
  return Number(text);
}

/**
 * The session a command acts on. `id` is a task id (3, #3, PROJECT#3: the task's newest attempt) or a
 * session id written `s4`; `--session 4` names a session without an id argument.
 */
export function sessionTarget(id: string | undefined, options: SessionTargetOptions): SessionTarget {
  if (options.session !== undefined) {
    if (id !== undefined) throw new UsageError('give a task id or --session, not both');
    return { session: parseSessionId(options.session) };
  }
  if (id === undefined) throw new UsageError('name a task (3, #3 or PROJECT#3) or a session (s4, or --session 4)');
  const session = /^[sS](.*)$/.exec(id);
  if (session) {
    if (options.project !== undefined) throw new UsageError(`--project does not apply to a session id (${JSON.stringify(id)})`);
    return { session: parseSessionId(session[1]!, id) };
  }
  return taskRef(id, options);
}

/** How a target is named in messages: "session 4" or "task 3" / "task web#3". */
export function targetName(target: SessionTarget): string {
  if ('session' in target) return `session ${target.session}`;
  return target.project === undefined ? `task ${target.number}` : `task ${target.project}#${target.number}`;
}
