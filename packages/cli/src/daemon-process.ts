// Starting the daemon as a detached process and reading the one readiness line it writes to fd 3.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { VibePaths } from '@vibe/protocol/node';
import { CliError } from './errors.js';
import { daemonMainPath, relayMainPath } from './parts.js';

/** The daemon's one readiness line. `running` may lack a pid when the lock holder's pid file is not written yet. */
export type ReadyMessage = { status: 'ready'; pid: number } | { status: 'running'; pid?: number } | { status: 'error'; message: string };

export const READY_TIMEOUT_MS = 15_000;

/**
 * Spawns the daemon detached from this terminal and waits for its readiness line. "running" means another
 * daemon already holds the lock, which is normal when several `vibe up` race.
 *
 * The daemon runs in / so it never keeps the directory of the first `vibe up` busy (an unmountable disk, a
 * deleted checkout), and its stderr goes to the end of its log file, so a crash before its logger exists
 * (a native module built for another Node, say) still leaves a trace where `vibe logs` looks.
 */
export async function spawnDaemon(paths: Pick<VibePaths, 'home' | 'logs' | 'logFile'>): Promise<ReadyMessage> {
  const { logFile } = paths;
  const main = daemonMainPath();
  const stderr = openLog(paths);
  let child: ChildProcess;
  try {
    // A 1 MiB young generation instead of V8's default 16 MiB: the daemon's allocations are small and
    // short-lived, and the larger nursery costs ~12 MB of idle RSS (see docs/benchmarks.md).
    child = spawn(process.execPath, ['--max-semi-space-size=1', main], {
      cwd: '/',
      detached: true,
      stdio: ['ignore', 'ignore', stderr, 'pipe'],
      env: daemonEnv(process.env, paths),
    });
  } finally {
    // The child has its own copy of the descriptor now.
    closeSync(stderr);
  }
  const pipe = child.stdio[3] as Readable;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exit code ${code}`));
    child.on('error', (error) => resolve(error.message));
  });
  try {
    const line = await readLine(pipe, READY_TIMEOUT_MS);
    if (line === undefined) {
      const how = await Promise.race([exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 500).unref())]);
      throw new CliError(`the daemon stopped before it was ready (${how}); see ${logFile}`);
    }
    return parseReady(line);
  } catch (error) {
    if (error instanceof TimeoutError) throw new CliError(`the daemon did not report ready within ${READY_TIMEOUT_MS / 1000} s; see ${logFile}`);
    throw error;
  } finally {
    child.unref();
    pipe.destroy();
  }
}

class TimeoutError extends Error {}

/** Opens the daemon log for appending (private, like everything under the log directory) as the child's stderr. */
function openLog({ logs, logFile }: Pick<VibePaths, 'logs' | 'logFile'>): number {
  try {
    mkdirSync(logs, { recursive: true, mode: 0o700 });
    return openSync(logFile, 'a', 0o600);
  } catch (error) {
    throw new CliError(`cannot open the daemon log ${logFile}: ${(error as Error).message}`, 1, { cause: error });
  }
}

/**
 * The daemon's environment: ours, plus the readiness fd and where the relay it may embed is — always this
 * vibe's own (VIBE_RELAY_ENTRY), never one inherited from another vibe's daemon — with VIBE_HOME made absolute,
 * resolved against our cwd as this process did, since a relative one would mean something else from /.
 */
export function daemonEnv(env: NodeJS.ProcessEnv, paths: Pick<VibePaths, 'home'>, relayEntry: string = relayMainPath()): NodeJS.ProcessEnv {
  return {
    ...env,
    ...(paths.home !== null && { VIBE_HOME: paths.home }),
    VIBE_RELAY_ENTRY: relayEntry,
    VIBE_DAEMON_READY_FD: '3',
  };
}

/** The first line from `stream`, or undefined if it ended without one. */
export function readLine(stream: Readable, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => finish(new TimeoutError('timed out')), timeoutMs);
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      const newline = text.indexOf('\n');
      if (newline !== -1) finish(undefined, text.slice(0, newline));
    };
    const onEnd = (): void => finish(undefined, text.trim() === '' ? undefined : text);
    const finish = (error?: Error, line?: string): void => {
      clearTimeout(timer);
      stream.off('data', onData).off('end', onEnd).off('close', onEnd).off('error', onEnd);
      if (error) reject(error);
      else resolve(line);
    };
    stream.on('data', onData).on('end', onEnd).on('close', onEnd).on('error', onEnd);
  });
}

export function parseReady(line: string): ReadyMessage {
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    throw new CliError(`the daemon sent an unreadable readiness line: ${JSON.stringify(line.slice(0, 200))}`);
  }
  const m = message as Record<string, unknown>;
  if (m.status === 'ready' && Number.isInteger(m.pid)) return { status: 'ready', pid: m.pid as number };
  if (m.status === 'running') return Number.isInteger(m.pid) ? { status: 'running', pid: m.pid as number } : { status: 'running' };
  if (m.status === 'error') return { status: 'error', message: typeof m.message === 'string' ? m.message : 'unknown error' };
  throw new CliError(`the daemon sent an unexpected readiness line: ${JSON.stringify(line.slice(0, 200))}`);
}
