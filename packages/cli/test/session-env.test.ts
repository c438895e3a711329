// The environment an agent starts with, through the real bin/vibe and daemon on both session hosts: a daemon
// started from a CI shell does not hand CI or CONTINUOUS_INTEGRATION to its agents (they would run headless).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, Sandbox } from './harness.js';
import { hasTmux } from './tmux.js';

const hosts = [...(hasTmux ? ['tmux'] : []), 'pty'] as const;

describe.each(hosts)('sessions on the %s host, under a daemon started with CI set', (host) => {
  let sandbox: Sandbox;
  let repo: string;
  let seen: string;

  beforeAll(async () => {
    sandbox = new Sandbox();
    seen = join(sandbox.dir, 'agent-env.txt');
    // The agent writes the environment it was given to a file outside the worktree, then stays.
    sandbox.configure({ agents: { printenv: { command: ['/bin/sh', '-c', 'env > "$1.part" && mv "$1.part" "$1"; exec sleep 600', 'printenv', seen], prompt: 'none' } } });
    repo = sandbox.repo('app');
    const env = { CI: 'true', CONTINUOUS_INTEGRATION: '1', CI_PIPELINE_ID: '42', VIBE_SESSION_HOST: host };
    const up = await sandbox.vibe(['up'], { cwd: repo, env });
    expect(up.code, up.stderr).toBe(0);
  });
  afterAll(async () => {
    await sandbox?.dispose();
  });

  it('starts the agent without CI and CONTINUOUS_INTEGRATION, keeping CI_* variables', async () => {
    const started = await sandbox.vibe(['task', 'add', 'Look around', '--agent', 'printenv', '--start'], { cwd: repo });
    expect(started.code, started.stderr).toBe(0);
    const env = await eventually(async () => (existsSync(seen) ? readFileSync(seen, 'utf8') : undefined), 'the agent to write its environment');
    expect(env).toContain('VIBE_SESSION=');
    const names = env.split('\n').map((line) => line.slice(0, line.indexOf('=')));
    expect(names).not.toContain('CI');
    expect(names).not.toContain('CONTINUOUS_INTEGRATION');
    expect(env.split('\n')).toContain('CI_PIPELINE_ID=42');
    const ps = await sandbox.json<{ sessions: { host: string }[] }>(['ps'], { cwd: repo });
    expect(ps.sessions.map((session) => session.host)).toEqual([host]);
  });
});
