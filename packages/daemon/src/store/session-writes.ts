// The session writes: a new attempt at a task (within the project's maxSessions, moving the task to in
// progress), and a patch that logs only what a client sees and moves the task to review when a turn ends.
// The `check…` functions run before the transaction; the rest inside it.
import { ProtocolError, type Session } from '@vibe/protocol';
import { applyPatch, assertTerminalSize, endsTurn, startMove, type SessionPatch } from './session-rules.js';
import type { StoreTables } from './store-tables.js';
import type { CreateSessionInput, FullTask, SessionEvent } from './store-types.js';
import { assertWellFormed } from './verbatim.js';

export function checkNewSession(input: CreateSessionInput): void {
  for (const field of ['agent', 'hostName', 'branch', 'worktree', 'hookToken'] as const) assertWellFormed(field, input[field]);
  assertTerminalSize(input.cols, input.rows);
  if (input.hookToken === '') throw new ProtocolError('invalid_params', 'hookToken must not be empty', { field: 'hookToken' });
}

export function insertSession(
  t: StoreTables,
  projectId: number,
  taskNumber: number,
  input: CreateSessionInput,
): { session: Session; task: FullTask; events: SessionEvent[] } {
  const to = startMove(t.requireTask(projectId, taskNumber));
  const project = t.projects.require(projectId);
  const live = t.sessions.countLive(projectId);
  const max = project.settings.maxSessions;
  if (live >= max) {
    throw new ProtocolError(
      'conflict',
      `project "${project.name}" already runs ${live} sessions (its limit is ${max}); stop one, or raise the limit with vibe project set --max-sessions`,
      { project: project.name, live, maxSessions: max },
    );
  }
  const taken = t.tasks.takeAttempt(projectId, taskNumber);
  if (!taken) throw new Error(`task ${taskNumber} vanished inside its own transaction`);
  const at = t.stamp();
  const id = t.sessions.insert({ ...input, ...taken, at });
  const session = t.requireSession(id).session;
  const events: SessionEvent[] = [t.appendSessionUpdated(session, projectId, at)];
  let task = t.requireTask(projectId, taskNumber);
  if (to) {
    const moved = t.moveWithin(task, to, at);
    task = moved.task;
    events.push(moved.event);
  }
  return { session, task, events };
}

export function checkSessionPatch(patch: SessionPatch): void {
  for (const field of ['hostName', 'endedAt', 'lastActivityAt'] as const) {
    const text = patch[field];
    if (text !== undefined) assertWellFormed(field, text);
  }
}

export function patchSession(t: StoreTables, sessionId: number, patch: SessionPatch): { session: Session; events: SessionEvent[] } {
  const stored = t.requireSession(sessionId);
  const current = stored.session;
  const at = t.stamp();
  const outcome = applyPatch(current, stored.hostName, patch, at);
  const { session } = outcome;
  if (!outcome.changed) return { session, events: [] };
  t.sessions.write(session, outcome.hostName);
  if (!outcome.visible) return { session, events: [] };
  const events: SessionEvent[] = [t.appendSessionUpdated(session, stored.projectId, at)];
  if (endsTurn(current.state, session.state)) {
    const task = t.requireTask(stored.projectId, session.taskNumber);
    if (task.status === 'in_progress') events.push(t.moveWithin(task, 'in_review', at).event);
  }
  return { session, events };
}
