// The offline queue against a stand-in daemon client: in order, exactly once, rejected with a reason when the
// daemon refuses, kept pending when the connection drops, and kept across a reload through the storage.
import { ProtocolError, type ControlClient } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { OfflineQueue, type KeyValueStore } from './offline-queue.js';

class MapStore implements KeyValueStore {
  readonly map = new Map<string, string>();
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
}

/** A client that answers each request with `answer(method, params)`: a result, or a thrown error. */
function client(answer: (method: string, params: Record<string, unknown>) => unknown): { client: ControlClient; calls: Array<[string, Record<string, unknown>]> } {
  const calls: Array<[string, Record<string, unknown>]> = [];
  return {
    calls,
    client: {
      request: async (method: string, params: Record<string, unknown>) => {
        calls.push([method, params]);
        return answer(method, params);
      },
    } as unknown as ControlClient,
  };
}

describe('OfflineQueue', () => {
  it('applies queued actions in order, each once, with its id as the client id', async () => {
    const queue = new OfflineQueue(new MapStore(), 'q');
    queue.add('task.create', { project: 'app', title: 'one' }, 'New task one', 'id-one-12345');
    queue.add('chat.post', { project: 'app', text: 'hi' }, 'Chat: hi', 'id-two-12345');
    const stand = client(() => ({}));
    await queue.apply(stand.client, () => true);
    await queue.apply(stand.client, () => true);
    expect(stand.calls).toEqual([
      ['task.create', { project: 'app', title: 'one', clientId: 'id-one-12345' }],
      ['chat.post', { project: 'app', text: 'hi', clientId: 'id-two-12345' }],
    ]);
    expect(queue.list.map((action) => action.state)).toEqual(['applied', 'applied']);
  });

  it('rejects what no longer applies with a reason, and goes on with the rest', async () => {
    const queue = new OfflineQueue(undefined, 'q');
    queue.add('approval.answer', { id: 'a1', decision: 'allow' }, 'Allow a1');
    queue.add('task.create', { project: 'gone', title: 'x' }, 'New task x');
    queue.add('chat.post', { project: 'app', text: 'still' }, 'Chat');
    const stand = client((method) => {
      if (method === 'approval.answer') throw new ProtocolError('conflict', 'approval a1 was denied by alice');
      if (method === 'task.create') throw new ProtocolError('not_found', 'no project gone');
      return {};
    });
    await queue.apply(stand.client, () => true);
    expect(queue.list.map((action) => [action.state, action.reason])).toEqual([
      ['rejected', 'already answered elsewhere (approval a1 was denied by alice)'],
      ['rejected', 'no longer applies: no project gone'],
      ['applied', undefined],
    ]);
    // An approval answer carries no client id: it can be answered once anyway.
    expect(stand.calls[0]).toEqual(['approval.answer', { id: 'a1', decision: 'allow' }]);
  });

  it('keeps an action pending when the connection drops under it, and the rest after it, for the next connection', async () => {
    const queue = new OfflineQueue(undefined, 'q');
    queue.add('chat.post', { project: 'app', text: 'a' }, 'a');
    queue.add('chat.post', { project: 'app', text: 'b' }, 'b');
    const dropped = Object.assign(new Error('the relay is restarting'), { code: 1012 });
    let first = true;
    const stand = client(() => {
      if (first) {
        first = false;
        throw dropped;
      }
      return {};
    });
    await queue.apply(stand.client, () => true);
    expect(queue.pending.map((action) => action.label)).toEqual(['a', 'b']);
    await queue.apply(stand.client, () => true);
    expect(queue.pending).toEqual([]);
    expect(stand.calls.map(([, params]) => params.text)).toEqual(['a', 'a', 'b']);
  });

  it('survives a reload: pending actions (one caught mid-apply too) are read back from the storage', () => {
    const store = new MapStore();
    const queue = new OfflineQueue(store, 'vibe-queue');
    const action = queue.add('task.create', { project: 'app', title: 't' }, 't');
    action.state = 'applying';
    queue.add('chat.post', { project: 'app', text: 'x' }, 'x');
    const reloaded = new OfflineQueue(store, 'vibe-queue');
    expect(reloaded.pending.map((entry) => [entry.label, entry.state])).toEqual([
      ['t', 'pending'],
      ['x', 'pending'],
    ]);
  });
});
