// Task status transitions: the full 5×5 matrix, through the store and straight through SQL.
import { ProtocolError, TASK_STATUSES, TASK_TRANSITIONS, canTransition, type TaskStatus } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import type { Store } from './index.js';
import { otherConnection, tempStore } from './temp-store.js';

/** The shortest legal route from todo to `status` (todo itself is the empty route). */
function routeTo(status: TaskStatus): TaskStatus[] {
  const queue: TaskStatus[][] = [[]];
  const seen = new Set<TaskStatus>(['todo']);
  while (queue.length > 0) {
    const route = queue.shift() ?? [];
    const at = route.at(-1) ?? 'todo';
    if (at === status) return route;
    for (const next of TASK_TRANSITIONS[at]) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push([...route, next]);
      }
    }
  }
  throw new Error(`${status} cannot be reached from todo`);
}

/** A new task in `status`, reached through legal moves; returns its number. */
function taskIn(store: Store, projectId: number, status: TaskStatus): number {
  const { number } = store.createTask(projectId, { title: `starts in ${status}` }).task;
  for (const step of routeTo(status)) store.moveTask(projectId, number, step);
  return number;
}

const PAIRS = TASK_STATUSES.flatMap((from) => TASK_STATUSES.map((to) => [from, to] as const));

describe('task transitions', () => {
  it('has a route from todo to every status, so the whole matrix below is exercised', () => {
    for (const status of TASK_STATUSES) expect(() => routeTo(status)).not.toThrow();
    expect(PAIRS).toHaveLength(25);
  });

  it.each(PAIRS)('moveTask from %s to %s follows TASK_TRANSITIONS', (from, to) => {
    const { store } = tempStore();
    const { id } = store.registerProject({ path: '/src/app', baseBranch: 'main' }).project;
    const number = taskIn(store, id, from);
    const seq = store.lastEventSeq();
    if (canTransition(from, to)) {
      const { task, from: was, event } = store.moveTask(id, number, to);
      expect(was).toBe(from);
      expect(task.status).toBe(to);
      expect(store.getTask(id, number).status).toBe(to);
      expect(event).toEqual({ seq: seq + 1, at: task.updatedAt, name: 'task.moved', data: { task, from } });
    } else {
      let error: unknown;
      try {
        store.moveTask(id, number, to);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ProtocolError);
      const allowed = TASK_TRANSITIONS[from];
      const message =
        from === to
          ? `task ${number} is already ${from}`
          : `task ${number} cannot move from ${from} to ${to} (from ${from}: ${allowed.length > 0 ? allowed.join(', ') : 'none'})`;
      expect(error).toMatchObject({ code: 'illegal_transition', message, data: { from, to, allowed: [...allowed] } });
      expect(store.getTask(id, number).status).toBe(from);
      expect(store.lastEventSeq()).toBe(seq);
    }
  });

  it.each(PAIRS)('an SQL UPDATE from %s to %s on another connection obeys the same table', (from, to) => {
    const { store, path } = tempStore();
    const { id } = store.registerProject({ path: '/src/app', baseBranch: 'main' }).project;
    const number = taskIn(store, id, from);
    const update = otherConnection(path).prepare('UPDATE tasks SET status = ? WHERE project_id = ? AND number = ?');
    if (canTransition(from, to)) {
      expect(update.run(to, id, number).changes).toBe(1);
      expect(store.getTask(id, number).status).toBe(to);
    } else {
      expect(() => update.run(to, id, number)).toThrow('illegal task transition');
      expect(store.getTask(id, number).status).toBe(from);
    }
  });

  it('names the legal targets in the message', () => {
    const { store } = tempStore();
    const { id } = store.registerProject({ path: '/src/app', baseBranch: 'main' }).project;
    const done = taskIn(store, id, 'done');
    const review = taskIn(store, id, 'in_review');
    expect(() => store.moveTask(id, done, 'todo')).toThrow(`task ${done} cannot move from done to todo (from done: none)`);
    expect(() => store.moveTask(id, review, 'in_review')).toThrow(`task ${review} is already in_review`);
  });
});
