// Test fixture: stores on real SQLite files in temp directories, closed and removed when the test ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { onTestFinished } from 'vitest';
import { Store } from './store.js';
import type { CreateSessionInput, StoreOptions } from './store-types.js';

/** A fresh temp directory, removed after the current test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vibe-store-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A clock that starts at a fixed instant and moves one second per reading. */
export function steppingClock(start = '2026-01-01T00:00:00.000Z'): () => Date {
  let ms = Date.parse(start);
  return () => {
    const date = new Date(ms);
    ms += 1000;
    return date;
  };
}

/** Opens a store and closes it after the test (before the directory is removed). */
export function openStore(options: StoreOptions): Store {
  const store = Store.open(options);
  onTestFinished(() => store.close());
  return store;
}

/** A new store in a new temp directory, with a stepping clock. */
export function tempStore(options: Partial<StoreOptions> = {}): { store: Store; path: string; dir: string } {
  const dir = tempDir();
  const path = join(dir, 'vibe.db');
  return { store: openStore({ path, now: steppingClock(), ...options }), path, dir };
}

/** The store's own connection, for asserting per-connection settings (pragmas) in tests. */
export function connectionOf(store: Store): Database.Database {
  return (store as unknown as { db: Database.Database }).db;
}

/** A second, independent connection to the same file, as another process would have. */
export function otherConnection(path: string): Database.Database {
  const db = new Database(path, { timeout: 0 });
  onTestFinished(() => {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
  });
  return db;
}

/** What the sessions room would pass to createSession; tests override what they look at. */
export function launchInput(overrides: Partial<CreateSessionInput> = {}): CreateSessionInput {
  return {
    agent: 'claude',
    host: 'tmux',
    hostName: 'vibe_1',
    branch: 'vibe/1-fix-login',
    worktree: '/data/worktrees/app/1-1',
    cols: 120,
    rows: 40,
    hookToken: 'hook-secret-5f2c9a7e1b3d4c6f',
    ...overrides,
  };
}

/** A store with project "app" (registered at second 0) and task 1 in todo (created at second 1). */
export function storeWithTask(options: Partial<StoreOptions> = {}) {
  const { store, path } = tempStore(options);
  const { project } = store.registerProject({ path: '/src/app', baseBranch: 'main' });
  store.createTask(project.id, { title: 'Fix the login test' });
  return { store, path, project };
}
