// Finding, waiting for and killing the daemon's process by pid, for `vibe up` and `vibe down`.
import { readFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { daemonMainPath } from './parts.js';

/** True while `pid` exists and is not a zombie waiting to be reaped. */
export async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  // Field 3, after the parenthesised command name, is the state; Z is a zombie (dead, not yet reaped).
  const state = stat?.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z';
}

/** Polls until `pid` is gone; false if it is still there after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (await isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** The pid recorded in the pid file (the daemon writes it as a plain number), if readable. */
export async function readPidFile(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/** The command line of `pid` as arguments: /proc on Linux, `ps` elsewhere. */
export async function commandLine(pid: number): Promise<string[] | undefined> {
  const proc = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  if (proc !== undefined) return proc.split('\0').filter(Boolean);
  if (process.platform === 'linux') return undefined;
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8', timeout: 2_000 }, (error, stdout) => {
      resolve(error ? undefined : stdout.trim().split(/\s+/));
    });
  });
}

/** Whether `pid` runs the daemon's entry point, so a stale pid file never gets an unrelated process killed. */
export async function isDaemonProcess(pid: number, daemonMain: string): Promise<boolean> {
  const args = await commandLine(pid);
  if (args === undefined) return false;
  if (isServiceCommand(args)) return true;
  return args.some((arg) => arg === daemonMain || arg.endsWith('/dist/daemon/main.js') || arg.endsWith('/daemon/dist/main.js'));
}

/**
 * `vibe daemon run`: the daemon as `vibe service install` runs it — through npm's bin link or a checkout's
 * bin/vibe, or, behind a package manager's shell shim, node running the package's dist/main.js itself.
 */
function isServiceCommand(args: string[]): boolean {
  return args.length >= 3 && args.at(-2) === 'daemon' && args.at(-1) === 'run' && /(^|\/)vibe$|\/@vibe\/cli\/dist\/main\.js$/.test(args.at(-3)!);
}

/** Whether `pid` runs the daemon the way a service does (`vibe daemon run`), rather than one `vibe up` spawned. */
export async function isServiceDaemon(pid: number): Promise<boolean> {
  const args = await commandLine(pid);
  return args !== undefined && isServiceCommand(args);
}

/** Whether `pid` is a live daemon other than this process — what a pid file must name to be trusted. */
export async function isLiveDaemon(pid: number): Promise<boolean> {
  if (pid === process.pid || !(await isAlive(pid))) return false;
  let main: string;
  try {
    main = daemonMainPath();
  } catch {
    // Not built: the path suffix alone still recognises a daemon started from another build.
    main = '/dist/daemon/main.js';
  }
  return isDaemonProcess(pid, main);
}

export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
