// The task writes: a new task numbered in its project, a patch of the fields that actually changed, and a move
// along a legal transition. The `check…` functions run before the transaction; the rest inside it.
import { ProtocolError, TASK_TRANSITIONS, type TaskStatus } from '@vibe/protocol';
import type { StoreTables } from './store-tables.js';
import type { CreateTaskInput, EventOf, FullTask, UpdateTaskInput } from './store-types.js';
import { assertWellFormed } from './verbatim.js';

type Changed = EventOf<'task.updated'>['data']['changed'];

export function checkNewTask(input: CreateTaskInput): void {
  assertWellFormed('title', input.title);
  assertWellFormed('description', input.description ?? '');
  assertWellFormed('agent', input.agent ?? '');
}

export function insertTask(t: StoreTables, projectId: number, input: CreateTaskInput): { task: FullTask; event: EventOf<'task.created'> } {
  const { number, projectName } = t.projects.takeTaskNumber(projectId);
  const at = t.stamp();
  const task: FullTask = {
    project: projectName,
    projectId,
    number,
    title: input.title,
    description: input.description ?? '',
    agent: input.agent ?? null,
    status: 'todo',
    createdAt: at,
    updatedAt: at,
    attempts: 0,
    session: null,
  };
  t.tasks.insert(task);
  const event = t.events.append({ name: 'task.created', data: { task } }, at, { projectId, taskNumber: number });
  return { task, event };
}

/** insertTask, unless this client id already made a task in the project: then that task, as a duplicate. */
export function insertTaskOnce(
  t: StoreTables,
  projectId: number,
  input: CreateTaskInput,
  clientId: string,
): { task: FullTask; event?: EventOf<'task.created'>; duplicate: boolean } {
  const earlier = t.taskClientIds.taskNumber(projectId, clientId);
  if (earlier === undefined) {
    const created = insertTask(t, projectId, input);
    t.taskClientIds.remember(projectId, clientId, created.task.number);
    return { ...created, duplicate: false };
  }
  const task = t.tasks.get(projectId, earlier);
  if (task) return { task, duplicate: true };
  throw new ProtocolError('not_found', `task ${earlier}, which an earlier request with this clientId created, was removed since`, { number: earlier, clientId });
}

export function checkTaskPatch(patch: UpdateTaskInput): void {
  if (patch.title !== undefined) assertWellFormed('title', patch.title);
  if (patch.description !== undefined) assertWellFormed('description', patch.description);
  if (typeof patch.agent === 'string') assertWellFormed('agent', patch.agent);
}

/** Writes and logs only the fields that differ; with none, nothing. */
export function patchTask(t: StoreTables, projectId: number, number: number, patch: UpdateTaskInput): { task: FullTask; event?: EventOf<'task.updated'> } {
  const current = t.requireTask(projectId, number);
  const changed: Changed = [];
  if (patch.title !== undefined && patch.title !== current.title) changed.push('title');
  if (patch.description !== undefined && patch.description !== current.description) changed.push('description');
  if (patch.agent !== undefined && patch.agent !== current.agent) changed.push('agent');
  if (changed.length === 0) return { task: current };
  const at = t.stamp();
  const task: FullTask = {
    ...current,
    title: patch.title ?? current.title,
    description: patch.description ?? current.description,
    agent: patch.agent === undefined ? current.agent : patch.agent,
    updatedAt: at,
  };
  t.tasks.writeFields(task);
  const event = t.events.append({ name: 'task.updated', data: { task, changed } }, at, { projectId, taskNumber: number });
  return { task, event };
}

/** A move the user asked for: `illegal_transition`, with the legal targets, for anything but a legal step. */
export function moveTask(t: StoreTables, projectId: number, number: number, status: TaskStatus): { task: FullTask; from: TaskStatus; event: EventOf<'task.moved'> } {
  const current = t.requireTask(projectId, number);
  const from = current.status;
  const allowed = TASK_TRANSITIONS[from];
  const data = { from, to: status, allowed: [...allowed] };
  if (from === status) throw new ProtocolError('illegal_transition', `task ${number} is already ${from}`, data);
  if (!allowed.includes(status)) {
    const legal = allowed.length > 0 ? allowed.join(', ') : 'none';
    throw new ProtocolError('illegal_transition', `task ${number} cannot move from ${from} to ${status} (from ${from}: ${legal})`, data);
  }
  const { task, event } = t.moveWithin(current, status, t.stamp());
  return { task, from, event };
}
