// `vibe service` through the real bin/vibe, with a stand-in systemctl on a PATH of its own: the unit file it
// writes, the commands it runs, and what it says when systemctl is missing. The real systemctl never runs.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, Sandbox } from './harness.js';

let sandbox: Sandbox;
let configHome: string;
let unit: string;
let bin: string;
let log: string;

beforeEach(() => {
  sandbox = new Sandbox();
  configHome = join(sandbox.dir, 'xdg-config');
  unit = join(configHome, 'systemd', 'user', 'vibe.service');
  bin = join(sandbox.dir, 'bin');
  log = join(sandbox.dir, 'systemctl.log');
  mkdirSync(bin);
  // Only node on this PATH (bin/vibe runs through `env node`), plus whatever a test adds.
  symlinkSync(process.execPath, join(bin, 'node'));
});
afterEach(async () => {
  await sandbox.dispose();
});

/** A systemctl that logs its arguments, one call per line. */
function fakeSystemctl(): void {
  const script = join(bin, 'systemctl');
  writeFileSync(script, `#!/bin/sh\necho "$*" >> '${log}'\n`);
  chmodSync(script, 0o755);
}

const service = (args: string[]) => sandbox.vibe(['service', ...args], { env: { XDG_CONFIG_HOME: configHome, PATH: bin } });
const calls = (): string[] => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);

describe.skipIf(process.platform !== 'linux')('vibe service on Linux', () => {
  it('prints the unit with --dry-run and writes nothing', async () => {
    const result = await service(['install', '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ExecStart=\S+ --max-semi-space-size=1 \S+\/bin\/vibe daemon run$/m);
    expect(result.stdout).toContain(`\nEnvironment=VIBE_HOME=${sandbox.home}\n`);
    expect(result.stdout).toContain(`\nEnvironment=PATH=${bin}\n`);
    expect(result.stdout).toContain('\nKillMode=process\n');
    expect(result.stdout).toContain('\nRestart=on-failure\n');
    expect(result.stderr).toContain(`would write ${unit}`);
    expect(existsSync(unit)).toBe(false);
  });

  it("writes a command that runs the daemon: ExecStart, as systemd would run it, starts one that answers and stops on SIGTERM", async () => {
    const result = await service(['install', '--dry-run']);
    const execStart = /^ExecStart=(.*)$/m.exec(result.stdout)![1]!.split(' ');
    const child = spawn(execStart[0]!, execStart.slice(1), { cwd: '/', env: { ...sandbox.env, PATH: bin }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await eventually(async () => (stderr.includes('ready') ? true : undefined), 'the daemon to say it is ready');
      const status = await sandbox.json<{ pid: number; version: string; cliVersion: string }>(['status']);
      expect(status.pid).toBe(child.pid);
      expect(status.version).toBe(status.cliVersion);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('writes the unit under XDG_CONFIG_HOME, reloads systemd and enables the service now', async () => {
    fakeSystemctl();
    const result = await service(['install']);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(unit, 'utf8')).toContain('KillMode=process');
    expect(calls()).toEqual(['--user daemon-reload', '--user enable --now vibe.service']);
    expect(result.stderr).toContain(`wrote ${unit}`);
  });

  it('enables without starting when a daemon started by `vibe up` already runs', async () => {
    fakeSystemctl();
    const repo = sandbox.repo();
    expect((await sandbox.vibe(['up'], { cwd: repo })).code).toBe(0);
    const result = await service(['install']);
    expect(result.code, result.stderr).toBe(0);
    expect(calls()).toEqual(['--user daemon-reload', '--user enable vibe.service']);
    expect(result.stderr).toMatch(/the daemon already running \(pid \d+\) was left alone/);
  });

  it('says what to run when systemctl is not available', async () => {
    const result = await service(['install']);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(unit)).toBe(true);
    expect(result.stderr).toContain('systemctl is not available here; run:');
    expect(result.stdout).toBe('  systemctl --user daemon-reload\n  systemctl --user enable --now vibe.service\n');
  });

  it('uninstalls: disables and stops the service, removes the unit, reloads; then says it is not installed', async () => {
    fakeSystemctl();
    expect((await service(['install'])).code).toBe(0);
    const removed = await service(['uninstall', '--json']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(JSON.parse(removed.stdout)).toMatchObject({ manager: 'systemd', file: unit, removed: true, ran: true });
    expect(existsSync(unit)).toBe(false);
    expect(calls().slice(2)).toEqual(['--user disable --now vibe.service', '--user daemon-reload']);
    const again = await service(['uninstall']);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe(`not installed (no ${unit})\n`);
  });
});
