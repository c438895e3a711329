// Numbered migrations: building the schema, re-opening, refusing a newer schema, reference data.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { TASK_STATUSES, TASK_TRANSITIONS } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION, Store, StoreError } from './index.js';
import { openStore, otherConnection, tempDir, tempStore } from './temp-store.js';

function objects(db: Database.Database): string[] {
  return (db.prepare("SELECT type || ' ' || name AS o FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY 1").all() as { o: string }[]).map(
    (row) => row.o,
  );
}

describe('migrations', () => {
  it('are numbered 1, 2, 3, … with no gaps, and the newest is the schema version', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('build the whole schema in an empty file and record the version in user_version', () => {
    const { path } = tempStore();
    const db = otherConnection(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(objects(db)).toEqual([
      'table events',
      'table projects',
      'table sessions',
      'table task_transitions',
      'table tasks',
      'trigger events_no_delete',
      'trigger events_no_update',
      'trigger sessions_exited_is_final',
      'trigger tasks_legal_transition',
    ]);
  });

  it('do nothing on re-open: same schema, same version, same rows, no events', () => {
    const { store, path } = tempStore();
    const { project } = store.registerProject({ path: '/src/app', baseBranch: 'main' });
    store.createTask(project.id, { title: 'one' });
    store.close();
    const before = objects(otherConnection(path));
    const again = openStore({ path });
    expect(objects(otherConnection(path))).toEqual(before);
    expect(otherConnection(path).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(again.listTasks().map((t) => t.title)).toEqual(['one']);
    expect(again.lastEventSeq()).toBe(2);
  });

  it('refuse a database written by a newer vibe, naming both schema versions, and leave it untouched', () => {
    const path = join(tempDir(), 'vibe.db');
    const newer = new Database(path);
    newer.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    newer.close();
    let error: unknown;
    try {
      Store.open({ path });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({
      code: 'STORE_SCHEMA_TOO_NEW',
      message: `database ${path} was written by a newer vibe (schema ${SCHEMA_VERSION + 5}, this build knows ${SCHEMA_VERSION}); upgrade vibe`,
    });
    const db = otherConnection(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 5);
    expect(objects(db)).toEqual([]);
  });

  it('allow exactly the statuses in TASK_STATUSES in the tasks table', () => {
    const { store, path } = tempStore();
    const { project } = store.registerProject({ path: '/src/app', baseBranch: 'main' });
    const db = otherConnection(path);
    const insert = db.prepare(
      "INSERT INTO tasks (project_id, number, title, status, created_at, updated_at) VALUES (?, ?, 't', ?, 'x', 'x')",
    );
    TASK_STATUSES.forEach((status, i) => expect(() => insert.run(project.id, i + 1, status)).not.toThrow());
    expect(() => insert.run(project.id, 99, 'blocked')).toThrow(/CHECK constraint failed/);
  });

  it('fill task_transitions from TASK_TRANSITIONS, and put it back on open if it was changed', () => {
    const { store, path } = tempStore();
    const pairs = (db: Database.Database): string[] =>
      (db.prepare('SELECT from_status || \'>\' || to_status AS p FROM task_transitions ORDER BY 1').all() as { p: string }[]).map((r) => r.p);
    const expected = TASK_STATUSES.flatMap((from) => TASK_TRANSITIONS[from].map((to) => `${from}>${to}`)).sort();
    const db = otherConnection(path);
    expect(pairs(db)).toEqual(expected);
    db.exec("INSERT INTO task_transitions VALUES ('done', 'todo')");
    db.exec("DELETE FROM task_transitions WHERE from_status = 'todo'");
    store.close();
    openStore({ path });
    expect(pairs(db)).toEqual(expected);
  });
});
