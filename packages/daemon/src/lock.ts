// The single-daemon lock: an OS file lock that the kernel releases when the process dies, even by kill -9.
import { statSync, unlinkSync } from 'node:fs';
import Database from 'better-sqlite3';
import { isBusyError } from './store/index.js';

/**
 * Node has no flock(2), and a pid file cannot be taken over atomically when it goes stale (two starters can
 * both see a dead pid and both win). SQLite's own locking is fcntl(2) record locks, which the kernel drops
 * with the process, so a database held in EXCLUSIVE locking mode inside an open EXCLUSIVE transaction is a
 * lock that is never stale. The file itself carries no data.
 */
export class DaemonLock {
  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
  ) {}

  /** Takes the lock, or returns undefined at once if another live process holds it. */
  static tryAcquire(path: string): DaemonLock | undefined {
    for (let attempt = 0; attempt < 5; attempt++) {
      const db = new Database(path, { timeout: 0 });
      const opened = inode(path);
      try {
        // No journal file: a kill -9 would otherwise leave daemon.lock-journal behind.
        db.pragma('journal_mode = MEMORY');
        db.pragma('locking_mode = EXCLUSIVE');
        db.exec('BEGIN EXCLUSIVE');
      } catch (error) {
        db.close();
        if (isBusyError(error)) return undefined;
        throw error;
      }
      // A stopping daemon unlinks the file before releasing it; if we locked that unlinked file, the path
      // now names another (or no) file and our lock guards nothing: try again on the current file.
      if (opened !== undefined && inode(path) === opened) return new DaemonLock(db, path);
      db.close();
    }
    return undefined;
  }

  /** Removes the lock file, then drops the lock (in that order, so no one can lock a file about to vanish). */
  release(): void {
    if (!this.db.open) return;
    try {
      unlinkSync(this.path);
    } catch {
      // Someone removed it already; the lock still goes with the connection.
    }
    this.db.close();
  }
}

function inode(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}
