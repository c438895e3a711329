// Hosts sessions on node-pty inside the daemon, where tmux is missing: everything works, but sessions end with it.
import { statSync } from 'node:fs';
import { nullLogger, type Logger } from '../logger.js';
import { cleanEnv, nodePtySpawner, processSignaller, type PtyProcess, type PtySpawner, type Signaller } from './processes.js';
import { replaySnapshot, TerminalBase } from './terminal-base.js';
import { LaunchSpecError, validateLaunchSpec } from './tmux-commands.js';
import type { HostedTerminal, LaunchSpec, SessionHost } from './types.js';

export interface PtyHostOptions {
  spawnPty?: PtySpawner;
  signal?: Signaller;
  logger?: Logger;
}

export class PtyHost implements SessionHost {
  readonly kind = 'pty';
  readonly survivesRestart = false;
  private readonly terminals = new Map<string, PtyTerminal>();
  readonly logger: Logger;

  constructor(private readonly options: PtyHostOptions = {}) {
    this.logger = options.logger ?? nullLogger;
  }

  async start(spec: LaunchSpec): Promise<HostedTerminal> {
    validateLaunchSpec(spec);
    let directory = false;
    try {
      directory = statSync(spec.cwd).isDirectory();
    } catch {
      // reported below
    }
    if (!directory) throw new LaunchSpecError(`session directory ${spec.cwd} does not exist`);
    if (this.terminals.has(spec.name)) throw new LaunchSpecError(`session ${spec.name} is already running`);
    const spawn = this.options.spawnPty ?? nodePtySpawner;
    const pty = spawn(spec.argv[0]!, spec.argv.slice(1), {
      cwd: spec.cwd,
      env: { ...cleanEnv(), ...spec.env },
      cols: spec.cols,
      rows: spec.rows,
      term: 'xterm-256color',
      holdFullReads: true,
    });
    const terminal = new PtyTerminal(spec.name, pty, this.options.signal ?? processSignaller);
    this.terminals.set(spec.name, terminal);
    terminal.onExit(() => this.terminals.delete(spec.name));
    return terminal;
  }

  /** Nothing survives a daemon restart here. */
  async adopt(): Promise<undefined> {
    return undefined;
  }

  async list(): Promise<string[]> {
    return [...this.terminals.keys()];
  }

  /**
   * The daemon is stopping: its sessions end with it. Each program gets the SIGHUP a closed terminal sends
   * (what the daemon's exit would do a moment later), and nothing it does after reaches the daemon — which in
   * a test process goes on running with its store and log already closed.
   */
  async dispose(): Promise<void> {
    for (const terminal of this.terminals.values()) terminal.hangUp();
    this.terminals.clear();
  }
}

export class PtyTerminal extends TerminalBase implements HostedTerminal {
  private listening = true;

  constructor(
    name: string,
    private readonly pty: PtyProcess,
    private readonly signal: Signaller,
  ) {
    super(name);
    pty.onData((bytes) => {
      if (this.listening) this.emitData(bytes);
    });
    pty.onExit(({ exitCode, signal: bySignal }) => this.emitExit(bySignal ? null : exitCode));
  }

  pid(): number | undefined {
    return this.exitStatus() ? undefined : this.pty.pid;
  }

  write(bytes: Uint8Array | string): void {
    if (this.exitStatus()) return;
    this.admitInput(this.pty.pendingWrite(), bytes);
    this.pty.write(bytes);
  }

  pendingInput(): number {
    return this.pty.pendingWrite();
  }

  resize(cols: number, rows: number): void {
    if (!this.exitStatus()) this.pty.resize(cols, rows);
  }

  async snapshot(history: () => Uint8Array): Promise<Uint8Array> {
    return replaySnapshot(history());
  }

  async screenText(): Promise<undefined> {
    return undefined;
  }

  async stop(graceMs: number): Promise<void> {
    if (this.exitStatus()) return;
    const exited = new Promise<void>((resolve) => this.onExit(() => resolve()));
    // The program leads its own session on the pty, so its pid is also its process group.
    this.signal(-this.pty.pid, 'SIGTERM');
    const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), graceMs).unref());
    if ((await Promise.race([exited, timer])) === 'late') {
      this.signal(-this.pty.pid, 'SIGKILL');
      await exited;
    }
  }

  /** A pty session cannot outlive the daemon; stop reading it and let it end with the process. */
  release(): void {
    this.listening = false;
  }

  /** Released, and its program hung up on; its exit is reported to no one. */
  hangUp(): void {
    this.release();
    if (this.exitStatus()) return;
    this.forgetExitListeners();
    this.signal(-this.pty.pid, 'SIGHUP');
  }
}
