// The offline queue against a stand-in daemon client: in order, exactly once, rejected with a reason when the
// daemon refuses, kept pending when the connection drops or the daemon is busy (a while), kept across a reload
// through the storage, and shared by the tabs of one link — never with another link's.
import { ProtocolError, type Approval, type ControlClient } from '@vibe/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OfflineQueue, type KeyValueStore } from './offline-queue.js';
import { queueKey } from './queue-storage.js';

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

describe('OfflineQueue across tabs and links', () => {
  it('keys the queue by daemon and link, and never by the link\'s secret', () => {
    const daemonId = 'D'.repeat(22);
    expect(queueKey(daemonId, 'link-one')).not.toEqual(queueKey(daemonId, 'link-two'));
    expect(queueKey(daemonId, 'link-one')).toEqual(`vibe-queue:${daemonId}:link-one`);
  });

  it('applies only what this link queued: a view-only tab on another link neither sees nor sends a control tab\'s actions', async () => {
    const store = new MapStore();
    const control = new OfflineQueue(store, queueKey('daemon', 'control-link'));
    control.add('task.create', { project: 'app', title: 'from control' }, 'New task');
    const view = new OfflineQueue(store, queueKey('daemon', 'view-link'));
    const stand = client(() => ({}));
    await view.apply(stand.client, () => true);
    expect(view.list).toEqual([]);
    expect(stand.calls).toEqual([]);
    expect(control.pending.map((action) => action.label)).toEqual(['New task']);
  });

  it('merges what two tabs on one link queue: neither write erases the other\'s action', () => {
    const store = new MapStore();
    let clock = 0;
    const now = (): number => ++clock;
    const tabA = new OfflineQueue(store, 'q', { now });
    const tabB = new OfflineQueue(store, 'q', { now });
    tabA.add('chat.post', { project: 'app', text: 'from A' }, 'A', 'id-a-123456');
    tabB.add('chat.post', { project: 'app', text: 'from B' }, 'B', 'id-b-123456');
    tabA.add('chat.post', { project: 'app', text: 'A again' }, 'A2', 'id-a2-12345');
    expect(new OfflineQueue(store, 'q').pending.map((action) => action.label)).toEqual(['A', 'B', 'A2']);
    tabB.refresh();
    expect(tabB.pending.map((action) => action.label)).toEqual(['A', 'B', 'A2']);
  });

  it('takes another tab\'s applying into account: what it applied is not sent again, what it dismissed does not come back', async () => {
    const store = new MapStore();
    const tabA = new OfflineQueue(store, 'q');
    const tabB = new OfflineQueue(store, 'q');
    tabA.add('task.create', { project: 'gone', title: 'x' }, 'x', 'id-x-123456');
    tabA.add('chat.post', { project: 'app', text: 'y' }, 'y', 'id-y-123456');
    tabB.refresh();
    const stand = client((method) => {
      if (method === 'task.create') throw new ProtocolError('not_found', 'no project gone');
      return {};
    });
    await tabA.apply(stand.client, () => true);
    tabA.dismiss('id-x-123456');
    // Tab B still held both as pending; its next write must neither resend nor bring back the dismissed one.
    await tabB.apply(stand.client, () => true);
    expect(stand.calls.map(([method]) => method)).toEqual(['task.create', 'chat.post']);
    expect(new OfflineQueue(store, 'q').list.map((action) => [action.label, action.state])).toEqual([['y', 'applied']]);
  });
});

describe('OfflineQueue answers that did apply, and passing failures', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const answered = (state: Approval['state'], answeredBy: string): Approval => ({ id: 'a1', state, answeredBy, reason: null }) as unknown as Approval;

  /** A daemon that stores the first answer but whose reply is lost, then says `conflict` to the retry. */
  function lostReply(answer: Approval) {
    let tries = 0;
    return client((method) => {
      if (method === 'chat.post') return { message: { from: { label: 'phone', kind: 'control' } }, duplicate: false };
      if (method === 'approval.list') return { approvals: [answer] };
      if (++tries === 1) throw Object.assign(new Error('the relay is restarting'), { code: 1012 });
      throw new ProtocolError('conflict', `approval a1 was already ${answer.state} by ${answer.answeredBy ?? ''}`, { id: 'a1', state: answer.state });
    });
  }

  it('counts an approval answer as applied when the retry finds it answered with this decision by this link', async () => {
    const queue = new OfflineQueue(undefined, 'q');
    queue.add('chat.post', { project: 'app', text: 'on my way' }, 'chat');
    queue.add('approval.answer', { id: 'a1', decision: 'allow' }, 'Allow a1');
    const stand = lostReply(answered('allowed', 'phone'));
    await queue.apply(stand.client, () => true);
    await queue.apply(stand.client, () => true);
    expect(queue.list.map((action) => [action.label, action.state, action.reason])).toEqual([
      ['chat', 'applied', undefined],
      ['Allow a1', 'applied', undefined],
    ]);
  });

  it('says "already answered elsewhere" when another link answered it first', async () => {
    const queue = new OfflineQueue(undefined, 'q');
    queue.add('chat.post', { project: 'app', text: 'on my way' }, 'chat');
    queue.add('approval.answer', { id: 'a1', decision: 'allow' }, 'Allow a1');
    const stand = lostReply(answered('allowed', 'laptop'));
    await queue.apply(stand.client, () => true);
    await queue.apply(stand.client, () => true);
    expect(queue.list[1]).toMatchObject({ state: 'rejected', reason: expect.stringContaining('already answered elsewhere') as unknown });
  });

  it('keeps a chat message the daemon is too busy for pending, lets other actions go, and sends it once the daemon has room', async () => {
    vi.useFakeTimers();
    const queue = new OfflineQueue(undefined, 'q');
    queue.add('chat.post', { project: 'app', text: 'one' }, 'one');
    queue.add('chat.post', { project: 'app', text: 'two' }, 'two');
    queue.add('approval.answer', { id: 'a1', decision: 'deny' }, 'Deny a1');
    let busy = true;
    const stand = client((method) => {
      if (method === 'chat.post' && busy) throw new ProtocolError('busy', 'this link posts one message every 2 s');
      return {};
    });
    await queue.apply(stand.client, () => true);
    expect(queue.list.map((action) => action.state)).toEqual(['pending', 'pending', 'applied']);
    expect(queue.list[0]?.reason).toContain('busy');
    busy = false;
    await vi.advanceTimersByTimeAsync(2_500);
    expect(queue.list.map((action) => action.state)).toEqual(['applied', 'applied', 'applied']);
    expect(stand.calls.map(([method, params]) => `${method} ${String(params.text ?? params.id)}`)).toEqual(['chat.post one', 'approval.answer a1', 'chat.post one', 'chat.post two']);
  });

  it('rejects an action the daemon stays busy for, in the end, with the reason', async () => {
    vi.useFakeTimers();
    const queue = new OfflineQueue(undefined, 'q');
    queue.add('chat.post', { project: 'app', text: 'one' }, 'one');
    const stand = client(() => {
      throw new ProtocolError('busy', 'this link posts one message every 2 s');
    });
    await queue.apply(stand.client, () => true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(queue.list[0]).toMatchObject({ state: 'rejected', reason: expect.stringContaining('one message every 2 s') as unknown });
    expect(stand.calls.length).toBe(15);
  });

  it('gives up on an action that keeps failing with internal after 5 tries, and lets the ones behind it go', async () => {
    vi.useFakeTimers();
    const queue = new OfflineQueue(undefined, 'q');
    queue.add('task.create', { project: 'app', title: 'broken' }, 'broken');
    queue.add('task.create', { project: 'app', title: 'fine' }, 'fine');
    const stand = client((_method, params) => {
      if (params.title === 'broken') throw new ProtocolError('internal', 'disk I/O error');
      return {};
    });
    await queue.apply(stand.client, () => true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(queue.list.map((action) => [action.label, action.state, action.reason])).toEqual([
      ['broken', 'rejected', 'disk I/O error (tried 5 times)'],
      ['fine', 'applied', undefined],
    ]);
    expect(stand.calls.filter(([, params]) => params.title === 'broken')).toHaveLength(5);
  });
});
