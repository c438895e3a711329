// `vibe down`: stops the daemon (politely, then by force) and, after a forced stop, removes what it left.
import { rm } from 'node:fs/promises';
import { ProtocolError } from '@vibe/protocol';
import { DaemonUnavailableError, type VibePaths } from '@vibe/protocol/node';
import { connect, requireLocal } from '../daemon-connection.js';
import { isAlive, isLiveDaemon, readPidFile, signal, waitForExit } from '../daemon-pid.js';
import { CliError } from '../errors.js';
import { printJson, say } from '../output.js';
import { vibePaths } from '../paths.js';
import { quietVersionSkew } from '../version-skew.js';

export interface DownOptions {
  json?: boolean;
}

/**
 * How long the daemon gets to exit, once asked (or sent SIGTERM), before it is killed: 10 s, or
 * VIBE_STOP_TIMEOUT_MS milliseconds when that is set (tests of the SIGKILL path use it not to wait).
 */
export function stopTimeoutMs(env: Record<string, string | undefined> = process.env): number {
  const value = Number(env.VIBE_STOP_TIMEOUT_MS);
  return Number.isFinite(value) && value > 0 ? value : 10_000;
}

export async function down(options: DownOptions): Promise<void> {
  requireLocal('down');
  quietVersionSkew();
  const stopped = await stopDaemon(vibePaths(), say);
  if (!stopped) {
    if (options.json) printJson({ running: false });
    else say('daemon not running');
    return;
  }
  if (options.json) printJson({ running: false, pid: stopped.pid, how: stopped.how });
  else say(`daemon ${stopped.how} (pid ${stopped.pid})`);
}

export interface StoppedDaemon {
  pid: number;
  how: 'stopped' | 'terminated' | 'killed';
}

/**
 * Stops the daemon: asks it (it drains, then exits), or signals one that does not answer; kills it when it
 * has not exited within stopTimeoutMs(). Undefined when none was running — or, with `only`, when the daemon
 * answering is not that pid. `tell` hears about each signal.
 * `vibe down` and the in-place replacement of `vibe up` both stop a daemon this way.
 */
export async function stopDaemon(paths: VibePaths, tell: (message: string) => void, only?: number): Promise<StoppedDaemon | undefined> {
  const timeoutMs = stopTimeoutMs();
  let pid = await askToStop(paths, only);
  // `only` names the daemon to stop; another one answering means someone else replaced it already.
  if (pid === 'another') return undefined;
  let how: StoppedDaemon['how'] = 'stopped';
  if (pid === undefined) {
    pid = await unansweringDaemon(paths);
    if (pid === undefined) {
      await removeLeftovers(paths, undefined);
      return undefined;
    }
    tell(`the daemon (pid ${pid}) does not answer; sending SIGTERM`);
    signal(pid, 'SIGTERM');
    how = 'terminated';
  }
  if (!(await waitForExit(pid, timeoutMs))) {
    tell(`the daemon (pid ${pid}) did not stop within ${timeoutMs / 1000} s; sending SIGKILL`);
    signal(pid, 'SIGKILL');
    if (!(await waitForExit(pid, 2_000)) && (await isAlive(pid))) throw new CliError(`the daemon (pid ${pid}) is still running after SIGKILL`);
    how = 'killed';
  }
  // A daemon that stopped when asked removed its own socket, pid file and lock file; a signalled one may not have.
  if (how !== 'stopped') await removeLeftovers(paths, pid);
  return { pid, how };
}

/**
 * Sends daemon.stop; the pid to wait for, or undefined if no daemon answered (or one that speaks another
 * protocol: the pid file and a signal stop that one), or 'another' if the one answering is not `only`.
 */
async function askToStop(paths: VibePaths, only?: number): Promise<number | 'another' | undefined> {
  let session;
  try {
    session = await connect({ timeoutMs: 3_000, socketPath: paths.socket });
  } catch (error) {
    if (error instanceof DaemonUnavailableError) return undefined;
    if (error instanceof ProtocolError && error.code === 'unsupported_version') return undefined;
    throw error;
  }
  if (only !== undefined && session.welcome.daemon.pid !== only) {
    session.client.close();
    return 'another';
  }
  try {
    const { pid } = await session.client.request('daemon.stop', {});
    return pid;
  } catch (error) {
    // The daemon may close the connection as it goes (or be stopping already); the welcome named its pid.
    if (error instanceof ProtocolError && (error.code === 'internal' || error.code === 'shutting_down')) return session.welcome.daemon.pid;
    throw error;
  } finally {
    session.client.close();
  }
}

/** A daemon process that holds the pid file but does not answer on the socket (wedged, stopped, or socket deleted). */
async function unansweringDaemon(paths: VibePaths): Promise<number | undefined> {
  const pid = await readPidFile(paths.pidFile);
  return pid !== undefined && (await isLiveDaemon(pid)) ? pid : undefined;
}

/**
 * Removes the socket and pid file of a daemon that was killed or died — never the lock file. The lock is an
 * OS lock that went with its holder, so a leftover file is harmless; deleting it while a new daemon starts
 * would let a second daemon lock a fresh file at the same path and run beside the first. Nothing is removed
 * when the pid file names another live daemon (a `vibe up` started one meanwhile): the files are its.
 */
async function removeLeftovers(paths: VibePaths, stoppedPid: number | undefined): Promise<void> {
  const recorded = await readPidFile(paths.pidFile);
  if (recorded !== undefined && recorded !== stoppedPid && (await isLiveDaemon(recorded))) return;
  await Promise.all([paths.socket, paths.pidFile].map((file) => rm(file, { force: true })));
}
