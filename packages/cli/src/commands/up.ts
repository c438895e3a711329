// `vibe up`: makes sure the daemon runs and registers the current git repository as a project.
import { execFile } from 'node:child_process';
import { ProtocolError, type DaemonStatus, type Project } from '@vibe/protocol';
import { compareVersions, DaemonUnavailableError, type VibePaths } from '@vibe/protocol/node';
import { currentDirectory } from '../cwd.js';
import { connect, requireLocal, type DaemonSession } from '../daemon-connection.js';
import { isLiveDaemon, isServiceDaemon, readPidFile, waitForExit } from '../daemon-pid.js';
import { READY_TIMEOUT_MS, spawnDaemon, type ReadyMessage } from '../daemon-process.js';
import { CliError, EXIT } from '../errors.js';
import { escapeText } from '../escape.js';
import { currentRepo } from '../git.js';
import { printJson, say } from '../output.js';
import { vibePaths } from '../paths.js';
import { stderrPalette } from '../terminal.js';
import { CLI_VERSION } from '../version.js';
import { quietVersionSkew, versionSkewLine } from '../version-skew.js';
import { serviceRestartCommand } from '../service/service-plan.js';
import { SYSTEMD_UNIT_NAME } from '../service/unit-files.js';
import { stopDaemon, stopTimeoutMs } from './down.js';

export interface UpOptions {
  json?: boolean;
}

/**
 * How many daemons one `vibe up` may spawn. More than one only when the spawn lost the lock race and the
 * winner then went away without ever answering (it was stopping — a `vibe down` in flight — or it failed).
 */
const MAX_SPAWNS = 4;
/**
 * How long after a spawn before the lock holder may be judged gone: one that is still starting holds the
 * lock before it writes its pid file, and must not be mistaken for one that left.
 */
const HOLDER_GRACE_MS = 1_000;

export async function up(options: UpOptions): Promise<void> {
  requireLocal('up');
  // An older daemon is replaced below, so the usual one-line notice would only say what happens next.
  quietVersionSkew();
  const repo = await currentRepo(currentDirectory());
  const localPaths = vibePaths();
  const replaced = await replaceOlderDaemon(localPaths);
  const { session, started } = await ensureDaemon(localPaths, replaced?.byService ?? false);
  try {
    const { project, created } = await session.client.request('project.register', { path: repo.toplevel, baseBranch: repo.branch });
    const status = await session.client.request('daemon.status', {});
    const paths = statePaths(localPaths, status);
    if (replaced?.byService && compareVersions(status.version, CLI_VERSION) < 0) {
      say(`the service started vibe ${escapeText(status.version)} again: its unit runs an older vibe than this ${CLI_VERSION} — \`vibe service install\` points it at this one`);
    }
    if (options.json) {
      printJson({ pid: status.pid, version: status.version, started, ...(replaced && { replaced: { version: replaced.version, pid: replaced.pid } }), project, created, paths });
      return;
    }
    report({ status, started, replaced, project, created, paths });
  } finally {
    session.client.close();
  }
}

/** The daemon an upgrade replaced: its version and pid, and whether its service restarted (and so starts the new one). */
interface ReplacedDaemon {
  version: string;
  pid: number;
  byService: boolean;
}

/**
 * After an upgrade, the daemon the old vibe started is still running: stop it — it answers the requests under
 * way, and tmux keeps every agent running — so that ensureDaemon starts this version's, which re-adopts every
 * session. Only an older daemon is replaced (a newer one is not downgraded), and only one whose sessions live
 * in tmux: sessions under node-pty would end with it.
 */
async function replaceOlderDaemon(paths: VibePaths): Promise<ReplacedDaemon | undefined> {
  let session: DaemonSession;
  try {
    session = await connect();
  } catch (error) {
    if (error instanceof DaemonUnavailableError) return undefined;
    if (error instanceof ProtocolError && error.code === 'unsupported_version') {
      throw new CliError(`the running daemon speaks another protocol version than this vibe ${CLI_VERSION}: \`vibe down\` stops it (every session keeps running), then \`vibe up\``, EXIT.failure, { cause: error });
    }
    throw error;
  }
  const { version, pid } = session.welcome.daemon;
  try {
    if (compareVersions(version, CLI_VERSION) >= 0) return undefined;
    const { sessionHost } = await session.client.request('daemon.status', {});
    if (sessionHost === 'pty') {
      say(`the running daemon is vibe ${escapeText(version)} and hosts its sessions itself (no tmux), so replacing it would end them: \`vibe down && vibe up\` when they are done`);
      return undefined;
    }
  } catch (error) {
    // Another `vibe up` is replacing it right now: ensureDaemon meets the new daemon.
    if (error instanceof ProtocolError && error.code === 'shutting_down') return undefined;
    throw error;
  } finally {
    session.client.close();
  }
  say(`replacing the running daemon (vibe ${escapeText(version)}, pid ${pid}) with vibe ${CLI_VERSION}; every session keeps running`);
  if ((await isServiceDaemon(pid)) && (await runsUnderService(pid)) && (await restartService(pid))) return { version, pid, byService: true };
  // Only that daemon: if another `vibe up` replaced it meanwhile, the one answering now is already new.
  const stopped = await stopDaemon(paths, say, pid);
  return stopped && { version, pid: stopped.pid, byService: false };
}

/**
 * Whether `pid` is the process the service manager supervises — not a `vibe daemon run` typed by hand, nor
 * one of another VIBE_HOME. systemd names it (MainPID); launchd's agent is trusted by its command line.
 */
async function runsUnderService(pid: number): Promise<boolean> {
  if (process.platform === 'darwin') return true;
  if (process.platform !== 'linux') return false;
  const mainPid = await new Promise<string | undefined>((resolve) => {
    execFile('systemctl', ['--user', 'show', '--property', 'MainPID', '--value', SYSTEMD_UNIT_NAME], { timeout: 5_000 }, (error, stdout) => resolve(error ? undefined : stdout.trim()));
  });
  return mainPid === String(pid);
}

/**
 * A daemon the service runs is replaced by restarting the service — which stops it the same way, then starts
 * the `vibe` npm linked, now the new one — so the service keeps supervising it. False when that failed.
 */
async function restartService(pid: number): Promise<boolean> {
  const command = serviceRestartCommand(process.platform, process.getuid?.() ?? 0);
  if (!command) return false;
  const [program, ...args] = command as [string, ...string[]];
  const failure = await new Promise<string | undefined>((resolve) => {
    execFile(program, args, { timeout: stopTimeoutMs() + 5_000 }, (error, _stdout, stderr) => resolve(error ? stderr.trim().split('\n')[0] || error.message : undefined));
  });
  if (failure === undefined && (await waitForExit(pid, stopTimeoutMs()))) return true;
  say(`\`${command.join(' ')}\` did not replace it${failure ? ` (${escapeText(failure)})` : ''}; stopping it directly`);
  return false;
}

/**
 * Connects to the daemon, starting one if none answers. A spawn that answers "running" lost the race to
 * another daemon, which may still be opening its socket (or be slow under load): keep trying for the full
 * ready timeout, and spawn again if that daemon went away meanwhile.
 */
async function ensureDaemon(paths: VibePaths, serviceStarting: boolean): Promise<{ session: DaemonSession; started: boolean }> {
  try {
    // A service just restarted is starting its daemon: wait for that one rather than race it with our own.
    if (serviceStarting) {
      const session = await connectUntil(Date.now() + READY_TIMEOUT_MS);
      if (session) return { session, started: true };
    }
    return { session: await connect(), started: false };
  } catch (error) {
    if (!(error instanceof DaemonUnavailableError)) throw error;
  }
  for (let spawns = 1; ; spawns++) {
    const ready = await spawnDaemon(paths);
    if (ready.status === 'error') throw new CliError(`the daemon could not start: ${ready.message}`);
    const spawnedAt = Date.now();
    const holderGone =
      ready.status === 'running' && spawns < MAX_SPAWNS ? async () => Date.now() - spawnedAt >= HOLDER_GRACE_MS && !(await holderAlive(paths, ready.pid)) : undefined;
    let session: DaemonSession | undefined;
    try {
      session = await connectUntil(spawnedAt + READY_TIMEOUT_MS, holderGone);
    } catch (error) {
      throw explainNoAnswer(error, ready, paths);
    }
    if (session) return { session, started: ready.status === 'ready' };
  }
}

/**
 * Retries connect() with backoff until `deadline`. Resolves undefined, to have the caller spawn again, when
 * nothing listens and `holderGone` says the lock holder has left.
 */
async function connectUntil(deadline: number, holderGone?: () => Promise<boolean>): Promise<DaemonSession | undefined> {
  for (let delay = 25; ; delay = Math.min(delay * 2, 250)) {
    try {
      return await connect();
    } catch (error) {
      if (!(error instanceof DaemonUnavailableError)) throw error;
      if (error.reason === 'absent' && holderGone && (await holderGone())) return undefined;
      if (Date.now() + delay > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/**
 * Whether a daemon process may still hold the lock: the one the pid file names, or the one the "running"
 * answer named (a stopping daemon removes its pid file before it lets go of the lock).
 */
async function holderAlive(paths: VibePaths, reportedPid: number | undefined): Promise<boolean> {
  const recorded = await readPidFile(paths.pidFile);
  if (recorded !== undefined && (await isLiveDaemon(recorded))) return true;
  return reportedPid !== undefined && (await isLiveDaemon(reportedPid));
}

/** The error for a daemon that never answered after a spawn; "not running" would be wrong right after `vibe up`. */
function explainNoAnswer(error: unknown, ready: ReadyMessage, paths: VibePaths): unknown {
  if (!(error instanceof DaemonUnavailableError) || error.reason !== 'absent') return error;
  const seconds = READY_TIMEOUT_MS / 1000;
  if (ready.status === 'ready') {
    return new CliError(`the daemon (pid ${ready.pid}) reported ready but nothing answers on ${paths.socket}; see ${paths.logFile}`, EXIT.unavailable, { cause: error });
  }
  const holder = ready.status === 'running' && ready.pid !== undefined ? `a daemon (pid ${ready.pid})` : 'another process';
  return new CliError(`${holder} holds the daemon lock ${paths.lockFile}, but nothing answered on ${paths.socket} within ${seconds} s; see ${paths.logFile}`, EXIT.unavailable, {
    cause: error,
  });
}

/**
 * Where state lives. File names come from our own resolvePaths (the same one that found the socket); the
 * daemon's answer wins for the directories and the socket, since it is the one using them.
 */
function statePaths(local: VibePaths, status: DaemonStatus): StatePaths {
  return {
    home: status.paths.home,
    data: status.paths.data,
    database: status.paths.database,
    worktrees: local.worktrees,
    configFile: local.configFile,
    logFile: local.logFile,
    runtime: status.paths.runtime,
    socket: status.socketPath,
  };
}

interface StatePaths {
  home: string | null;
  data: string;
  database: string;
  worktrees: string;
  configFile: string;
  logFile: string;
  runtime: string;
  socket: string;
}

interface UpReport {
  status: DaemonStatus;
  started: boolean;
  replaced: ReplacedDaemon | undefined;
  project: Project;
  created: boolean;
  paths: StatePaths;
}

function report({ status, started, replaced, project, created, paths }: UpReport): void {
  const colors = stderrPalette();
  const field = (name: string, value: string): string => `${colors.dim(name.padEnd(8))}${value}`;
  const instead = replaced ? `, in place of vibe ${escapeText(replaced.version)} (pid ${replaced.pid})` : '';
  say(field('daemon', `${started ? colors.green('started') : 'already running'} (pid ${status.pid}, version ${escapeText(status.version)}${instead})`));
  say(
    field(
      'project',
      `${colors.bold(escapeText(project.name))} ${created ? colors.green('registered') : 'already registered'} — ${escapeText(project.path)}, base branch ${escapeText(project.baseBranch)}`,
    ),
  );
  say(field('data', escapeText(paths.data)));
  say(field('config', escapeText(paths.configFile)));
  say(field('log', escapeText(paths.logFile)));
  say(field('socket', escapeText(paths.socket)));
  const skew = started ? undefined : versionSkewLine(status.version);
  if (skew && compareVersions(status.version, CLI_VERSION) > 0) say(colors.yellow(skew));
}
