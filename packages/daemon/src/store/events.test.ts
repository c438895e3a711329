// The append-only event log, and the rule that a change and its event commit together or not at all.
import { EventData } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { otherConnection, tempStore } from './temp-store.js';

function busyProject() {
  const { store, path } = tempStore();
  const { project } = store.registerProject({ path: '/src/app', baseBranch: 'main' });
  store.createTask(project.id, { title: 'one' });
  store.createTask(project.id, { title: 'two' });
  store.moveTask(project.id, 1, 'in_progress');
  store.updateTask(project.id, 2, { description: 'more' });
  store.removeTask(project.id, 2);
  return { store, path, project };
}

describe('the event log', () => {
  it('holds one event per change, numbered from 1 in order, each a valid protocol event', () => {
    const { store } = busyProject();
    const events = store.eventsSince(0);
    expect(events.map((e) => `${e.seq} ${e.name}`)).toEqual([
      '1 project.registered',
      '2 task.created',
      '3 task.created',
      '4 task.moved',
      '5 task.updated',
      '6 task.removed',
    ]);
    for (const event of events) expect(EventData.parse({ name: event.name, data: event.data })).toEqual({ name: event.name, data: event.data });
    expect(store.lastEventSeq()).toBe(6);
  });

  it('replays from a seq, filtered by names and capped by limit', () => {
    const { store } = busyProject();
    expect(store.eventsSince(3).map((e) => e.seq)).toEqual([4, 5, 6]);
    expect(store.eventsSince(0, { names: ['task.created', 'task.removed'] }).map((e) => e.seq)).toEqual([2, 3, 6]);
    expect(store.eventsSince(2, { names: ['task.created'] }).map((e) => e.seq)).toEqual([3]);
    expect(store.eventsSince(0, { limit: 2 }).map((e) => e.seq)).toEqual([1, 2]);
    expect(store.eventsSince(0, { names: [] })).toEqual([]);
    expect(store.eventsSince(6)).toEqual([]);
  });

  it('records where each event belongs in its own columns', () => {
    const { path, project } = busyProject();
    const rows = otherConnection(path).prepare('SELECT project_id, task_number FROM events ORDER BY seq').raw().all();
    expect(rows).toEqual([
      [project.id, null],
      [project.id, 1],
      [project.id, 2],
      [project.id, 1],
      [project.id, 2],
      [project.id, 2],
    ]);
  });

  it('starts empty at seq 0', () => {
    const { store } = tempStore();
    expect(store.lastEventSeq()).toBe(0);
    expect(store.eventsSince(0)).toEqual([]);
  });

  it('refuses UPDATE and DELETE on events from any connection', () => {
    const { store, path } = busyProject();
    const db = otherConnection(path);
    expect(() => db.exec("UPDATE events SET name = 'x' WHERE seq = 1")).toThrow('the event log is append-only');
    expect(() => db.exec('DELETE FROM events WHERE seq = 1')).toThrow('the event log is append-only');
    expect(() => db.exec('DELETE FROM events')).toThrow('the event log is append-only');
    expect(store.eventsSince(0)).toHaveLength(6);
  });
});

describe('atomicity', () => {
  it('rolls back the row change of every write when its event cannot be appended', () => {
    const { store, path, project } = busyProject();
    const before = { tasks: store.listTasks(), projects: store.listProjects(), seq: store.lastEventSeq() };
    const db = otherConnection(path);
    db.exec("CREATE TRIGGER fail_events BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'event insert failed'); END");

    expect(() => store.createTask(project.id, { title: 'three' })).toThrow('event insert failed');
    expect(() => store.moveTask(project.id, 1, 'in_review')).toThrow('event insert failed');
    expect(() => store.updateTask(project.id, 1, { title: 'renamed' })).toThrow('event insert failed');
    expect(() => store.removeTask(project.id, 1)).toThrow('event insert failed');
    expect(() => store.registerProject({ path: '/src/other', baseBranch: 'main' })).toThrow('event insert failed');

    expect({ tasks: store.listTasks(), projects: store.listProjects(), seq: store.lastEventSeq() }).toEqual(before);
    db.exec('DROP TRIGGER fail_events');
    // The failed create did not consume a number either.
    expect(store.createTask(project.id, { title: 'three' }).task.number).toBe(3);
  });
});
