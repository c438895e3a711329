// `vibe chat` through the real CLI and daemon: messages posted and listed with time and sender, kept across
// `vibe down` and `vibe up`, pushed live to another connection, and signed with a link's label from another
// machine — a view-only link included, since watchers may talk.
import { userInfo } from 'node:os';
import type { Event } from '@vibe/protocol';
import { connectToDaemon, resolvePaths } from '@vibe/protocol/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

interface ChatJson {
  messages: Array<{ id: number; project: string; text: string; from: { label: string; kind: string }; at: string }>;
}

const me = userInfo().username;

let owner: Sandbox;
let remote: Sandbox;
let repo: string;

beforeAll(async () => {
  owner = new Sandbox();
  // No keychain here: links keep their secrets in a file.
  owner.env.VIBE_SECRET_STORE = 'file';
  repo = owner.repo('app');
  const up = await owner.vibe(['up'], { cwd: repo });
  expect(up.code, up.stderr).toBe(0);
  // The second machine: a home of its own and no daemon; it reaches the owner's only through links.
  remote = new Sandbox();
}, 60_000);
afterAll(async () => {
  await remote?.dispose();
  await owner?.dispose();
});

const chatLog = async (): Promise<ChatJson['messages']> => (await owner.json<ChatJson>(['chat'], { cwd: repo })).messages;

describe('vibe chat', () => {
  it('posts and lists with time and sender, and keeps the conversation across vibe down and vibe up', async () => {
    const posted = await owner.vibe(['chat', 'hello team'], { cwd: repo });
    expect([posted.code, posted.stdout, posted.stderr]).toEqual([0, '', 'posted to the chat of app\n']);
    const piped = await owner.vibe(['chat', '-'], { cwd: repo, input: 'from stdin\n\tsecond line\n' });
    expect(piped.code, piped.stderr).toBe(0);

    const listed = await owner.vibe(['chat'], { cwd: repo });
    expect(listed.code, listed.stderr).toBe(0);
    const pad = ' '.repeat(18 + me.length + 2);
    expect(listed.stdout).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  ${me}  hello team\\n\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  ${me}  from stdin\\n${pad}\\tsecond line\\n$`));

    expect((await owner.vibe(['down'])).code).toBe(0);
    expect((await owner.vibe(['up'], { cwd: repo })).code).toBe(0);
    expect((await chatLog()).map((message) => [message.from, message.text])).toEqual([
      [{ label: me, kind: 'local' }, 'hello team'],
      [{ label: me, kind: 'local' }, 'from stdin\n\tsecond line'],
    ]);
  });

  it('reaches another connection live, as a chat.posted event', async () => {
    const { client } = await connectToDaemon(resolvePaths({ VIBE_HOME: owner.home }).socket, { client: { name: 'test', version: '0' } });
    try {
      const events: Event[] = [];
      client.onEvent((event) => events.push(event));
      await client.request('events.subscribe', {});
      expect((await owner.vibe(['chat', 'live one'], { cwd: repo })).code).toBe(0);
      const deadline = Date.now() + 10_000;
      while (!events.some((event) => event.name === 'chat.posted') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(events.filter((event) => event.name === 'chat.posted').map((event) => event.data)).toMatchObject([{ message: { project: 'app', text: 'live one', from: { label: me, kind: 'local' } } }]);
    } finally {
      client.close();
    }
  });

  it('signs what comes through a link with its label, and lets a view-only link talk too', async () => {
    const alice = (await owner.json<{ url: string }>(['connect', '--label', 'alice', '--no-qr'])).url;
    const bob = (await owner.json<{ url: string }>(['connect', '--label', 'bob', '--read-only', '--no-qr'])).url;
    const fromAlice = await remote.vibe(['--link', alice, 'chat', 'from alice', '--project', 'app']);
    expect(fromAlice.code, fromAlice.stderr).toBe(0);
    const fromBob = await remote.vibe(['--link', bob, 'chat', 'bob watching', '--project', 'app', '--json']);
    expect(fromBob.code, fromBob.stderr).toBe(0);
    expect(JSON.parse(fromBob.stdout)).toMatchObject({ duplicate: false, message: { text: 'bob watching', from: { label: 'bob', kind: 'view' } } });

    expect((await chatLog()).slice(-2).map((message) => [message.from, message.text])).toEqual([
      [{ label: 'alice', kind: 'control' }, 'from alice'],
      [{ label: 'bob', kind: 'view' }, 'bob watching'],
    ]);
    const seenByBob = await remote.vibe(['--link', bob, 'chat', '--project', 'app', '--limit', '2']);
    expect(seenByBob.stdout).toMatch(/ {2}alice \(link\) {10}from alice\n.* {2}bob \(view-only link\) {2}bob watching\n$/);
  });

  it('refuses text the daemon would not take, in one line with exit 2, and posts nothing', async () => {
    const before = (await chatLog()).length;
    const refused = await owner.vibe(['chat', 'clear\u001b[2J'], { cwd: repo });
    expect([refused.code, refused.stderr]).toEqual([2, 'vibe: the message holds a control character (\\x1b); only newlines and tabs may be sent\n']);
    expect(await chatLog()).toHaveLength(before);
  });
});
