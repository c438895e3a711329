// The real daemon's memory with sessions: RSS idle, then with 20 idle agent sessions under tmux.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, rssMb, sleep, startScratchDaemon, vibeBin } from '../lib.mjs';

const SESSIONS = 20;
const fakeAgent = join(root, 'packages', 'daemon', 'test', 'fixtures', 'fake-agent.mjs');

export async function run() {
  const scratch = startScratchDaemon({
    configure(home) {
      mkdirSync(join(home, 'config'), { recursive: true });
      const idle = { command: ['node', fakeAgent, '--script', 'print:ready;hook:idle;sleep:3600000'], prompt: 'none', hooks: 'env' };
      writeFileSync(join(home, 'config', 'config.json'), JSON.stringify({ agents: { idle } }));
    },
  });
  const vibe = (...args) => execFileSync(vibeBin, args, { cwd: scratch.repo, env: scratch.env, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await sleep(1000);
    const idleRss = rssMb(scratch.pid);
    vibe('project', 'set', '--max-sessions', String(SESSIONS));
    for (let i = 0; i < SESSIONS; i++) vibe('task', 'add', `idle agent ${i}`, '--agent', 'idle', '--start');
    await sleep(5000);
    const withSessions = rssMb(scratch.pid);
    return [
      { name: 'daemon RSS idle, no sessions', value: idleRss, unit: 'MB', target: '<= 80', ok: idleRss <= 80 },
      { name: `daemon RSS with ${SESSIONS} idle sessions (tmux)`, value: withSessions, unit: 'MB', target: '<= 120', ok: withSessions <= 120 },
    ];
  } finally {
    try {
      for (let i = 1; i <= SESSIONS; i++) vibe('task', 'stop', String(i));
    } catch {
      // The daemon is torn down below either way.
    }
    scratch.dispose();
  }
}
