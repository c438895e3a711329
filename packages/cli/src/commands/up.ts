// `vibe up`: makes sure the daemon runs and registers the current git repository as a project.
import type { DaemonStatus, Project } from '@vibe/protocol';
import { DaemonUnavailableError, resolvePaths, type VibePaths } from '@vibe/protocol/node';
import { connect, type DaemonSession } from '../daemon-connection.js';
import { spawnDaemon } from '../daemon-process.js';
import { CliError } from '../errors.js';
import { escapeText } from '../escape.js';
import { currentRepo } from '../git.js';
import { printJson, say } from '../output.js';
import { stderrPalette } from '../terminal.js';
import { CLI_VERSION } from '../version.js';

export interface UpOptions {
  json?: boolean;
}

/** After a spawn, how long to keep trying to connect while the daemon opens its socket. */
const CONNECT_RETRY_MS = 5_000;

export async function up(options: UpOptions): Promise<void> {
  const repo = await currentRepo(process.cwd());
  const localPaths = resolvePaths();
  const { session, started } = await ensureDaemon(localPaths);
  try {
    const { project, created } = await session.client.request('project.register', { path: repo.toplevel, baseBranch: repo.branch });
    const status = await session.client.request('daemon.status', {});
    const paths = statePaths(localPaths, status);
    if (options.json) {
      printJson({ pid: status.pid, version: status.version, started, project, created, paths });
      return;
    }
    report({ status, started, project, created, paths });
  } finally {
    session.client.close();
  }
}

async function ensureDaemon(paths: VibePaths): Promise<{ session: DaemonSession; started: boolean }> {
  try {
    return { session: await connect(), started: false };
  } catch (error) {
    if (!(error instanceof DaemonUnavailableError)) throw error;
  }
  const ready = await spawnDaemon(paths.logFile);
  if (ready.status === 'error') throw new CliError(`the daemon could not start: ${ready.message}`);
  return { session: await connectWithRetry(), started: ready.status === 'ready' };
}

async function connectWithRetry(): Promise<DaemonSession> {
  const deadline = Date.now() + CONNECT_RETRY_MS;
  for (let delay = 25; ; delay = Math.min(delay * 2, 250)) {
    try {
      return await connect();
    } catch (error) {
      if (!(error instanceof DaemonUnavailableError) || Date.now() + delay > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
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
  project: Project;
  created: boolean;
  paths: StatePaths;
}

function report({ status, started, project, created, paths }: UpReport): void {
  const colors = stderrPalette();
  const field = (name: string, value: string): string => `${colors.dim(name.padEnd(8))}${value}`;
  say(field('daemon', `${started ? colors.green('started') : 'already running'} (pid ${status.pid}, version ${escapeText(status.version)})`));
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
  if (!started && status.version !== CLI_VERSION) {
    say(colors.yellow(`the running daemon is version ${escapeText(status.version)} and this vibe ${CLI_VERSION}: \`vibe down && vibe up\` restarts it`));
  }
}
