// The board state against a stand-in daemon client: on every (re)connection it asks who watches each running
// session, forgets what an earlier connection said, and lets a pushed list win over an answer it crossed.
import type { ControlClient, Event, Task, Viewer } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { BoardState } from './board-state.js';

const watcher = (label: string, typing = false): Viewer => ({ id: `v-${label}`, label, kind: 'control', device: 'Chrome on Android', readOnly: false, typing });

function task(number: number, session: { id: number; state: 'working' | 'exited' } | null): Task {
  return {
    project: 'app',
    number,
    title: `task ${number}`,
    session: session && { id: session.id, attempt: 1, agent: 'claude', state: session.state, exitCode: null, lastActivityAt: '2025-01-01T00:00:00.000Z' },
  } as unknown as Task;
}

/** A daemon with `tasks` and the watchers `viewers` lists; `onViewers` runs as a session.viewers question arrives. */
function daemon(tasks: Task[], viewers: Record<number, Viewer[]>, onViewers?: (session: number, emit: (event: Event) => void) => void) {
  const listeners = new Set<(event: Event) => void>();
  const asked: number[] = [];
  const emit = (event: Event): void => {
    for (const listener of listeners) listener(event);
  };
  const client = {
    onEvent: (listener: (event: Event) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    request: async (method: string, params: Record<string, unknown>) => {
      switch (method) {
        case 'task.list':
          return { tasks };
        case 'project.list':
          return { projects: [{ name: 'app' }] };
        case 'daemon.status':
          return { agents: [] };
        case 'approval.list':
          return { approvals: [] };
        case 'session.viewers': {
          const session = params.session as number;
          asked.push(session);
          onViewers?.(session, emit);
          return { viewers: viewers[session] ?? [] };
        }
        default:
          return {};
      }
    },
  } as unknown as ControlClient;
  return { client, asked, emit };
}

describe('BoardState viewers', () => {
  it('asks who watches each running session when it loads, so a session watched before the page shows its watcher', async () => {
    const state = new BoardState();
    const stand = daemon([task(1, { id: 7, state: 'working' }), task(2, { id: 8, state: 'exited' }), task(3, null)], { 7: [watcher('laptop')] });
    await state.load(stand.client);
    expect(stand.asked).toEqual([7]);
    expect(state.viewers.get(7)?.map((viewer) => viewer.label)).toEqual(['laptop']);
  });

  it('forgets the lists of an earlier connection: after a reconnect a watcher gone (or typing then) is gone', async () => {
    const state = new BoardState();
    await state.load(daemon([task(1, { id: 7, state: 'working' })], { 7: [watcher('laptop', true)] }).client);
    expect(state.viewers.get(7)?.[0]?.typing).toBe(true);
    await state.load(daemon([task(1, { id: 7, state: 'working' }), task(2, { id: 9, state: 'exited' })], {}).client);
    expect(state.viewers.get(7)).toEqual([]);
    expect([...state.viewers.keys()]).toEqual([7]);
  });

  it('keeps a list pushed while the question was out rather than the answer it crossed', async () => {
    const state = new BoardState();
    const stand = daemon([task(1, { id: 7, state: 'working' })], { 7: [watcher('laptop')] }, (session, emit) => {
      emit({ name: 'session.viewers', data: { session, viewers: [watcher('laptop'), watcher('phone')] } } as Event);
    });
    await state.load(stand.client);
    expect(state.viewers.get(7)?.map((viewer) => viewer.label)).toEqual(['laptop', 'phone']);
  });
});
