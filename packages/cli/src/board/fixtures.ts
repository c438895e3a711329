// Tasks, sessions and events for the board's tests.
import type { Event, Session, Task } from '@vibe/protocol';

export const NOW = Date.parse('2026-01-02T03:10:00.000Z');

export function task(number: number, overrides: Partial<Task> = {}): Task {
  return {
    project: 'app',
    projectId: 1,
    number,
    title: `Task ${number}`,
    description: '',
    agent: null,
    status: 'todo',
    createdAt: '2026-01-02T03:04:05.000Z',
    updatedAt: '2026-01-02T03:04:05.000Z',
    attempts: 0,
    session: null,
    ...overrides,
  };
}

export function session(taskNumber: number, overrides: Partial<Session> = {}): Session {
  return {
    id: 10 + taskNumber,
    project: 'app',
    taskNumber,
    attempt: 1,
    agent: 'fake',
    state: 'working',
    exitCode: null,
    host: 'tmux',
    branch: `vibe/${taskNumber}`,
    worktree: `/w/${taskNumber}`,
    pid: 42,
    cols: 80,
    rows: 24,
    startedAt: '2026-01-02T03:05:00.000Z',
    endedAt: null,
    lastActivityAt: '2026-01-02T03:09:30.000Z',
    ...overrides,
  };
}

let seq = 0;
export function event<N extends Event['name']>(name: N, data: Extract<Event, { name: N }>['data']): Event {
  return { type: 'event', subscription: 1, seq: ++seq, at: '2026-01-02T03:10:00.000Z', name, data } as Event;
}
