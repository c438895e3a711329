// Task commands through the real bin/vibe and a real daemon: round trips, hostile text, limits, locks.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '@vibe/protocol';
import { Sandbox, vibeBin } from './harness.js';

interface Task {
  project: string;
  number: number;
  title: string;
  description: string;
  agent: string | null;
  status: string;
}

let sandbox: Sandbox;
let repo: string;
let other: string;

beforeAll(async () => {
  sandbox = new Sandbox();
  mkdirSync(join(sandbox.home, 'config'), { recursive: true });
  writeFileSync(join(sandbox.home, 'config', 'config.json'), JSON.stringify({ busyTimeoutMs: 300 }));
  repo = sandbox.repo('app');
  other = sandbox.repo('lib', 'develop');
  expect((await sandbox.vibe(['up'], { cwd: repo })).code).toBe(0);
  expect((await sandbox.vibe(['up'], { cwd: other })).code).toBe(0);
});
afterAll(async () => {
  await sandbox.dispose();
});

const add = async (title: string, extra: string[] = [], cwd = repo): Promise<Task> => sandbox.json<Task>(['task', 'add', title, ...extra], { cwd });
const list = async (extra: string[] = [], cwd = repo): Promise<Task[]> => (await sandbox.json<{ tasks: Task[] }>(['task', 'ls', ...extra], { cwd })).tasks;

describe('task commands', () => {
  it('adds, shows, edits, moves and removes a task, with ids that stay put', async () => {
    const first = await add('Fix the flaky login test', ['--agent', 'claude']);
    const second = await add('Add dark mode');
    expect(second.number).toBe(first.number + 1);
    expect(first).toMatchObject({ project: 'app', status: 'todo', agent: 'claude' });

    const shown = await sandbox.json<Task>(['task', 'show', String(first.number)], { cwd: repo });
    expect(shown.title).toBe('Fix the flaky login test');
    const edited = await sandbox.json<Task>(['task', 'edit', `app#${second.number}`, '--title', 'Add a dark theme', '--agent', 'codex'], { cwd: other });
    expect(edited).toMatchObject({ title: 'Add a dark theme', agent: 'codex' });

    expect((await sandbox.vibe(['task', 'mv', String(first.number), 'in-progress'], { cwd: repo })).code).toBe(0);
    expect((await sandbox.vibe(['task', 'rm', `#${second.number}`], { cwd: repo })).code).toBe(0);
    const third = await add('after the removal');
    expect(third.number).toBe(second.number + 1);
    const numbers = (await list()).map((task) => task.number);
    expect(numbers).toContain(first.number);
    expect(numbers).not.toContain(second.number);
    expect((await list(['--status', 'in_progress'])).map((task) => task.number)).toEqual([first.number]);
  });

  it('refuses an illegal transition with exit 1 and leaves the task where it was', async () => {
    const task = await add('cannot skip review');
    const move = await sandbox.vibe(['task', 'mv', String(task.number), 'done'], { cwd: repo });
    expect(move.code).toBe(1);
    expect(move.stderr).toMatch(/cannot move from todo to done/);
    expect((await sandbox.json<Task>(['task', 'show', String(task.number)], { cwd: repo })).status).toBe('todo');
  });

  it('lists every project with --all-projects and each repository on its own otherwise', async () => {
    await add('a library task', [], other);
    const mine = await list([], other);
    expect(mine.map((task) => task.project)).toEqual(['lib']);
    const all = await list(['--all-projects'], other);
    expect(new Set(all.map((task) => task.project))).toEqual(new Set(['app', 'lib']));
    const human = await sandbox.vibe(['task', 'ls', '--all-projects'], { cwd: other });
    expect(human.stdout).toMatch(/^PROJECT\s+ID\s+STATUS/m);
  });

  it('stores hostile text verbatim, prints it exactly in JSON and escaped on the terminal', async () => {
    const title = 'pwn $(touch /tmp/vibe-pwned) `id` \u001b]52;c;aGk=\u0007 \u001b[2J\u001b[H ⚡ مرحبا \u202e';
    const description = 'first\u0000second\nthird \u001b[31mred\u001b[0m 🧑‍💻';
    const created = await sandbox.json<Task>(['task', 'add', title, '--description', '-'], { cwd: repo, input: description });
    expect(created.title).toBe(title);
    expect(created.description).toBe(description);
    const shown = await sandbox.vibe(['task', 'show', String(created.number)], { cwd: repo });
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toMatch(/[\u0000\u0007\u001b\u202e]/);
    expect(shown.stdout).toContain('\\x1b]52;c;aGk=\\x07');
    expect(shown.stdout).toContain('$(touch /tmp/vibe-pwned)');
    expect(shown.stdout).toContain('⚡ مرحبا');
    const table = await sandbox.vibe(['task', 'ls'], { cwd: repo });
    expect(table.stdout).not.toMatch(/[\u0000\u0007\u001b\u202e]/);
  });

  it('refuses over-long titles and descriptions clearly, creating nothing', async () => {
    const before = (await list()).length;
    const long = await sandbox.vibe(['task', 'add', 'x'.repeat(LIMITS.titleMax + 1)], { cwd: repo });
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/title is longer than 500/);
    expect(long.stderr.trim().split('\n')).toHaveLength(1);
    const longDescription = await sandbox.vibe(['task', 'add', 'ok', '--description', '-'], { cwd: repo, input: 'd'.repeat(LIMITS.descriptionMax + 1) });
    expect(longDescription.code).toBe(2);
    expect(longDescription.stderr).toMatch(/description is longer than/);
    const badStatus = await sandbox.vibe(['task', 'ls', '--status', 'finished'], { cwd: repo });
    expect(badStatus.code).toBe(2);
    expect((await list()).length).toBe(before);
  });

  it('refuses a 2 MB description on stdin as too long, with exit 2 and the limit, before sending it', async () => {
    const before = (await list()).length;
    const huge = await sandbox.vibe(['task', 'add', 'huge', '--description', '-'], { cwd: repo, input: 'd'.repeat(2_000_000) });
    expect(huge.code).toBe(2);
    expect(huge.stderr).toBe(`vibe: description is longer than ${LIMITS.descriptionMax} characters\n`);
    expect((await list()).length).toBe(before);
  });

  it('refuses a description on stdin that is not UTF-8 rather than storing replacement characters', async () => {
    const before = (await list()).length;
    const latin1 = Buffer.from('caf\xe9 cr\xe8me\n', 'latin1');
    const bad = await sandbox.vibe(['task', 'add', 'latin-1', '--description', '-'], { cwd: repo, input: latin1 });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('vibe: the description on standard input is not valid UTF-8\n');
    expect((await list()).length).toBe(before);
    const good = await sandbox.json<Task>(['task', 'add', 'utf-8', '--description', '-'], { cwd: repo, input: 'café crème\n' });
    expect(good.description).toBe('café crème');
  });

  it('says the current directory is gone, in one line, when it was deleted under the command', () => {
    const gone = join(sandbox.dir, 'gone');
    for (const args of [['task', 'ls'], ['task', 'add', 'nowhere'], ['task', 'show', '1'], ['up']]) {
      mkdirSync(gone);
      const result = spawnSync('sh', ['-c', 'cd "$1" && rmdir "$1" && shift && exec "$@"', 'sh', gone, vibeBin, ...args], { env: sandbox.env, encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(2);
      // `up` may first rebuild a stale workspace, which it announces; the error is the last line, and the only one.
      expect(result.stderr.replace(/^vibe: building the workspace.*\n/, '')).toBe('vibe: the current directory no longer exists; cd to an existing directory and try again\n');
    }
  });

  it('waits for a database locked by another process, then fails clearly with nothing changed', async () => {
    const status = await sandbox.json<{ paths: { database: string } }>(['status'], { cwd: repo });
    const before = await list();
    const holder = new Database(status.paths.database);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      const blocked = await sandbox.vibe(['task', 'add', 'blocked by a lock'], { cwd: repo });
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(blocked.code).toBe(1);
      expect(blocked.stderr).toMatch(/locked by another process/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(await list()).toEqual(before);
    expect((await add('after the lock')).title).toBe('after the lock');
  });
});

describe('task text limits without a daemon', () => {
  it('refuses an over-long title or description before connecting, with exit 2 rather than "not running"', async () => {
    const empty = new Sandbox();
    try {
      const title = await empty.vibe(['task', 'add', 'x'.repeat(LIMITS.titleMax + 1)]);
      expect(title.code).toBe(2);
      expect(title.stderr).toBe(`vibe: title is longer than ${LIMITS.titleMax} characters\n`);
      const edit = await empty.vibe(['task', 'edit', '1', '--description', '-'], { input: '😀'.repeat(LIMITS.descriptionMax + 1) });
      expect(edit.code).toBe(2);
      expect(edit.stderr).toBe(`vibe: description is longer than ${LIMITS.descriptionMax} characters\n`);
    } finally {
      await empty.dispose();
    }
  });
});
