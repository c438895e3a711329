// vibe up / status / down against a real daemon process: idempotence, crashes, broken config, unsafe dirs.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAlive, Sandbox, waitFor } from './harness.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = new Sandbox();
});
afterEach(async () => {
  await sandbox.dispose();
});

interface Status {
  pid: number;
  socketPath: string;
  projects: Array<{ name: string; path: string; baseBranch: string }>;
  paths: { data: string; logFile: string; runtime: string };
}

describe('vibe up', () => {
  it('starts the daemon, registers the repository and says where state lives', async () => {
    const repo = sandbox.repo('myapp', 'trunk');
    const up = await sandbox.vibe(['up'], { cwd: join(repo) });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toMatch(/started/);
    expect(up.stderr).toContain(sandbox.home);
    expect(up.stderr).toContain('daemon.log');
    const status = await sandbox.json<Status>(['status'], { cwd: repo });
    expect(status.projects).toEqual([expect.objectContaining({ name: 'myapp', path: repo, baseBranch: 'trunk' })]);
    expect(statSync(status.socketPath).mode & 0o777).toBe(0o600);
    expect(statSync(status.paths.runtime).mode & 0o777).toBe(0o700);
    expect(sandbox.daemonPids()).toEqual([status.pid]);
  });

  it('refuses to run outside a git repository with one line and exit 2', async () => {
    const up = await sandbox.vibe(['up'], { cwd: sandbox.dir });
    expect(up.code).toBe(2);
    expect(up.stderr.trim().split('\n')).toHaveLength(1);
    expect(up.stderr).toMatch(/not inside a git repository/);
    expect(sandbox.daemonPids()).toEqual([]);
  });

  it('ends with exactly one daemon when ten run at once, all exiting 0', async () => {
    const repo = sandbox.repo();
    const results = await Promise.all(Array.from({ length: 10 }, () => sandbox.vibe(['up'], { cwd: repo })));
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    expect(results.filter((result) => /started/.test(result.stderr))).toHaveLength(1);
    expect(results.filter((result) => /already running/.test(result.stderr))).toHaveLength(9);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const status = await sandbox.json<Status>(['status'], { cwd: repo });
    expect(sandbox.daemonPids()).toEqual([status.pid]);
    expect(status.projects).toHaveLength(1);
  });

  it('recovers the lock and socket left behind by kill -9', async () => {
    const repo = sandbox.repo();
    expect((await sandbox.vibe(['up'], { cwd: repo })).code).toBe(0);
    const before = await sandbox.json<Status>(['status'], { cwd: repo });
    process.kill(before.pid, 'SIGKILL');
    await waitFor(() => !isAlive(before.pid), 5000, 'daemon to die');
    expect(existsSync(before.socketPath)).toBe(true);
    const status = await sandbox.vibe(['status'], { cwd: repo });
    expect(status.code).toBe(69);
    const up = await sandbox.vibe(['up'], { cwd: repo });
    expect(up.code, up.stderr).toBe(0);
    const after = await sandbox.json<Status>(['status'], { cwd: repo });
    expect(after.pid).not.toBe(before.pid);
    expect(after.projects).toHaveLength(1);
  });

  it('reports a corrupt config file by name and leaves it untouched', async () => {
    const repo = sandbox.repo();
    const file = join(sandbox.home, 'config', 'config.json');
    mkdirSync(join(sandbox.home, 'config'), { recursive: true });
    writeFileSync(file, '{"defaultAgent": "claude",,}');
    const up = await sandbox.vibe(['up'], { cwd: repo });
    expect(up.code).toBe(1);
    expect(up.stderr).toContain(file);
    expect(up.stderr).toMatch(/not valid JSON/);
    expect(up.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(file, 'utf8')).toBe('{"defaultAgent": "claude",,}');
    await waitFor(() => sandbox.daemonPids().length === 0, 5000, 'the failed daemon to exit');
  });

  it('refuses a world-writable socket directory and names it', async () => {
    const repo = sandbox.repo();
    const runtime = join(sandbox.home, 'run');
    mkdirSync(runtime, { recursive: true });
    chmodSync(runtime, 0o777);
    const up = await sandbox.vibe(['up'], { cwd: repo });
    expect(up.code).toBe(1);
    expect(up.stderr).toContain(runtime);
    expect(up.stderr).toMatch(/mode 777/);
    await waitFor(() => sandbox.daemonPids().length === 0, 5000, 'the failed daemon to exit');
  });
});

describe('vibe status and vibe down', () => {
  it('says the daemon is not running with exit 69', async () => {
    const status = await sandbox.vibe(['status']);
    expect(status.code).toBe(69);
    expect(status.stderr.trim()).toBe('vibe: daemon not running — run `vibe up`');
    expect(status.stdout).toBe('');
  });

  it('stops the daemon gracefully and removes its socket, pid file and lock', async () => {
    const repo = sandbox.repo();
    await sandbox.vibe(['up'], { cwd: repo });
    const status = await sandbox.json<Status>(['status'], { cwd: repo });
    const down = await sandbox.vibe(['down'], { cwd: repo });
    expect(down.code, down.stderr).toBe(0);
    expect(isAlive(status.pid)).toBe(false);
    expect(existsSync(status.socketPath)).toBe(false);
    expect(existsSync(join(status.paths.data, 'daemon.pid'))).toBe(false);
    expect(existsSync(join(status.paths.data, 'daemon.lock'))).toBe(false);
    expect((await sandbox.vibe(['status'])).code).toBe(69);
    expect(readFileSync(status.paths.logFile, 'utf8')).toMatch(/daemon stopped/);
  });
});
