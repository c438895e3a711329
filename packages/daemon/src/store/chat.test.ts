// Chat messages and client ids (schema 5): stored once per client id, paged newest first, kept across reopening.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ChatMessage } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { ChatTable } from './chat.js';
import { MIGRATIONS, SCHEMA_VERSION } from './index.js';
import { connectionOf, openStore, otherConnection, tempDir, tempStore } from './temp-store.js';

function twoProjects() {
  const { store, path } = tempStore();
  const api = store.registerProject({ path: '/src/api', baseBranch: 'main' }).project;
  const web = store.registerProject({ path: '/src/web', baseBranch: 'main' }).project;
  return { store, path, api, web };
}

const alice = { label: 'alice', kind: 'view' } as const;
const owner = { label: 'dev', kind: 'local' } as const;

describe('chat messages', () => {
  it('are stored with their sender and project and listed oldest first, without an event', () => {
    const { store, api } = twoProjects();
    const first = store.postChat({ projectId: api.id, from: alice, text: 'is #3 done?' });
    const second = store.postChat({ projectId: api.id, from: owner, text: 'almost\n\tone test left' });
    expect(first).toEqual({ duplicate: false, message: { id: 1, project: 'api', from: alice, text: 'is #3 done?', at: '2026-01-01T00:00:02.000Z' } });
    expect(ChatMessage.parse(second.message)).toEqual(second.message);
    expect(store.listChat(api.id)).toEqual([first.message, second.message]);
    expect(store.lastEventSeq()).toBe(2);
  });

  it('keep each project to its own conversation', () => {
    const { store, api, web } = twoProjects();
    store.postChat({ projectId: api.id, from: alice, text: 'api' });
    store.postChat({ projectId: web.id, from: alice, text: 'web' });
    expect(store.listChat(web.id).map((message) => [message.project, message.text])).toEqual([['web', 'web']]);
  });

  it('store a post once per client id in a project, answering a repeat with the first as a duplicate', () => {
    const { store, api, web } = twoProjects();
    const first = store.postChat({ projectId: api.id, from: alice, text: 'queued offline', clientId: 'offline-0001' });
    const again = store.postChat({ projectId: api.id, from: alice, text: 'queued offline', clientId: 'offline-0001' });
    expect(again).toEqual({ message: first.message, duplicate: true });
    // The same id in another project is another request.
    expect(store.postChat({ projectId: web.id, from: alice, text: 'other', clientId: 'offline-0001' }).duplicate).toBe(false);
    expect(store.postChat({ projectId: api.id, from: alice, text: 'no id' }).duplicate).toBe(false);
    expect(store.postChat({ projectId: api.id, from: alice, text: 'no id' }).duplicate).toBe(false);
    expect(store.listChat(api.id).map((message) => message.text)).toEqual(['queued offline', 'no id', 'no id']);
  });

  it('page back from the newest: a limit, and the messages before an id', () => {
    const { store, api } = twoProjects();
    for (let i = 1; i <= 7; i++) store.postChat({ projectId: api.id, from: owner, text: `m${i}` });
    const texts = (options: { limit?: number; before?: number }) => store.listChat(api.id, options).map((message) => message.text);
    expect(texts({ limit: 3 })).toEqual(['m5', 'm6', 'm7']);
    expect(texts({ limit: 3, before: 5 })).toEqual(['m2', 'm3', 'm4']);
    expect(texts({ before: 3 })).toEqual(['m1', 'm2']);
    expect(texts({ before: 1 })).toEqual([]);
  });

  it('keep a project to its newest messages, dropping the oldest of that project only', () => {
    const { store, api, web } = twoProjects();
    const table = new ChatTable(connectionOf(store), 3);
    table.post({ projectId: web.id, from: alice, text: 'web stays' }, '2026-01-01T00:00:00.000Z');
    for (let i = 1; i <= 5; i++) table.post({ projectId: api.id, from: owner, text: `m${i}` }, '2026-01-01T00:00:00.000Z');
    expect(table.list(api.id).map((message) => message.text)).toEqual(['m3', 'm4', 'm5']);
    expect(table.list(web.id).map((message) => message.text)).toEqual(['web stays']);
  });

  it('refuse text that could not come back as sent, and a project that does not exist', () => {
    const { store, api } = twoProjects();
    expect(() => store.postChat({ projectId: api.id, from: alice, text: 'lone \ud800' })).toThrow(expect.objectContaining({ code: 'invalid_params' }));
    expect(() => store.postChat({ projectId: 99, from: alice, text: 'hi' })).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(store.listChat(api.id)).toEqual([]);
  });

  it('survive closing and reopening the store', () => {
    const { store, path, api } = twoProjects();
    store.postChat({ projectId: api.id, from: alice, text: 'still here', clientId: 'offline-0002' });
    store.close();
    const again = openStore({ path });
    expect(again.listChat(api.id).map((message) => message.text)).toEqual(['still here']);
    expect(again.postChat({ projectId: api.id, from: alice, text: 'still here', clientId: 'offline-0002' }).duplicate).toBe(true);
  });

  it('are held by the schema to their kinds and lengths, whoever writes', () => {
    const { store, path, api } = twoProjects();
    store.postChat({ projectId: api.id, from: alice, text: 'ok' });
    const db = otherConnection(path);
    const insert = db.prepare("INSERT INTO chat_messages (project_id, sender_label, sender_kind, text, client_id, created_at) VALUES (?, 'x', ?, ?, ?, 'x')");
    expect(() => insert.run(api.id, 'admin', 'hi', null)).toThrow(/CHECK constraint failed/);
    expect(() => insert.run(api.id, 'view', '', null)).toThrow(/CHECK constraint failed/);
    expect(() => insert.run(api.id, 'view', 'x'.repeat(4001), null)).toThrow(/CHECK constraint failed/);
    expect(() => insert.run(api.id, 'view', 'hi', 'short')).toThrow(/CHECK constraint failed/);
  });
});

describe('task.create once per client id', () => {
  it('makes the task once: a repeat answers it as a duplicate, with no event and no number used', () => {
    const { store, api } = twoProjects();
    const first = store.createTaskOnce(api.id, { title: 'From the phone' }, 'create-0001');
    expect(first).toMatchObject({ duplicate: false, task: { number: 1, title: 'From the phone' }, event: { name: 'task.created' } });
    const seq = store.lastEventSeq();
    const again = store.createTaskOnce(api.id, { title: 'From the phone' }, 'create-0001');
    expect(again).toEqual({ task: first.task, duplicate: true });
    expect(store.lastEventSeq()).toBe(seq);
    expect(store.createTask(api.id, { title: 'next' }).task.number).toBe(2);
  });

  it('treats the same id in another project as another request', () => {
    const { store, api, web } = twoProjects();
    store.createTaskOnce(api.id, { title: 'a' }, 'create-0001');
    expect(store.createTaskOnce(web.id, { title: 'w' }, 'create-0001')).toMatchObject({ duplicate: false, task: { project: 'web', number: 1 } });
  });

  it('tells a late repeat that the task it made was removed, instead of making it again', () => {
    const { store, api } = twoProjects();
    store.createTaskOnce(api.id, { title: 'gone soon' }, 'create-0001');
    store.removeTask(api.id, 1);
    expect(() => store.createTaskOnce(api.id, { title: 'gone soon' }, 'create-0001')).toThrow(
      expect.objectContaining({ code: 'not_found', message: 'task 1, which an earlier request with this clientId created, was removed since' }),
    );
    expect(store.listTasks({ projectId: api.id })).toEqual([]);
  });
});

describe('migration 4 → 5', () => {
  it('keeps every project, task and event, and starts every conversation empty', () => {
    const path = join(tempDir(), 'vibe.db');
    const db = new Database(path);
    for (const migration of MIGRATIONS.filter((m) => m.version <= 4)) db.exec(migration.sql);
    db.pragma('user_version = 4');
    db.prepare("INSERT INTO projects (id, name, path, base_branch, next_task_number, created_at) VALUES (1, 'app', '/src/app', 'main', 2, '2026-01-01T00:00:00.000Z')").run();
    db.prepare("INSERT INTO tasks (project_id, number, title, created_at, updated_at) VALUES (1, 1, 'kept', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')").run();
    db.prepare("INSERT INTO events (at, name, project_id, data) VALUES ('2026-01-01T00:00:00.000Z', 'project.registered', 1, '{}')").run();
    db.close();

    const store = openStore({ path });
    expect(store.backup).toMatch(/vibe-schema4-/);
    expect(otherConnection(path).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.listTasks().map((task) => task.title)).toEqual(['kept']);
    expect(store.lastEventSeq()).toBe(1);
    expect(store.listChat(1)).toEqual([]);
    expect(store.postChat({ projectId: 1, from: owner, text: 'first' }).message.id).toBe(1);
    expect(store.createTaskOnce(1, { title: 'second' }, 'create-0001').task.number).toBe(2);
    expect(store.integrityCheck()).toBe('ok');
  });
});
