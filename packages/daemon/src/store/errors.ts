// Store failures: the store's own error class, and the mapping of a locked database to the wire's `busy`.
import { ProtocolError } from '@vibe/protocol';

/** Stable codes for failures that stop the store from opening; the daemon reports them and exits. */
export type StoreErrorCode = 'STORE_DIRECTORY_MISSING' | 'STORE_NOT_WAL' | 'STORE_SCHEMA_TOO_NEW';

export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * True for SQLite's "another connection holds the lock" results, extended codes included
 * (SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED_SHAREDCACHE, ...). better-sqlite3 puts the code on `.code`.
 */
export function isBusyError(error: unknown): boolean {
  if (!(error instanceof Error) || !('code' in error)) return false;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)(_|$)/.test(code);
}

/** The `busy` error a caller sees; every store write is one transaction, so nothing was changed. */
export function busyError(path: string, waitedMs: number, cause: unknown): ProtocolError {
  return new ProtocolError(
    'busy',
    `database ${path} is locked by another process (waited ${Math.round(waitedMs)} ms); nothing was changed`,
    undefined,
    { cause },
  );
}

/** Runs `fn`, turning a lock timeout into `busy`; anything else propagates untouched. */
export function mapBusy<T>(path: string, fn: () => T): T {
  const started = performance.now();
  try {
    return fn();
  } catch (error) {
    if (isBusyError(error)) throw busyError(path, performance.now() - started, error);
    throw error;
  }
}
