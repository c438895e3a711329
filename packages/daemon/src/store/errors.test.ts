// Recognising SQLite lock errors and turning them into the wire's busy error.
import { ProtocolError } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { isBusyError, mapBusy } from './errors.js';

const sqliteError = (code: string) => Object.assign(new Error(code), { code });

describe('lock errors', () => {
  it('recognises SQLITE_BUSY and SQLITE_LOCKED with their extended codes, and nothing else', () => {
    for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED', 'SQLITE_LOCKED_SHAREDCACHE']) {
      expect(isBusyError(sqliteError(code))).toBe(true);
    }
    for (const value of [sqliteError('SQLITE_CONSTRAINT'), sqliteError('SQLITE_BUSYNESS'), new Error('SQLITE_BUSY'), 'SQLITE_BUSY', null]) {
      expect(isBusyError(value)).toBe(false);
    }
  });

  it('become busy with the original kept as cause; other errors pass through as the same object', () => {
    const busy = sqliteError('SQLITE_BUSY');
    let mapped: unknown;
    try {
      mapBusy('/data/vibe.db', () => {
        throw busy;
      });
    } catch (error) {
      mapped = error;
    }
    expect(mapped).toBeInstanceOf(ProtocolError);
    expect(mapped).toMatchObject({ code: 'busy', cause: busy });
    expect((mapped as Error).message).toMatch(/^database \/data\/vibe\.db is locked by another process \(waited \d+ ms\); nothing was changed$/);

    const other = sqliteError('SQLITE_CONSTRAINT');
    let passed: unknown;
    try {
      mapBusy('/data/vibe.db', () => {
        throw other;
      });
    } catch (error) {
      passed = error;
    }
    expect(passed).toBe(other);
    expect(mapBusy('/data/vibe.db', () => 42)).toBe(42);
  });
});
