// Presence (protocol 1.5) against a real daemon and a real session: who is attached, with which label, device and
// access, and who is typing — pushed on every change of the list, never once per keystroke.
import { userInfo } from 'node:os';
import { TYPING_MS } from '@vibe/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LinkAccess } from '../src/control/index.js';
import { until } from './daemon-fixture.js';
import { MemoryClient } from './memory-client.js';
import { ProjectDaemon } from './project-daemon.js';

const VIEW: LinkAccess = { kind: 'link', linkId: 'viewLink001', label: 'alice', readOnly: true };

let fixture: ProjectDaemon;
let session: number;

beforeEach(async () => {
  fixture = new ProjectDaemon('print:ready;ask:Name? ;print:hello {answer};sleep:60000');
  await fixture.start();
  session = (await fixture.local.request('task.start', { project: 'repo', number: 1 })).session.id;
});

afterEach(async () => {
  await fixture.dispose();
});

type Viewers = Array<Record<string, unknown>>;

/** Takes the next session.viewers event from `client`'s messages and returns its list. */
async function nextViewers(client: MemoryClient): Promise<Viewers> {
  const event = await client.waitFor((m) => m.type === 'event' && m.name === 'session.viewers');
  expect((event.data as { session: number }).session).toBe(session);
  return (event.data as { viewers: Viewers }).viewers;
}

describe('session viewers', () => {
  it('lists every attached connection with its label, device and access, and pushes each change', async () => {
    const subscriber = (await MemoryClient.ready(fixture.daemon.control, { kind: 'local' })).client;
    const older = (await MemoryClient.ready(fixture.daemon.control, { kind: 'local' }, { protocol: '1.4' })).client;
    await subscriber.request('events.subscribe', {});
    await older.request('events.subscribe', {});

    const owner = (await MemoryClient.ready(fixture.daemon.control, { kind: 'local' })).client;
    const attached = (await owner.request('session.attach', { session })).result as { viewer: string };
    const ownerViewer = { id: attached.viewer, label: userInfo().username, kind: 'local', device: 'memory 0', readOnly: false, typing: false };
    expect(await nextViewers(subscriber)).toEqual([ownerViewer]);

    const alice = (await MemoryClient.ready(fixture.daemon.control, VIEW, { device: 'Safari on iPhone' })).client;
    const watching = (await alice.request('session.attach', { session, readOnly: true })).result as { viewer: string };
    const aliceViewer = { id: watching.viewer, label: 'alice', kind: 'view', device: 'Safari on iPhone (memory 0)', readOnly: true, typing: false };
    expect(await nextViewers(subscriber)).toEqual([ownerViewer, aliceViewer]);
    expect((await alice.request('session.viewers', { session })).result).toEqual({ viewers: [ownerViewer, aliceViewer] });

    // Attaching again the same way changes nothing and says nothing; detaching and leaving do.
    await alice.request('session.attach', { session, readOnly: true });
    await alice.request('session.detach', { session });
    expect(await nextViewers(subscriber)).toEqual([ownerViewer]);
    owner.gone();
    expect(await nextViewers(subscriber)).toEqual([]);
    expect((await fixture.local.request('session.viewers', { session })).viewers).toEqual([]);

    // A client speaking 1.4 was told none of it.
    await fixture.local.request('task.create', { project: 'repo', title: 'marker' });
    await older.waitFor((m) => m.type === 'event' && m.name === 'task.created');
    expect(older.messages.filter((m) => m.name === 'session.viewers')).toEqual([]);
  });

  it('marks a viewer typing at its first key and clears the mark once it has been quiet for 3 s', async () => {
    const subscriber = (await MemoryClient.ready(fixture.daemon.control, { kind: 'local' })).client;
    await subscriber.request('events.subscribe', { names: ['session.viewers'] });
    const owner = (await MemoryClient.ready(fixture.daemon.control, { kind: 'local' })).client;
    await owner.request('session.attach', { session });
    await nextViewers(subscriber);
    await until(() => owner.output(session), (text) => text.includes('Name?'), 'the question on the screen');

    owner.sendInput(session, 'A');
    const typingAt = Date.now();
    expect(await nextViewers(subscriber)).toMatchObject([{ typing: true }]);
    // More keys while typing: no event for them, and the mark lasts 3 s from the last one.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    owner.sendInput(session, 'da');
    const lastKeyAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(subscriber.messages.filter((m) => m.name === 'session.viewers')).toEqual([]);
    expect((await fixture.local.request('session.viewers', { session })).viewers).toMatchObject([{ typing: true }]);

    expect(await nextViewers(subscriber)).toMatchObject([{ typing: false }]);
    expect(Date.now() - lastKeyAt).toBeGreaterThanOrEqual(TYPING_MS - 50);
    expect(Date.now() - typingAt).toBeLessThan(TYPING_MS + 2500);
    expect(subscriber.messages.filter((m) => m.name === 'session.viewers')).toEqual([]);
  });

  it('empties the list when the session ends, though its viewers still show its last screen', async () => {
    const subscriber = (await MemoryClient.ready(fixture.daemon.control, { kind: 'local' })).client;
    await subscriber.request('events.subscribe', {});
    const alice = (await MemoryClient.ready(fixture.daemon.control, VIEW)).client;
    await alice.request('session.attach', { session, readOnly: true });
    expect(await nextViewers(subscriber)).toHaveLength(1);
    await fixture.local.request('task.stop', { project: 'repo', number: 1 });
    expect(await nextViewers(subscriber)).toEqual([]);
    expect((await fixture.local.request('session.viewers', { session })).viewers).toEqual([]);
  });

  it('forgets a connection that closed while its attach waited for the snapshot', async () => {
    const subscriber = (await MemoryClient.ready(fixture.daemon.control, { kind: 'local' })).client;
    await subscriber.request('events.subscribe', {});
    const alice = (await MemoryClient.ready(fixture.daemon.control, VIEW)).client;
    void alice.request('session.attach', { session, readOnly: true }).catch(() => undefined);
    // The request reaches the daemon a microtask later; it is then waiting on tmux for the snapshot.
    await new Promise((resolve) => setImmediate(resolve));
    alice.gone();
    // The snapshot comes back after the close: nobody is listed, and a later viewer's list holds only itself.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await fixture.local.request('session.viewers', { session })).viewers).toEqual([]);
    const bob = (await MemoryClient.ready(fixture.daemon.control, { kind: 'local' })).client;
    await bob.request('session.attach', { session, readOnly: true });
    expect((await fixture.local.request('session.viewers', { session })).viewers.map((viewer) => viewer.kind)).toEqual(['local']);
  });

  it('answers not_found for a session that does not exist', async () => {
    await expect(fixture.local.request('session.viewers', { session: 999 })).rejects.toMatchObject({ code: 'not_found' });
  });
});
