// The composition root: builds the rooms, wires them together and owns the start and shutdown order.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import { PROTOCOL_VERSION, type DaemonStatus } from '@vibe/protocol';
import { nodeAead, type VibePaths } from '@vibe/protocol/node';
import { knownAgents, listAgents, resolveAgent, type AgentAdapter } from './agents/index.js';
import { Approvals } from './approvals/index.js';
import { Attempts } from './attempts/index.js';
import { loadConfig, type VibeConfig } from './config.js';
import { ControlServer } from './control/index.js';
import { StartupError } from './errors.js';
import { Uploads } from './files/index.js';
import { DaemonLock } from './lock.js';
import { FileLogger, type Logger } from './logger.js';
import { machineStatus } from './machine.js';
import { RelayRoom } from './relay/index.js';
import { loadIdentity, openSecretStore, secretStoreChoice, type SecretStore } from './secrets/index.js';
import { checkSocketPath, ensurePrivateDir } from './secure-dir.js';
import { createSessionHost, SessionStreams, type SessionHost } from './sessions/index.js';
import { Store, StoreError, zeroCounts } from './store/index.js';
import * as worktrees from './worktrees/index.js';

export interface DaemonOptions {
  paths: VibePaths;
  version: string;
  /** Validate every result against its schema before sending (tests). */
  validateResults?: boolean;
  /** Host sessions with node-pty even when tmux is available (tests, `VIBE_SESSION_HOST=pty`). */
  preferPty?: boolean;
  /** Where runner.js and hook.js are; by default beside this module (tests running sources point at dist). */
  scriptsDir?: string;
  /** The embedded relay's entry script; by default @vibe/relay-server's, or VIBE_RELAY_ENTRY. */
  relayEntry?: string;
  /** The CLI's entry script, which agents run as `vibe mcp`; by default VIBE_CLI_ENTRY, else the CLI this daemon ships in. */
  cliEntry?: string;
  /** Relay heartbeat interval (tests shorten it). */
  relayHeartbeatMs?: number;
}

/** The session runner and hook scripts are built beside main.js (tsup entries). */
const distDir = dirname(fileURLToPath(import.meta.url));

export type StartOutcome = { status: 'ready'; daemon: Daemon } | { status: 'running'; pid: number | undefined };

export class Daemon {
  private readonly startedAt = new Date();
  private stopping: Promise<void> | undefined;
  private readonly onStopped: Array<() => void> = [];
  /** The control API; the relay room opens its remote clients' connections here. */
  readonly control: ControlServer;
  private readonly streams: SessionStreams;
  readonly attempts: Attempts;
  /** Remote access: the relay connection, links, and each remote client as one more control connection. */
  readonly relay: RelayRoom;
  /** Files uploaded into worktrees, while their chunks arrive. */
  readonly uploads: Uploads;
  /** Agents' permission requests, held until a person answers; it follows every session change. */
  readonly approvals: Approvals;

  private constructor(
    readonly paths: VibePaths,
    readonly version: string,
    private readonly lock: DaemonLock,
    readonly logger: Logger & { close(): void },
    readonly config: VibeConfig,
    readonly store: Store,
    private readonly host: SessionHost,
    validateResults: boolean,
    scriptsDir: string,
    secrets: SecretStore,
    relayOptions: { entry: string | undefined; heartbeatMs: number | undefined },
    mcpCommand: string[] | undefined,
  ) {
    this.streams = new SessionStreams({
      logger,
      // Persisted now and then so `vibe ps` and a restarted daemon know when each session last did something.
      onActivity: (sessionId, at) => {
        if (store.getSession(sessionId)) store.updateSession(sessionId, { lastActivityAt: at.toISOString() });
      },
    });
    this.attempts = new Attempts({
      store,
      host,
      terminals: this.streams,
      worktrees,
      resolveAgent: (name) => resolveAgent(name, config, process.env),
      defaultAgent: () => config.defaultAgent,
      paths,
      node: [process.execPath],
      runnerScript: join(scriptsDir, 'runner.js'),
      hookScript: join(scriptsDir, 'hook.js'),
      mcpCommand,
      publish: (event) => {
        this.control.hub.publish(event);
        this.approvals.observe(event);
        if (event?.name === 'session.updated' && event.data.session.state === 'exited') this.control.presence.sessionEnded(event.data.session.id);
      },
      logger,
    });
    this.approvals = new Approvals({
      store,
      publish: (event) => this.control.hub.publish(event),
      hookSession: (sessionId, token) => this.attempts.hookSession(sessionId, token),
      type: (sessionId, text) => this.attempts.send(sessionId, text, false),
      screenText: async (sessionId) => this.streams.get(sessionId)?.screenText(),
      screenKeys: (agent) => adapterOf(agent, config)?.screenKeys,
      dialogBesideHook: (agent) => adapterOf(agent, config)?.dialogBesideHook === true,
      logger,
    });
    this.relay = new RelayRoom({
      store,
      secrets,
      identity: loadIdentity(secrets),
      openControl: (transport, access) => this.control.openConnection(transport, access),
      logger,
      aead: nodeAead,
      relayEntry: relayOptions.entry,
      relayLogFile: join(paths.logs, 'relay.log'),
      relayPidFile: join(paths.data, 'relay.pid'),
      heartbeatMs: relayOptions.heartbeatMs,
    });
    this.uploads = new Uploads({ dir: join(paths.data, 'uploads'), logger });
    this.control = new ControlServer({
      socketPath: paths.socket,
      daemonId: this.relay.daemonId,
      localLabel: localUserName(),
      logger,
      version,
      validateResults,
      services: {
        store,
        attempts: this.attempts,
        streams: this.streams,
        review: { logger, worktreesDir: paths.worktrees },
        pid: process.pid,
        relay: this.relay,
        uploads: this.uploads,
        approvals: this.approvals,
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
      if (store.backup) logger.info('database migrated to a newer schema; the previous one is backed up', { backup: store.backup });

      const scriptsDir = options.scriptsDir ?? distDir;
      // tmux's attach clients are read on a thread of their own when the build has one (a test run from
      // source without a build reads them on the event loop).
      const ptyWorker = join(scriptsDir, 'pty-worker.js');
      const { host, reason } = await createSessionHost({
        socketDir: paths.runtime,
        logger,
        preferPty: options.preferPty,
        ptyWorker: existsSync(ptyWorker) ? ptyWorker : undefined,
      });
      if (reason) logger.warn('sessions hosted by node-pty', { reason });
      const secrets = openSecretStore({ dataDir: paths.data, choice: secretStoreChoice(process.env.VIBE_SECRET_STORE) });
      const relayOptions = { entry: options.relayEntry ?? relayEntry(), heartbeatMs: options.relayHeartbeatMs };
      const daemon = new Daemon(paths, version, lock, logger, config, store, host, options.validateResults ?? false, scriptsDir, secrets, relayOptions, mcpCommand(options.cliEntry));
      cleanups.push(() => void daemon.relay.dispose());
      await daemon.attempts.adoptAll();
      daemon.approvals.start();
      daemon.uploads.start();
      cleanups.push(() => daemon.uploads.dispose());
      await daemon.control.listen();
      // After the socket, so local clients are served while the relay comes up; failures are logged, not fatal.
      await daemon.relay.start();
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
      machine: machineStatus(this.paths.data),
      sessionHost: this.host.kind,
      agents: listAgents(this.config, process.env),
      defaultAgent: this.config.defaultAgent,
    };
  }

  /** Graceful stop: no new clients, flush replies, close the store, then give up the pid file and lock. */
  stop(reason: string): Promise<void> {
    this.stopping ??= (async () => {
      this.logger.info('daemon stopping', { reason });
      // Hooks waiting on approvals are told first: they ask the next daemon, and must not hold up this stop.
      this.approvals.release();
      await this.control.drain(DRAIN_LIMIT_MS);
      await this.relay.dispose();
      await this.control.close();
      this.uploads.dispose();
      // tmux sessions live on for the next daemon to adopt; node-pty sessions end with us.
      this.attempts.release();
      if (!this.host.survivesRestart) await this.host.dispose();
      else await this.host.leave?.();
      this.streams.dispose();
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

/** How long a stop waits for requests under way (a task start creating its worktree) before it goes on. */
const DRAIN_LIMIT_MS = 5_000;

/**
 * The embedded relay's entry: VIBE_RELAY_ENTRY (the CLI that starts the daemon names the relay built into it),
 * else the relay beside this file in an installed package (dist/relay/ next to dist/daemon/), else
 * @vibe/relay-server through a checkout's workspace link (a daemon started by hand), else none. The variable is
 * taken out of the environment once read: sessions and agents inherit it, and a `vibe` run inside one must
 * start its own relay, not this one's.
 */
function relayEntry(): string | undefined {
  const named = process.env.VIBE_RELAY_ENTRY;
  delete process.env.VIBE_RELAY_ENTRY;
  if (named) return named;
  const beside = fileURLToPath(new URL('../relay/main.js', import.meta.url));
  if (existsSync(beside)) return beside;
  try {
    return createRequire(import.meta.url).resolve('@vibe/relay-server/main');
  } catch {
    return undefined;
  }
}

/**
 * How agents start `vibe mcp`: this node running the CLI's entry — VIBE_CLI_ENTRY (the CLI that starts the
 * daemon names itself), else the CLI around this file in an installed package (dist/main.js beside
 * dist/daemon/), else none (a daemon started from its own build has no CLI to offer, and agents go without).
 * Like VIBE_RELAY_ENTRY, the variable is taken out of the environment once read.
 */
function mcpCommand(given: string | undefined): string[] | undefined {
  const named = process.env.VIBE_CLI_ENTRY;
  delete process.env.VIBE_CLI_ENTRY;
  const beside = fileURLToPath(new URL('../main.js', import.meta.url));
  const entry = given ?? (named || (existsSync(beside) ? beside : undefined));
  return entry === undefined ? undefined : [process.execPath, entry, 'mcp'];
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

/**
 * How chat and presence name clients of the local socket: the machine's user name, since every one of them
 * runs as the user who owns the socket. Teammates on links see who wrote, not just "local".
 */
function localUserName(): string {
  try {
    return userInfo().username.slice(0, 100) || 'local';
  } catch {
    return 'local';
  }
}

/** The keys of an agent's own permission dialog, when vibe answers it on screen; none for an agent gone from PATH. */
/** The agent's adapter, or undefined for one the config no longer names. */
function adapterOf(agent: string, config: VibeConfig): AgentAdapter | undefined {
  try {
    return resolveAgent(agent, config, process.env);
  } catch {
    return undefined;
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
