// Presence through the real CLI: `vibe attach` at the desk and `vibe --link URL attach --read-only` from a
// second machine watch one session, the daemon lists both with their labels and devices, the typing mark comes
// with a keystroke and goes 3 s after the last, and `vibe board` shows all of it on the card.
import { userInfo } from 'node:os';
import type { ControlClient, Event, Viewer } from '@vibe/protocol';
import { connectToDaemon, resolvePaths } from '@vibe/protocol/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, fakeAgent, Sandbox, vibeBin } from './harness.js';
import { hasTmux, TmuxServer } from './tmux.js';

const me = userInfo().username;
const terminal = expect.stringMatching(/^terminal on \S+ \(vibe-cli .+\)$/);

let owner: Sandbox;
let remote: Sandbox;
let repo: string;
let tmux: TmuxServer;
let remoteTmux: TmuxServer;
let client: ControlClient;
let session: number;
const events: Event[] = [];

beforeAll(async () => {
  owner = new Sandbox();
  owner.configure({ agents: { fake: fakeAgent('print:ready;ask:Name? ;print:hello {answer};sleep:600000') } });
  owner.env.VIBE_SECRET_STORE = 'file';
  repo = owner.repo('app');
  expect((await owner.vibe(['up'], { cwd: repo })).code).toBe(0);
  session = (await owner.json<{ session: { id: number } }>(['task', 'add', 'Greet', '--agent', 'fake', '--start'], { cwd: repo })).session.id;
  remote = new Sandbox();
  // CI set, as on a CI machine: ink would draw nothing until exit there, and the board must draw anyway.
  tmux = new TmuxServer(owner.dir, { ...owner.env, CI: 'true' });
  remoteTmux = new TmuxServer(remote.dir, { ...remote.env, CI: 'true' });
  client = (await connectToDaemon(resolvePaths({ VIBE_HOME: owner.home }).socket, { client: { name: 'test', version: '0' } })).client;
  client.onEvent((event) => events.push(event));
  await client.request('events.subscribe', { names: ['session.viewers'] });
}, 60_000);
afterAll(async () => {
  client?.close();
  tmux?.kill();
  remoteTmux?.kill();
  await remote?.dispose();
  await owner?.dispose();
});

const viewers = async (): Promise<Viewer[]> => (await client.request('session.viewers', { session })).viewers;

/** The next session.viewers event after `from` (an index into `events`) that satisfies `ok`. */
async function nextList(from: number, ok: (viewers: Viewer[]) => boolean, what: string): Promise<{ viewers: Viewer[]; index: number }> {
  return eventually(async () => {
    for (let index = from; index < events.length; index++) {
      const event = events[index]!;
      if (event.name === 'session.viewers' && event.data.session === session && ok(event.data.viewers)) return { viewers: event.data.viewers, index: index + 1 };
    }
    return undefined;
  }, what);
}

describe.skipIf(!hasTmux)('who watches a session', () => {
  it('lists the desk and a view-only link by label and device, marks typing for 3 s, and shows both on the board', async () => {
    const link = (await owner.json<{ url: string }>(['connect', '--label', 'alice', '--read-only', '--no-qr'])).url;
    tmux.start('desk', [vibeBin, 'attach', '1'], repo);
    await tmux.waitForScreen('desk', /Name\?/);
    remoteTmux.start('alice', [vibeBin, '--link', link, 'attach', '1', '--read-only'], remote.dir);
    await remoteTmux.waitForScreen('alice', /Name\?/);

    const both = await eventually(async () => {
      const list = await viewers();
      return list.length === 2 ? list : undefined;
    }, 'two viewers');
    expect(both).toEqual([
      { id: expect.any(String), label: me, kind: 'local', device: terminal, readOnly: false, typing: false },
      { id: expect.any(String), label: 'alice', kind: 'view', device: terminal, readOnly: true, typing: false },
    ]);

    tmux.start('board', [vibeBin, 'board'], repo, { cols: 120, rows: 20 });
    await tmux.waitForScreen('board', /#1 Greet\s+◉2\s/);
    // Select the card (it is in progress, the second column): the message line names who watches.
    tmux.keys('board', ['l']);
    await tmux.waitForScreen('board', new RegExp(`◉ #1 watched by ${me} \\(terminal on \\S+\\), alice \\(terminal on \\S+, view-only\\)`));

    // Keys at the desk: typing from the first, with no event for the keys after it; 3 s after the last, not typing.
    const from = events.length;
    tmux.keys('desk', ['A'], { literal: true });
    const typing = await nextList(from, (list) => list[0]?.typing === true, 'the typing mark');
    expect(typing.viewers.map((viewer) => [viewer.label, viewer.typing])).toEqual([[me, true], ['alice', false]]);
    await tmux.waitForScreen('board', /#1 Greet\s+◉2✎/);
    let lastKeyAt = 0;
    for (const key of ['d', 'a']) {
      await new Promise((resolve) => setTimeout(resolve, 700));
      tmux.keys('desk', [key], { literal: true });
      lastKeyAt = Date.now();
    }
    const quiet = await nextList(typing.index, (list) => list[0]?.typing === false, 'the typing mark to clear');
    expect(Date.now() - lastKeyAt).toBeGreaterThanOrEqual(2900);
    expect(quiet.index).toBe(typing.index + 1);
    await tmux.waitForScreen('board', /#1 Greet\s+◉2\s/);

    // Alice detaches: the desk is left, and the board says so.
    remoteTmux.keys('alice', ['C-]']);
    await nextList(quiet.index, (list) => list.length === 1 && list[0]?.label === me, 'alice gone from the list');
    await tmux.waitForScreen('board', /#1 Greet\s+◉1\s/);
  });
});
