// `vibe send` to an agent that has stopped reading its input, through the real bin/vibe and daemon: the
// daemon holds at most 1 MiB for it, and a send past that is refused whole, in one line, exit 1. On node-pty
// (tmux would pass the input on to its own server, which holds it instead).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

let sandbox: Sandbox;
let repo: string;

beforeAll(async () => {
  sandbox = new Sandbox();
  // Raw mode and no reads: the pty's buffer fills after a few KiB and everything typed after waits.
  sandbox.configure({ agents: { deaf: { command: ['/bin/sh', '-c', 'stty raw -echo; exec sleep 600'], prompt: 'none' } } });
  repo = sandbox.repo('app');
  const up = await sandbox.vibe(['up'], { cwd: repo, env: { VIBE_SESSION_HOST: 'pty' } });
  expect(up.code, up.stderr).toBe(0);
});
afterAll(async () => {
  await sandbox?.dispose();
});

it('refuses a send once 1 MiB typed earlier is unread, with one clear line and exit 1', async () => {
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
  // Four fit in 1 MiB, less the few KiB the pty took; the fifth would not.
  expect(results.slice(0, 4).map((r) => r.code)).toEqual([0, 0, 0, 0]);
  const refused = results[4]!;
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/^vibe: session \d+: its program is not reading input: \d+ KiB typed earlier is still unread and vibe holds at most 1024 KiB, so nothing more was typed\n$/);
  // Still refused later: nothing was read meanwhile, and nothing of the refused text was kept.
  const again = await sandbox.vibe(['send', number, '-'], { cwd: repo, input: text });
  expect(again.code).toBe(1);
  expect(again.stderr).toBe(refused.stderr);
});
