// Review feedback, merges and a task's history as the store records them: one transaction, legal moves only.
import { EventData } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { launchInput, storeWithTask } from './temp-store.js';

describe('recordReview', () => {
  it('logs the feedback and, when a live agent takes it, moves the task from review back to work', () => {
    const { store, project } = storeWithTask();
    store.createSession(project.id, 1, launchInput());
    store.moveTask(project.id, 1, 'in_review');
    const { task, events } = store.recordReview(project.id, 1, { attempt: 1, comment: 'use tabs', backToWork: true });
    expect(task.status).toBe('in_progress');
    expect(events.map((e) => e.name)).toEqual(['task.reviewed', 'task.moved']);
    expect(events[0]!.data).toMatchObject({ attempt: 1, comment: 'use tabs', task: { status: 'in_review' } });
    expect(events.map((e) => e.seq)).toEqual([events[0]!.seq, events[0]!.seq + 1]);
  });

  it('leaves the status alone without backToWork (a restart moves the task itself)', () => {
    const { store, project } = storeWithTask();
    const { events } = store.recordReview(project.id, 1, { attempt: 1, comment: 'x', backToWork: false });
    expect(events.map((e) => e.name)).toEqual(['task.reviewed']);
    expect(store.getTask(project.id, 1).status).toBe('todo');
  });
});

describe('recordMerge', () => {
  it('walks a working task through review to done and logs the merge after the moves', () => {
    const { store, project } = storeWithTask();
    store.createSession(project.id, 1, launchInput());
    const { task, events } = store.recordMerge(project.id, 1, { attempt: 1, branch: 'vibe/1-fix-login', commit: 'abc', mode: 'squash' });
    expect(task.status).toBe('done');
    expect(events.map((e) => (e.name === 'task.moved' ? `moved ${e.data.from}→${e.data.task.status}` : e.name))).toEqual([
      'moved in_progress→in_review',
      'moved in_review→done',
      'task.merged',
    ]);
    for (const event of events) expect(EventData.parse({ name: event.name, data: event.data })).toBeTruthy();
  });

  it('refuses a done or cancelled task and writes nothing', () => {
    const { store, project } = storeWithTask();
    store.moveTask(project.id, 1, 'cancelled');
    const seq = store.lastEventSeq();
    expect(() => store.recordMerge(project.id, 1, { attempt: 1, branch: 'b', commit: 'c', mode: 'merge' })).toThrow(/cancelled; it cannot be merged/);
    expect(store.lastEventSeq()).toBe(seq);
  });
});

describe('taskEvents', () => {
  it('lists one task\'s events oldest first, also after it was removed, and nothing of other tasks', () => {
    const { store, project } = storeWithTask();
    store.createTask(project.id, { title: 'other' });
    store.moveTask(project.id, 1, 'in_progress');
    store.moveTask(project.id, 2, 'in_progress');
    store.removeTask(project.id, 1);
    expect(store.taskEvents(project.id, 1).map((e) => e.name)).toEqual(['task.created', 'task.moved', 'task.removed']);
    expect(store.taskEvents(project.id, 2).map((e) => e.name)).toEqual(['task.created', 'task.moved']);
  });
});
