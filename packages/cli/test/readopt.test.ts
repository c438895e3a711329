// kill -9 of the daemon while agents run: the agents keep running in tmux, `vibe up` re-adopts them,
// `vibe attach` shows the same screen, and a session whose tmux session vanished is marked exited.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, fakeAgent, isAlive, Sandbox, vibeBin, waitFor } from './harness.js';
import { hasTmux, TmuxServer } from './tmux.js';

interface Task {
  number: number;
  status: string;
  session: { id: number; state: string } | null;
}

let sandbox: Sandbox;
afterEach(async () => {
  await sandbox?.dispose();
});

// Re-adoption is what tmux hosting buys; without tmux there is nothing to adopt.
describe.skipIf(!hasTmux)('a daemon killed with -9 while agents run', () => {
  it('leaves the agents running and re-adopts them on vibe up, with the same screen', async () => {
    sandbox = new Sandbox();
    sandbox.configure({
      agents: {
        keeper: fakeAgent('print:screen-marker-5150;hook:working;sleep:600000'),
        doomed: fakeAgent('hook:working;sleep:600000'),
      },
    });
    const repo = sandbox.repo('app');
    expect((await sandbox.vibe(['up'], { cwd: repo })).code).toBe(0);
    for (const [title, agent] of [['keep me', 'keeper'], ['lose me', 'doomed']] as const) {
      const started = await sandbox.vibe(['task', 'add', title, '--agent', agent, '--start'], { cwd: repo });
      expect(started.code, started.stderr).toBe(0);
    }
    const task = async (n: number): Promise<Task> => sandbox.json<Task>(['task', 'show', String(n)], { cwd: repo });
    for (const n of [1, 2]) {
      await eventually(async () => ((await task(n)).session?.state === 'working' ? true : undefined), `task ${n} working`);
    }
    const status = await sandbox.json<{ pid: number; paths: { runtime: string } }>(['status'], { cwd: repo });
    const tmuxSocket = join(status.paths.runtime, 'tmux.sock');
    const tmux = (...args: string[]): string => execFileSync('tmux', ['-S', tmuxSocket, ...args], { encoding: 'utf8' });

    process.kill(status.pid, 'SIGKILL');
    await waitFor(() => !isAlive(status.pid), 5000, 'the daemon to die');
    // The agents did not notice: their tmux sessions are still there.
    expect(tmux('list-sessions', '-F', '#{session_name}').split('\n').filter(Boolean).sort()).toEqual(['vibe_1', 'vibe_2']);
    tmux('kill-session', '-t', '=vibe_2');

    const up = await sandbox.vibe(['up'], { cwd: repo });
    expect(up.code, up.stderr).toBe(0);
    expect((await task(1)).session?.state).toBe('working');
    expect((await task(2)).session?.state).toBe('exited');
    expect((await task(2)).status).toBe('in_review');

    const viewer = new TmuxServer(sandbox.dir, sandbox.env);
    try {
      viewer.start('w', [vibeBin, 'attach', '1'], repo);
      await viewer.waitForScreen('w', /screen-marker-5150/);
      viewer.keys('w', ['C-]']);
      await viewer.waitForScreen('w', /detached from app#1/);
    } finally {
      viewer.kill();
    }
  });
});
