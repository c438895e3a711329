// What review and landing record: feedback sent to an attempt, and an attempt landed on the base branch.
// Each function runs inside the caller's write transaction, so its moves and events land together or not at all.
import { ProtocolError, type EventData, type TaskStatus, type VibeEvent } from '@vibe/protocol';
import type { EventScope } from './events.js';
import { assertWellFormed } from './verbatim.js';
import type { EventOf, FullTask } from './store-types.js';

/** The Store's own helpers these records are written with. */
export interface RecordContext {
  requireTask(projectId: number, number: number): FullTask;
  /** Writes a status change the caller has checked is legal and logs task.moved. */
  moveWithin(task: FullTask, status: TaskStatus, at: string): { task: FullTask; event: EventOf<'task.moved'> };
  append<E extends EventData>(event: E, at: string, scope: EventScope): E & { seq: number; at: string };
  stamp(): string;
}

export interface ReviewInput {
  attempt: number;
  comment: string;
  /** The feedback went to a live agent, which works on it now. */
  backToWork: boolean;
}

export interface MergeInput {
  attempt: number;
  branch: string;
  commit: string;
  mode: EventOf<'task.merged'>['data']['mode'];
}

/** The legal steps from each status to done, for a merge; none from done or cancelled. */
const MERGE_PATH: Partial<Record<TaskStatus, TaskStatus[]>> = {
  todo: ['in_progress', 'in_review', 'done'],
  in_progress: ['in_review', 'done'],
  in_review: ['done'],
};

/**
 * Logs review feedback on an attempt. With `backToWork` a task in review moves back to in_progress.
 * Events: task.reviewed, then task.moved if it moved.
 */
export function recordReview(ctx: RecordContext, projectId: number, number: number, input: ReviewInput): { task: FullTask; events: VibeEvent[] } {
  assertWellFormed('comment', input.comment);
  let task = ctx.requireTask(projectId, number);
  const at = ctx.stamp();
  const events: VibeEvent[] = [
    ctx.append({ name: 'task.reviewed', data: { task, attempt: input.attempt, comment: input.comment } }, at, { projectId, taskNumber: number }),
  ];
  if (input.backToWork && task.status === 'in_review') {
    const moved = ctx.moveWithin(task, 'in_progress', at);
    task = moved.task;
    events.push(moved.event);
  }
  return { task, events };
}

/**
 * Records that an attempt landed: the task moves to done along legal steps (in_progress → in_review → done,
 * as a forced merge of a working attempt skips review) and task.merged is logged. Refuses a done or
 * cancelled task, with nothing written.
 */
export function recordMerge(ctx: RecordContext, projectId: number, number: number, input: MergeInput): { task: FullTask; events: VibeEvent[] } {
  let task = ctx.requireTask(projectId, number);
  const path = MERGE_PATH[task.status];
  if (!path) throw new ProtocolError('illegal_transition', `task ${number} is ${task.status}; it cannot be merged`, { from: task.status, to: 'done' });
  const at = ctx.stamp();
  const events: VibeEvent[] = [];
  for (const status of path) {
    const moved = ctx.moveWithin(task, status, at);
    task = moved.task;
    events.push(moved.event);
  }
  events.push(ctx.append({ name: 'task.merged', data: { task, ...input } }, at, { projectId, taskNumber: number }));
  return { task, events };
}
