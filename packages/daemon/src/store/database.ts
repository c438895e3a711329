// Opens the SQLite file with the pragmas the store relies on: WAL, full sync, a busy timeout, foreign keys.
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError, mapBusy } from './errors.js';
import { refuseNewerSchema } from './migrations.js';

export type Db = Database.Database;

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed) the database file at `path`. The parent directory must exist: creating it is
 * the caller's job, because only the caller knows the mode it should have.
 */
export function openDatabase(path: string, busyTimeoutMs: number): Db {
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new StoreError('STORE_DIRECTORY_MISSING', `cannot open database ${path}: directory ${dir} does not exist`);
  }
  refuseNewerSchema(path);
  const db = new Database(path, { timeout: busyTimeoutMs });
  try {
    // busy_timeout first, so that switching to WAL (which needs a lock) waits like everything else.
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    const mode = mapBusy(path, () => db.pragma('journal_mode = WAL', { simple: true }));
    if (mode !== 'wal') {
      throw new StoreError('STORE_NOT_WAL', `cannot open database ${path}: it refused WAL mode (got ${String(mode)})`);
    }
    // FULL syncs the WAL on every commit: a task change acknowledged to a client survives a power cut.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
