// Approvals answered from the real `vibe board` in a tmux server of the test's own: the fake agent asks through
// its permission hook, the card says so and the line above the keys shows what it asks; y lets it go on, and N
// with a reason denies the next one — what the agent received is what it writes into its worktree.
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, fakeAgent, Sandbox, vibeBin } from './harness.js';
import { hasTmux, TmuxServer } from './tmux.js';

let sandbox: Sandbox;
let repo: string;
let tmux: TmuxServer;

beforeAll(async () => {
  sandbox = new Sandbox();
  // Asks twice; writes each answer into its worktree.
  const script = 'print:ready;approve:Bash=npm publish;edit:first.txt={answer};approve:Bash=git push --force;edit:second.txt={answer};hook:idle;sleep:600000';
  sandbox.configure({ agents: { fake: fakeAgent(script) } });
  repo = sandbox.repo('app');
  expect((await sandbox.vibe(['up'], { cwd: repo })).code).toBe(0);
  tmux = new TmuxServer(sandbox.dir, { ...sandbox.env, CI: 'true' });
});
afterAll(async () => {
  tmux?.kill();
  await sandbox?.dispose();
});

const pause = (ms = 150): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const fileIn = (worktree: string, name: string): Promise<string> =>
  eventually(async () => {
    try {
      return readFileSync(join(worktree, name), 'utf8');
    } catch {
      return undefined;
    }
  }, `the agent to write ${name}`);

describe('vibe board with an agent asking permission', () => {
  it.skipIf(!hasTmux)('shows what it asks, allows with y, and denies with N and a reason', async () => {
    const w = 'board';
    tmux.start(w, [vibeBin, 'board'], repo, { cols: 120, rows: 30 });
    await tmux.waitForScreen(w, /vibe board · app · 0 tasks/);
    const { session } = await sandbox.json<{ session: { worktree: string } }>(['task', 'add', 'Ship it', '--agent', 'fake', '--start'], { cwd: repo });

    // The card says it asks; selected (l: the IN PROGRESS column), what it asks comes with the keys.
    await tmux.waitForScreen(w, /⚑ asks Bash · fake ×1/);
    tmux.keys(w, ['l']);
    await tmux.waitForScreen(w, /⚑ #1 asks Bash: npm publish — y allow · N deny/);
    tmux.keys(w, ['y']);
    expect(await fileIn(session.worktree, 'first.txt')).toBe('allow\n');
    // The agent asks again at once: what it asks now takes the line over "allowed approval 1".

    await tmux.waitForScreen(w, /⚑ #1 asks Bash: git push --force — y allow · N deny/);
    tmux.keys(w, ['N']);
    await tmux.waitForScreen(w, /Deny approval 2 — reason for the agent \(Enter skips\):/);
    tmux.keys(w, ['not on a Friday'], { literal: true });
    await pause();
    tmux.keys(w, ['Enter']);
    await tmux.waitForScreen(w, /denied approval 2 \(app#1 Bash: git push --force\) — not on a Friday/);
    expect(await fileIn(session.worktree, 'second.txt')).toBe('deny\n');

    const log = await sandbox.vibe(['task', 'log', '1'], { cwd: repo });
    expect(log.stdout).toContain(`approval 1 allowed by ${userInfo().username}`);
    expect(log.stdout).toContain(`approval 2 denied by ${userInfo().username} — not on a Friday`);
    tmux.keys(w, ['q']);
  }, 60_000);
});
