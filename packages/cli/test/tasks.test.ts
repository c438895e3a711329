// Task commands through the real bin/vibe and a real daemon: round trips, hostile text, limits, locks.
import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '@vibe/protocol';
import { Sandbox } from './harness.js';

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
