// File transfer end to end inside one daemon (protocol 1.4): uploads into and downloads out of a started
// attempt's real worktree over the socket, links' access to them, the capability that announces them, and
// the agent list of daemon.status.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS, PROTOCOL_VERSION, type ControlClient } from '@vibe/protocol';
import { connectToDaemon, resolvePaths } from '@vibe/protocol/node';
import type { LinkAccess } from '../src/control/index.js';
import { Daemon } from '../src/daemon.js';
import { stopDaemon } from './daemon-fixture.js';
import { MemoryClient } from './memory-client.js';

const fakeAgent = fileURLToPath(new URL('./fixtures/fake-agent.mjs', import.meta.url));
const scriptsDir = fileURLToPath(new URL('../dist', import.meta.url));
const VIEW: LinkAccess = { kind: 'link', linkId: 'viewLink001', label: 'phone', readOnly: true };
const CONTROL: LinkAccess = { kind: 'link', linkId: 'ctrlLink001', label: 'laptop', readOnly: false };
const CHUNK = LIMITS.fileChunkBytes;

let dir: string;
let repo: string;
let daemon: Daemon;
let client: ControlClient;
/** The worktree of task 1's first attempt. */
let worktree: string;

const git = (cwd: string, ...args: string[]): string => execFileSync('git', ['-C', cwd, '-c', 'user.name=t', '-c', 'user.email=t@e', ...args]).toString().trim();
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const task = { project: 'repo', number: 1 };

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vibe-files-'));
  repo = join(dir, 'repo');
  mkdirSync(repo);
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  writeFileSync(join(repo, 'README.md'), '# repo\n');
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'init');
  mkdirSync(join(dir, 'home', 'config'), { recursive: true });
  const command = ['node', fakeAgent, '--script', 'print:ready;sleep:60000'];
  writeFileSync(join(dir, 'home', 'config', 'config.json'), JSON.stringify({ agents: { fake: { command, prompt: 'none', hooks: 'env' } } }));
  const outcome = await Daemon.start({ paths: resolvePaths({ VIBE_HOME: join(dir, 'home') }), version: 't', validateResults: true, scriptsDir });
  if (outcome.status !== 'ready') throw new Error('daemon did not start');
  daemon = outcome.daemon;
  client = (await connectToDaemon(daemon.paths.socket, { client: { name: 'test', version: '0' } })).client;
  await client.request('project.register', { path: repo, baseBranch: 'main' });
  await client.request('task.create', { project: 'repo', title: 'Take files', agent: 'fake' });
  worktree = (await client.request('task.start', task)).session.worktree;
});

afterEach(async () => {
  client?.close();
  if (daemon) await stopDaemon(daemon);
  rmSync(dir, { recursive: true, force: true });
});

/** Everything an upload could leave behind: the worktree's status, partial files, the data and home directories. */
const traces = () => ({
  status: git(worktree, 'status', '--porcelain', '--untracked-files=all'),
  partials: readdirSync(join(daemon.paths.data, 'uploads')),
  data: readdirSync(daemon.paths.data).sort(),
  dir: readdirSync(dir).sort(),
});

describe('file.write', () => {
  it('uploads a file in three chunks into the attempt\'s worktree, byte-identical', async () => {
    const bytes = randomBytes(2 * CHUNK + 1000);
    const write = (offset: number, last?: boolean) =>
      client.request('file.write', { ...task, path: 'inbox/upload.bin', upload: 'up-three-01', offset, data: bytes.subarray(offset, offset + CHUNK).toString('base64'), size: bytes.length, last });
    expect(await write(0)).toEqual({ received: CHUNK, done: false, path: 'inbox/upload.bin' });
    expect(await write(CHUNK)).toEqual({ received: 2 * CHUNK, done: false, path: 'inbox/upload.bin' });
    expect(await write(2 * CHUNK, true)).toEqual({ received: bytes.length, done: true, path: 'inbox/upload.bin' });
    expect(sha256(readFileSync(join(worktree, 'inbox', 'upload.bin')))).toBe(sha256(bytes));
    expect(git(worktree, 'status', '--porcelain', '--untracked-files=all')).toBe('?? inbox/upload.bin');
    expect(readdirSync(join(daemon.paths.data, 'uploads'))).toEqual([]);
  });

  it('refuses an out-of-order chunk with the bytes received, and a cancel removes the partial', async () => {
    const before = traces();
    const chunk = (offset: number) => ({ ...task, path: 'a.bin', upload: 'up-order-01', offset, data: Buffer.alloc(1000, offset).toString('base64'), size: 3000 });
    await client.request('file.write', chunk(0));
    await expect(client.request('file.write', chunk(2000))).rejects.toMatchObject({ code: 'conflict', data: { received: 1000 } });
    expect(readdirSync(join(daemon.paths.data, 'uploads'))).toEqual(['up-order-01']);
    expect(await client.request('file.cancel', { upload: 'up-order-01' })).toEqual({});
    expect(traces()).toEqual(before);
    await expect(client.request('file.cancel', { upload: 'up-order-01' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses a file over 50 MiB, a chunk over 512 KiB and a chunk past the size, keeping nothing', async () => {
    const before = traces();
    const base = { ...task, path: 'big.bin', upload: 'up-big-0001', offset: 0 };
    await expect(client.request('file.write', { ...base, data: 'aGk=', size: LIMITS.fileUploadBytes + 1 })).rejects.toMatchObject({ code: 'invalid_params', data: { issues: [{ path: 'size' }] } });
    await expect(client.request('file.write', { ...base, data: Buffer.alloc(CHUNK + 1).toString('base64'), size: LIMITS.fileUploadBytes })).rejects.toMatchObject({ code: 'invalid_params', data: { issues: [{ path: 'data' }] } });
    await expect(client.request('file.write', { ...base, data: 'aGVsbG8=', size: 3 })).rejects.toMatchObject({ code: 'invalid_params', data: { received: 0, size: 3 } });
    expect(traces()).toEqual(before);
  });

  it('refuses paths leading out of the worktree or into .git with nothing written anywhere', async () => {
    symlinkSync(dir, join(worktree, 'escape'));
    symlinkSync('/etc', join(worktree, 'etc'));
    const before = traces();
    for (const path of ['../../outside.txt', '/tmp/outside.txt', 'a/../../outside.txt', 'escape/outside.txt', 'escape/home/new/outside.txt', 'etc/cron.d/vibe', '.git/hooks/pre-commit', 'nul\u0000.txt']) {
      await expect(client.request('file.write', { ...task, path, upload: 'up-escape-1', offset: 0, data: 'aGk=', size: 4, overwrite: true }), path).rejects.toMatchObject({ code: 'invalid_params' });
    }
    expect(traces()).toEqual(before);
  });

  it('says so clearly when the attempt or its worktree is gone', async () => {
    const write = { path: 'x.txt', upload: 'up-gone-001', offset: 0, data: 'aGk=', size: 2 };
    await expect(client.request('file.write', { ...task, attempt: 2, ...write })).rejects.toMatchObject({ code: 'not_found', message: 'task 1 has no attempt 2' });
    await expect(client.request('file.write', { ...task, number: 9, ...write })).rejects.toMatchObject({ code: 'not_found' });
    await client.request('task.stop', task);
    rmSync(worktree, { recursive: true, force: true });
    await expect(client.request('file.write', { ...task, ...write })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining(`the worktree of attempt 1 of task 1 (${worktree}) is gone`) });
    await expect(client.request('file.read', { ...task, path: 'README.md' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('is gone') });
  });
});

describe('file.read', () => {
  it('downloads a 1.2 MiB file in chunks, byte-identical', async () => {
    const bytes = randomBytes(Math.round(1.2 * 1024 * 1024));
    writeFileSync(join(worktree, 'out.bin'), bytes);
    const chunks: Buffer[] = [];
    let eof = false;
    while (!eof) {
      const offset = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
      const answer = await client.request('file.read', { ...task, path: 'out.bin', offset });
      expect(answer).toMatchObject({ offset, size: bytes.length, mtime: expect.any(String) });
      chunks.push(Buffer.from(answer.data, 'base64'));
      eof = answer.eof;
    }
    expect(chunks).toHaveLength(3);
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(bytes));
  });

  it('refuses a file outside the worktree and .git', async () => {
    symlinkSync('/etc/passwd', join(worktree, 'passwd'));
    await expect(client.request('file.read', { ...task, path: 'passwd' })).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringContaining('leads outside the worktree') });
    await expect(client.request('file.read', { ...task, path: '../../home/config/config.json' })).rejects.toMatchObject({ code: 'invalid_params' });
    await expect(client.request('file.read', { ...task, path: '.git' })).rejects.toMatchObject({ code: 'invalid_params' });
  });
});

describe('links and files', () => {
  it('lets a view-only link download but refuses its uploads and cancels before reading them', async () => {
    const view = (await MemoryClient.ready(daemon.control, VIEW)).client;
    const before = traces();
    const write = { ...task, path: 'from-view.txt', upload: 'up-view-001', offset: 0, data: 'aGk=', size: 2, last: true };
    expect((await view.request('file.write', write)).error).toMatchObject({ code: 'forbidden', message: 'file.write: this link is view-only' });
    expect((await view.request('file.cancel', { upload: 'up-view-001' })).error).toMatchObject({ code: 'forbidden' });
    expect(traces()).toEqual(before);
    expect((await view.request('file.read', { ...task, path: 'README.md' })).result).toMatchObject({ data: Buffer.from('# repo\n').toString('base64'), eof: true });
    // The same upload from a control link lands: the refusal above can fail.
    const control = (await MemoryClient.ready(daemon.control, CONTROL)).client;
    expect((await control.request('file.write', write)).result).toEqual({ received: 2, done: true, path: 'from-view.txt' });
    expect(readFileSync(join(worktree, 'from-view.txt'), 'utf8')).toBe('hi');
  });

  it('are announced in the welcome as the files capability', async () => {
    const { welcome } = await MemoryClient.ready(daemon.control, VIEW);
    expect(welcome).toMatchObject({ protocol: PROTOCOL_VERSION, capabilities: expect.arrayContaining(['files']) });
  });
});

describe('daemon.status (@since 1.4)', () => {
  it('lists the agents a task may name with whether each can run, and the default', async () => {
    const status = await client.request('daemon.status', {});
    expect(status.defaultAgent).toBe('claude');
    expect(status.agents).toContainEqual({ name: 'fake', builtin: false, available: true });
    expect(status.agents?.map((agent) => agent.name)).toEqual(['claude', 'codex', 'fake', 'gemini', 'shell']);
  });
});
