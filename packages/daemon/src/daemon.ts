// The composition root: builds the rooms, wires them together and owns the start and shutdown order.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { PROTOCOL_VERSION, type DaemonStatus } from '@vibe/protocol';
import type { VibePaths } from '@vibe/protocol/node';
import { knownAgents } from './agents/index.js';
import { loadConfig, type VibeConfig } from './config.js';
import { ControlServer } from './control/index.js';
import { StartupError } from './errors.js';
import { DaemonLock } from './lock.js';
import { FileLogger, type Logger } from './logger.js';
import { checkSocketPath, ensurePrivateDir } from './secure-dir.js';
import { Store, StoreError, zeroCounts } from './store/index.js';

export interface DaemonOptions {
  paths: VibePaths;
  version: string;
  /** Validate every result against its schema before sending (tests). */
  validateResults?: boolean;
}

export type StartOutcome = { status: 'ready'; daemon: Daemon } | { status: 'running'; pid: number | undefined };

export class Daemon {
  private readonly startedAt = new Date();
  private stopping: Promise<void> | undefined;
  private readonly onStopped: Array<() => void> = [];
  private readonly control: ControlServer;

  private constructor(
    readonly paths: VibePaths,
    readonly version: string,
    private readonly lock: DaemonLock,
    readonly logger: Logger & { close(): void },
    readonly config: VibeConfig,
    readonly store: Store,
    validateResults: boolean,
  ) {
    this.control = new ControlServer({
      socketPath: paths.socket,
      logger,
      version,
      validateResults,
      services: {
        store,
        pid: process.pid,
        agents: () => knownAgents(config.agents),
        status: () => this.status(),
        requestStop: () => setImmediate(() => void this.stop('requested by a client')),
      },
    });
  }

  /**
   * Starts a daemon unless one is already running for these paths. Order: private directories, the lock
   * (so everything after it is ours alone), log, config, store, then the socket last — a client that can
   * connect finds a daemon that is ready.
   */
  static async start(options: DaemonOptions): Promise<StartOutcome> {
    // Files vibe writes hold task text and the socket: private to the user. Restored before any child runs.
    const umask = process.umask(0o077);
    try {
      return await Daemon.startLocked(options);
    } finally {
      process.umask(umask);
    }
  }

  private static async startLocked(options: DaemonOptions): Promise<StartOutcome> {
    const { paths, version } = options;
    ensurePrivateDir(paths.runtime);
    checkSocketPath(paths.socket);
    mkdirSync(paths.data, { recursive: true, mode: 0o700 });
    mkdirSync(paths.logs, { recursive: true, mode: 0o700 });
    mkdirSync(paths.config, { recursive: true, mode: 0o700 });

    const lock = DaemonLock.tryAcquire(paths.lockFile);
    if (!lock) return { status: 'running', pid: readPid(paths.pidFile) };

    const cleanups: Array<() => void> = [() => lock.release()];
    const undo = (): void => {
      for (const cleanup of cleanups.reverse()) cleanup();
    };
    try {
      const config = loadConfig(paths.configFile);
      const logger = new FileLogger(paths.logFile, config.logLevel);
      cleanups.push(() => logger.close());

      writeFileSync(paths.pidFile, `${process.pid}\n`, { mode: 0o600 });
      cleanups.push(() => rmSync(paths.pidFile, { force: true }));

      const store = openStore(paths.database, config.busyTimeoutMs);
      cleanups.push(() => store.close());

      const daemon = new Daemon(paths, version, lock, logger, config, store, options.validateResults ?? false);
      await daemon.control.listen();
      logger.info('daemon started', { pid: process.pid, version, protocol: PROTOCOL_VERSION, socket: paths.socket, database: paths.database });
      return { status: 'ready', daemon };
    } catch (error) {
      undo();
      throw error;
    }
  }

  /** Runs `callback` once the daemon has fully stopped. */
  whenStopped(callback: () => void): void {
    this.onStopped.push(callback);
  }

  status(): DaemonStatus {
    const counts = this.store.taskCounts();
    return {
      pid: process.pid,
      version: this.version,
      protocol: PROTOCOL_VERSION,
      startedAt: this.startedAt.toISOString(),
      uptimeSeconds: Math.round((Date.now() - this.startedAt.getTime()) / 100) / 10,
      socketPath: this.paths.socket,
      paths: {
        home: this.paths.home,
        configFile: this.paths.configFile,
        data: this.paths.data,
        database: this.paths.database,
        logFile: this.paths.logFile,
        runtime: this.paths.runtime,
      },
      projects: this.store.listProjects().map((project) => ({
        name: project.name,
        path: project.path,
        baseBranch: project.baseBranch,
        tasks: counts.byProject.get(project.id) ?? zeroCounts(),
      })),
      tasks: counts.total,
    };
  }

  /** Graceful stop: no new clients, flush replies, close the store, then give up the pid file and lock. */
  stop(reason: string): Promise<void> {
    this.stopping ??= (async () => {
      this.logger.info('daemon stopping', { reason });
      await this.control.close();
      this.store.close();
      rmSync(this.paths.pidFile, { force: true });
      this.lock.release();
      this.logger.info('daemon stopped');
      this.logger.close();
      for (const callback of this.onStopped) callback();
    })();
    return this.stopping;
  }
}

function openStore(path: string, busyTimeoutMs: number): Store {
  try {
    return Store.open({ path, busyTimeoutMs });
  } catch (error) {
    if (error instanceof StoreError) throw new StartupError('VIBE_DATABASE_UNAVAILABLE', error.message, { cause: error });
    const message = error instanceof Error ? error.message : String(error);
    throw new StartupError('VIBE_DATABASE_UNAVAILABLE', `cannot open database ${path}: ${message}`, { cause: error });
  }
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
