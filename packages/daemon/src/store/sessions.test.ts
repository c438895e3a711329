// Starting sessions: attempt numbers, the task move, refusals, the session limit, reads, and the hook token kept private.
import { EventData, Session, Task } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { launchInput, openStore, otherConnection, storeWithTask } from './temp-store.js';

describe('starting a session', () => {
  it('records attempt 1 in state starting, moves the task todo → in_progress, and logs session.updated then task.moved', () => {
    const { store, project } = storeWithTask();
    const { session, task, events } = store.createSession(project.id, 1, launchInput());
    const at = '2026-01-01T00:00:02.000Z';
    expect(session).toEqual({
      id: 1,
      project: 'app',
      taskNumber: 1,
      attempt: 1,
      agent: 'claude',
      state: 'starting',
      exitCode: null,
      host: 'tmux',
      branch: 'vibe/1-fix-login',
      worktree: '/data/worktrees/app/1-1',
      pid: null,
      cols: 120,
      rows: 40,
      startedAt: at,
      endedAt: null,
      lastActivityAt: at,
    });
    expect(Session.parse(session)).toEqual(session);
    const summary = { id: 1, attempt: 1, agent: 'claude', state: 'starting', exitCode: null, lastActivityAt: at };
    expect(task).toMatchObject({ status: 'in_progress', updatedAt: at, attempts: 1, session: summary });
    expect(Task.parse(task)).toEqual(task);
    expect(events).toEqual([
      { seq: 3, at, name: 'session.updated', data: { session } },
      { seq: 4, at, name: 'task.moved', data: { task, from: 'todo' } },
    ]);
    expect(store.eventsSince(2)).toEqual(events);
    expect(store.getTask(project.id, 1)).toEqual(task);
  });

  it('numbers attempts per task from 1, keeps earlier attempts, and never hands a number out twice', () => {
    const { store, path, project } = storeWithTask();
    store.createTask(project.id, { title: 'two' });
    const started = [1, 1, 2, 1].map((n, i) => store.createSession(project.id, n, launchInput({ agent: `agent-${i}` })).session);
    expect(started.map((s) => `${s.id}:${s.taskNumber}#${s.attempt}`)).toEqual(['1:1#1', '2:1#2', '3:2#1', '4:1#3']);
    expect(store.listSessions({ projectId: project.id, taskNumber: 1 }).map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(store.getTask(project.id, 1)).toMatchObject({ attempts: 3, session: { id: 4, attempt: 3, agent: 'agent-3' } });

    // Even with the newest row gone (by hand) and the store reopened, attempt 3 and session id 4 stay used.
    otherConnection(path).exec('DELETE FROM sessions WHERE id = 4');
    store.close();
    const again = openStore({ path });
    expect(again.getTask(project.id, 1)).toMatchObject({ attempts: 3, session: null });
    expect(again.createSession(project.id, 1, launchInput()).session).toMatchObject({ id: 5, attempt: 4 });
  });

  it('never reuses a session id after a task and its sessions are removed', () => {
    const { store, project } = storeWithTask();
    store.createTask(project.id, { title: 'two' });
    store.createSession(project.id, 1, launchInput());
    store.createSession(project.id, 2, launchInput());
    store.removeTask(project.id, 2);
    expect(store.createSession(project.id, 1, launchInput()).session.id).toBe(3);
  });

  it('moves an in_review task back to in_progress, and leaves an in_progress one where it is', () => {
    const { store, project } = storeWithTask();
    store.moveTask(project.id, 1, 'in_progress');
    const second = store.createSession(project.id, 1, launchInput());
    expect(second.events.map((e) => e.name)).toEqual(['session.updated']);
    expect(second.task.status).toBe('in_progress');
    store.moveTask(project.id, 1, 'in_review');
    const third = store.createSession(project.id, 1, launchInput());
    expect(third.events.map((e) => e.name)).toEqual(['session.updated', 'task.moved']);
    expect(third.events[1]).toMatchObject({ data: { from: 'in_review', task: { status: 'in_progress', attempts: 2 } } });
  });

  it.each([
    ['done', 'task 1 is done; done is final; create a new task for more work', []],
    ['cancelled', 'task 1 is cancelled; reopen it (move it to todo) before starting', ['todo']],
  ] as const)('refuses to start a %s task with illegal_transition, writing nothing', (status, message, allowed) => {
    const { store, path, project } = storeWithTask();
    if (status === 'done') for (const step of ['in_progress', 'in_review', 'done'] as const) store.moveTask(project.id, 1, step);
    else store.moveTask(project.id, 1, 'cancelled');
    const before = { task: store.getTask(project.id, 1), seq: store.lastEventSeq() };
    expect(() => store.createSession(project.id, 1, launchInput())).toThrow(
      expect.objectContaining({ code: 'illegal_transition', message, data: { from: status, to: 'in_progress', allowed } }),
    );
    expect({ task: store.getTask(project.id, 1), seq: store.lastEventSeq() }).toEqual(before);
    expect(otherConnection(path).prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 0 });
  });

  it('refuses an unknown task or project with not_found', () => {
    const { store, project } = storeWithTask();
    expect(() => store.createSession(project.id, 9, launchInput())).toThrow(
      expect.objectContaining({ code: 'not_found', message: 'no task 9 in project "app"' }),
    );
    expect(() => store.createSession(99, 1, launchInput())).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('refuses a start beyond the project maxSessions, counting only sessions that have not exited', () => {
    const { store, project } = storeWithTask();
    store.updateProject(project.id, { maxSessions: 2 });
    const first = store.createSession(project.id, 1, launchInput()).session;
    store.createSession(project.id, 1, launchInput());
    expect(store.countLiveSessions(project.id)).toBe(2);
    const seq = store.lastEventSeq();
    expect(() => store.createSession(project.id, 1, launchInput())).toThrow(
      expect.objectContaining({
        code: 'conflict',
        message: 'project "app" already runs 2 sessions (its limit is 2); stop one, or raise the limit with vibe project set --max-sessions',
        data: { project: 'app', live: 2, maxSessions: 2 },
      }),
    );
    expect(store.lastEventSeq()).toBe(seq);
    store.updateSession(first.id, { state: 'exited', exitCode: 0 });
    expect(store.countLiveSessions(project.id)).toBe(1);
    expect(store.createSession(project.id, 1, launchInput()).session.attempt).toBe(3);
  });

  it('refuses a zero terminal size, an empty hook token and text with a lone surrogate, before writing', () => {
    const { store, project } = storeWithTask();
    for (const bad of [{ cols: 0 }, { rows: 2.5 }, { hookToken: '' }, { branch: 'vibe/\ud800' }]) {
      expect(() => store.createSession(project.id, 1, launchInput(bad))).toThrow(expect.objectContaining({ code: 'invalid_params' }));
    }
    expect(store.getTask(project.id, 1)).toMatchObject({ status: 'todo', attempts: 0, session: null });
  });

  it('rolls back the session, its attempt number and the task move when an event cannot be appended', () => {
    const { store, path, project } = storeWithTask();
    const before = { task: store.getTask(project.id, 1), seq: store.lastEventSeq() };
    const db = otherConnection(path);
    db.exec("CREATE TRIGGER fail_events BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'event insert failed'); END");
    expect(() => store.createSession(project.id, 1, launchInput())).toThrow('event insert failed');
    expect({ task: store.getTask(project.id, 1), seq: store.lastEventSeq() }).toEqual(before);
    expect(store.listSessions()).toEqual([]);
    db.exec('DROP TRIGGER fail_events');
    expect(store.createSession(project.id, 1, launchInput()).session).toMatchObject({ id: 1, attempt: 1 });
  });
});

describe('reading sessions', () => {
  function threeSessions() {
    const fixture = storeWithTask();
    const { store, project } = fixture;
    const other = store.registerProject({ path: '/src/other', baseBranch: 'main' }).project;
    store.createTask(other.id, { title: 'elsewhere' });
    store.createSession(project.id, 1, launchInput({ agent: 'claude' }));
    store.createSession(other.id, 1, launchInput({ agent: 'codex', host: 'pty' }));
    store.createSession(project.id, 1, launchInput({ agent: 'gemini' }));
    store.updateSession(1, { state: 'exited', exitCode: 1 });
    return { ...fixture, other };
  }

  it('lists oldest first, filtered by project, task and liveness', () => {
    const { store, project, other } = threeSessions();
    const ids = (sessions: Session[]) => sessions.map((s) => s.id);
    expect(ids(store.listSessions())).toEqual([1, 2, 3]);
    expect(ids(store.listSessions({ live: true }))).toEqual([2, 3]);
    expect(ids(store.listSessions({ projectId: project.id }))).toEqual([1, 3]);
    expect(ids(store.listSessions({ projectId: other.id, taskNumber: 1 }))).toEqual([2]);
    expect(ids(store.listSessions({ projectId: project.id, taskNumber: 1, live: true }))).toEqual([3]);
    expect(store.listSessions({ projectId: project.id, taskNumber: 7 })).toEqual([]);
    expect(store.countLiveSessions(project.id)).toBe(1);
    expect(store.countLiveSessions(other.id)).toBe(1);
  });

  it('finds one session by id, and a task’s newest attempt', () => {
    const { store, project, other } = threeSessions();
    expect(store.getSession(2)).toMatchObject({ project: 'other', taskNumber: 1, agent: 'codex', host: 'pty' });
    expect(store.getSession(99)).toBeUndefined();
    expect(store.latestSession(project.id, 1)).toEqual(store.getSession(3));
    store.createTask(other.id, { title: 'never started' });
    expect(store.latestSession(other.id, 2)).toBeUndefined();
    expect(() => store.latestSession(other.id, 9)).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('gives the daemon the hook token and host name of a session, and nobody else', () => {
    const { store, project } = storeWithTask();
    const token = 'hook-secret-only-the-hook-knows';
    const { session, task, events } = store.createSession(project.id, 1, launchInput({ hookToken: token, hostName: 'vibe_42' }));
    expect(store.sessionSecret(session.id)).toEqual({ hookToken: token, hostName: 'vibe_42', host: 'tmux' });
    expect(store.sessionSecret(99)).toBeUndefined();
    const updated = store.updateSession(session.id, { state: 'working', pid: 4242 });
    const removed = store.removeTask(project.id, 1);
    const wire = [session, task, events, updated, removed, store.eventsSince(0), store.listSessions(), store.listTasks()];
    for (const value of wire) {
      expect(JSON.stringify(value)).not.toContain(token);
      expect(JSON.stringify(value)).not.toContain('vibe_42');
    }
  });

  it('removes a task’s sessions with it; the task.removed event keeps its newest attempt', () => {
    const { store, project } = storeWithTask();
    const { session } = store.createSession(project.id, 1, launchInput());
    const { event } = store.removeTask(project.id, 1);
    expect(event.data.task).toMatchObject({ attempts: 1, session: { id: session.id, state: 'starting' } });
    expect(store.listSessions()).toEqual([]);
    expect(store.getSession(session.id)).toBeUndefined();
    expect(store.sessionSecret(session.id)).toBeUndefined();
  });

  it('logs only events that validate against the protocol', () => {
    const { store } = threeSessions();
    const events = store.eventsSince(0);
    expect(events.map((e) => e.name)).toContain('session.updated');
    for (const event of events) expect(EventData.parse({ name: event.name, data: event.data })).toEqual({ name: event.name, data: event.data });
  });
});
