// `task rm` racing a start of the same task inside one daemon, with real git and tmux: exactly one of them
// wins, the other gets a clear error, and a removed task leaves no worktree, branch or session behind. A
// removal that stops part-way keeps the task, and running it again finishes.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ControlClient } from '@vibe/protocol';
import { connectToDaemon, resolvePaths } from '@vibe/protocol/node';
import { Daemon } from '../src/daemon.js';
import { stopDaemon, until } from './daemon-fixture.js';

const fakeAgent = fileURLToPath(new URL('./fixtures/fake-agent.mjs', import.meta.url));
const scriptsDir = fileURLToPath(new URL('../dist', import.meta.url));

let dir: string;
let repo: string;
let daemon: Daemon | undefined;
let client: ControlClient;

const git = (...args: string[]): string => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@e', ...args]).toString();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'vibe-race-')));
  repo = join(dir, 'repo');
  mkdirSync(repo);
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  writeFileSync(join(repo, 'README.md'), '# repo\n');
  git('add', '.');
  git('commit', '-qm', 'init');
  // `git worktree add` runs post-checkout: a slow one holds every start open long enough to be raced.
  writeFileSync(join(repo, '.git', 'hooks', 'post-checkout'), '#!/bin/sh\nsleep 0.4\n');
  chmodSync(join(repo, '.git', 'hooks', 'post-checkout'), 0o755);
  mkdirSync(join(dir, 'home', 'config'), { recursive: true });
  const agent = (script: string) => ({ command: ['node', fakeAgent, '--script', script], prompt: 'none', hooks: 'env' });
  const agents = { fake: agent('hook:working;sleep:60000'), quick: agent('exit:0') };
  writeFileSync(join(dir, 'home', 'config', 'config.json'), JSON.stringify({ agents }));
  const outcome = await Daemon.start({ paths: resolvePaths({ VIBE_HOME: join(dir, 'home') }), version: 't', validateResults: true, scriptsDir });
  if (outcome.status !== 'ready') throw new Error('daemon did not start');
  daemon = outcome.daemon;
  client = (await connectToDaemon(daemon.paths.socket, { client: { name: 'test', version: '0' } })).client;
  await client.request('project.register', { path: repo, baseBranch: 'main' });
});

afterEach(async () => {
  client?.close();
  if (daemon) await stopDaemon(daemon);
  daemon = undefined;
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

/** What git, the worktrees directory and tmux still hold for task `number`. */
function leftovers(number: number): { worktrees: string[]; branches: string[]; dirs: string[] } {
  const worktrees = git('worktree', 'list', '--porcelain')
    .split('\n')
    .filter((line) => line.startsWith('worktree ') && line.includes(`/${number}-`));
  const branches = git('branch', '--list', `vibe/${number}-*`).split('\n').filter(Boolean);
  const projectDir = join(daemon!.paths.worktrees, '1');
  const dirs = existsSync(projectDir) ? readdirSync(projectDir).filter((name) => name.startsWith(`${number}-`)) : [];
  return { worktrees, branches, dirs };
}

function tmuxSessions(): string[] {
  try {
    return execFileSync('tmux', ['-S', join(daemon!.paths.runtime, 'tmux.sock'), 'list-sessions', '-F', '#{session_name}'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .split('\n')
      .filter(Boolean);
  } catch {
    return []; // no server: no sessions
  }
}

const nothingLeft = { worktrees: [], branches: [], dirs: [] };

describe('task rm racing a start of the same task', () => {
  it('lets exactly one win every time, and a removed task leaves nothing behind', async () => {
    // Which request goes first, and how long before the other follows (all well inside a start).
    const rounds: Array<{ first: 'start' | 'rm'; gapMs: number; force: boolean }> = [
      { first: 'start', gapMs: 0, force: true },
      { first: 'rm', gapMs: 0, force: true },
      { first: 'start', gapMs: 30, force: true },
      { first: 'rm', gapMs: 5, force: true },
      { first: 'start', gapMs: 120, force: true },
      { first: 'rm', gapMs: 40, force: false },
      { first: 'start', gapMs: 250, force: true },
      { first: 'start', gapMs: 10, force: false },
      { first: 'rm', gapMs: 0, force: false },
      { first: 'start', gapMs: 60, force: true },
    ];
    const deadline = Date.now() + 50_000;
    for (const [index, round] of rounds.entries()) {
      expect(Date.now()).toBeLessThan(deadline);
      const { number } = (await client.request('task.create', { project: 'repo', title: `Race ${index}`, agent: 'fake' })).task;
      const start = () => client.request('task.start', { project: 'repo', number });
      const remove = () => client.request('task.remove', { project: 'repo', number, force: round.force });
      const firstAsked = round.first === 'start' ? start() : remove();
      await sleep(round.gapMs);
      const secondAsked = round.first === 'start' ? remove() : start();
      const [first, second] = await Promise.allSettled([firstAsked, secondAsked]);
      const [started, removed] = round.first === 'start' ? [first, second] : [second, first];
      const what = `round ${index} (${JSON.stringify(round)})`;

      expect([started.status, removed.status].filter((status) => status === 'fulfilled'), what).toHaveLength(1);
      if (round.first === 'start') {
        // The start was asked for first: it wins, and the remove names it.
        expect(started.status, what).toBe('fulfilled');
        expect(removed.status === 'rejected' && removed.reason, what).toMatchObject({
          code: 'conflict',
          message: expect.stringMatching(new RegExp(`^task ${number} is starting (attempt 1 \\(fake\\)|a new attempt); nothing was removed`)),
        });
        // Removing it now, agent and all, leaves nothing behind either.
        await client.request('task.remove', { project: 'repo', number, force: true });
      } else {
        expect(removed.status, what).toBe('fulfilled');
        expect(started.status === 'rejected' && started.reason, what).toMatchObject({ code: 'not_found' });
      }
      await expect(client.request('task.get', { project: 'repo', number })).rejects.toMatchObject({ code: 'not_found' });
      expect(leftovers(number), what).toEqual(nothingLeft);
      expect((await client.request('session.list', { project: 'repo' })).sessions.filter((s) => s.taskNumber === number), what).toEqual([]);
      await until(() => tmuxSessions(), (names) => names.length === 0, `no tmux session left after ${what}`, 5_000);
    }
  }, 90_000);
});

/** A task whose agent ran twice and exited, leaving two clean worktrees with nothing unmerged. */
async function twoExitedAttempts() {
  const { number } = (await client.request('task.create', { project: 'repo', title: 'Twice', agent: 'quick' })).task;
  const exited = () => until(() => client.request('task.get', { project: 'repo', number }), ({ task }) => task.session?.state === 'exited', 'the run to exit');
  const first = (await client.request('task.start', { project: 'repo', number })).session;
  await exited();
  const second = (await client.request('task.start', { project: 'repo', number })).session;
  await exited();
  return { number, first, second };
}

describe('a removal that stops part-way', () => {
  it("keeps the task and what is left, names where it stopped, and finishes when run again — Gemini's entries too", async () => {
    // The daemon reads Gemini's home from its environment when it removes a worktree.
    mkdirSync(join(dir, 'gemini', '.gemini'), { recursive: true });
    vi.stubEnv('GEMINI_CLI_HOME', join(dir, 'gemini'));
    const trustedHooks = join(dir, 'gemini', '.gemini', 'trusted_hooks.json');
    const hookKeys = (worktree: string) => ({ [worktree]: ['vibe-working:sh -c x'] });
    const { number, first, second } = await twoExitedAttempts();
    // Nothing to lose, so the check passes; but git refuses to remove a locked worktree without a double force.
    git('worktree', 'lock', '--', second.worktree);
    const mine = { '/home/me/app': ['mine:npm test'] };
    writeFileSync(trustedHooks, JSON.stringify({ ...hookKeys(first.worktree), ...mine, ...hookKeys(second.worktree) }, null, 2));

    await expect(client.request('task.remove', { project: 'repo', number })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(
        new RegExp(`^removing task ${number} stopped at attempt 2 \\(${second.branch} at ${second.worktree}\\): .*locked.*; the worktrees of attempt\\(s\\) 1 are gone, the task and its other attempts are kept — run \`vibe task rm ${number}\` again to finish`),
      ),
    });
    expect(existsSync(first.worktree)).toBe(false);
    expect(existsSync(second.worktree)).toBe(true);
    expect((await client.request('task.get', { project: 'repo', number })).task.number).toBe(number);
    expect(readFileSync(trustedHooks, 'utf8')).toBe(JSON.stringify({ ...mine, ...hookKeys(second.worktree) }, null, 2));

    git('worktree', 'unlock', '--', second.worktree);
    await client.request('task.remove', { project: 'repo', number });
    await expect(client.request('task.get', { project: 'repo', number })).rejects.toMatchObject({ code: 'not_found' });
    expect(leftovers(number)).toEqual(nothingLeft);
    expect(readFileSync(trustedHooks, 'utf8')).toBe(JSON.stringify(mine, null, 2));
  });

  it('stops at a worktree written to after the check, losing none of it', async () => {
    const { number, first, second } = await twoExitedAttempts();
    // Deleting the first attempt's branch is the moment between the check and the second removal.
    const hook = join(repo, '.git', 'hooks', 'reference-transaction');
    writeFileSync(hook, `#!/bin/sh\n[ "$1" = committed ] && echo late > '${join(second.worktree, 'late.txt')}'\nexit 0\n`);
    chmodSync(hook, 0o755);
    await expect(client.request('task.remove', { project: 'repo', number })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining(`stopped at attempt 2 (${second.branch} at ${second.worktree}): uncommitted changes since the check; the worktrees of attempt(s) 1 are gone`),
    });
    rmSync(hook);
    expect(existsSync(first.worktree)).toBe(false);
    expect(readFileSync(join(second.worktree, 'late.txt'), 'utf8')).toBe('late\n');
    await expect(client.request('task.remove', { project: 'repo', number })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('uncommitted changes') });
    await client.request('task.remove', { project: 'repo', number, force: true });
    expect(leftovers(number)).toEqual(nothingLeft);
  });
});
