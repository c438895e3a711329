// Task inboxes through a real daemon on its real socket: a post pushes inbox.posted, a read pushes the receipt
// (inbox.read) to whoever watches — the sender included — and messages outlive a daemon restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ControlClient, Event } from '@vibe/protocol';
import { connectToDaemon, resolvePaths } from '@vibe/protocol/node';
import { Daemon } from '../src/daemon.js';
import { until } from './daemon-fixture.js';
import { MemoryClient } from './memory-client.js';

let home: string;
let daemon: Daemon;
let clients: ControlClient[];

async function boot(): Promise<void> {
  const outcome = await Daemon.start({ paths: resolvePaths({ VIBE_HOME: home }), version: '0.0.0-test', validateResults: true });
  if (outcome.status !== 'ready') throw new Error('daemon did not start');
  daemon = outcome.daemon;
}

async function client(): Promise<ControlClient> {
  const { client } = await connectToDaemon(daemon.paths.socket, { client: { name: 'test', version: '0' } });
  clients.push(client);
  return client;
}

/** Subscribes `watcher` to the inbox events and collects them. */
async function watch(watcher: ControlClient): Promise<Event[]> {
  const seen: Event[] = [];
  watcher.onEvent((event) => seen.push(event));
  await watcher.request('events.subscribe', { names: ['inbox.posted', 'inbox.read'] });
  return seen;
}

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'vibe-inbox-'));
  clients = [];
  await boot();
  const setup = await client();
  await setup.request('project.register', { path: '/src/app', baseBranch: 'main' });
  await setup.request('task.create', { project: 'app', title: 'Build the client' });
  await setup.request('task.create', { project: 'app', title: 'Change the API' });
});

afterEach(async () => {
  for (const c of clients) c.close();
  await daemon.stop('test over');
  rmSync(home, { recursive: true, force: true });
});

describe('a task inbox', () => {
  it('takes a message from task 2 to task 1, and the read that returns it is the receipt task 2 sees', async () => {
    const sender = await client();
    const sent = await watch(sender);
    const { message } = await sender.request('inbox.post', { project: 'app', number: 1, fromTask: 2, text: 'GET /me returns 401 now' });
    expect(message).toMatchObject({ project: 'app', to: 1, from: { task: 2, label: 'task 2' }, text: 'GET /me returns 401 now', readAt: null });
    await until(() => sent.map((e) => e.name), (names) => names.includes('inbox.posted'), 'inbox.posted');
    expect(sent[0]).toMatchObject({ name: 'inbox.posted', data: { message } });

    const receiver = await client();
    const { messages } = await receiver.request('inbox.read', { project: 'app', number: 1 });
    expect(messages).toEqual([{ ...message, readAt: expect.any(String) }]);
    const receipt = await until(() => sent.find((e) => e.name === 'inbox.read'), (e) => e !== undefined, 'the receipt');
    expect(receipt).toMatchObject({ data: { project: 'app', to: 1, ids: [message.id], at: messages[0]!.readAt } });

    // Read once: the next read is empty and sends no second receipt; the whole inbox still shows it, read.
    expect(await receiver.request('inbox.read', { project: 'app', number: 1 })).toEqual({ messages: [] });
    expect((await receiver.request('inbox.read', { project: 'app', number: 1, unreadOnly: false })).messages.map((m) => m.readAt)).toEqual([messages[0]!.readAt]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sent.filter((e) => e.name === 'inbox.read')).toHaveLength(1);
    // And task 1's history says so.
    const { entries } = await receiver.request('task.log', { project: 'app', number: 1 });
    expect(entries.map((e) => e.name).slice(-2)).toEqual(['inbox.posted', 'inbox.read']);
  });

  it('keeps unread messages across a daemon restart, and a peek marks nothing', async () => {
    await (await client()).request('inbox.post', { project: 'app', number: 1, fromTask: 2, text: 'survives' });
    for (const c of clients.splice(0)) c.close();
    await daemon.stop('restart');
    await boot();
    const after = await client();
    expect((await after.request('inbox.read', { project: 'app', number: 1, markRead: false })).messages).toMatchObject([{ text: 'survives', readAt: null }]);
    expect((await after.request('inbox.read', { project: 'app', number: 1 })).messages).toMatchObject([{ text: 'survives', readAt: expect.any(String) }]);
  });

  it('labels a person\'s message with the link it came through; a view-only link may neither post nor read', async () => {
    const control = (await MemoryClient.ready(daemon.control, { kind: 'link', linkId: 'ctrlLink001', label: 'alice', readOnly: false })).client;
    const posted = await control.request('inbox.post', { project: 'app', number: 1, text: 'please hurry' });
    expect(posted.result).toMatchObject({ message: { from: { task: null, label: 'alice' } } });
    const view = (await MemoryClient.ready(daemon.control, { kind: 'link', linkId: 'viewLink001', label: 'bob', readOnly: true })).client;
    expect((await view.request('inbox.post', { project: 'app', number: 1, text: 'x' })).error).toMatchObject({ code: 'forbidden' });
    expect((await view.request('inbox.read', { project: 'app', number: 1 })).error).toMatchObject({ code: 'forbidden' });
    const local = await client();
    // At the daemon's own machine, a person is its user, as in chat.
    expect((await local.request('inbox.post', { project: 'app', number: 2, text: 'from the desk' })).message.from).toEqual({ task: null, label: userInfo().username });
    expect((await local.request('inbox.read', { project: 'app', number: 1, markRead: false })).messages.map((m) => m.text)).toEqual(['please hurry']);
  });

  it('lets only the daemon\'s machine speak for a task: a control link can neither sign as one nor mark its messages read', async () => {
    const control = (await MemoryClient.ready(daemon.control, { kind: 'link', linkId: 'ctrlLink001', label: 'alice', readOnly: false })).client;
    const signed = await control.request('inbox.post', { project: 'app', number: 1, text: 'from task 2, honest', fromTask: 2 });
    expect(signed.error).toMatchObject({ code: 'forbidden' });
    const local = await client();
    await local.request('inbox.post', { project: 'app', number: 1, text: 'real note', fromTask: 2 });
    // A link may look at the inbox; what it saw stays unread for the agent, with no receipt.
    const looked = await control.request('inbox.read', { project: 'app', number: 1 });
    expect((looked.result as { messages: Array<{ text: string; readAt: string | null }> }).messages.map((m) => [m.text, m.readAt])).toEqual([['real note', null]]);
    expect((await local.request('inbox.read', { project: 'app', number: 1, markRead: false })).messages.map((m) => [m.text, m.readAt])).toEqual([['real note', null]]);
  });

  it('refuses an unknown task, an unknown sender and empty text, storing nothing', async () => {
    const c = await client();
    await expect(c.request('inbox.post', { project: 'app', number: 9, text: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(c.request('inbox.post', { project: 'app', number: 1, fromTask: 9, text: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(c.request('inbox.post', { project: 'app', number: 1, text: '' })).rejects.toMatchObject({ code: 'invalid_params' });
    expect((await c.request('inbox.read', { project: 'app', number: 1, unreadOnly: false })).messages).toEqual([]);
  });
});
