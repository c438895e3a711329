// One tmux session as the daemon holds it: its attach pty (the byte stream), the pane's pid, its exit.
import type { Logger } from '../logger.js';
import type { AttachPty, CommandRunner, Signaller } from './processes.js';
import { InputGauge } from './input-gauge.js';
import { inputBytes, replaySnapshot, TerminalBase } from './terminal-base.js';
import { buildTmuxSnapshot, CURSOR_FORMAT, paneTarget, sessionTarget, type PaneStatus } from './tmux-commands.js';
import type { HostedTerminal } from './types.js';

/** What a terminal asks of the host that runs vibe's tmux server (`TmuxHost`). */
export interface TmuxServer {
  readonly logger: Logger;
  /** Runs tmux commands on the private server, in one invocation. */
  tmux(commands: readonly (readonly string[])[]): ReturnType<CommandRunner>;
  /** Polls the panes now and resolves when the answer has reached every terminal. */
  pollNow(): Promise<void>;
  /** The pane's text, read by the next poll. */
  readScreen(name: string): Promise<string | undefined>;
  /** Starts the daemon's `tmux attach` client of a session on a new pty. */
  spawnAttach(name: string, cols: number, rows: number): AttachPty;
  /** The path of the session's pane's tty, where its program reads what is typed. */
  paneTty(name: string): Promise<string | undefined>;
  /** Bytes waiting unread on these ttys (`tty-probe.ts`); undefined when that cannot be told. */
  unreadInput(ttys: readonly string[]): Promise<number | undefined>;
  /** The terminal is done with: the host stops polling for it. */
  forget(terminal: TmuxTerminal): void;
}

const MAX_REATTACH = 3;
const UNREAPED_GIVE_UP_MS = 3000;

export class TmuxTerminal extends TerminalBase implements HostedTerminal {
  private pty: AttachPty | undefined;
  private unsubscribe: (() => void) | undefined;
  private reattaches = 0;
  private released = false;
  private stopping: Promise<void> | undefined;
  private reapTimer: NodeJS.Timeout | undefined;
  private deadSince: number | undefined;
  private paneTty: string | undefined;
  private readonly input = new InputGauge({
    probe: () => this.nothingUnread(),
    held: () => this.pty?.pendingWrite() ?? 0,
    blind: () => this.host.logger.warn('cannot tell what input tmux holds for the session; only what the daemon holds is bounded', { session: this.name }),
  });

  constructor(
    private readonly host: TmuxServer,
    name: string,
    private cols: number,
    private rows: number,
    private panePid: number | undefined,
    readonly registeredAt: number,
    private readonly signal: Signaller,
    private readonly reapDelayMs: number,
  ) {
    super(name);
  }

  pid(): number | undefined {
    return this.exitStatus() ? undefined : this.panePid;
  }

  attach(): void {
    const pty = this.host.spawnAttach(this.name, this.cols, this.rows);
    const data = pty.onData((bytes) => this.emitData(bytes));
    const exit = pty.onExit(() => this.attachEnded(pty));
    this.pty = pty;
    this.unsubscribe = () => {
      data.dispose();
      exit.dispose();
    };
  }

  /**
   * The attach client passes input on to the tmux server as fast as tmux parses it, and tmux keeps what the
   * pane does not read, so the bound is on what was typed and not yet seen read (`input-gauge.ts`).
   */
  write(bytes: Uint8Array | string): void {
    if (this.exitStatus() || !this.pty) return;
    this.admitInput(this.input.unread(), bytes);
    this.pty.write(bytes);
    this.input.add(inputBytes(bytes));
  }

  pendingInput(): number {
    return this.input.unread();
  }

  resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    this.pty?.resize(cols, rows);
  }

  async snapshot(history: () => Uint8Array): Promise<Uint8Array> {
    const target = paneTarget(this.name);
    const result = await this.host.tmux([
      ['capture-pane', '-p', '-e', '-J', '-t', target],
      ['display-message', '-p', '-t', target, CURSOR_FORMAT],
    ]);
    if (result.code !== 0) return replaySnapshot(history());
    // The capture is close to, not exactly at, the stream offset the viewer resumes from: ask tmux for a
    // full redraw of the daemon's client, which arrives in the live stream after the snapshot.
    this.refresh();
    return new TextEncoder().encode(buildTmuxSnapshot(result.stdout));
  }

  screenText(): Promise<string | undefined> {
    return this.exitStatus() ? Promise.resolve(undefined) : this.host.readScreen(this.name);
  }

  stop(graceMs: number): Promise<void> {
    this.stopping ??= this.stopNow(graceMs);
    return this.stopping;
  }

  release(): void {
    this.released = true;
    this.input.dispose();
    clearTimeout(this.reapTimer);
    this.closeAttach();
    this.host.forget(this);
  }

  /** Applies a poll's answer (undefined: the session is gone); 'unreaped' when the pane died without a status yet. */
  observe(pane: PaneStatus | undefined): 'unreaped' | undefined {
    if (this.exitStatus() || this.released) return;
    if (!pane) {
      this.ended(null);
      return;
    }
    if (pane.pid !== undefined) this.panePid = pane.pid;
    if (!pane.dead) return;
    // tmux marks a pane dead when its pty closes and learns the status when it reaps the process, usually
    // a moment later; wait for one or the other (a tmux without #{pane_dead_signal} never says: give up).
    this.deadSince ??= Date.now();
    if (pane.status === null && pane.signal === null && Date.now() - this.deadSince <= UNREAPED_GIVE_UP_MS) return 'unreaped';
    this.ended(pane.status);
    return;
  }

  ended(code: number | null): void {
    if (this.exitStatus()) return;
    this.input.dispose();
    this.emitExit(code);
    if (this.stopping || this.released) return;
    // Keep the dead pane a moment so the last output drains through the attach client, then reap it.
    this.reapTimer = setTimeout(() => void this.reap(), this.reapDelayMs);
    this.reapTimer.unref();
  }

  private async stopNow(graceMs: number): Promise<void> {
    clearTimeout(this.reapTimer);
    const pid = this.panePid;
    if (!this.exitStatus() && pid !== undefined) {
      this.signal(-pid, 'SIGTERM');
      const deadline = Date.now() + graceMs;
      while (!this.exitStatus() && Date.now() < deadline) {
        await sleep(Math.min(100, Math.max(0, deadline - Date.now())));
        await this.host.pollNow();
      }
      if (!this.exitStatus()) this.signal(-pid, 'SIGKILL');
    }
    await this.reap();
    this.ended(null);
  }

  private async reap(): Promise<void> {
    this.closeAttach();
    const result = await this.host.tmux([['kill-session', '-t', sessionTarget(this.name)]]);
    if (result.code !== 0 && !/can't find session|no server running|error connecting/i.test(result.stderr)) {
      this.host.logger.warn('tmux kill-session failed', { session: this.name, stderr: result.stderr.trim() });
    }
    this.host.forget(this);
  }

  /** Whether both ttys typed input crosses are empty: the attach client's (tmux reads it) and the pane's. */
  private async nothingUnread(): Promise<boolean | undefined> {
    this.paneTty ??= await this.host.paneTty(this.name);
    if (!this.paneTty) return undefined;
    const client = this.pty?.ptsName;
    const unread = await this.host.unreadInput(client ? [client, this.paneTty] : [this.paneTty]);
    return unread === undefined ? undefined : unread === 0;
  }

  private refresh(): void {
    const client = this.pty?.ptsName;
    if (!client) return;
    this.host.tmux([['refresh-client', '-t', client]]).catch((error: unknown) => {
      this.host.logger.debug('tmux refresh-client failed', { session: this.name, error });
    });
  }

  private closeAttach(): void {
    const pty = this.pty;
    this.pty = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    // SIGHUP makes the tmux client detach; the session itself is untouched.
    pty?.kill('SIGHUP');
  }

  /** The attach client ended on its own: the session died, or tmux dropped the client; poll to tell which. */
  private attachEnded(pty: AttachPty): void {
    if (this.pty !== pty) return;
    this.pty = undefined;
    this.unsubscribe?.();
    void this.host.pollNow().then(() => {
      if (this.exitStatus() || this.released || this.stopping || this.pty) return;
      if (this.reattaches++ >= MAX_REATTACH) {
        this.host.logger.warn('tmux attach keeps ending; giving up on the session', { session: this.name });
        this.ended(null);
        return;
      }
      this.attach();
    });
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
