// Task attempts end to end inside one daemon: real git repositories, real tmux on a private socket, and the
// scripted fake agent driving every state.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ControlClient} from '@vibe/protocol';
import { FrameKind, type Frame, type Session } from '@vibe/protocol';
import { connectToDaemon, resolvePaths } from '@vibe/protocol/node';
import { Daemon } from '../src/daemon.js';
import { stopDaemon, until } from './daemon-fixture.js';

const fakeAgent = fileURLToPath(new URL('./fixtures/fake-agent.mjs', import.meta.url));
const scriptsDir = fileURLToPath(new URL('../dist', import.meta.url));

let dir: string;
let repo: string;
let daemon: Daemon;
let client: ControlClient;

const git = (...args: string[]): string => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@e', ...args]).toString();

async function boot(options: { preferPty?: boolean } = {}): Promise<void> {
  const outcome = await Daemon.start({ paths: resolvePaths({ VIBE_HOME: join(dir, 'home') }), version: 't', validateResults: true, scriptsDir, ...options });
  if (outcome.status !== 'ready') throw new Error('daemon did not start');
  daemon = outcome.daemon;
  client = (await connectToDaemon(daemon.paths.socket, { client: { name: 'test', version: '0' } })).client;
}

function configure(agents: Record<string, string>): void {
  mkdirSync(join(dir, 'home', 'config'), { recursive: true });
  const entries = Object.fromEntries(
    Object.entries(agents).map(([name, script]) => [name, { command: ['node', fakeAgent, '--script', script], prompt: 'none', hooks: 'env' }]),
  );
  writeFileSync(join(dir, 'home', 'config', 'config.json'), JSON.stringify({ agents: entries }));
}

const task = async (number = 1) => (await client.request('task.get', { project: 'repo', number })).task;
const add = async (title: string, agent?: string) => (await client.request('task.create', { project: 'repo', title, agent })).task;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vibe-att-'));
  repo = join(dir, 'repo');
  mkdirSync(repo);
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  writeFileSync(join(repo, 'README.md'), '# repo\n');
  git('add', '.');
  git('commit', '-qm', 'init');
});

afterEach(async () => {
  client?.close();
  if (daemon) {
    await stopDaemon(daemon);
  }
  rmSync(dir, { recursive: true, force: true });
});

async function register(): Promise<void> {
  await client.request('project.register', { path: repo, baseBranch: 'main' });
}

describe('an attempt with the fake agent under tmux', () => {
  it('walks starting → working → waiting → idle, commits on its own branch and lands the task in review', async () => {
    configure({ fake: 'print:hello from fake;hook:working;sleep:200;hook:waiting;ask:Proceed? (y/n) ;expect:y;hook:working;edit:notes.txt=done;commit:add notes;hook:idle;sleep:60000' });
    await boot();
    await register();
    await add('Write the notes', 'fake');
    const states: string[] = [];
    client.onEvent((event) => {
      if (event.name === 'session.updated') states.push(event.data.session.state);
    });
    await client.request('events.subscribe', { names: ['session.updated'] });
    const { session } = await client.request('task.start', { project: 'repo', number: 1 });
    expect(session).toMatchObject({ agent: 'fake', host: 'tmux', branch: 'vibe/1-write-the-notes', attempt: 1 });
    expect(session.worktree.startsWith(daemon.paths.worktrees)).toBe(true);
    expect((await task()).status).toBe('in_progress');

    await until(task, (t) => t.session?.state === 'waiting', 'the question to show as waiting');
    await client.request('session.send', { project: 'repo', number: 1, text: 'y', enter: true });
    const done = await until(task, (t) => t.status === 'in_review', 'the task to reach review');
    expect(done.session?.state).toBe('idle');
    expect(states).toEqual(expect.arrayContaining(['starting', 'working', 'waiting', 'idle']));
    expect(git('log', '--format=%s', 'vibe/1-write-the-notes')).toContain('add notes');
    expect(git('log', '--format=%s', 'main').trim()).toBe('init');
    expect(existsSync(join(repo, 'notes.txt'))).toBe(false);
  });

  it('streams the same screen to two viewers and types into the agent', async () => {
    configure({ fake: 'print:ready;ask:Name? ;print:hello {answer};sleep:60000' });
    await boot();
    await register();
    await add('Greet', 'fake');
    await client.request('task.start', { project: 'repo', number: 1 });
    const second = (await connectToDaemon(daemon.paths.socket, { client: { name: 'second', version: '0' } })).client;
    const screens = [client, second].map((viewer) => {
      const bytes: Frame[] = [];
      viewer.onFrame((frame) => bytes.push(frame));
      return bytes;
    });
    const text = (frames: Frame[]): string => Buffer.concat(frames.map((frame) => Buffer.from(frame.payload))).toString('utf8');
    const one = await client.request('session.attach', { project: 'repo', number: 1, size: { cols: 90, rows: 20 } });
    const two = await second.request('session.attach', { project: 'repo', number: 1, readOnly: true });
    expect(one.stream).toBe(two.stream);
    await until(async () => text(screens[0]!), (t) => t.includes('Name?'), 'the question on the screen');
    client.sendFrame({ kind: FrameKind.Input, session: one.session.id, seq: 0, payload: new TextEncoder().encode('Ada\r') });
    await until(async () => [text(screens[0]!), text(screens[1]!)], ([a, b]) => a!.includes('hello Ada') && b!.includes('hello Ada'), 'both viewers to see the answer');
    // The read-only viewer's keys are refused, not typed.
    second.sendFrame({ kind: FrameKind.Input, session: one.session.id, seq: 0, payload: new TextEncoder().encode('x') });
    second.close();
  });

  it('records the exit code and moves a working task to review', async () => {
    configure({ fake: 'hook:working;print:bye;sleep:300;exit:3' });
    await boot();
    await register();
    await add('Fail', 'fake');
    await client.request('task.start', { project: 'repo', number: 1 });
    const ended = await until(task, (t) => t.session?.state === 'exited', 'the agent to exit');
    expect(ended.session?.exitCode).toBe(3);
    expect(ended.status).toBe('in_review');
  });

  it('keeps earlier attempts and their branches when the task is started again', async () => {
    configure({ fake: 'hook:working;sleep:100;exit:0' });
    await boot();
    await register();
    await add('Twice', 'fake');
    await client.request('task.start', { project: 'repo', number: 1 });
    await until(task, (t) => t.session?.state === 'exited', 'the first attempt to end');
    const { session } = await client.request('task.start', { project: 'repo', number: 1 });
    expect(session).toMatchObject({ attempt: 2, branch: 'vibe/1-twice-2' });
    const { sessions } = await client.request('session.list', { project: 'repo' });
    expect(sessions.map((s: Session) => s.branch)).toEqual(['vibe/1-twice', 'vibe/1-twice-2']);
    expect(git('branch', '--list', 'vibe/*')).toMatch(/vibe\/1-twice\n.*vibe\/1-twice-2/s);
  });
});

describe('refusals before anything is created', () => {
  it('refuses an unknown agent and a CLI that is not on PATH, leaving no worktree or branch', async () => {
    await boot();
    await register();
    await add('Nope');
    await expect(client.request('task.start', { project: 'repo', number: 1, agent: 'cluade' })).rejects.toMatchObject({ code: 'invalid_params' });
    const original = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(client.request('task.start', { project: 'repo', number: 1, agent: 'codex' })).rejects.toMatchObject({
        code: 'invalid_params',
        message: expect.stringContaining('codex'),
      });
    } finally {
      process.env.PATH = original;
    }
    expect(git('branch', '--list', 'vibe/*').trim()).toBe('');
    expect(existsSync(daemon.paths.worktrees) ? execFileSync('find', [daemon.paths.worktrees, '-mindepth', '2']).toString() : '').toBe('');
    expect((await task()).status).toBe('todo');
  });

  it('refuses a dirty base checkout, a missing base branch and the session limit with clear errors', async () => {
    configure({ fake: 'hook:working;sleep:60000' });
    await boot();
    await register();
    await add('One', 'fake');
    await add('Two', 'fake');
    writeFileSync(join(repo, 'README.md'), 'changed\n');
    await expect(client.request('task.start', { project: 'repo', number: 1 })).rejects.toMatchObject({ message: expect.stringMatching(/uncommitted|commit or stash/) });
    git('checkout', '--', 'README.md');
    await expect(client.request('project.update', { project: 'repo', baseBranch: 'nope' })).rejects.toMatchObject({ message: expect.stringContaining('nope') });
    git('branch', 'gone');
    await client.request('project.update', { project: 'repo', baseBranch: 'gone' });
    git('branch', '-D', 'gone');
    await expect(client.request('task.start', { project: 'repo', number: 1 })).rejects.toMatchObject({ message: expect.stringContaining('gone') });
    await client.request('project.update', { project: 'repo', baseBranch: 'main', maxSessions: 1 });
    await client.request('task.start', { project: 'repo', number: 1 });
    await expect(client.request('task.start', { project: 'repo', number: 2 })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('max') });
    expect(git('branch', '--list', 'vibe/2-*').trim()).toBe('');
  });
});

describe('stopping, removing and surviving a restart', () => {
  it('stops a session, keeps its worktree, and refuses to remove unmerged work without force', async () => {
    configure({ fake: 'edit:work.txt=x;commit:work;hook:working;sleep:60000' });
    await boot();
    await register();
    await add('Work', 'fake');
    const { session } = await client.request('task.start', { project: 'repo', number: 1 });
    await until(task, (t) => t.session?.state === 'working', 'the agent to work');
    const { sessions } = await client.request('task.stop', { project: 'repo', number: 1 });
    expect(sessions[0]?.state).toBe('exited');
    expect(existsSync(session.worktree)).toBe(true);
    await expect(client.request('task.remove', { project: 'repo', number: 1 })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('unmerged') });
    expect(existsSync(session.worktree)).toBe(true);
    await client.request('task.remove', { project: 'repo', number: 1, force: true });
    expect(existsSync(session.worktree)).toBe(false);
    expect(git('branch', '--list', 'vibe/*').trim()).toBe('');
  });

  it('re-adopts a running tmux session after the daemon restarts and shows the same screen', async () => {
    configure({ fake: 'print:marker-4711;hook:working;sleep:60000' });
    await boot();
    await register();
    await add('Survive', 'fake');
    const { session } = await client.request('task.start', { project: 'repo', number: 1 });
    await until(task, (t) => t.session?.state === 'working', 'the agent to work');
    client.close();
    await daemon.stop('restart');
    await boot();
    const adopted = await task();
    expect(adopted.session).toMatchObject({ id: session.id, state: 'working' });
    const frames: Frame[] = [];
    client.onFrame((frame) => frames.push(frame));
    const attached = await client.request('session.attach', { session: session.id });
    expect(attached.snapshot).toBe(true);
    await until(async () => Buffer.concat(frames.map((f) => Buffer.from(f.payload))).toString(), (t) => t.includes('marker-4711'), 'the old screen');
  });

  it('marks a session exited when its tmux session vanished while the daemon was down', async () => {
    configure({ fake: 'hook:working;sleep:60000' });
    await boot();
    await register();
    await add('Vanish', 'fake');
    await client.request('task.start', { project: 'repo', number: 1 });
    await until(task, (t) => t.session?.state === 'working', 'the agent to work');
    client.close();
    await daemon.stop('restart');
    execFileSync('tmux', ['-S', join(daemon.paths.runtime, 'tmux.sock'), 'kill-server']);
    await boot();
    expect((await task()).session?.state).toBe('exited');
  });
});

describe('without tmux', () => {
  it('runs sessions under node-pty inside the daemon', async () => {
    configure({ fake: 'print:pty-hello;hook:working;sleep:200;exit:5' });
    await boot({ preferPty: true });
    await register();
    await add('Pty', 'fake');
    const { session } = await client.request('task.start', { project: 'repo', number: 1 });
    expect(session.host).toBe('pty');
    const ended = await until(task, (t) => t.session?.state === 'exited', 'the agent to exit');
    expect(ended.session?.exitCode).toBe(5);
  });
});
