// The numbered schema migrations, applied in order on open and tracked by PRAGMA user_version.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TASK_STATUSES, TASK_TRANSITIONS } from '@vibe/protocol';
import Database from 'better-sqlite3';
import { StoreError } from './errors.js';

// Not database.ts's Db: that module calls refuseNewerSchema, and imports stay one-way.
type Db = Database.Database;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * History, not configuration: a shipped migration is never edited, a change is a new entry. The status and
 * state lists in the CHECKs are therefore spelled out rather than built from TASK_STATUSES and AGENT_STATES
 * (tests hold them equal).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'projects, tasks, transitions and the event log',
    sql: `
      CREATE TABLE projects (
        id               INTEGER PRIMARY KEY,
        name             TEXT NOT NULL UNIQUE,
        path             TEXT NOT NULL UNIQUE,
        base_branch      TEXT NOT NULL,
        next_task_number INTEGER NOT NULL DEFAULT 1 CHECK (next_task_number > 0),
        created_at       TEXT NOT NULL,
        settings         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings))
      ) STRICT;

      CREATE TABLE tasks (
        id          INTEGER PRIMARY KEY,
        project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        number      INTEGER NOT NULL CHECK (number > 0),
        title       TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        agent       TEXT,
        status      TEXT NOT NULL DEFAULT 'todo'
                    CHECK (status IN ('todo', 'in_progress', 'in_review', 'done', 'cancelled')),
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        UNIQUE (project_id, number)
      ) STRICT;

      -- The legal status moves, kept equal to TASK_TRANSITIONS on every open (see syncTransitions).
      CREATE TABLE task_transitions (
        from_status TEXT NOT NULL,
        to_status   TEXT NOT NULL,
        PRIMARY KEY (from_status, to_status)
      ) STRICT, WITHOUT ROWID;

      -- Belt and braces under the store's own check: no connection can write an illegal move.
      CREATE TRIGGER tasks_legal_transition BEFORE UPDATE OF status ON tasks
      WHEN NOT EXISTS (
        SELECT 1 FROM task_transitions WHERE from_status = OLD.status AND to_status = NEW.status
      )
      BEGIN
        SELECT RAISE(ABORT, 'illegal task transition');
      END;

      -- No foreign keys: the log outlives what it describes (a removed task keeps its history).
      CREATE TABLE events (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        at          TEXT NOT NULL,
        name        TEXT NOT NULL,
        project_id  INTEGER,
        task_number INTEGER,
        data        TEXT NOT NULL CHECK (json_valid(data))
      ) STRICT;

      CREATE TRIGGER events_no_update BEFORE UPDATE ON events
      BEGIN
        SELECT RAISE(ABORT, 'the event log is append-only');
      END;

      CREATE TRIGGER events_no_delete BEFORE DELETE ON events
      BEGIN
        SELECT RAISE(ABORT, 'the event log is append-only');
      END;
    `,
  },
  {
    version: 2,
    name: 'sessions: one row per attempt at a task, and a per-task attempt counter',
    sql: `
      -- Like next_task_number: an attempt number is handed out once, even if its session row is later gone.
      ALTER TABLE tasks ADD COLUMN next_attempt INTEGER NOT NULL DEFAULT 1 CHECK (next_attempt > 0);

      -- AUTOINCREMENT so a session id (also the u32 id in terminal frames) is never reused after a task is
      -- removed: a client still holding the old id must not end up looking at someone else's terminal.
      CREATE TABLE sessions (
        id               INTEGER PRIMARY KEY AUTOINCREMENT CHECK (id <= 4294967295),
        task_id          INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        attempt          INTEGER NOT NULL CHECK (attempt > 0),
        agent            TEXT NOT NULL,
        state            TEXT NOT NULL DEFAULT 'starting'
                         CHECK (state IN ('starting', 'working', 'waiting', 'idle', 'exited')),
        exit_code        INTEGER CHECK (exit_code IS NULL OR state = 'exited'),
        host             TEXT NOT NULL CHECK (host IN ('tmux', 'pty')),
        host_name        TEXT NOT NULL,
        branch           TEXT NOT NULL,
        worktree         TEXT NOT NULL,
        pid              INTEGER,
        cols             INTEGER NOT NULL CHECK (cols > 0),
        rows             INTEGER NOT NULL CHECK (rows > 0),
        -- The secret an agent hook sends back to prove it runs inside this session; never sent to clients.
        hook_token       TEXT NOT NULL,
        started_at       TEXT NOT NULL,
        ended_at         TEXT CHECK ((ended_at IS NOT NULL) = (state = 'exited')),
        last_activity_at TEXT NOT NULL,
        UNIQUE (task_id, attempt)
      ) STRICT;

      -- An exited process does not come back: no connection can revive a session row.
      CREATE TRIGGER sessions_exited_is_final BEFORE UPDATE OF state ON sessions
      WHEN OLD.state = 'exited' AND NEW.state <> 'exited'
      BEGIN
        SELECT RAISE(ABORT, 'an exited session cannot change state');
      END;
    `,
  },
  {
    version: 3,
    name: 'events: found by task, for a task\'s history',
    sql: `
      CREATE INDEX events_by_task ON events (project_id, task_number, seq);
    `,
  },
  {
    version: 4,
    name: 'relay: links and the one row of relay settings (their secrets live in the secret store, never here)',
    sql: `
      -- A link row outlives its revocation, so "vibe links ls" can show when it was revoked.
      CREATE TABLE links (
        id           TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 100),
        label        TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
        kind         TEXT NOT NULL CHECK (kind IN ('control', 'view')),
        created_at   TEXT NOT NULL,
        last_seen_at TEXT,
        revoked_at   TEXT
      ) STRICT, WITHOUT ROWID;

      CREATE INDEX links_newest_first ON links (created_at DESC, id);

      -- Revocation is final: no connection can bring a link back or change what it may do.
      CREATE TRIGGER links_revocation_is_final BEFORE UPDATE OF revoked_at, kind ON links
      WHEN OLD.revoked_at IS NOT NULL OR NEW.kind IS NOT OLD.kind
      BEGIN
        SELECT RAISE(ABORT, 'a revoked link stays revoked and a link keeps its kind');
      END;

      -- Exactly one row: what "vibe connect" asked for, kept until "vibe disconnect".
      CREATE TABLE relay_settings (
        id            INTEGER PRIMARY KEY CHECK (id = 1),
        enabled       INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
        url           TEXT,
        embedded_host TEXT,
        embedded_port INTEGER CHECK (embedded_port IS NULL OR embedded_port BETWEEN 0 AND 65535)
      ) STRICT;

      INSERT INTO relay_settings (id) VALUES (1);

      CREATE TRIGGER relay_settings_no_delete BEFORE DELETE ON relay_settings
      BEGIN
        SELECT RAISE(ABORT, 'the relay settings row is never deleted');
      END;
    `,
  },
  {
    version: 5,
    name: 'chat: one conversation per project; client ids that make task.create and chat.post apply once',
    sql: `
      -- Not in the event log: chat.posted is pushed live, and this table is the history chat.list reads.
      -- A repeated client_id in the same project is the same post (a browser retrying its offline queue).
      CREATE TABLE chat_messages (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        project_id   INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        sender_label TEXT NOT NULL CHECK (length(sender_label) BETWEEN 1 AND 100),
        sender_kind  TEXT NOT NULL CHECK (sender_kind IN ('local', 'control', 'view')),
        text         TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
        client_id    TEXT CHECK (client_id IS NULL OR length(client_id) BETWEEN 8 AND 64),
        created_at   TEXT NOT NULL,
        UNIQUE (project_id, client_id)
      ) STRICT;

      CREATE INDEX chat_messages_by_project ON chat_messages (project_id, id);

      -- The task a client's task.create made, by the client's id for that request. No foreign key to tasks:
      -- the row outlives a removed task, so a late retry is told the task is gone instead of making it again.
      CREATE TABLE task_client_ids (
        project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        client_id   TEXT NOT NULL CHECK (length(client_id) BETWEEN 8 AND 64),
        task_number INTEGER NOT NULL CHECK (task_number > 0),
        PRIMARY KEY (project_id, client_id)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 6,
    name: 'inbox: messages to a task from another task or a person, kept until read and after',
    sql: `
      -- A message goes with the task it was sent to (the event log keeps it); one from a task that is later
      -- removed keeps its sender's number, as numbers are never reused.
      CREATE TABLE inbox_messages (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        project_id  INTEGER NOT NULL,
        to_task     INTEGER NOT NULL CHECK (to_task > 0),
        from_task   INTEGER CHECK (from_task IS NULL OR from_task > 0),
        from_label  TEXT NOT NULL CHECK (length(from_label) BETWEEN 1 AND 100),
        text        TEXT NOT NULL CHECK (length(text) > 0),
        created_at  TEXT NOT NULL,
        read_at     TEXT,
        FOREIGN KEY (project_id, to_task) REFERENCES tasks (project_id, number) ON DELETE CASCADE
      ) STRICT;

      CREATE INDEX inbox_by_task ON inbox_messages (project_id, to_task, id);

      -- Reading is the receipt: once read, a message stays read and says what it said.
      CREATE TRIGGER inbox_read_is_final BEFORE UPDATE ON inbox_messages
      WHEN OLD.read_at IS NOT NULL OR NEW.text IS NOT OLD.text OR NEW.from_task IS NOT OLD.from_task OR NEW.to_task IS NOT OLD.to_task
      BEGIN
        SELECT RAISE(ABORT, 'an inbox message changes only once: when it is read');
      END;
    `,
  },
  {
    version: 7,
    name: 'approvals: what agents asked permission for, answered once',
    sql: `
      -- An approval goes with its session (and so its task); the event log keeps every request and answer.
      -- request_key is the hook's own id for its request, so a hook that lost a restarting daemon finds its
      -- approval again; hook_pid lets the next daemon see whether that hook still waits.
      CREATE TABLE approvals (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id   INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        request_key  TEXT UNIQUE CHECK (request_key IS NULL OR length(request_key) BETWEEN 16 AND 64),
        hook_pid     INTEGER CHECK (hook_pid IS NULL OR hook_pid > 0),
        tool         TEXT NOT NULL CHECK (length(tool) BETWEEN 1 AND 200),
        detail       TEXT NOT NULL,
        options      TEXT NOT NULL CHECK (json_valid(options)),
        via          TEXT NOT NULL CHECK (via IN ('hook', 'screen')),
        state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'allowed', 'denied', 'cancelled')),
        requested_at TEXT NOT NULL,
        answered_at  TEXT CHECK ((answered_at IS NULL) = (state = 'pending')),
        answered_by  TEXT,
        reason       TEXT
      ) STRICT;

      CREATE INDEX approvals_by_session ON approvals (session_id, id);
      CREATE INDEX approvals_pending ON approvals (id) WHERE state = 'pending';

      -- Answered once: no connection can change an answer or reopen an approval.
      CREATE TRIGGER approvals_answered_once BEFORE UPDATE ON approvals
      WHEN OLD.state <> 'pending'
      BEGIN
        SELECT RAISE(ABORT, 'an approval is answered once');
      END;
    `,
  },
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

function userVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function tooNew(path: string, found: number): StoreError {
  return new StoreError('STORE_SCHEMA_TOO_NEW', `database ${path} was written by a newer vibe (schema ${found}, this build knows ${SCHEMA_VERSION}); upgrade vibe`);
}

/**
 * Refuses a database written by a newer build before anything opens it for writing: opening it read-write
 * would switch its journal mode and checkpoint on close, changing the file an older vibe must not touch.
 */
export function refuseNewerSchema(path: string): void {
  if (!existsSync(path)) return;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const found = userVersion(db);
    if (found > SCHEMA_VERSION) throw tooNew(path, found);
  } finally {
    db.close();
  }
}

/** How many backups taken before migrations are kept, newest first. */
export const KEPT_BACKUPS = 5;

/**
 * Copies the database to `backups/` beside it before migrations change it — `<name>-schema<N>-<time>.db`, a
 * consistent snapshot (VACUUM INTO), private to the user — and keeps the KEPT_BACKUPS newest. Returns its path.
 */
export function backUpBeforeMigrating(db: Db, path: string, found: number, now = new Date()): string {
  const dir = join(dirname(path), 'backups');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stem = basename(path).replace(/\.db$/, '');
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const target = join(dir, `${stem}-schema${found}-${stamp}.db`);
  rmSync(target, { force: true });
  const umask = process.umask(0o077);
  try {
    db.prepare('VACUUM INTO ?').run(target);
  } finally {
    process.umask(umask);
  }
  const ours = readdirSync(dir)
    .filter((name) => name.startsWith(`${stem}-schema`) && name.endsWith('.db'))
    .sort((a, b) => statSync(join(dir, b)).mtimeMs - statSync(join(dir, a)).mtimeMs || b.localeCompare(a));
  for (const old of ours.slice(KEPT_BACKUPS)) rmSync(join(dir, old), { force: true });
  return target;
}

/**
 * Brings the database at `path` up to SCHEMA_VERSION, backing it up first when it holds an older schema;
 * refuses one written by a newer build. Returns the backup's path when one was taken.
 */
export function migrate(db: Db, path: string): string | undefined {
  const found = userVersion(db);
  if (found > SCHEMA_VERSION) throw tooNew(path, found);
  // A new file (schema 0) has nothing to lose; an in-memory database has nowhere to go.
  const backup = found > 0 && found < SCHEMA_VERSION && path !== ':memory:' ? backUpBeforeMigrating(db, path, found) : undefined;
  for (const migration of [...MIGRATIONS].sort((a, b) => a.version - b.version)) {
    if (migration.version <= found) continue;
    db.transaction(() => {
      // Re-read under the write lock: another process opening the same file may have just applied it.
      if (userVersion(db) >= migration.version) return;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return backup;
}

/**
 * Makes task_transitions equal TASK_TRANSITIONS. It is reference data derived from code, so the code wins;
 * the write (and its lock) happens only when they differ, which is on first open.
 */
export function syncTransitions(db: Db): void {
  const wanted = TASK_STATUSES.flatMap((from) => TASK_TRANSITIONS[from].map((to) => `${from}>${to}`)).sort();
  const read = (): string[] =>
    (db.prepare('SELECT from_status, to_status FROM task_transitions').all() as { from_status: string; to_status: string }[])
      .map((row) => `${row.from_status}>${row.to_status}`)
      .sort();
  if (read().join() === wanted.join()) return;
  const insert = db.prepare('INSERT INTO task_transitions (from_status, to_status) VALUES (?, ?)');
  db.transaction(() => {
    db.prepare('DELETE FROM task_transitions').run();
    for (const from of TASK_STATUSES) for (const to of TASK_TRANSITIONS[from]) insert.run(from, to);
  }).immediate();
}
