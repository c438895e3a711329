// Per-connection access: connections opened over an in-memory transport with a link's access, next to the
// local socket, against a real daemon with real tmux and the scripted fake agent.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ControlClient } from '@vibe/protocol';
import { connectToDaemon, resolvePaths } from '@vibe/protocol/node';
import type { LinkAccess } from '../src/control/index.js';
import { Daemon } from '../src/daemon.js';
import { stopDaemon, until } from './daemon-fixture.js';
import { MemoryClient } from './memory-client.js';

const fakeAgent = fileURLToPath(new URL('./fixtures/fake-agent.mjs', import.meta.url));
const scriptsDir = fileURLToPath(new URL('../dist', import.meta.url));

const VIEW: LinkAccess = { kind: 'link', linkId: 'viewLink001', label: 'phone', readOnly: true };
const CONTROL: LinkAccess = { kind: 'link', linkId: 'ctrlLink001', label: 'laptop', readOnly: false };

let dir: string;
let repo: string;
let daemon: Daemon;
let local: ControlClient;

const forbidden = { code: 'forbidden' };

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vibe-link-'));
  repo = join(dir, 'repo');
  mkdirSync(repo);
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  writeFileSync(join(repo, 'README.md'), '# repo\n');
  execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@e', 'add', '.']);
  execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-qm', 'init']);
  mkdirSync(join(dir, 'home', 'config'), { recursive: true });
  const command = ['node', fakeAgent, '--script', 'print:ready;ask:Name? ;print:hello {answer};sleep:60000'];
  writeFileSync(join(dir, 'home', 'config', 'config.json'), JSON.stringify({ agents: { fake: { command, prompt: 'none', hooks: 'env' } } }));
});

afterEach(async () => {
  local?.close();
  if (daemon) await stopDaemon(daemon);
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the daemon (tmux-hosted sessions unless `preferPty`) with project "repo" and task 1 for the fake agent. */
async function boot(preferPty = false): Promise<void> {
  const outcome = await Daemon.start({ paths: resolvePaths({ VIBE_HOME: join(dir, 'home') }), version: 't', validateResults: true, scriptsDir, preferPty });
  if (outcome.status !== 'ready') throw new Error('daemon did not start');
  daemon = outcome.daemon;
  local = (await connectToDaemon(daemon.paths.socket, { client: { name: 'test', version: '0' } })).client;
  await local.request('project.register', { path: repo, baseBranch: 'main' });
  await local.request('task.create', { project: 'repo', title: 'Greet', agent: 'fake' });
}

/** A task started and its prompt on screen; `watcher` is a local read-only viewer of it. */
async function startedSession(): Promise<{ session: number; watcher: MemoryClient }> {
  const { session } = await local.request('task.start', { project: 'repo', number: 1 });
  const watcher = (await MemoryClient.ready(daemon.control, { kind: 'local' })).client;
  expect((await watcher.request('session.attach', { session: session.id, readOnly: true })).result).toBeDefined();
  await until(() => watcher.output(session.id), (text) => text.includes('Name?'), 'the question on the screen');
  return { session: session.id, watcher };
}

describe('a view-only link', () => {
  it('is told its access in the welcome and may read', async () => {
    await boot();
    const { client, welcome } = await MemoryClient.ready(daemon.control, VIEW);
    expect(welcome).toMatchObject({ access: 'view', label: 'phone', capabilities: expect.arrayContaining(['relay']) });
    expect((await client.request('task.list', { project: 'repo' })).result).toMatchObject({ tasks: [{ number: 1, title: 'Greet' }] });
    expect((await client.request('project.list')).result).toMatchObject({ projects: [{ name: 'repo' }] });
    expect((await client.request('daemon.status')).result).toMatchObject({ pid: process.pid });
    expect((await client.request('relay.status')).result).toMatchObject({ relay: { enabled: false } });
    expect((await client.request('events.subscribe', {})).result).toMatchObject({ subscription: expect.any(Number) });
  });

  it('is refused every change with forbidden, before its params are read, and nothing changes', async () => {
    await boot();
    const { client } = await MemoryClient.ready(daemon.control, VIEW);
    const seq = daemon.store.lastEventSeq();
    const refusals: Array<[string, unknown]> = [
      ['task.create', { project: 'repo', title: 'sneaky' }],
      ['task.create', {}],
      ['task.update', { project: 'repo', number: 1, title: 'renamed' }],
      ['task.move', { project: 'repo', number: 1, status: 'cancelled' }],
      ['task.remove', { project: 'repo', number: 1, force: true }],
      ['task.start', { project: 'repo', number: 1 }],
      ['project.register', { path: dir, baseBranch: 'main' }],
      ['project.update', { project: 'repo', maxSessions: 1 }],
      ['worktree.gc', { force: true }],
      ['session.send', { project: 'repo', number: 1, text: 'rm -rf ~', enter: true }],
      ['session.resize', { session: 1, cols: 10, rows: 5 }],
    ];
    for (const [method, params] of refusals) {
      const reply = await client.request(method, params);
      expect(reply.error, method).toMatchObject({ ...forbidden, message: `${method}: this link is view-only` });
    }
    expect(daemon.store.lastEventSeq()).toBe(seq);
    expect(daemon.store.listTasks()).toMatchObject([{ number: 1, title: 'Greet', status: 'todo', attempts: 0 }]);
    expect(daemon.store.listProjects()).toHaveLength(1);
  });

  it.each([
    ['node-pty', true],
    ['tmux', false],
  ])('attaches only read-only, and its keys never reach the session (%s)', async (_host, preferPty) => {
    await boot(preferPty);
    const { session, watcher } = await startedSession();
    const { client } = await MemoryClient.ready(daemon.control, VIEW);
    expect((await client.request('session.attach', { session })).error).toMatchObject(forbidden);
    expect((await client.request('session.attach', { session, readOnly: false })).error).toMatchObject(forbidden);
    expect((await client.request('session.attach', { session, readOnly: true })).result).toMatchObject({ session: { id: session } });
    await until(() => client.output(session), (text) => text.includes('Name?'), 'the view link to see the question');

    const before = watcher.output(session);
    client.sendInput(session, 'Ada\r');
    expect(await client.waitFor((m) => m.type === 'response' && m.id === null)).toMatchObject({ error: { ...forbidden, message: expect.stringContaining('view-only') } });
    expect((await client.request('session.resize', { session, cols: 40, rows: 10 })).error).toMatchObject(forbidden);
    // Long enough for an echo (or the agent's answer) to come back had a byte gone in. The daemon's own
    // node-pty passes on exactly what the program wrote; tmux's client may redraw, so there only the text counts.
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (preferPty) expect(watcher.output(session)).toBe(before);
    expect(watcher.output(session)).not.toContain('Ada');

    // The same keys from a control link do reach it: the assertion above can fail.
    const control = (await MemoryClient.ready(daemon.control, CONTROL)).client;
    expect((await control.request('session.attach', { session })).result).toBeDefined();
    control.sendInput(session, 'Bob\r');
    // Had "Ada\r" gone in, the agent would have answered it and never read "Bob".
    const after = await until(() => watcher.output(session), (text) => text.includes('hello Bob'), 'the control link\'s answer');
    expect(after).not.toContain('Ada');
  });
});

describe('a control link', () => {
  it('may change tasks and drive sessions like the local socket', async () => {
    await boot();
    const { client, welcome } = await MemoryClient.ready(daemon.control, CONTROL);
    expect(welcome.access).toBe('control');
    expect((await client.request('task.create', { project: 'repo', title: 'From afar' })).result).toMatchObject({ task: { number: 2 } });
    expect((await client.request('task.move', { project: 'repo', number: 2, status: 'cancelled' })).result).toMatchObject({ from: 'todo' });
    expect((await client.request('task.create', {})).error).toMatchObject({ code: 'invalid_params' });
    expect(daemon.store.listTasks().map((task) => [task.number, task.status])).toEqual([[1, 'todo'], [2, 'cancelled']]);
  });

  it('is refused what only the daemon\'s machine may do, whatever its params', async () => {
    await boot();
    const { client } = await MemoryClient.ready(daemon.control, CONTROL);
    const localOnly: Array<[string, unknown]> = [
      ['daemon.stop', {}],
      ['session.hook', { session: 1, token: 'guess', event: 'idle' }],
      ['relay.connect', { relay: 'https://evil.example' }],
      ['relay.disconnect', {}],
      ['link.create', { kind: 'control' }],
      ['link.list', {}],
      ['link.revoke', { id: CONTROL.linkId }],
      ['link.revoke', 'not even an object'],
    ];
    for (const [method, params] of localOnly) {
      expect((await client.request(method, params)).error, method).toMatchObject({ ...forbidden, message: `${method}: only on the daemon's machine` });
    }
    // Still running, and the local socket is not refused.
    expect((await local.request('daemon.status', {})).pid).toBe(process.pid);
    expect(await local.request('link.list', {})).toEqual({ links: [] });
    await expect(local.request('link.create', { kind: 'view' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('vibe connect') });
  });
});

describe('closing connections by access', () => {
  it('closes exactly the connections of one link and leaves the others serving', async () => {
    await boot();
    const first = (await MemoryClient.ready(daemon.control, CONTROL)).client;
    const second = (await MemoryClient.ready(daemon.control, CONTROL)).client;
    const other = (await MemoryClient.ready(daemon.control, VIEW)).client;
    const localMemory = (await MemoryClient.ready(daemon.control, { kind: 'local' })).client;
    const ofLink = (access: { kind: string; linkId?: string }): boolean => access.kind === 'link' && access.linkId === CONTROL.linkId;
    expect(daemon.control.countConnections(ofLink)).toBe(2);

    expect(daemon.control.closeConnections(ofLink)).toBe(2);
    expect([first.closedBy, second.closedBy, other.closedBy, localMemory.closedBy]).toEqual(['destroy', 'destroy', undefined, undefined]);
    expect(daemon.control.countConnections(ofLink)).toBe(0);
    expect(daemon.control.closeConnections(ofLink)).toBe(0);

    // A closed connection acts on nothing it is still sent; the rest answer.
    first.sendJson({ type: 'request', id: 99, method: 'task.create', params: { project: 'repo', title: 'after revoke' } });
    expect((await other.request('task.list', { project: 'repo' })).result).toMatchObject({ tasks: [{ number: 1 }] });
    expect((await localMemory.request('project.list')).result).toMatchObject({ projects: [{ name: 'repo' }] });
    expect((await local.request('task.list', { project: 'repo' })).tasks).toHaveLength(1);
    expect(first.messages.find((m) => m.id === 99)).toBeUndefined();
  });

  it('detaches a closed link from the sessions it watched', async () => {
    await boot();
    const { session, watcher } = await startedSession();
    const control = (await MemoryClient.ready(daemon.control, CONTROL)).client;
    expect((await control.request('session.attach', { session })).result).toBeDefined();
    expect(daemon.control.closeConnections((access) => access.kind === 'link')).toBe(1);
    const seen = control.frames.length;
    // The local watcher types nothing; the session keeps running and the closed link gets no more frames.
    expect((await local.request('session.send', { session, text: 'Cy', enter: true })).valueOf()).toEqual({});
    await until(() => watcher.output(session), (text) => text.includes('hello Cy'), 'the answer on the local screen');
    expect(control.frames.length).toBe(seen);
  });
});
