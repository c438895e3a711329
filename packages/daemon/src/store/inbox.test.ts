// Task inboxes in the store: posting, reading as the receipt, what is refused, and migration 6 on an older database.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EventData } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION } from './index.js';
import { openStore, otherConnection, storeWithTask, tempDir } from './temp-store.js';

/** A store with project "app" and tasks 1 (the receiver) and 2 (the sender). */
function twoTasks() {
  const fixture = storeWithTask();
  fixture.store.createTask(fixture.project.id, { title: 'Change the API' });
  return fixture;
}

describe('an inbox', () => {
  it('keeps a message from another task, unread, and logs inbox.posted in the receiver\'s history', () => {
    const { store, project } = twoTasks();
    const { message, event } = store.postInbox(project.id, { to: 1, fromTask: 2, text: 'The API returns 401 now.' });
    expect(message).toEqual({
      id: 1,
      project: 'app',
      to: 1,
      from: { task: 2, label: 'task 2' },
      text: 'The API returns 401 now.',
      at: message.at,
      readAt: null,
    });
    expect(event).toMatchObject({ name: 'inbox.posted', data: { message } });
    expect(store.taskEvents(project.id, 1).at(-1)).toEqual(event);
    expect(store.readInbox(project.id, 1, { markRead: false }).messages).toEqual([message]);
  });

  it('marks what it returns read on reading, logs the receipt once, and then reads empty', () => {
    const { store, project } = twoTasks();
    const first = store.postInbox(project.id, { to: 1, fromTask: 2, text: 'one' }).message;
    const second = store.postInbox(project.id, { to: 1, text: 'two', fromLabel: 'alice' }).message;
    const read = store.readInbox(project.id, 1);
    const at = read.event!.at;
    expect(read.messages).toEqual([
      { ...first, readAt: at },
      { ...second, from: { task: null, label: 'alice' }, readAt: at },
    ]);
    expect(read.event).toMatchObject({ name: 'inbox.read', data: { project: 'app', to: 1, ids: [first.id, second.id], at } });
    expect(EventData.parse({ name: read.event!.name, data: read.event!.data })).toBeTruthy();
    expect(store.readInbox(project.id, 1)).toEqual({ messages: [] });
    // The whole inbox, read ones included, without marking anything or logging again.
    const seq = store.lastEventSeq();
    expect(store.readInbox(project.id, 1, { unreadOnly: false }).messages.map((m) => m.readAt)).toEqual([at, at]);
    expect(store.lastEventSeq()).toBe(seq);
  });

  it('leaves messages unread when asked to only look, and other tasks\' inboxes alone', () => {
    const { store, project } = twoTasks();
    store.postInbox(project.id, { to: 1, fromTask: 2, text: 'for one' });
    store.postInbox(project.id, { to: 2, fromTask: 1, text: 'for two' });
    expect(store.readInbox(project.id, 1, { markRead: false }).event).toBeUndefined();
    expect(store.readInbox(project.id, 1).messages.map((m) => m.text)).toEqual(['for one']);
    expect(store.readInbox(project.id, 2, { markRead: false }).messages.map((m) => [m.text, m.readAt])).toEqual([['for two', null]]);
  });

  it('refuses a missing receiver or sender and a task posting to itself, writing nothing', () => {
    const { store, project } = twoTasks();
    const seq = store.lastEventSeq();
    expect(() => store.postInbox(project.id, { to: 9, fromTask: 2, text: 'x' })).toThrow(expect.objectContaining({ code: 'not_found', message: 'no task 9 in project "app"' }));
    expect(() => store.postInbox(project.id, { to: 1, fromTask: 9, text: 'x' })).toThrow(expect.objectContaining({ code: 'not_found', message: 'no task 9 in project "app" to send from' }));
    expect(() => store.postInbox(project.id, { to: 1, fromTask: 1, text: 'x' })).toThrow(expect.objectContaining({ code: 'invalid_params' }));
    expect(() => store.postInbox(project.id, { to: 1, text: 'bad \ud800' })).toThrow(expect.objectContaining({ code: 'invalid_params' }));
    expect(() => store.readInbox(project.id, 9)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(store.lastEventSeq()).toBe(seq);
    expect(store.readInbox(project.id, 1, { markRead: false }).messages).toEqual([]);
  });

  it('goes with its task when the task is removed, while the log keeps what was posted', () => {
    const { store, project, path } = twoTasks();
    store.postInbox(project.id, { to: 1, fromTask: 2, text: 'gone with task 1' });
    store.removeTask(project.id, 1);
    expect(otherConnection(path).prepare('SELECT count(*) AS n FROM inbox_messages').get()).toEqual({ n: 0 });
    expect(store.taskEvents(project.id, 1).map((e) => e.name)).toContain('inbox.posted');
  });

  it('lets no connection change a read message or unread it', () => {
    const { store, project, path } = twoTasks();
    store.postInbox(project.id, { to: 1, fromTask: 2, text: 'final' });
    const db = otherConnection(path);
    expect(() => db.exec("UPDATE inbox_messages SET text = 'changed'")).toThrow(/changes only once/);
    store.readInbox(project.id, 1);
    expect(() => db.exec('UPDATE inbox_messages SET read_at = NULL')).toThrow(/changes only once/);
  });

  it('survives closing and reopening the database', () => {
    const { store, project, path } = twoTasks();
    store.postInbox(project.id, { to: 1, fromTask: 2, text: 'still here' });
    store.close();
    expect(openStore({ path }).readInbox(project.id, 1).messages.map((m) => m.text)).toEqual(['still here']);
  });
});

describe('migration 6 (inboxes) on a database of the schema before it', () => {
  it('keeps every project, task and session, and leaves inboxes empty and ready', () => {
    const path = join(tempDir(), 'vibe.db');
    // Whatever came before 6 (4, or 5 once the chat migration is in), with rows in the tables 4 made.
    const before = MIGRATIONS.filter((m) => m.version < 6);
    const db = new Database(path);
    for (const migration of before) db.exec(migration.sql);
    db.pragma(`user_version = ${Math.max(...before.map((m) => m.version))}`);
    db.prepare("INSERT INTO projects (id, name, path, base_branch, next_task_number, created_at) VALUES (1, 'app', '/src/app', 'main', 3, '2026-01-01T00:00:00.000Z')").run();
    const task = db.prepare("INSERT INTO tasks (project_id, number, title, status, next_attempt, created_at, updated_at) VALUES (1, ?, ?, ?, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')");
    task.run(1, 'receiver', 'in_progress', 2);
    task.run(2, 'sender', 'todo', 1);
    db.prepare(
      "INSERT INTO sessions (task_id, attempt, agent, host, host_name, branch, worktree, cols, rows, hook_token, started_at, last_activity_at) VALUES (1, 1, 'claude', 'tmux', 'vibe_1', 'vibe/1-receiver', '/w/1-1', 120, 36, 'secret', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
    ).run();
    db.close();

    const store = openStore({ path });
    expect(store.backup).toBeDefined();
    expect(otherConnection(path).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.listTasks().map((t) => [t.number, t.title, t.status, t.attempts, t.session?.state])).toEqual([
      [1, 'receiver', 'in_progress', 1, 'starting'],
      [2, 'sender', 'todo', 0, undefined],
    ]);
    expect(store.readInbox(1, 1, { markRead: false }).messages).toEqual([]);
    expect(store.postInbox(1, { to: 1, fromTask: 2, text: 'hello' }).message).toMatchObject({ id: 1, project: 'app', to: 1 });
    expect(store.createTask(1, { title: 'next' }).task.number).toBe(3);
    expect(store.integrityCheck()).toBe('ok');
  });
});
