// vibe up / status / down against a real daemon process: idempotence, crashes, broken config, unsafe dirs.
import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeAgent, isAlive, Sandbox, waitFor } from './harness.js';

let sandbox: Sandbox;
/** Daemons a test stopped with SIGSTOP: continued before the sandbox goes, so none is left frozen. */
const frozen: number[] = [];
beforeEach(() => {
  sandbox = new Sandbox();
});
afterEach(async () => {
  for (const pid of frozen.splice(0)) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // Already gone, as it should be.
    }
  }
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

  it('runs the daemon in /, so it does not hold on to the directory of the first `vibe up`', async () => {
    const repo = sandbox.repo();
    expect((await sandbox.vibe(['up'], { cwd: repo })).code).toBe(0);
    const status = await sandbox.json<Status>(['status'], { cwd: repo });
    expect(readlinkSync(`/proc/${status.pid}/cwd`)).toBe('/');
  });

  it('appends what the daemon writes to stderr to its log, so a crash before its logger exists leaves a trace', async () => {
    const repo = sandbox.repo();
    // Loaded into every node process this run starts; only the daemon's dies, as a broken native module would make it.
    const crash = `if (process.argv[1]?.endsWith('/dist/daemon/main.js')) { process.stderr.write('early crash marker\\n'); process.exit(3); }`;
    const up = await sandbox.vibe(['up'], { cwd: repo, env: { NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(crash)}` } });
    expect(up.code).toBe(1);
    const logFile = join(sandbox.home, 'logs', 'daemon.log');
    expect(up.stderr).toContain(`vibe: the daemon stopped before it was ready (exit code 3); see ${logFile}\n`);
    expect(readFileSync(logFile, 'utf8')).toContain('early crash marker\n');
    expect(statSync(logFile).mode & 0o777).toBe(0o600);
  });

  it('keeps trying when its daemon lost the lock, and starts one once the holder has gone', async () => {
    const repo = sandbox.repo();
    const data = join(sandbox.home, 'data');
    mkdirSync(data, { recursive: true, mode: 0o700 });
    // Hold the daemon lock as a daemon does, then let go after longer than `vibe up` used to wait for anything.
    const holder = new Database(join(data, 'daemon.lock'));
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('BEGIN EXCLUSIVE');
    const release = setTimeout(() => holder.close(), 2_500);
    try {
      const started = Date.now();
      const up = await sandbox.vibe(['up', '--json'], { cwd: repo });
      expect(up.code, up.stderr).toBe(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2_500);
      const result = JSON.parse(up.stdout) as { pid: number; started: boolean };
      expect(result.started).toBe(true);
      expect(sandbox.daemonPids()).toEqual([result.pid]);
    } finally {
      clearTimeout(release);
      if (holder.open) holder.close();
    }
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

  it('says a daemon that accepts but never answers is not answering, naming the socket, with exit 69', async () => {
    const runtime = join(sandbox.home, 'run');
    mkdirSync(runtime, { recursive: true, mode: 0o700 });
    const socket = join(runtime, 'daemon.sock');
    const server = createServer((connection) => connection.destroy());
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      const status = await sandbox.vibe(['status']);
      expect(status.code).toBe(69);
      expect(status.stderr.trim()).toBe(`vibe: the daemon is not answering on ${socket} — run \`vibe down\`, then \`vibe up\``);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('stops the daemon gracefully, and the daemon itself removes its socket, pid file and lock', async () => {
    const repo = sandbox.repo();
    await sandbox.vibe(['up'], { cwd: repo });
    const status = await sandbox.json<Status>(['status'], { cwd: repo });
    const down = await sandbox.vibe(['down', '--json'], { cwd: repo });
    expect(down.code, down.stderr).toBe(0);
    // After a stop it asked for, `vibe down` removes nothing: whatever is gone, the daemon removed.
    expect(JSON.parse(down.stdout)).toEqual({ running: false, pid: status.pid, how: 'stopped' });
    expect(isAlive(status.pid)).toBe(false);
    expect(existsSync(status.socketPath)).toBe(false);
    expect(existsSync(join(status.paths.data, 'daemon.pid'))).toBe(false);
    expect(existsSync(join(status.paths.data, 'daemon.lock'))).toBe(false);
    expect((await sandbox.vibe(['status'])).code).toBe(69);
    expect(readFileSync(status.paths.logFile, 'utf8')).toMatch(/daemon stopped/);
  });

  it('stops cleanly with sessions open, time after time: their tmux clients end before the pty thread does', async () => {
    // node-pty aborts the whole process when a pty's exit lands in a thread being torn down; the daemon hangs up
    // on its attach clients and waits for them instead. A stop that aborted writes FATAL to the log (stderr).
    sandbox.configure({ agents: { idler: fakeAgent('print:idling;hook:working;sleep:600000') } });
    const repo = sandbox.repo();
    expect((await sandbox.vibe(['up'], { cwd: repo })).code).toBe(0);
    for (const title of ['one', 'two', 'three']) {
      const started = await sandbox.vibe(['task', 'add', title, '--agent', 'idler', '--start'], { cwd: repo });
      expect(started.code, started.stderr).toBe(0);
    }
    const status = await sandbox.json<Status>(['status'], { cwd: repo });
    for (let round = 0; round < 3; round++) {
      const pid = (await sandbox.json<Status>(['status'], { cwd: repo })).pid;
      const down = await sandbox.vibe(['down', '--json'], { cwd: repo });
      expect(JSON.parse(down.stdout).how).toBe('stopped');
      await waitFor(() => !isAlive(pid), 5000, 'the daemon to exit');
      expect((await sandbox.vibe(['up'], { cwd: repo })).code).toBe(0);
    }
    await sandbox.vibe(['down'], { cwd: repo });
    const log = readFileSync(status.paths.logFile, 'utf8');
    expect(log.match(/"msg":"session adopted"/g)?.length).toBe(9);
    expect(log).not.toMatch(/FATAL|Abort|napi/);
  });

  it('kills a daemon that does not stop, removing its socket and pid file but never the lock file', async () => {
    const repo = sandbox.repo();
    expect((await sandbox.vibe(['up'], { cwd: repo })).code).toBe(0);
    const status = await sandbox.json<Status>(['status'], { cwd: repo });
    const lockFile = join(status.paths.data, 'daemon.lock');
    process.kill(status.pid, 'SIGSTOP');
    frozen.push(status.pid);
    const down = await sandbox.vibe(['down', '--json'], { cwd: repo, env: { VIBE_STOP_TIMEOUT_MS: '300' } });
    expect(down.code, down.stderr).toBe(0);
    expect(JSON.parse(down.stdout)).toEqual({ running: false, pid: status.pid, how: 'killed' });
    expect(down.stderr).toMatch(/does not answer; sending SIGTERM/);
    expect(down.stderr).toMatch(/did not stop within 0\.3 s; sending SIGKILL/);
    expect(isAlive(status.pid)).toBe(false);
    expect(existsSync(status.socketPath)).toBe(false);
    expect(existsSync(join(status.paths.data, 'daemon.pid'))).toBe(false);
    // The lock died with its holder; the file is harmless, and deleting it could let two daemons run.
    expect(existsSync(lockFile)).toBe(true);
    const up = await sandbox.vibe(['up'], { cwd: repo });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toMatch(/started/);
  });
});
