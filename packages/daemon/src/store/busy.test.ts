// A database locked by another process: writes wait for busy_timeout, then fail with busy, changing nothing.
import { ProtocolError } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { launchInput, otherConnection, tempStore } from './temp-store.js';

function lockedStore(options: { withSession?: boolean } = {}) {
  const { store, path } = tempStore({ busyTimeoutMs: 200 });
  const { project } = store.registerProject({ path: '/src/app', baseBranch: 'main' });
  store.createTask(project.id, { title: 'one' });
  if (options.withSession) store.createSession(project.id, 1, launchInput());
  const other = otherConnection(path);
  other.exec('BEGIN IMMEDIATE'); // another process holds the write lock
  return { store, path, project, other };
}

function failure(fn: () => unknown): { error: unknown; ms: number } {
  const started = performance.now();
  try {
    fn();
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
  throw new Error('expected the call to fail');
}

describe('when another process holds the write lock', () => {
  it('a write waits for the busy timeout, then fails with busy, naming the file, with nothing changed', () => {
    const { store, path, project } = lockedStore();
    const before = { tasks: store.listTasks(), counts: store.taskCounts(), seq: store.lastEventSeq() };
    const { error, ms } = failure(() => store.createTask(project.id, { title: 'two' }));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: 'busy' });
    expect((error as Error).message).toMatch(
      new RegExp(`^database ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is locked by another process \\(waited \\d+ ms\\); nothing was changed$`),
    );
    expect((error as Error).cause).toMatchObject({ code: 'SQLITE_BUSY' });
    expect(ms).toBeGreaterThanOrEqual(180);
    expect(ms).toBeLessThan(2000);
    expect({ tasks: store.listTasks(), counts: store.taskCounts(), seq: store.lastEventSeq() }).toEqual(before);
  });

  it('every kind of write fails with busy', () => {
    const { store, project } = lockedStore({ withSession: true });
    const writes = [
      () => store.registerProject({ path: '/src/new', baseBranch: 'main' }),
      () => store.updateTask(project.id, 1, { title: 'renamed' }),
      () => store.moveTask(project.id, 1, 'in_review'),
      () => store.removeTask(project.id, 1),
      () => store.updateProject(project.id, { maxSessions: 2 }),
      () => store.createSession(project.id, 1, launchInput()),
      () => store.updateSession(1, { state: 'working' }),
    ];
    for (const write of writes) expect(failure(write).error).toMatchObject({ code: 'busy' });
    expect(store.getTask(project.id, 1)).toMatchObject({ title: 'one', status: 'in_progress', attempts: 1 });
    expect(store.getSession(1)?.state).toBe('starting');
    expect(store.getProject(project.id)?.settings.maxSessions).toBe(8);
  });

  it('reads still work, and re-registering a known path needs no lock', () => {
    const { store, project } = lockedStore();
    expect(store.listTasks().map((t) => t.title)).toEqual(['one']);
    expect(store.registerProject({ path: '/src/app', baseBranch: 'main' })).toEqual({ project, created: false });
  });

  it('writes succeed again once the lock is released', () => {
    const { store, project, other } = lockedStore();
    expect(failure(() => store.createTask(project.id, { title: 'two' })).error).toMatchObject({ code: 'busy' });
    other.exec('ROLLBACK');
    expect(store.createTask(project.id, { title: 'two' }).task.number).toBe(2);
  });
});
