// Reading the pid file and telling live, exited and daemon processes apart.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive, isDaemonProcess, isServiceDaemon, readPidFile, waitForExit } from './daemon-pid.js';

const dir = mkdtempSync(join(tmpdir(), 'vibe-pid-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readPidFile', () => {
  it.each([
    ['1234\n', 1234],
    ['{"pid":77}', undefined],
    ['', undefined],
    ['garbage', undefined],
    ['-5', undefined],
  ])('reads %j as %s', async (content, pid) => {
    const path = join(dir, `pid-${Math.random()}`);
    writeFileSync(path, content);
    expect(await readPidFile(path)).toBe(pid);
  });

  it('is undefined for a missing file', async () => {
    expect(await readPidFile(join(dir, 'missing'))).toBeUndefined();
  });
});

describe('process checks', () => {
  it('sees this process alive', async () => {
    expect(await isAlive(process.pid)).toBe(true);
  });

  it('waits for a child to exit, and sees it gone', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 100)']);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    expect(await waitForExit(child.pid!, 5_000)).toBe(true);
    await exited;
    expect(await isAlive(child.pid!)).toBe(false);
  });

  it('gives up waiting after the timeout', async () => {
    expect(await waitForExit(process.pid, 60)).toBe(false);
  });

  it('recognises the daemon by its entry point on the command line, and nothing else', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)', '/x/packages/daemon/dist/main.js']);
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      expect(await isDaemonProcess(child.pid!, '/elsewhere/main.js')).toBe(true);
      expect(await isDaemonProcess(process.pid, '/x/packages/daemon/dist/main.js')).toBe(false);
    } finally {
      child.kill();
    }
  });

  it('recognises `vibe daemon run` behind a shell shim too: node running the package\'s main.js', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)', '/h/.pnpm/@vibe+cli@1.0.0/node_modules/@vibe/cli/dist/main.js', 'daemon', 'run']);
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      expect(await isServiceDaemon(child.pid!)).toBe(true);
      expect(await isDaemonProcess(child.pid!, '/elsewhere/main.js')).toBe(true);
    } finally {
      child.kill();
    }
  });

  it('recognises the daemon a service runs as `vibe daemon run`', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)', '/usr/local/bin/vibe', 'daemon', 'run']);
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)', '/usr/local/bin/other', 'daemon', 'run']);
    try {
      await Promise.all([child, other].map((c) => new Promise((resolve) => c.once('spawn', resolve))));
      expect(await isDaemonProcess(child.pid!, '/elsewhere/main.js')).toBe(true);
      expect(await isDaemonProcess(other.pid!, '/elsewhere/main.js')).toBe(false);
      expect(await isServiceDaemon(child.pid!)).toBe(true);
      expect(await isServiceDaemon(process.pid)).toBe(false);
      expect(await isServiceDaemon(other.pid!)).toBe(false);
    } finally {
      child.kill();
      other.kill();
    }
  });
});
