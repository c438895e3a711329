// `vibe down`: stops the daemon (politely, then by force) and removes the files it leaves behind.
import { rm } from 'node:fs/promises';
import { ProtocolError } from '@vibe/protocol';
import { DaemonUnavailableError, resolvePaths, type VibePaths } from '@vibe/protocol/node';
import { connect } from '../daemon-connection.js';
import { isAlive, isDaemonProcess, readPidFile, signal, waitForExit } from '../daemon-pid.js';
import { daemonMainPath } from '../daemon-process.js';
import { printJson, say } from '../output.js';

export interface DownOptions {
  json?: boolean;
}

const STOP_TIMEOUT_MS = 10_000;

export async function down(options: DownOptions): Promise<void> {
  const paths = resolvePaths();
  let pid = await askToStop();
  let how: 'stopped' | 'terminated' | 'killed' = 'stopped';
  if (pid === undefined) {
    pid = await unansweringDaemon(paths);
    if (pid === undefined) {
      await removeStaleFiles(paths, undefined);
      if (options.json) printJson({ running: false });
      else say('daemon not running');
      return;
    }
    say(`the daemon (pid ${pid}) does not answer; sending SIGTERM`);
    signal(pid, 'SIGTERM');
    how = 'terminated';
  }
  if (!(await waitForExit(pid, STOP_TIMEOUT_MS))) {
    say(`the daemon (pid ${pid}) did not stop within ${STOP_TIMEOUT_MS / 1000} s; sending SIGKILL`);
    signal(pid, 'SIGKILL');
    await waitForExit(pid, 2_000);
    how = 'killed';
  }
  await removeStaleFiles(paths, pid);
  if (options.json) printJson({ running: false, pid, how });
  else say(`daemon ${how} (pid ${pid})`);
}

/** Sends daemon.stop; the pid to wait for, or undefined if no daemon answered. */
async function askToStop(): Promise<number | undefined> {
  let session;
  try {
    session = await connect({ timeoutMs: 3_000 });
  } catch (error) {
    if (error instanceof DaemonUnavailableError) return undefined;
    throw error;
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

/** A daemon process that holds the pid file but does not answer on the socket (wedged, or socket deleted). */
async function unansweringDaemon(paths: VibePaths): Promise<number | undefined> {
  const pid = await readPidFile(paths.pidFile);
  if (pid === undefined || pid === process.pid || !(await isAlive(pid))) return undefined;
  let main: string | undefined;
  try {
    main = daemonMainPath();
  } catch {
    main = undefined;
  }
  return (await isDaemonProcess(pid, main ?? '/daemon/dist/main.js')) ? pid : undefined;
}

/**
 * Removes the socket, pid file and lock file the daemon should have removed itself — unless the pid file
 * now names another live process (a `vibe up` started a new daemon meanwhile), whose files they are.
 */
async function removeStaleFiles(paths: VibePaths, stoppedPid: number | undefined): Promise<void> {
  const recorded = await readPidFile(paths.pidFile);
  if (recorded !== undefined && recorded !== stoppedPid && (await isAlive(recorded))) return;
  await Promise.all([paths.socket, paths.pidFile, paths.lockFile].map((file) => rm(file, { force: true })));
}
