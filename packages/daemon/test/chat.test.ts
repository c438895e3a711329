// Chat and idempotent creates (protocol 1.5) against a real daemon: senders named by their connection, messages
// pushed live to the clients that asked for them, a retried client id applied once, history kept across restarts.
import { userInfo } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHAT_BURST } from '../src/control/chat-handlers.js';
import type { LinkAccess } from '../src/control/index.js';
import { MemoryClient } from './memory-client.js';
import { ProjectDaemon } from './project-daemon.js';

const VIEW: LinkAccess = { kind: 'link', linkId: 'viewLink001', label: 'alice', readOnly: true };
const me = userInfo().username;

let fixture: ProjectDaemon;

beforeEach(async () => {
  fixture = new ProjectDaemon();
  await fixture.start();
});

afterEach(async () => {
  await fixture.dispose();
});

const events = (client: MemoryClient, name: string): Array<Record<string, unknown>> => client.messages.filter((m) => m.type === 'event' && m.name === name);

describe('chat', () => {
  it('names each sender by its connection: the local user, or the link label with its kind', async () => {
    const { client: alice } = await MemoryClient.ready(fixture.daemon.control, VIEW);
    const posted = await alice.request('chat.post', { project: 'repo', text: 'is it done?', from: { label: 'owner', kind: 'local' } });
    expect(posted.result).toEqual({ duplicate: false, message: { id: 1, project: 'repo', from: { label: 'alice', kind: 'view' }, text: 'is it done?', at: expect.any(String) } });
    await fixture.local.request('chat.post', { project: 'repo', text: 'almost' });
    const { messages } = await fixture.local.request('chat.list', { project: 'repo' });
    expect(messages.map((message) => [message.from, message.text])).toEqual([
      [{ label: 'alice', kind: 'view' }, 'is it done?'],
      [{ label: me, kind: 'local' }, 'almost'],
    ]);
  });

  it('pushes a new message live to every client that speaks 1.5 or named the event, and to no older one', async () => {
    const watcher = (await MemoryClient.ready(fixture.daemon.control, { kind: 'local' })).client;
    const naming = (await MemoryClient.ready(fixture.daemon.control, VIEW, { protocol: '1.4' })).client;
    const older = (await MemoryClient.ready(fixture.daemon.control, VIEW, { protocol: '1.4' })).client;
    await watcher.request('events.subscribe', {});
    await naming.request('events.subscribe', { names: ['chat.posted'] });
    await older.request('events.subscribe', {});
    const lastSeq = fixture.daemon.store.lastEventSeq();

    await fixture.local.request('chat.post', { project: 'repo', text: 'standup in 5' });
    const event = await watcher.waitFor((m) => m.type === 'event' && m.name === 'chat.posted');
    // Not logged: it carries the newest logged seq, and the log did not grow.
    expect(event).toMatchObject({ seq: lastSeq, data: { message: { id: 1, text: 'standup in 5', from: { label: me, kind: 'local' } } } });
    expect(await naming.waitFor((m) => m.type === 'event' && m.name === 'chat.posted')).toMatchObject({ data: { message: { id: 1 } } });
    expect(fixture.daemon.store.lastEventSeq()).toBe(lastSeq);

    // A task change after it reaches all three: the older client was sent nothing in between.
    await fixture.local.request('task.create', { project: 'repo', title: 'after the chat' });
    await older.waitFor((m) => m.type === 'event' && m.name === 'task.created');
    expect(events(older, 'chat.posted')).toEqual([]);
    // A replay holds only the log: the message is not in it.
    const replay = (await MemoryClient.ready(fixture.daemon.control, { kind: 'local' })).client;
    await replay.request('events.subscribe', { since: 0 });
    expect(replay.messages.filter((m) => m.type === 'event').map((m) => m.name)).toEqual(['project.registered', 'task.created', 'task.created']);
  });

  it('stores a repeated client id once and pushes it once', async () => {
    const watcher = (await MemoryClient.ready(fixture.daemon.control, { kind: 'local' })).client;
    await watcher.request('events.subscribe', { names: ['chat.posted'] });
    const { client: alice } = await MemoryClient.ready(fixture.daemon.control, VIEW);
    const first = await alice.request('chat.post', { project: 'repo', text: 'queued offline', clientId: 'offline-0001' });
    const again = await alice.request('chat.post', { project: 'repo', text: 'queued offline', clientId: 'offline-0001' });
    expect(again.result).toEqual({ ...(first.result as object), duplicate: true });
    await fixture.local.request('chat.post', { project: 'repo', text: 'marker' });
    await watcher.waitFor((m) => m.type === 'event' && (m.data as { message: { text: string } }).message.text === 'marker');
    expect(events(watcher, 'chat.posted').map((m) => (m.data as { message: { id: number } }).message.id)).toEqual([1]);
    expect((await fixture.local.request('chat.list', { project: 'repo' })).messages.map((message) => message.text)).toEqual(['queued offline', 'marker']);
  });

  it('refuses a message with control characters, changing nothing', async () => {
    await expect(fixture.local.request('chat.post', { project: 'repo', text: 'clear\u001b[2J' })).rejects.toMatchObject({ code: 'invalid_params' });
    expect((await fixture.local.request('chat.list', { project: 'repo' })).messages).toEqual([]);
  });

  it('holds a link to a burst of messages, refusing the rest as busy with nothing stored; the owner is not held', async () => {
    const { client: alice } = await MemoryClient.ready(fixture.daemon.control, VIEW);
    for (let i = 1; i <= CHAT_BURST; i++) expect((await alice.request('chat.post', { project: 'repo', text: `m${i}`, clientId: `queued-000${i}` })).result).toBeDefined();
    const refused = await alice.request('chat.post', { project: 'repo', text: 'one too many' });
    expect(refused.error).toMatchObject({ code: 'busy', message: expect.stringMatching(/too many chat messages from alice/) });
    // A retry of a message already stored (its reply lost on the way) is still answered, as a duplicate.
    const retried = await alice.request('chat.post', { project: 'repo', text: 'm1', clientId: 'queued-0001' });
    expect(retried.result).toMatchObject({ duplicate: true, message: { text: 'm1' } });
    for (let i = 1; i <= CHAT_BURST + 5; i++) await fixture.local.request('chat.post', { project: 'repo', text: `owner ${i}` });
    const texts = (await fixture.local.request('chat.list', { project: 'repo', limit: 500 })).messages.map((message) => message.text);
    expect(texts).toHaveLength(2 * CHAT_BURST + 5);
    expect(texts).not.toContain('one too many');
  });

  it('keeps the conversation across a daemon restart', async () => {
    await fixture.local.request('chat.post', { project: 'repo', text: 'before the restart', clientId: 'offline-0002' });
    await fixture.restart();
    expect((await fixture.local.request('chat.list', { project: 'repo' })).messages.map((message) => message.text)).toEqual(['before the restart']);
    expect(await fixture.local.request('chat.post', { project: 'repo', text: 'before the restart', clientId: 'offline-0002' })).toMatchObject({ duplicate: true });
  });
});

describe('task.create with a client id', () => {
  it('creates the task once, answers a repeat with it as a duplicate, and logs one task.created', async () => {
    const seq = fixture.daemon.store.lastEventSeq();
    const first = await fixture.local.request('task.create', { project: 'repo', title: 'From the phone', clientId: 'create-0001' });
    const again = await fixture.local.request('task.create', { project: 'repo', title: 'From the phone', clientId: 'create-0001' });
    expect(first).toMatchObject({ duplicate: false, task: { number: 2 } });
    expect(again).toEqual({ task: first.task, duplicate: true });
    expect(fixture.daemon.store.eventsSince(seq).map((event) => event.name)).toEqual(['task.created']);
    // Without a client id the answer keeps its 1.4 shape.
    expect(await fixture.local.request('task.create', { project: 'repo', title: 'plain' })).not.toHaveProperty('duplicate');
  });
});
