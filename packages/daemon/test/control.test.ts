// The control socket under bad and good input, against a real daemon (in this process) on a real socket.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { encodeControl, encodeFrame, FrameKind, LIMITS, PROTOCOL_VERSION, REPLAY_LIMIT } from '@vibe/protocol';
import { resolvePaths } from '@vibe/protocol/node';
import { Daemon } from '../src/daemon.js';
import { stopDaemon, until } from './daemon-fixture.js';
import { RawClient } from './raw-client.js';

let home: string;
let daemon: Daemon;
let clients: RawClient[];
const socketPath = (): string => daemon.paths.socket;

async function client(): Promise<RawClient> {
  const raw = await RawClient.ready(socketPath());
  clients.push(raw);
  return raw;
}

async function addProject(raw: RawClient): Promise<void> {
  const reply = await raw.request('project.register', { path: '/src/app', baseBranch: 'main' });
  expect(reply.result).toMatchObject({ created: true });
}

/**
 * A task start left under way: a repository whose post-checkout hook is slow (`git worktree add` runs it), a
 * shell task, and `task.start` sent as request `id`; resolves once the start has created its worktree.
 */
async function startUnderWay(title: string, id: number): Promise<RawClient> {
  const repo = join(home, 'repo');
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '--allow-empty', '-m', 'init']);
  writeFileSync(join(repo, '.git', 'hooks', 'post-checkout'), '#!/bin/sh\nsleep 0.5\n');
  chmodSync(join(repo, '.git', 'hooks', 'post-checkout'), 0o755);
  const raw = await client();
  await raw.request('project.register', { path: repo, baseBranch: 'main' });
  await raw.request('task.create', { project: 'repo', title, agent: 'shell' });
  raw.sendJson({ type: 'request', id, method: 'task.start', params: { project: 'repo', number: 1 } });
  const worktrees = join(daemon.paths.data, 'worktrees');
  await until(() => (existsSync(worktrees) ? readdirSync(worktrees).length : 0), (n) => n > 0, 'the start to create its worktree');
  return raw;
}

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'vibe-ctl-'));
  const outcome = await Daemon.start({ paths: resolvePaths({ VIBE_HOME: home }), version: '0.0.0-test', validateResults: true });
  if (outcome.status !== 'ready') throw new Error('daemon did not start');
  daemon = outcome.daemon;
  clients = [];
});

afterEach(async () => {
  for (const raw of clients) raw.close();
  await daemon.stop('test over');
  rmSync(home, { recursive: true, force: true });
});

describe('the handshake', () => {
  it('answers hello with welcome carrying version, pid and capabilities', async () => {
    const raw = await RawClient.connect(socketPath());
    clients.push(raw);
    raw.sendJson({ type: 'hello', protocol: '1.7', client: { name: 't', version: '1' }, capabilities: ['future'] });
    const welcome = await raw.waitFor((m) => m.type === 'welcome');
    expect(welcome).toMatchObject({ protocol: PROTOCOL_VERSION, daemon: { version: '0.0.0-test', pid: process.pid }, access: 'local', label: userInfo().username });
    expect(welcome.capabilities).toContain('tasks');
  });

  it('refuses an unknown major version with a typed error and closes', async () => {
    const raw = await RawClient.connect(socketPath());
    clients.push(raw);
    raw.sendJson({ type: 'hello', protocol: '2.0', client: { name: 't', version: '1' }, capabilities: [] });
    const reply = await raw.waitFor((m) => m.type === 'response');
    expect(reply.error).toMatchObject({ code: 'unsupported_version' });
    expect(String((reply.error as { message: string }).message)).toContain('2.0');
    await raw.waitClosed();
  });

  it('refuses requests before hello', async () => {
    const raw = await RawClient.connect(socketPath());
    clients.push(raw);
    const reply = await raw.request('project.list', {});
    expect(reply.error).toMatchObject({ code: 'handshake_required' });
  });
});

describe('bad input on the control socket', () => {
  it('answers malformed JSON with a typed error and keeps the connection', async () => {
    const raw = await client();
    const before = daemon.store.lastEventSeq();
    raw.sendText('{"type": "request", "id": 1,');
    expect((await raw.waitFor((m) => m.type === 'response')).error).toMatchObject({ code: 'malformed', message: expect.stringContaining('JSON') });
    raw.sendBytes(encodeFrame({ kind: FrameKind.Control, session: 0, seq: 0, payload: new Uint8Array([0xff, 0xfe, 0x7b]) }));
    expect((await raw.waitFor((m) => m.type === 'response')).error).toMatchObject({ code: 'malformed' });
    expect((await raw.request('project.list')).result).toEqual({ projects: [] });
    expect(daemon.store.lastEventSeq()).toBe(before);
  });

  it('answers unknown message types and methods with unknown_method under the request id', async () => {
    const raw = await client();
    raw.sendJson({ type: 'subscribe-all', id: 9 });
    expect(await raw.waitFor((m) => m.type === 'response')).toMatchObject({ id: 9, error: { code: 'unknown_method' } });
    expect(await raw.request('task.explode', {})).toMatchObject({ error: { code: 'unknown_method', message: expect.stringContaining('task.explode') } });
    raw.sendBytes(encodeFrame({ kind: 0x7f, session: 1, seq: 0, payload: new Uint8Array(3) }));
    expect((await raw.waitFor((m) => m.type === 'response')).error).toMatchObject({ code: 'unknown_method' });
  });

  it('discards an oversized message with too_large and serves the next one', async () => {
    const raw = await client();
    await addProject(raw);
    const before = daemon.store.lastEventSeq();
    // A valid request padded past the limit must not be acted on.
    const request = new TextEncoder().encode(JSON.stringify({ type: 'request', id: 5, method: 'task.create', params: { cwd: '/src/app', title: 'smuggled' } }));
    const huge = new Uint8Array(LIMITS.maxMessageBytes + 1).fill(0x20);
    huge.set(request);
    const frame = encodeFrame({ kind: FrameKind.Control, session: 0, seq: 0, payload: huge });
    // Split the oversized frame across writes to prove the skip survives chunking.
    raw.sendBytes(frame.subarray(0, 7));
    raw.sendBytes(frame.subarray(7, 70_000));
    raw.sendBytes(frame.subarray(70_000));
    expect((await raw.waitFor((m) => m.type === 'response')).error).toMatchObject({ code: 'too_large' });
    expect(daemon.store.lastEventSeq()).toBe(before);
    const created = await raw.request('task.create', { cwd: '/src/app', title: 'after the flood' });
    expect(created.result).toMatchObject({ task: { number: 1, title: 'after the flood' } });
  });

  it('closes a connection with a framing error while other clients keep being served', async () => {
    const bystander = await client();
    const raw = await client();
    const before = daemon.store.lastEventSeq();
    raw.sendBytes(new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'));
    expect((await raw.waitFor((m) => m.type === 'response')).error).toMatchObject({ code: 'malformed', message: expect.stringContaining('framing') });
    await raw.waitClosed();
    expect((await bystander.request('project.list')).result).toEqual({ projects: [] });
    expect((await (await client()).request('project.list')).result).toEqual({ projects: [] });
    expect(daemon.store.lastEventSeq()).toBe(before);
  });

  it('answers the whole requests that arrived in the same chunk before a framing error', async () => {
    const raw = await client();
    const good = encodeControl({ type: 'request', id: 41, method: 'project.list', params: {} });
    const garbage = new TextEncoder().encode('not a frame at all, not at all');
    const chunk = new Uint8Array(good.length + garbage.length);
    chunk.set(good);
    chunk.set(garbage, good.length);
    raw.sendBytes(chunk);
    expect(await raw.waitFor((m) => m.id === 41)).toMatchObject({ result: { projects: [] } });
    expect((await raw.waitFor((m) => m.type === 'response')).error).toMatchObject({ code: 'malformed' });
    await raw.waitClosed();
  });

  it('refuses invalid params before any state changes', async () => {
    const raw = await client();
    await addProject(raw);
    const before = daemon.store.lastEventSeq();
    const cases: Array<[unknown, string]> = [
      [{ cwd: '/src/app', title: '' }, 'title'],
      [{ cwd: '/src/app', title: '   \n\t' }, 'title'],
      [{ cwd: '/src/app', title: 'x'.repeat(LIMITS.titleMax + 1) }, 'title'],
      [{ cwd: '/src/app', title: 'ok', description: 'd'.repeat(LIMITS.descriptionMax + 1) }, 'description'],
      [{ cwd: '/src/app', title: 'ok', agent: 'Bad Agent!' }, 'agent'],
      [{ cwd: '/src/app', title: 'ok', agent: 'cluade' }, 'agent'],
      [{ cwd: '/src/app', title: 42 }, 'title'],
      [{ cwd: '/src/app' }, 'title'],
    ];
    for (const [params, path] of cases) {
      const reply = await raw.request('task.create', params);
      expect(reply.error, JSON.stringify(params).slice(0, 80)).toMatchObject({ code: 'invalid_params' });
      expect(JSON.stringify(reply.error)).toContain(path);
    }
    expect(await raw.request('task.move', { cwd: '/src/app', number: 1, status: 'finished' })).toMatchObject({ error: { code: 'invalid_params' } });
    expect(daemon.store.lastEventSeq()).toBe(before);
    expect(daemon.store.listTasks()).toEqual([]);
  });

  it('refuses illegal transitions with the legal ones named, changing nothing', async () => {
    const raw = await client();
    await addProject(raw);
    await raw.request('task.create', { cwd: '/src/app', title: 't' });
    const reply = await raw.request('task.move', { cwd: '/src/app', number: 1, status: 'done' });
    expect(reply.error).toMatchObject({ code: 'illegal_transition' });
    expect((reply.error as { message: string }).message).toContain('in_progress');
    expect(daemon.store.getTask(daemon.store.listProjects()[0]!.id, 1).status).toBe('todo');
  });
});

describe('tasks and events over the socket', () => {
  it('stores hostile text verbatim and returns it exactly', async () => {
    const raw = await client();
    await addProject(raw);
    const title = 'rm $(whoami) `id` \u001b]52;c;aGk=\u0007 \u001b[2J\u001b[H nul:\u0000 ⚡ مرحبا \u202e';
    const description = 'line1\nline2\r\u0007\u009b31m 🧑‍💻 e\u0301';
    const created = await raw.request('task.create', { cwd: '/src/app', title, description });
    expect(created.result).toMatchObject({ task: { title, description } });
    const shown = await raw.request('task.get', { project: 'app', number: 1 });
    expect(shown.result).toMatchObject({ task: { title, description } });
  });

  it('pushes task events to subscribers and replays from a sequence number', async () => {
    const watcher = await client();
    const writer = await client();
    await addProject(writer);
    const sub = await watcher.request('events.subscribe', { names: ['task.created', 'task.moved'] });
    const { subscription, lastSeq } = sub.result as { subscription: number; lastSeq: number };
    await writer.request('task.create', { cwd: '/src/app', title: 'watch me' });
    await writer.request('task.move', { cwd: '/src/app', number: 1, status: 'in_progress' });
    const created = await watcher.waitFor((m) => m.type === 'event' && m.name === 'task.created');
    expect(created).toMatchObject({ subscription, data: { task: { title: 'watch me', status: 'todo' } } });
    const moved = await watcher.waitFor((m) => m.type === 'event' && m.name === 'task.moved');
    expect(moved).toMatchObject({ data: { from: 'todo', task: { status: 'in_progress' } } });

    const late = await client();
    await late.request('events.subscribe', { since: lastSeq });
    const replayed = [await late.waitFor((m) => m.type === 'event'), await late.waitFor((m) => m.type === 'event')];
    expect(replayed.map((m) => m.name)).toEqual(['task.created', 'task.moved']);
    expect(replayed.map((m) => m.seq)).toEqual([created.seq, moved.seq]);
    expect(await watcher.request('events.unsubscribe', { subscription })).toMatchObject({ result: {} });
    expect(await late.request('events.unsubscribe', { subscription })).toMatchObject({ error: { code: 'not_found' } });
  });

  it('caps a replay, says so, and lets the client continue from the last event it got', async () => {
    const raw = await client();
    await addProject(raw);
    const total = REPLAY_LIMIT + 7;
    const db = new Database(daemon.paths.database);
    const insert = db.prepare("INSERT INTO events (at, name, data) VALUES (?, 'project.registered', ?)");
    const data = JSON.stringify({ project: { id: 1, name: 'app', path: '/src/app', baseBranch: 'main', createdAt: new Date().toISOString() } });
    db.transaction(() => {
      for (let i = 0; i < total; i++) insert.run(new Date().toISOString(), data);
    })();
    db.close();
    const first = await raw.request('events.subscribe', { since: 0 });
    expect(first.result).toMatchObject({ complete: false });
    const firstBatch = raw.messages.filter((m) => m.type === 'event');
    expect(firstBatch).toHaveLength(REPLAY_LIMIT);
    raw.messages.length = 0;
    const second = await raw.request('events.subscribe', { since: firstBatch.at(-1)!.seq });
    expect(second.result).toMatchObject({ complete: true });
    // The project registration itself plus the inserted rows: nothing lost, nothing twice.
    expect(firstBatch.length + raw.messages.filter((m) => m.type === 'event').length).toBe(total + 1);
  });

  it('acts on nothing that it reads once it has begun to stop', async () => {
    const raw = await client();
    await addProject(raw);
    // The request is in the socket before the stop begins but is read only after: it must not be served.
    raw.sendJson({ type: 'request', id: 77, method: 'task.create', params: { cwd: '/src/app', title: 'too late' } });
    await daemon.stop('test');
    expect(raw.messages.find((m) => m.id === 77)).toBeUndefined();
    const db = new Database(daemon.paths.database, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM tasks').get()).toEqual({ n: 0 });
    db.close();
  });

  it('drains on stop: a start under way finishes and answers, a request after the stop began is refused', async () => {
    const raw = await startUnderWay('started while stopping', 90);
    const stopped = stopDaemon(daemon);
    raw.sendJson({ type: 'request', id: 91, method: 'task.create', params: { project: 'repo', title: 'too late' } });
    await stopped;
    expect(raw.messages.find((m) => m.id === 90)).toMatchObject({ type: 'response', result: { session: { taskNumber: 1 } } });
    expect(raw.messages.find((m) => m.id === 91)).toMatchObject({ type: 'response', error: { code: 'shutting_down' } });
    const db = new Database(daemon.paths.database, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT count(*) AS n FROM tasks').get()).toEqual({ n: 1 });
    db.close();
  });

  it('drains a start whose client hung up as well: the stop waits for it, and its session is recorded', async () => {
    const raw = await startUnderWay('started, then abandoned', 92);
    raw.close();
    await until(() => raw.closed, Boolean, 'the client to hang up');
    await stopDaemon(daemon);
    const db = new Database(daemon.paths.database, { readonly: true });
    expect(db.prepare('SELECT attempt, agent FROM sessions').all()).toEqual([{ attempt: 1, agent: 'shell' }]);
    db.close();
  });

  it('reports status with projects, counts and paths', async () => {
    const raw = await client();
    await addProject(raw);
    await raw.request('task.create', { cwd: '/src/app/lib', title: 'a' });
    await raw.request('task.create', { project: 'app', title: 'b' });
    await raw.request('task.move', { project: 'app', number: 2, status: 'cancelled' });
    const status = (await raw.request('daemon.status')).result as Record<string, unknown>;
    expect(status).toMatchObject({
      pid: process.pid,
      socketPath: socketPath(),
      tasks: { todo: 1, cancelled: 1, in_progress: 0, in_review: 0, done: 0 },
      projects: [{ name: 'app', path: '/src/app', tasks: { todo: 1, cancelled: 1 } }],
      paths: { home },
    });
  });
});
