// Numbered migrations: building the schema, re-opening, refusing a newer schema, reference data.
import { copyFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { AGENT_STATES, EventData, TASK_STATUSES, TASK_TRANSITIONS } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION, Store, StoreError } from './index.js';
import { backUpBeforeMigrating, KEPT_BACKUPS } from './migrations.js';
import { launchInput, openStore, otherConnection, tempDir, tempStore } from './temp-store.js';

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
      'index approvals_by_session',
      'index approvals_pending',
      'index chat_messages_by_project',
      'index events_by_task',
      'index inbox_by_task',
      'index links_newest_first',
      'table approvals',
      'table chat_messages',
      'table events',
      'table inbox_messages',
      'table links',
      'table projects',
      'table relay_settings',
      'table sessions',
      'table task_client_ids',
      'table task_transitions',
      'table tasks',
      'trigger approvals_answered_once',
      'trigger events_no_delete',
      'trigger events_no_update',
      'trigger inbox_read_is_final',
      'trigger links_revocation_is_final',
      'trigger relay_settings_no_delete',
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

  it('allow exactly the states in AGENT_STATES in the sessions table', () => {
    const { store, path } = tempStore();
    const { project } = store.registerProject({ path: '/src/app', baseBranch: 'main' });
    store.createTask(project.id, { title: 't' });
    const { session } = store.createSession(project.id, 1, launchInput());
    const db = otherConnection(path);
    const set = db.prepare('UPDATE sessions SET state = ? WHERE id = ?');
    for (const state of AGENT_STATES.filter((s) => s !== 'exited')) expect(() => set.run(state, session.id)).not.toThrow();
    expect(() => set.run('sleeping', session.id)).toThrow(/CHECK constraint failed/);
    // exited also needs an end time (its own CHECK).
    expect(() => db.prepare("UPDATE sessions SET state = 'exited', ended_at = 'x' WHERE id = ?").run(session.id)).not.toThrow();
  });
});

/** A database exactly as schema 1 left it: a project, tasks in three statuses, and their events in 1.0 shapes. */
function schemaOneDatabase(path: string): void {
  const db = new Database(path);
  const first = MIGRATIONS.find((m) => m.version === 1);
  if (!first) throw new Error('migration 1 is missing');
  db.exec(first.sql);
  db.pragma('user_version = 1');
  const project = { id: 1, name: 'app', path: '/src/app', baseBranch: 'main', createdAt: '2025-12-01T00:00:00.000Z' };
  db.prepare('INSERT INTO projects (id, name, path, base_branch, next_task_number, created_at) VALUES (1, ?, ?, ?, 4, ?)').run(
    project.name,
    project.path,
    project.baseBranch,
    project.createdAt,
  );
  const insertTask = db.prepare(
    "INSERT INTO tasks (project_id, number, title, description, agent, status, created_at, updated_at) VALUES (1, ?, ?, ?, ?, ?, '2025-12-02T00:00:00.000Z', '2025-12-03T00:00:00.000Z')",
  );
  const insertEvent = db.prepare("INSERT INTO events (at, name, project_id, task_number, data) VALUES ('2025-12-02T00:00:00.000Z', ?, 1, ?, ?)");
  insertEvent.run('project.registered', null, JSON.stringify({ project }));
  for (const [number, status, agent] of [[1, 'todo', null], [2, 'in_review', 'codex'], [3, 'done', 'claude']] as const) {
    insertTask.run(number, `task ${number}`, `about ${number}`, agent, status);
    const task = {
      project: 'app',
      projectId: 1,
      number,
      title: `task ${number}`,
      description: `about ${number}`,
      agent,
      status,
      createdAt: '2025-12-02T00:00:00.000Z',
      updatedAt: '2025-12-03T00:00:00.000Z',
    };
    insertEvent.run('task.created', number, JSON.stringify({ task: { ...task, status: 'todo' } }));
  }
  db.close();
}

describe('opening a database of another schema', () => {
  it('refuses a newer one without a single byte of it changing: no journal switch, no checkpoint', () => {
    // As a newer vibe that was killed leaves it: its schema and last writes still in the WAL, not in the file.
    const written = join(tempDir(), 'vibe.db');
    openStore({ path: written }).close();
    const newer = new Database(written);
    newer.pragma('wal_autocheckpoint = 0');
    newer.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    newer.exec("INSERT INTO projects (name, path, base_branch, created_at) VALUES ('future', '/f', 'main', '2027-01-01T00:00:00.000Z')");
    const path = join(tempDir(), 'vibe.db');
    copyFileSync(written, path);
    copyFileSync(`${written}-wal`, `${path}-wal`);
    newer.close();
    const before = readFileSync(path);
    expect(() => Store.open({ path })).toThrow(/written by a newer vibe \(schema \d+/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('backs up an older one before migrating it, in backups/ beside it, private, with the old schema inside', () => {
    const dir = tempDir();
    const path = join(dir, 'vibe.db');
    schemaOneDatabase(path);
    const store = openStore({ path });
    expect(store.backup).toMatch(new RegExp(`^${dir}/backups/vibe-schema1-\\d{8}T\\d{6}Z\\.db$`));
    expect(statSync(store.backup!).mode & 0o777).toBe(0o600);
    const copy = new Database(store.backup!, { readonly: true });
    expect(copy.pragma('user_version', { simple: true })).toBe(1);
    expect(copy.prepare('SELECT count(*) AS n FROM tasks').get()).toEqual({ n: 3 });
    copy.close();
    // Opening it again migrates nothing, so takes no second copy.
    store.close();
    expect(openStore({ path }).backup).toBeUndefined();
    expect(readdirSync(join(dir, 'backups'))).toHaveLength(1);
  });

  it(`keeps the ${KEPT_BACKUPS} newest backups`, () => {
    const dir = tempDir();
    const path = join(dir, 'vibe.db');
    schemaOneDatabase(path);
    const db = new Database(path);
    const taken = Array.from({ length: KEPT_BACKUPS + 2 }, (_, i) => backUpBeforeMigrating(db, path, 1, new Date(Date.UTC(2026, 0, 1, 0, 0, i))));
    db.close();
    expect(readdirSync(join(dir, 'backups')).sort()).toEqual(taken.slice(2).map((file) => basename(file)).sort());
  });

  it('takes no backup of a new database', () => {
    expect(openStore({ path: join(tempDir(), 'vibe.db') }).backup).toBeUndefined();
  });
});

describe('migration 1 → 2', () => {
  it('keeps every project, task and event; tasks have no attempts yet and projects the default settings', () => {
    const path = join(tempDir(), 'vibe.db');
    schemaOneDatabase(path);
    const store = openStore({ path });
    expect(otherConnection(path).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.getProject(1)).toEqual({
      id: 1,
      name: 'app',
      path: '/src/app',
      baseBranch: 'main',
      createdAt: '2025-12-01T00:00:00.000Z',
      settings: { setup: null, instructions: null, maxSessions: 8 },
    });
    expect(store.listTasks()).toEqual(
      ([[1, 'todo', null], [2, 'in_review', 'codex'], [3, 'done', 'claude']] as const).map(([number, status, agent]) => ({
        project: 'app',
        projectId: 1,
        number,
        title: `task ${number}`,
        description: `about ${number}`,
        agent,
        status,
        createdAt: '2025-12-02T00:00:00.000Z',
        updatedAt: '2025-12-03T00:00:00.000Z',
        attempts: 0,
        session: null,
      })),
    );
    expect(store.integrityCheck()).toBe('ok');
  });

  it('replays events logged by schema 1 in the 1.1 shapes, with the defaults of the day filled in', () => {
    const path = join(tempDir(), 'vibe.db');
    schemaOneDatabase(path);
    const events = openStore({ path }).eventsSince(0);
    expect(events.map((e) => e.name)).toEqual(['project.registered', 'task.created', 'task.created', 'task.created']);
    expect(events[0]).toMatchObject({ data: { project: { name: 'app', settings: { setup: null, instructions: null, maxSessions: 8 } } } });
    for (const event of events.slice(1)) expect(event).toMatchObject({ data: { task: { attempts: 0, session: null } } });
    for (const event of events) expect(EventData.parse({ name: event.name, data: event.data })).toEqual({ name: event.name, data: event.data });
  });

  it('leaves a migrated database ready for sessions: attempt 1 first, task numbers continuing', () => {
    const path = join(tempDir(), 'vibe.db');
    schemaOneDatabase(path);
    const store = openStore({ path });
    const { session, task } = store.createSession(1, 2, launchInput());
    expect(session).toMatchObject({ id: 1, attempt: 1, taskNumber: 2 });
    expect(task).toMatchObject({ status: 'in_progress', attempts: 1 });
    expect(store.createTask(1, { title: 'next' }).task.number).toBe(4);
  });
});

describe('migration 3 → 4', () => {
  /** A database as schema 3 left it, with a project and a task. */
  function schemaThreeDatabase(path: string): void {
    const db = new Database(path);
    for (const migration of MIGRATIONS.filter((m) => m.version <= 3)) db.exec(migration.sql);
    db.pragma('user_version = 3');
    db.prepare("INSERT INTO projects (id, name, path, base_branch, next_task_number, created_at) VALUES (1, 'app', '/src/app', 'main', 2, '2026-01-01T00:00:00.000Z')").run();
    db.prepare("INSERT INTO tasks (project_id, number, title, created_at, updated_at) VALUES (1, 1, 'kept', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')").run();
    db.close();
  }

  it('adds no links and a relay that is off, keeping every task', () => {
    const path = join(tempDir(), 'vibe.db');
    schemaThreeDatabase(path);
    const store = openStore({ path });
    expect(otherConnection(path).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.listLinks()).toEqual([]);
    expect(store.relaySettings()).toEqual({ enabled: false, url: null, embeddedHost: null, embeddedPort: null });
    expect(store.listTasks().map((task) => task.title)).toEqual(['kept']);
    expect(store.integrityCheck()).toBe('ok');
  });

  it('lets no connection add a second settings row, delete the row, or revive a revoked link', () => {
    const { store, path } = tempStore();
    store.createLink({ id: 'AAAAAAAAAAA', label: 'phone', kind: 'view', createdAt: '2026-01-01T00:00:00.000Z' });
    store.revokeLink('AAAAAAAAAAA', '2026-01-02T00:00:00.000Z');
    const db = otherConnection(path);
    expect(() => db.exec('INSERT INTO relay_settings (id) VALUES (2)')).toThrow(/CHECK constraint failed/);
    expect(() => db.exec('DELETE FROM relay_settings')).toThrow(/never deleted/);
    expect(() => db.exec("UPDATE links SET revoked_at = NULL WHERE id = 'AAAAAAAAAAA'")).toThrow(/stays revoked/);
    expect(() => db.exec("INSERT INTO links (id, label, kind, created_at) VALUES ('B', 'x', 'admin', 'x')")).toThrow(/CHECK constraint failed/);
    expect(() => db.exec('UPDATE relay_settings SET embedded_port = 70000')).toThrow(/CHECK constraint failed/);
    expect(store.getLink('AAAAAAAAAAA')).toMatchObject({ revokedAt: '2026-01-02T00:00:00.000Z' });
  });
});
