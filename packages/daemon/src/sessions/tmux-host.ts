// Hosts sessions on vibe's private tmux server; the daemon reads each through its own `tmux attach` pty.
//
// The attach pty is the session's byte stream: what it prints is what viewers see, writing to it is typing,
// resizing it resizes the session (window-size latest). One `list-panes -a` per poll answers for every
// session: a dead pane (remain-on-exit) gives the exit status, a missing session means it was killed.
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { nullLogger, type Logger } from '../logger.js';
import { cleanEnv, execRunner, nodePtySpawner, processSignaller, type AttachPty, type CommandRunner, type PtySpawner, type Signaller } from './processes.js';
import { PtyThread } from './pty-thread.js';
import { TmuxTerminal, type TmuxServer } from './tmux-terminal.js';
import { parseUnread, unreadProbeArgs } from './tty-probe.js';
import {
  attachArgs,
  isNoServer,
  LaunchSpecError,
  newSessionCommand,
  PANE_LIST_FORMAT,
  paneTarget,
  parsePaneList,
  serverOptionCommands,
  SESSION_NAME,
  tmuxCommands,
  unbindCommands,
  validateLaunchSpec,
  type PaneStatus,
  type ServerSettings,
} from './tmux-commands.js';
import type { HostedTerminal, LaunchSpec, SessionHost } from './types.js';

export interface TmuxHostOptions {
  /** Where the server socket lives: `<socketDir>/tmux.sock`. The daemon's runtime dir (0700). */
  socketDir: string;
  /** The tmux program. */
  tmux?: string;
  run?: CommandRunner;
  spawnPty?: PtySpawner;
  signal?: Signaller;
  logger?: Logger;
  /** How often exits are polled for; one tmux call covers every session. */
  pollMs?: number;
  historyLimit?: number;
  /** $TERM inside sessions; by default tmux-256color where its terminfo exists, else screen-256color. */
  defaultTerminal?: string;
  /** After an exit is seen, the dead session is kept this long (final output drains), then killed. */
  reapDelayMs?: number;
  /**
   * The perl that asks the kernel what input a session's program has left unread (`tty-probe.ts`). Without
   * one, input tmux keeps for a program that does not read is not bounded, only what the daemon holds.
   */
  perl?: string;
  /**
   * The built `pty-worker.js`: the attach clients are read on that thread (`pty-thread.ts`). Without it (tests
   * of the host alone) they are read on the daemon's event loop, where a stall can make tmux drop lines.
   */
  ptyWorker?: string;
}

export class TmuxError extends Error {
  override readonly name = 'TmuxError';
  readonly code = 'VIBE_TMUX_FAILED';
}

const ATTACH_TERM = 'xterm-256color';

export class TmuxHost implements SessionHost, TmuxServer {
  readonly kind = 'tmux';
  readonly survivesRestart = true;
  readonly socketPath: string;
  readonly program: string;
  readonly logger: Logger;
  private readonly run: CommandRunner;
  private readonly terminals = new Map<string, TmuxTerminal>();
  private readonly settings: ServerSettings;
  private pollTimer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  /** Counts polls started; a terminal ignores polls that began before it was registered. */
  private generation = 0;
  private disposed = false;
  /** A pane was seen dead without an exit status: the next poll nudges tmux to reap it, and comes soon. */
  private unreaped = false;
  private readonly screenReads = new Map<string, ((screen: string | undefined) => void)[]>();
  private readonly ptyThread: PtyThread | undefined;

  constructor(readonly options: TmuxHostOptions) {
    this.socketPath = join(options.socketDir, 'tmux.sock');
    this.program = options.tmux ?? 'tmux';
    this.logger = options.logger ?? nullLogger;
    this.settings = {
      historyLimit: options.historyLimit ?? 50_000,
      defaultTerminal: options.defaultTerminal ?? (hasTerminfo('tmux-256color') ? 'tmux-256color' : 'screen-256color'),
    };
    if (options.ptyWorker && !options.spawnPty) this.ptyThread = new PtyThread(options.ptyWorker, this.logger);
    // tmux calls fork on the pty thread once it is up (it comes with the first session): a daemon with no
    // session starts no thread for them.
    const thread = this.ptyThread;
    const direct = execRunner();
    this.run = options.run ?? (thread ? (file, args) => (thread.running ? thread.run(file, args) : direct(file, args)) : direct);
  }

  async start(spec: LaunchSpec): Promise<HostedTerminal> {
    validateLaunchSpec(spec);
    if (!isDirectory(spec.cwd)) throw new LaunchSpecError(`session directory ${spec.cwd} does not exist`);
    if (this.terminals.has(spec.name)) throw new LaunchSpecError(`session ${spec.name} is already running`);
    const result = await this.tmux([...serverOptionCommands(this.settings), newSessionCommand(spec), ...unbindCommands()]);
    if (result.code !== 0) throw new TmuxError(`tmux could not start session ${spec.name}: ${result.stderr.trim() || `exit ${result.code}`}`);
    const pid = Number(result.stdout.trim().split('\n')[0]);
    return this.follow(spec.name, spec.cols, spec.rows, { dead: false, status: null, signal: null, pid: Number.isInteger(pid) && pid > 0 ? pid : undefined });
  }

  async adopt(name: string, cols: number, rows: number): Promise<HostedTerminal | undefined> {
    if (!SESSION_NAME.test(name)) return undefined;
    const known = this.terminals.get(name);
    if (known) return known;
    const result = await this.tmux([['display-message', '-p', '-t', paneTarget(name), PANE_LIST_FORMAT]]);
    if (result.code !== 0) return undefined;
    const pane = parsePaneList(result.stdout).get(name);
    if (!pane) return undefined;
    return this.follow(name, cols, rows, pane);
  }

  async list(): Promise<string[]> {
    const result = await this.tmux([['list-sessions', '-F', '#{session_name}']]);
    if (result.code !== 0) return [];
    return result.stdout.split('\n').filter((name) => name.startsWith('vibe_'));
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.pollTimer);
    if ((await this.list()).length === 0) await this.tmux([['kill-server']]);
    await this.ptyThread?.dispose();
  }

  async leave(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.pollTimer);
    // A process that exits with the thread still running tears it down under node-pty: see pty-thread.ts.
    await this.ptyThread?.dispose();
  }

  /** Runs tmux commands on the private server, in one invocation. */
  tmux(commands: readonly (readonly string[])[]): ReturnType<CommandRunner> {
    return this.run(this.program, tmuxCommands(this.socketPath, commands));
  }

  /** Polls now (sharing a poll already under way) and resolves when its answer has been applied. */
  pollNow(): Promise<void> {
    this.polling ??= this.pollOnce().finally(() => {
      this.polling = undefined;
      this.schedulePoll();
    });
    return this.polling;
  }

  forget(terminal: TmuxTerminal): void {
    if (this.terminals.get(terminal.name) === terminal) this.terminals.delete(terminal.name);
  }

  spawnAttach(name: string, cols: number, rows: number): AttachPty {
    const spawn = this.options.spawnPty ?? this.ptyThread?.spawn ?? nodePtySpawner;
    return spawn(this.program, attachArgs(this.socketPath, name), {
      cwd: this.options.socketDir,
      env: { ...cleanEnv(), TERM: ATTACH_TERM },
      cols,
      rows,
      term: ATTACH_TERM,
    });
  }

  private follow(name: string, cols: number, rows: number, pane: PaneStatus): TmuxTerminal {
    const terminal = new TmuxTerminal(this, name, cols, rows, pane.pid, this.generation, this.options.signal ?? processSignaller, this.options.reapDelayMs ?? 1000);
    this.terminals.set(name, terminal);
    terminal.attach();
    if (pane.dead && terminal.observe(pane) === 'unreaped') this.unreaped = true;
    this.schedulePoll();
    return terminal;
  }

  private schedulePoll(): void {
    if (this.disposed || this.pollTimer || this.polling) return;
    if (![...this.terminals.values()].some((terminal) => terminal.exitStatus() === undefined)) return;
    this.pollTimer = setTimeout(
      () => {
        this.pollTimer = undefined;
        void this.pollNow();
      },
      this.unreaped ? 50 : (this.options.pollMs ?? 1000),
    );
    this.pollTimer.unref();
  }

  private async pollOnce(): Promise<void> {
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    const generation = ++this.generation;
    const commands: string[][] = [];
    // tmux 3.3 sometimes misses the SIGCHLD of a pane's process: the pane is dead but unreaped, with no
    // status, until another child of the server exits. A trivial job (a constant command) is that child.
    if (this.unreaped) commands.push(['run-shell', 'true']);
    this.unreaped = false;
    commands.push(['list-panes', '-a', '-F', PANE_LIST_FORMAT]);
    // Screen reads ride along, each after a random fence line a program's screen cannot forge.
    const reads = [...this.screenReads];
    this.screenReads.clear();
    const fence = randomBytes(16).toString('hex');
    for (const [name] of reads) commands.push(['display-message', '-p', fence], ['capture-pane', '-p', '-J', '-t', paneTarget(name)]);
    const result = await this.tmux(commands);
    const [listing, ...screens] = result.stdout.split(`${fence}\n`);
    reads.forEach(([, waiting], i) => {
      // tmux stops at a failing command, so a capture of a session that just went away ends the answers.
      const screen = i < screens.length - 1 || (i === screens.length - 1 && result.code === 0) ? screens[i] : undefined;
      for (const resolve of waiting) resolve(screen);
    });
    let panes: Map<string, PaneStatus>;
    if (result.code === 0 || (reads.length > 0 && screens.length > 0)) panes = parsePaneList(listing!);
    else if (isNoServer(result.stderr)) panes = new Map();
    else {
      this.logger.warn('tmux list-panes failed', { code: result.code, stderr: result.stderr.trim() });
      return;
    }
    for (const terminal of this.terminals.values()) {
      if (terminal.registeredAt < generation && terminal.observe(panes.get(terminal.name)) === 'unreaped') this.unreaped = true;
    }
  }

  async paneTty(name: string): Promise<string | undefined> {
    const result = await this.tmux([['display-message', '-p', '-t', paneTarget(name), '#{pane_tty}']]);
    return (result.code === 0 && result.stdout.trim()) || undefined;
  }

  async unreadInput(ttys: readonly string[]): Promise<number | undefined> {
    const args = unreadProbeArgs(ttys);
    return args && parseUnread(await this.run(this.options.perl ?? 'perl', args));
  }

  /**
   * The pane's text, read by the next poll: every tmux call forks the daemon (about 5 ms of stalled event
   * loop at daemon size), so state heuristics share the one call a second rather than adding their own.
   */
  readScreen(name: string): Promise<string | undefined> {
    return new Promise((resolve) => {
      const waiting = this.screenReads.get(name) ?? [];
      waiting.push(resolve);
      this.screenReads.set(name, waiting);
      this.schedulePoll();
    });
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Whether a compiled terminfo entry exists (Linux letter dirs, macOS hex dirs), without running a program. */
function hasTerminfo(term: string): boolean {
  const dirs = [
    process.env.TERMINFO,
    join(homedir(), '.terminfo'),
    ...(process.env.TERMINFO_DIRS?.split(':') ?? []),
    '/etc/terminfo',
    '/lib/terminfo',
    '/usr/share/terminfo',
    '/usr/lib/terminfo',
    '/usr/local/share/terminfo',
    '/opt/homebrew/share/terminfo',
  ].filter((dir): dir is string => Boolean(dir));
  const sub = [term[0]!, term.charCodeAt(0).toString(16)];
  return dirs.some((dir) => sub.some((letter) => existsSync(join(dir, letter, term))));
}
