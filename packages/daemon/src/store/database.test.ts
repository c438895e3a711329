// Opening the database: the pragmas it sets, a missing directory, close and reopen.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectionOf, openStore, otherConnection, tempDir, tempStore } from './temp-store.js';
import { Store, StoreError } from './index.js';

describe('opening the database', () => {
  it('sets WAL, full sync, foreign keys and the default busy timeout of 5000 ms on the connection', () => {
    const { store } = tempStore();
    const db = connectionOf(store);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('uses the busy timeout it is given', () => {
    const { store } = tempStore({ busyTimeoutMs: 250 });
    const db = connectionOf(store);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(250);
  });

  it('leaves the file in WAL mode for every other connection too', () => {
    const { path } = tempStore();
    expect(otherConnection(path).pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('fails with a clear error naming the directory when it does not exist, and creates nothing', () => {
    const dir = join(tempDir(), 'missing');
    const path = join(dir, 'vibe.db');
    let error: unknown;
    try {
      Store.open({ path });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({
      code: 'STORE_DIRECTORY_MISSING',
      message: `cannot open database ${path}: directory ${dir} does not exist`,
    });
    expect(existsSync(dir)).toBe(false);
  });

  it('passes an integrity check and can be closed twice', () => {
    const { store } = tempStore();
    expect(store.integrityCheck()).toBe('ok');
    store.close();
    expect(() => store.close()).not.toThrow();
    expect(() => store.listProjects()).toThrow();
  });

  it('keeps what was written across a close and a reopen', () => {
    const { store, path } = tempStore();
    const { project } = store.registerProject({ path: '/src/app', baseBranch: 'main' });
    store.createTask(project.id, { title: 'kept' });
    store.close();
    const again = openStore({ path });
    expect(again.listTasks().map((t) => t.title)).toEqual(['kept']);
    expect(again.lastEventSeq()).toBe(2);
  });
});
