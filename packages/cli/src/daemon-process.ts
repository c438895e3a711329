// Starting the daemon as a detached process and reading the one readiness line it writes to fd 3.
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { CliError } from './errors.js';

/** The daemon's one readiness line. `running` may lack a pid when the lock holder's pid file is not written yet. */
export type ReadyMessage = { status: 'ready'; pid: number } | { status: 'running'; pid?: number } | { status: 'error'; message: string };

export const READY_TIMEOUT_MS = 15_000;

/** Where the daemon's entry point is: packages/daemon/dist/main.js through the workspace link. */
export function daemonMainPath(): string {
  try {
    return fileURLToPath(import.meta.resolve('@vibe/daemon/main'));
  } catch (error) {
    throw new CliError('the daemon is not built (@vibe/daemon/main not found): run `npm run build` in the vibe checkout', 1, { cause: error });
  }
}

/**
 * Spawns the daemon detached from this terminal and waits for its readiness line. "running" means another
 * daemon already holds the lock, which is normal when several `vibe up` race.
 */
export async function spawnDaemon(logFile: string): Promise<ReadyMessage> {
  // A 1 MiB young generation instead of V8's default 16 MiB: the daemon's allocations are small and
  // short-lived, and the larger nursery costs ~12 MB of idle RSS (see docs/benchmarks.md).
  const child = spawn(process.execPath, ['--max-semi-space-size=1', daemonMainPath()], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    env: { ...process.env, VIBE_DAEMON_READY_FD: '3' },
  });
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
