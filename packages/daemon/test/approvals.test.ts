// Approvals against a real daemon, real tmux and the scripted fake agent: a permission request through the
// hook program, answered once (allow, deny with a reason, a second answer refused, a view-only link refused),
// logged with who answered; cancelled when the agent stops waiting or exits; kept pending across a daemon
// restart with the hook waiting on; and an agent's on-screen prompt answered with its own key.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Approval, ControlClient, Event } from '@vibe/protocol';
import { connectToDaemon, resolvePaths } from '@vibe/protocol/node';
import type { LinkAccess } from '../src/control/index.js';
import { Daemon } from '../src/daemon.js';
import { stopDaemon, until } from './daemon-fixture.js';
import { MemoryClient } from './memory-client.js';

const fakeAgent = fileURLToPath(new URL('./fixtures/fake-agent.mjs', import.meta.url));
const scriptsDir = fileURLToPath(new URL('../dist', import.meta.url));

const VIEW: LinkAccess = { kind: 'link', linkId: 'viewLink001', label: 'phone', readOnly: true };
const CONTROL: LinkAccess = { kind: 'link', linkId: 'ctrlLink001', label: 'laptop', readOnly: false };

/** Asks to run `rm -rf build`, prints the answer, then waits to be stopped. */
const ASKS = 'print:ready;approve:Bash=rm -rf build;print:went on with {answer};sleep:60000';

let dir: string;
let repo: string;
let daemon: Daemon | undefined;
let local: ControlClient;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vibe-approvals-'));
  repo = join(dir, 'repo');
  mkdirSync(repo);
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  writeFileSync(join(repo, 'README.md'), '# repo\n');
  execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@e', 'add', '.']);
  execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-qm', 'init']);
  mkdirSync(join(dir, 'home', 'config'), { recursive: true });
  const agent = (script: string, extra: Record<string, unknown> = {}) => ({ command: ['node', fakeAgent, '--script', script], prompt: 'none', hooks: 'env', ...extra });
  const agents = {
    asks: agent(ASKS),
    // A program with no permission hook: its own (y/n) prompt, answered with its keys; like a TUI, it clears
    // the prompt away once answered.
    prompts: agent('print:ready;ask:Delete build? (y/n) ;print:\u001b[H\u001b[2Janswered {answer} — and now the agent carries on with a good deal of output;sleep:60000', { approvalKeys: { allow: 'y\r', deny: 'n\r' } }),
  };
  writeFileSync(join(dir, 'home', 'config', 'config.json'), JSON.stringify({ agents }));
});

afterEach(async () => {
  local?.close();
  if (daemon) await stopDaemon(daemon);
  daemon = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function boot(): Promise<void> {
  const outcome = await Daemon.start({ paths: resolvePaths({ VIBE_HOME: join(dir, 'home') }), version: 't', validateResults: true, scriptsDir });
  if (outcome.status !== 'ready') throw new Error('daemon did not start');
  daemon = outcome.daemon;
  local = (await connectToDaemon(daemon.paths.socket, { client: { name: 'test', version: '0' } })).client;
  const { projects } = await local.request('project.list', {});
  if (projects.length === 0) await local.request('project.register', { path: repo, baseBranch: 'main' });
}

/** Starts a task for `agent`, and a read-only local viewer of its terminal. */
async function start(agent: string): Promise<{ session: number; watcher: MemoryClient }> {
  const { task } = await local.request('task.create', { project: 'repo', title: `Run ${agent}`, agent });
  const { session } = await local.request('task.start', { project: 'repo', number: task.number });
  const watcher = (await MemoryClient.ready(daemon!.control, { kind: 'local' })).client;
  await watcher.request('session.attach', { session: session.id, readOnly: true });
  return { session: session.id, watcher };
}

/** Stops the daemon as for a restart, boots the next one, and attaches a read-only viewer to `session` again. */
async function restartWatching(session: number): Promise<MemoryClient> {
  local.close();
  await daemon!.stop('restart');
  daemon = undefined;
  await boot();
  const watcher = (await MemoryClient.ready(daemon!.control, { kind: 'local' })).client;
  await watcher.request('session.attach', { session, readOnly: true });
  return watcher;
}

async function pending(): Promise<Approval> {
  const [approval] = await until(async () => (await local.request('approval.list', { project: 'repo', pending: true })).approvals, (list) => list.length > 0, 'a pending approval');
  return approval!;
}

describe('an approval through the hook program', () => {
  it('holds the agent until it is allowed, with the exact command, and the agent goes on with allow', async () => {
    await boot();
    const events: Event[] = [];
    local.onEvent((event) => events.push(event));
    await local.request('events.subscribe', { names: ['approval.requested', 'approval.answered'] });
    const { session, watcher } = await start('asks');
    const approval = await pending();
    expect(approval).toMatchObject({ project: 'repo', taskNumber: 1, attempt: 1, session, agent: 'asks', tool: 'Bash', detail: 'rm -rf build', options: ['allow', 'deny'], via: 'hook', state: 'pending', answeredAt: null, answeredBy: null, reason: null });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(watcher.output(session)).not.toContain('approval:');

    const { approval: answered } = await local.request('approval.answer', { id: approval.id, decision: 'allow' });
    expect(answered).toMatchObject({ id: approval.id, state: 'allowed', answeredBy: userInfo().username, reason: null, answeredAt: expect.any(String) });
    await until(() => watcher.output(session), (text) => text.includes('went on with allow'), 'the agent to go on');
    expect(watcher.output(session)).toContain('approval: allow');
    expect(events.map((event) => [event.name, (event.data as { approval: Approval }).approval.state])).toEqual([
      ['approval.requested', 'pending'],
      ['approval.answered', 'allowed'],
    ]);
  });

  it('passes a deny and its reason to the agent, refuses a second answer, and logs both in the task', async () => {
    await boot();
    const { session, watcher } = await start('asks');
    const { id } = await pending();
    const control = (await MemoryClient.ready(daemon!.control, CONTROL)).client;
    const denied = await control.request('approval.answer', { id, decision: 'deny', reason: 'not the build folder' });
    expect(denied.result).toMatchObject({ approval: { state: 'denied', answeredBy: 'laptop', reason: 'not the build folder' } });
    await until(() => watcher.output(session), (text) => text.includes('went on with deny'), 'the agent to go on');
    expect(watcher.output(session)).toContain('approval: deny (not the build folder)');

    // The first answer wins; the second changes nothing.
    await expect(local.request('approval.answer', { id, decision: 'allow' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('already denied by laptop') });
    expect((await local.request('approval.list', { project: 'repo' })).approvals).toMatchObject([{ id, state: 'denied', answeredBy: 'laptop' }]);
    const { entries } = await local.request('task.log', { project: 'repo', number: 1 });
    expect(entries.filter((entry) => entry.name.startsWith('approval.')).map((entry) => [entry.name, (entry.data as { approval: Approval }).approval.state])).toEqual([
      ['approval.requested', 'pending'],
      ['approval.answered', 'denied'],
    ]);
  });

  it('cannot be answered through a view-only link, which may still list it', async () => {
    await boot();
    await start('asks');
    const { id } = await pending();
    const view = (await MemoryClient.ready(daemon!.control, VIEW)).client;
    expect((await view.request('approval.list', { project: 'repo' })).result).toMatchObject({ approvals: [{ id, state: 'pending' }] });
    expect((await view.request('approval.answer', { id, decision: 'allow' })).error).toMatchObject({ code: 'forbidden', message: 'approval.answer: this link is view-only' });
    expect((await view.request('approval.request', { session: 1, token: 'x'.repeat(16), request: 'y'.repeat(16), tool: 't', detail: '' })).error).toMatchObject({ code: 'forbidden' });
    expect((await local.request('approval.list', { project: 'repo', pending: true })).approvals).toMatchObject([{ id, state: 'pending' }]);
  });

  it('refuses a hook without its session\'s token', async () => {
    await boot();
    const { session } = await start('asks');
    await pending();
    await expect(local.request('approval.request', { session, token: 'not-the-token-000', request: 'r'.repeat(20), tool: 'Bash', detail: 'ls' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('is cancelled when the agent exits while it waits', async () => {
    await boot();
    await start('asks');
    const { id } = await pending();
    await local.request('task.stop', { project: 'repo', number: 1 });
    const [approval] = (await local.request('approval.list', { project: 'repo' })).approvals;
    // The hook goes down with the agent: whichever the daemon sees first names the cause.
    expect(approval).toMatchObject({ id, state: 'cancelled', reason: expect.stringMatching(/^the agent (exited|stopped waiting)$/), answeredBy: null });
    await expect(local.request('approval.answer', { id, decision: 'allow' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('stays pending across a daemon restart, the hook waiting on, and is answered by the next daemon', async () => {
    await boot();
    const { session } = await start('asks');
    const { id } = await pending();
    const watcher = await restartWatching(session);
    expect((await local.request('approval.list', { project: 'repo' })).approvals).toMatchObject([{ id, state: 'pending' }]);
    // The hook reconnects on its own and waits on the same approval.
    await until(() => local.request('approval.answer', { id, decision: 'allow' }).then(() => true, () => false), Boolean, 'the answer');
    await until(() => watcher.output(session), (text) => text.includes('went on with allow'), 'the agent to go on');
  });
});

describe('an approval from an agent\'s on-screen prompt', () => {
  it('is recorded when the agent waits on its prompt, and allowing it types the agent\'s own key', async () => {
    await boot();
    const { session, watcher } = await start('prompts');
    const approval = await pending();
    expect(approval).toMatchObject({ session, via: 'screen', tool: 'dialog', state: 'pending', detail: expect.stringContaining('Delete build? (y/n)') });
    await local.request('approval.answer', { id: approval.id, decision: 'allow' });
    await until(() => watcher.output(session), (text) => text.includes('answered y'), 'the agent to read its key');
  });

  it('is read again by a restarted daemon: the old one cancelled, a new one for the dialog on screen, answerable', async () => {
    await boot();
    const { session } = await start('prompts');
    const before = await pending();
    const watcher = await restartWatching(session);
    const after = await until(
      async () => (await local.request('approval.list', { project: 'repo', pending: true })).approvals,
      (list) => list.length === 1 && list[0]!.id !== before.id,
      'the dialog read again',
    );
    expect(after[0]).toMatchObject({ session, via: 'screen', detail: expect.stringContaining('Delete build? (y/n)') });
    const all = (await local.request('approval.list', { project: 'repo' })).approvals;
    expect(all.find((approval) => approval.id === before.id)).toMatchObject({ state: 'cancelled', reason: "vibe restarted; the agent's dialog is read again" });
    await local.request('approval.answer', { id: after[0]!.id, decision: 'allow' });
    await until(() => watcher.output(session), (text) => text.includes('answered y'), 'the agent to read its key');
  });

  it('is cancelled as answered at the desk when the prompt is answered in the terminal first', async () => {
    await boot();
    const { session, watcher } = await start('prompts');
    const { id } = await pending();
    await local.request('session.send', { session, text: 'n', enter: true });
    await until(() => watcher.output(session), (text) => text.includes('answered n'), 'the agent to read the key');
    const settled = await until(async () => (await local.request('approval.list', { project: 'repo' })).approvals[0], (a) => a?.state !== 'pending', 'the approval to settle');
    expect(settled).toMatchObject({ id, state: 'cancelled', answeredBy: 'desk', reason: "answered in the agent's own dialog" });
  });
});
