// Tasks: numbering, listing, counting, updating and removing, in their wire shapes.
import { ProtocolError, TASK_STATUSES, Task } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { TASK_SELECT } from './tasks.js';
import { openStore, otherConnection, tempStore } from './temp-store.js';

function twoProjects() {
  const { store, path } = tempStore();
  const api = store.registerProject({ path: '/src/api', baseBranch: 'main' }).project;
  const web = store.registerProject({ path: '/src/web', baseBranch: 'main' }).project;
  return { store, path, api, web };
}

describe('creating tasks', () => {
  it('returns the task in todo, in its wire shape, with a task.created event', () => {
    const { store, api } = twoProjects();
    const { task, event } = store.createTask(api.id, { title: 'Fix the login test', agent: 'claude' });
    expect(task).toEqual({
      project: 'api',
      projectId: api.id,
      number: 1,
      title: 'Fix the login test',
      description: '',
      agent: 'claude',
      status: 'todo',
      createdAt: '2026-01-01T00:00:02.000Z',
      updatedAt: '2026-01-01T00:00:02.000Z',
      attempts: 0,
      session: null,
    });
    expect(Task.parse(task)).toEqual(task);
    expect(event).toEqual({ seq: 3, at: task.createdAt, name: 'task.created', data: { task } });
    expect(store.getTask(api.id, 1)).toEqual(task);
  });

  it('numbers tasks per project, from 1', () => {
    const { store, api, web } = twoProjects();
    const numbers = [api, web, api, api, web].map((p) => `${p.name}#${store.createTask(p.id, { title: 't' }).task.number}`);
    expect(numbers).toEqual(['api#1', 'web#1', 'api#2', 'api#3', 'web#2']);
  });

  it('never reuses a number, even after the newest task is removed and the store reopened', () => {
    const { store, path, api } = twoProjects();
    store.createTask(api.id, { title: 'one' });
    store.createTask(api.id, { title: 'two' });
    store.removeTask(api.id, 2);
    expect(store.createTask(api.id, { title: 'three' }).task.number).toBe(3);
    store.removeTask(api.id, 3);
    store.close();
    const again = openStore({ path });
    expect(again.createTask(api.id, { title: 'four' }).task.number).toBe(4);
    expect(again.listTasks().map((t) => t.number)).toEqual([1, 4]);
  });

  it('hands out distinct numbers when two connections (two daemons) write the same project in turn', () => {
    const { store, path, api } = twoProjects();
    const second = openStore({ path });
    const numbers = [store, second, second, store, second].map((s) => s.createTask(api.id, { title: 't' }).task.number);
    expect(numbers).toEqual([1, 2, 3, 4, 5]);
    expect(store.listTasks({ projectId: api.id })).toHaveLength(5);
  });

  it('refuses a project that does not exist, writing nothing', () => {
    const { store } = twoProjects();
    expect(() => store.createTask(99, { title: 't' })).toThrow(expect.objectContaining({ code: 'not_found', message: 'no project with id 99' }));
    expect(store.listTasks()).toEqual([]);
    expect(store.lastEventSeq()).toBe(2);
  });
});

describe('reading tasks', () => {
  it('lists by project name then number, filtered by project and by statuses', () => {
    const { store, api, web } = twoProjects();
    store.createTask(web.id, { title: 'w1' });
    store.createTask(api.id, { title: 'a1' });
    store.createTask(api.id, { title: 'a2' });
    store.moveTask(api.id, 2, 'in_progress');
    store.moveTask(web.id, 1, 'cancelled');
    const ids = (tasks: Task[]) => tasks.map((t) => `${t.project}#${t.number}`);
    expect(ids(store.listTasks())).toEqual(['api#1', 'api#2', 'web#1']);
    expect(ids(store.listTasks({ projectId: web.id }))).toEqual(['web#1']);
    expect(ids(store.listTasks({ statuses: ['in_progress', 'cancelled'] }))).toEqual(['api#2', 'web#1']);
    expect(ids(store.listTasks({ projectId: api.id, statuses: ['todo'] }))).toEqual(['api#1']);
    expect(store.listTasks({ statuses: [] })).toEqual([]);
  });

  it('says which task and project were not found', () => {
    const { store, api } = twoProjects();
    expect(() => store.getTask(api.id, 7)).toThrow(
      new ProtocolError('not_found', 'no task 7 in project "api"', { project: 'api', number: 7 }),
    );
    expect(() => store.getTask(99, 7)).toThrow(new ProtocolError('not_found', 'no project with id 99'));
  });

  it('lists 1,000 tasks, each with sessions, with one indexed lookup per task (its speed is a benchmark, not a test)', () => {
    const { store, path, api } = twoProjects();
    const db = otherConnection(path);
    const insert = db.prepare(
      "INSERT INTO tasks (project_id, number, title, description, status, next_attempt, created_at, updated_at) VALUES (?, ?, ?, ?, 'in_review', 4, 'x', 'x')",
    );
    const insertSession = db.prepare(
      `INSERT INTO sessions (task_id, attempt, agent, state, host, host_name, branch, worktree, cols, rows, hook_token, started_at, last_activity_at)
       VALUES (?, ?, 'claude', 'idle', 'tmux', 'vibe_x', 'vibe/x', '/w/x', 80, 24, 'token', 'x', 'x')`,
    );
    db.transaction(() => {
      for (let n = 1; n <= 1000; n += 1) {
        const taskId = insert.run(api.id, n, `task ${n}`, 'a description of moderate length '.repeat(5)).lastInsertRowid;
        for (let attempt = 1; attempt <= 3; attempt += 1) insertSession.run(taskId, attempt);
      }
    })();
    const tasks = store.listTasks();
    expect(tasks).toHaveLength(1000);
    expect(tasks.every((t) => t.attempts === 3 && t.session?.attempt === 3 && t.session.state === 'idle')).toBe(true);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${TASK_SELECT} WHERE t.project_id = 1`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan).toMatch(/SEARCH s USING INDEX \S+ \(task_id=\? AND attempt=\?\)/);
  });

  it('counts tasks by status, overall and per project, with every status present', () => {
    const { store, api, web } = twoProjects();
    const lone = store.registerProject({ path: '/src/lone', baseBranch: 'main' }).project;
    store.createTask(api.id, { title: 'a1' });
    store.createTask(api.id, { title: 'a2' });
    store.createTask(web.id, { title: 'w1' });
    store.moveTask(api.id, 2, 'in_progress');
    const zero = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0]));
    const counts = store.taskCounts();
    expect(counts.total).toEqual({ ...zero, todo: 2, in_progress: 1 });
    expect(counts.byProject).toEqual(
      new Map([
        [api.id, { ...zero, todo: 1, in_progress: 1 }],
        [web.id, { ...zero, todo: 1 }],
        [lone.id, zero],
      ]),
    );
  });
});

describe('updating tasks', () => {
  it('changes the fields given and logs task.updated listing only what actually changed', () => {
    const { store, api } = twoProjects();
    store.createTask(api.id, { title: 'old', description: 'same', agent: 'codex' });
    const { task, event } = store.updateTask(api.id, 1, { title: 'new', description: 'same', agent: null });
    expect(task).toMatchObject({ title: 'new', description: 'same', agent: null, updatedAt: '2026-01-01T00:00:03.000Z' });
    expect(task.createdAt).toBe('2026-01-01T00:00:02.000Z');
    expect(event).toEqual({ seq: 4, at: task.updatedAt, name: 'task.updated', data: { task, changed: ['title', 'agent'] } });
    expect(store.getTask(api.id, 1)).toEqual(task);
  });

  it('writes nothing and logs nothing when no field differs', () => {
    const { store, api } = twoProjects();
    const { task } = store.createTask(api.id, { title: 'same', agent: 'claude' });
    const result = store.updateTask(api.id, 1, { title: 'same', agent: 'claude' });
    expect(result).toEqual({ task });
    expect(store.updateTask(api.id, 1, {})).toEqual({ task });
    expect(store.getTask(api.id, 1).updatedAt).toBe(task.updatedAt);
    expect(store.lastEventSeq()).toBe(3);
  });

  it('sets an agent on a task that had none', () => {
    const { store, api } = twoProjects();
    store.createTask(api.id, { title: 't' });
    expect(store.updateTask(api.id, 1, { agent: 'gemini' }).event?.data.changed).toEqual(['agent']);
  });

  it('refuses an unknown task with not_found', () => {
    const { store, api } = twoProjects();
    expect(() => store.updateTask(api.id, 5, { title: 'x' })).toThrow(expect.objectContaining({ code: 'not_found' }));
  });
});

describe('removing tasks', () => {
  it('deletes the row and keeps the whole task in the task.removed event', () => {
    const { store, api } = twoProjects();
    store.createTask(api.id, { title: 'doomed', description: 'all of it', agent: 'claude' });
    const before = store.getTask(api.id, 1);
    const { task, event } = store.removeTask(api.id, 1);
    expect(task).toEqual(before);
    expect(event).toMatchObject({ name: 'task.removed', data: { task: before } });
    expect(store.eventsSince(0, { names: ['task.removed'] })).toEqual([event]);
    expect(store.listTasks()).toEqual([]);
    expect(() => store.removeTask(api.id, 1)).toThrow(expect.objectContaining({ code: 'not_found' }));
  });
});
