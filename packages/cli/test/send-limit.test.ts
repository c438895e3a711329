// `vibe send` to an agent that has stopped reading its input, through the real bin/vibe and daemon: the
// daemon lets at most 1 MiB of it go unread, and a send past that is refused whole, in one line, exit 1. On
// node-pty the daemon holds what the pty will not take; under tmux, tmux holds it, and the daemon counts
// what it typed until it sees it read.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

const hasTmux = ((): boolean => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.each([
  { host: 'pty', skip: false },
  { host: 'tmux', skip: !hasTmux },
])('on $host', ({ host, skip }) => {
  let sandbox: Sandbox;
  let repo: string;

  beforeAll(async () => {
    if (skip) return;
    sandbox = new Sandbox();
    // Raw mode and no reads: the pty's buffer fills after a few KiB and everything typed after waits.
    sandbox.configure({ agents: { deaf: { command: ['/bin/sh', '-c', 'stty raw -echo; exec sleep 600'], prompt: 'none' } } });
    repo = sandbox.repo('app');
    const up = await sandbox.vibe(['up'], { cwd: repo, env: host === 'pty' ? { VIBE_SESSION_HOST: 'pty' } : {} });
    expect(up.code, up.stderr).toBe(0);
    const status = await sandbox.vibe(['status', '--json'], { cwd: repo });
    expect(JSON.parse(status.stdout)).toMatchObject({ sessionHost: host });
  });
  afterAll(async () => {
    await sandbox?.dispose();
  });

  it.skipIf(skip)('refuses a send once 1 MiB typed earlier is unread, with one clear line and exit 1', async () => {
    const started = await sandbox.vibe(['task', 'add', 'Ignore everyone', '--agent', 'deaf', '--start'], { cwd: repo });
    expect(started.code, started.stderr).toBe(0);
    const number = started.stdout.trim();
    // The most one send may carry: 65,536 characters, here of 4 bytes each (256 KiB).
    const text = '🙉'.repeat(65_536);
    const results = [];
    for (let i = 0; i < 6; i++) {
      const sent = await sandbox.vibe(['send', number, '-'], { cwd: repo, input: text });
      results.push(sent);
      if (sent.code !== 0) break;
    }
    // Four fit in 1 MiB (on node-pty, less the few KiB the pty took); the fifth would not.
    expect(results.slice(0, 4).map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const refused = results[4]!;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^vibe: session \d+: its program is not reading input: \d+ KiB typed earlier is still unread and vibe holds at most 1024 KiB, so nothing more was typed\n$/);
    // Still refused later: nothing was read meanwhile, and nothing of the refused text was kept.
    const again = await sandbox.vibe(['send', number, '-'], { cwd: repo, input: text });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(refused.stderr);
  });
});
