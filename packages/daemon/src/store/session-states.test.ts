// Changing a session: agent states, the move to in_review when a turn ends, exit codes, and which changes are logged.
import { AGENT_STATES, type AgentState } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import type { Store } from './index.js';
import { launchInput, otherConnection, storeWithTask } from './temp-store.js';

/** Task 1 started (so in_progress) with its session brought to `state` through legal updates. */
function sessionIn(state: AgentState) {
  const fixture = storeWithTask();
  const { session } = fixture.store.createSession(fixture.project.id, 1, launchInput());
  if (state !== 'starting') fixture.store.updateSession(session.id, { state });
  return { ...fixture, id: session.id };
}

const turnEnds = (from: AgentState, to: AgentState) =>
  (['working', 'waiting'].includes(from) && ['idle', 'exited'].includes(to)) || (from === 'starting' && to === 'exited');

const PAIRS = AGENT_STATES.flatMap((from) => AGENT_STATES.map((to) => [from, to] as const));

function statusOf(store: Store, projectId: number): string {
  return store.getTask(projectId, 1).status;
}

describe('session states', () => {
  it.each(PAIRS)('%s → %s: the task moves to in_review exactly when a busy or starting agent stops', (from, to) => {
    const { store, project, id } = sessionIn(from);
    // Reaching exited from starting already ended the turn.
    const before = from === 'exited' ? 'in_review' : 'in_progress';
    expect(statusOf(store, project.id)).toBe(before);
    const seq = store.lastEventSeq();
    if (from === 'exited' && to !== 'exited') {
      expect(() => store.updateSession(id, { state: to })).toThrow(
        expect.objectContaining({ code: 'illegal_transition', message: `session ${id} has exited; it cannot become ${to}` }),
      );
      expect(store.getSession(id)?.state).toBe('exited');
      expect(store.lastEventSeq()).toBe(seq);
      return;
    }
    const { session, events } = store.updateSession(id, { state: to });
    expect(session.state).toBe(to);
    const expected = from === to ? [] : turnEnds(from, to) ? ['session.updated', 'task.moved'] : ['session.updated'];
    expect(events.map((e) => e.name)).toEqual(expected);
    expect(statusOf(store, project.id)).toBe(turnEnds(from, to) ? 'in_review' : before);
    expect(store.eventsSince(seq)).toEqual(events);
  });

  it('moves in_progress → in_review in the same write as working → idle, the moved task showing the idle session', () => {
    const { store, project, id } = sessionIn('working');
    const { session, events } = store.updateSession(id, { state: 'idle' });
    const at = session.lastActivityAt;
    expect(events).toEqual([
      { seq: 6, at, name: 'session.updated', data: { session } },
      {
        seq: 7,
        at,
        name: 'task.moved',
        data: { from: 'in_progress', task: expect.objectContaining({ status: 'in_review', updatedAt: at, session: expect.objectContaining({ state: 'idle' }) }) },
      },
    ]);
    expect(events[1]).toMatchObject({ data: { task: store.getTask(project.id, 1) } });
  });

  it('records an exit with its code and end time; from working that also moves the task to in_review', () => {
    const { store, project, id } = sessionIn('working');
    const { session, events } = store.updateSession(id, { state: 'exited', exitCode: 3, pid: null });
    expect(session).toMatchObject({ state: 'exited', exitCode: 3, pid: null, endedAt: session.lastActivityAt });
    expect(events.map((e) => e.name)).toEqual(['session.updated', 'task.moved']);
    expect(store.getTask(project.id, 1)).toMatchObject({ status: 'in_review', session: { state: 'exited', exitCode: 3 } });
  });

  it('keeps an end time it is given, and accepts an exit code learned after the exit', () => {
    const { store, id } = sessionIn('idle');
    store.updateSession(id, { state: 'exited', endedAt: '2026-02-02T00:00:00.000Z' });
    const { session, events } = store.updateSession(id, { exitCode: 137 });
    expect(session).toMatchObject({ state: 'exited', exitCode: 137, endedAt: '2026-02-02T00:00:00.000Z' });
    expect(events.map((e) => e.name)).toEqual(['session.updated']);
  });

  it('does not move a task that is no longer in_progress', () => {
    const { store, project, id } = sessionIn('working');
    store.moveTask(project.id, 1, 'todo');
    expect(store.updateSession(id, { state: 'idle' }).events.map((e) => e.name)).toEqual(['session.updated']);
    expect(statusOf(store, project.id)).toBe('todo');
  });

  it('refuses an exit code or end time on a session that has not exited, writing nothing', () => {
    const { store, id } = sessionIn('working');
    const seq = store.lastEventSeq();
    expect(() => store.updateSession(id, { exitCode: 0 })).toThrow(
      expect.objectContaining({ code: 'invalid_params', message: `session ${id} is working; only an exited session has an exit code` }),
    );
    expect(() => store.updateSession(id, { state: 'idle', endedAt: '2026-02-02T00:00:00.000Z' })).toThrow(
      expect.objectContaining({ code: 'invalid_params' }),
    );
    expect(() => store.updateSession(id, { cols: 0 })).toThrow(expect.objectContaining({ code: 'invalid_params' }));
    expect(store.getSession(id)).toMatchObject({ state: 'working', exitCode: null, endedAt: null, cols: 120 });
    expect(store.lastEventSeq()).toBe(seq);
  });

  it('holds an exited session final and its exit fields consistent even against raw SQL', () => {
    const { store, path, project, id } = sessionIn('exited');
    const live = store.createSession(project.id, 1, launchInput()).session.id;
    const db = otherConnection(path);
    expect(() => db.prepare("UPDATE sessions SET state = 'working', ended_at = NULL WHERE id = ?").run(id)).toThrow(
      'an exited session cannot change state',
    );
    expect(() => db.prepare('UPDATE sessions SET exit_code = 1 WHERE id = ?').run(live)).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare("UPDATE sessions SET state = 'exited' WHERE id = ?").run(live)).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare("UPDATE sessions SET state = 'asleep' WHERE id = ?").run(live)).toThrow(/CHECK constraint failed/);
    expect(store.listSessions().map((s) => s.state)).toEqual(['exited', 'starting']);
  });

  it('refuses an unknown session with not_found', () => {
    const { store } = storeWithTask();
    expect(() => store.updateSession(7, { state: 'idle' })).toThrow(expect.objectContaining({ code: 'not_found', message: 'no session 7' }));
  });
});

describe('which session changes are logged', () => {
  it('writes a lastActivityAt-only change without an event', () => {
    const { store, id } = sessionIn('working');
    const seq = store.lastEventSeq();
    const { session, events } = store.updateSession(id, { lastActivityAt: '2026-03-03T00:00:00.000Z' });
    expect(events).toEqual([]);
    expect(session.lastActivityAt).toBe('2026-03-03T00:00:00.000Z');
    expect(store.getSession(id)?.lastActivityAt).toBe('2026-03-03T00:00:00.000Z');
    expect(store.lastEventSeq()).toBe(seq);
  });

  it('writes a new host name without an event, since no client sees it', () => {
    const { store, id } = sessionIn('working');
    const seq = store.lastEventSeq();
    expect(store.updateSession(id, { hostName: 'vibe_9' }).events).toEqual([]);
    expect(store.sessionSecret(id)?.hostName).toBe('vibe_9');
    expect(store.lastEventSeq()).toBe(seq);
  });

  it('logs session.updated for a new pid or terminal size, and nothing when no field differs', () => {
    const { store, id } = sessionIn('working');
    expect(store.updateSession(id, { pid: 1234 }).events.map((e) => e.name)).toEqual(['session.updated']);
    const resized = store.updateSession(id, { cols: 80, rows: 24 });
    expect(resized.events[0]).toMatchObject({ name: 'session.updated', data: { session: { cols: 80, rows: 24, pid: 1234 } } });
    const seq = store.lastEventSeq();
    const same = store.updateSession(id, { state: 'working', pid: 1234, cols: 80, rows: 24 });
    expect(same).toEqual({ session: resized.session, events: [] });
    expect(store.lastEventSeq()).toBe(seq);
  });

  it('stamps lastActivityAt on a state change unless given one', () => {
    const { store, id } = sessionIn('starting');
    const before = store.getSession(id)?.lastActivityAt;
    const { session } = store.updateSession(id, { state: 'working' });
    expect(session.lastActivityAt > (before ?? '')).toBe(true);
    expect(store.updateSession(id, { state: 'idle', lastActivityAt: '2026-04-04T00:00:00.000Z' }).session.lastActivityAt).toBe(
      '2026-04-04T00:00:00.000Z',
    );
  });

  it('rolls back the state change and the task move together when an event cannot be appended', () => {
    const { store, path, project, id } = sessionIn('working');
    otherConnection(path).exec("CREATE TRIGGER fail_moves BEFORE INSERT ON events WHEN NEW.name = 'task.moved' BEGIN SELECT RAISE(ABORT, 'no moves'); END");
    const seq = store.lastEventSeq();
    expect(() => store.updateSession(id, { state: 'idle' })).toThrow('no moves');
    expect(store.getSession(id)?.state).toBe('working');
    expect(statusOf(store, project.id)).toBe('in_progress');
    expect(store.lastEventSeq()).toBe(seq);
  });
});
