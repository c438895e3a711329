// Guesses an agent's state from its output: a burst of output is working, a quiet spell after it is idle,
// a known prompt on screen is waiting. Hooks, where an agent has them, know better and take precedence.
import type { AgentState } from '@vibe/protocol';
import { Scrollback } from './scrollback.js';
import type { StateSignal } from './types.js';

export interface StateDetectorOptions {
  /** Prompts that mean the agent needs the user, matched against the screen's plain text. */
  waitingPatterns: readonly RegExp[];
  /**
   * The agent reports working/idle through hooks: heuristics then only supply `waiting` (and leaving it).
   * A session without it switches to the same once its first hook report arrives.
   */
  usesHooks: boolean;
  /** Whether those hooks also say when a turn starts (default true); Codex's notify only ends turns. */
  hooksReportWorking?: boolean;
  /** Quiet this long after working means idle. */
  quietMs?: number;
  /** Chunks smaller than this (a cursor blink, a keystroke's echo) are not activity. */
  minChunkBytes?: number;
  /** Activity bytes, with no gap longer than `burstGapMs`, that make a burst (a clock redraw each second does not). */
  burstBytes?: number;
  burstGapMs?: number;
  /** Screen check this long after output pauses, and at least this often while it flows. */
  settleMs?: number;
  maxCheckIntervalMs?: number;
  /** After a hook report, heuristics other than prompts stay quiet this long. */
  hookHoldMs?: number;
  /** The visible screen as text; undefined falls back to the recent output with escapes stripped. */
  readScreen?: () => Promise<string | undefined>;
  /** The state already known (a re-adopted session): a prompt left on screen from before must not override it. */
  initialState?: AgentState;
}

const TAIL_BYTES = 8 * 1024;

export class StateDetector {
  private current: AgentState | undefined;
  private burstBytes = 0;
  private lastActivityAt = -Infinity;
  private lastCheckAt = -Infinity;
  private hookUntil = -Infinity;
  /** The current state came from a hook: only a hook (or the agent's exit) ends a hook's `waiting`. */
  private fromHook = false;
  /** A hook has reported. From then on hooks report working and idle, and, if they also report working, waiting too. */
  private heard = false;
  private quietTimer: NodeJS.Timeout | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  /** The newest output, for prompts read from it rather than from the screen: a ring, one copy a chunk. */
  private readonly tail = new Scrollback(TAIL_BYTES);
  private checking = false;
  private disposed = false;
  private readonly options: Required<Omit<StateDetectorOptions, 'readScreen' | 'initialState'>> & Pick<StateDetectorOptions, 'readScreen'>;

  constructor(
    options: StateDetectorOptions,
    private readonly onSignal: (signal: StateSignal) => void,
  ) {
    this.options = {
      quietMs: 3000,
      minChunkBytes: 16,
      burstBytes: 64,
      burstGapMs: 500,
      settleMs: 300,
      maxCheckIntervalMs: 2000,
      hookHoldMs: 5000,
      ...options,
      hooksReportWorking: options.hooksReportWorking ?? true, // an undefined in `options` must not clear it
    };
    this.current = options.initialState;
  }

  /** Hooks report working and idle: known from the start, or learnt from the first report. */
  private get hooked(): boolean {
    return this.options.usesHooks || this.heard;
  }

  /** The state this detector last reported or was told. */
  get state(): AgentState | undefined {
    return this.current;
  }

  feed(bytes: Uint8Array): void {
    if (this.disposed) return;
    if (this.options.waitingPatterns.length > 0) this.tail.append(bytes);
    if (bytes.length < this.options.minChunkBytes) return;
    const now = Date.now();
    if (now - this.lastActivityAt > this.options.burstGapMs) this.burstBytes = 0;
    this.lastActivityAt = now;
    this.burstBytes += bytes.length;
    if (this.burstBytes >= this.options.burstBytes) this.onBurst(now);
  }

  /** A hook said so: adopt its state and keep heuristics out of the way for a while. */
  hookReported(state: AgentState): void {
    this.heard = true;
    this.current = state;
    this.fromHook = true;
    this.hookUntil = Date.now() + this.options.hookHoldMs;
    clearTimeout(this.quietTimer);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.quietTimer);
    clearTimeout(this.settleTimer);
  }

  private onBurst(now: number): void {
    const held = now < this.hookUntil;
    const working = !held && (!this.hooked || !this.options.hooksReportWorking);
    // Leaving `waiting` needs the prompt gone from the screen: a menu redrawing under arrow keys is still a prompt.
    if (working && this.current !== 'working' && this.current !== 'waiting') this.emit('working', 'output');
    if (!held && !this.hooked) {
      clearTimeout(this.quietTimer);
      this.quietTimer = setTimeout(() => void this.onQuiet(), this.options.quietMs);
    }
    if (this.options.waitingPatterns.length === 0 || !this.promptsFromScreen) return;
    clearTimeout(this.settleTimer);
    const overdue = now - this.lastCheckAt >= this.options.maxCheckIntervalMs;
    this.settleTimer = setTimeout(() => void this.check(), overdue ? 0 : this.options.settleMs);
  }

  /**
   * Screen text decides `waiting` until hooks that report whole turns have spoken (a trust dialog comes
   * before any hook); after that their own reports do, since a prompt's text can outlive the prompt on screen
   * (lines a resize left behind), which would call a finished agent waiting.
   */
  private get promptsFromScreen(): boolean {
    return !(this.heard && this.options.hooksReportWorking);
  }

  private async onQuiet(): Promise<void> {
    if (this.current !== 'working' || Date.now() < this.hookUntil || this.hooked) return;
    if (await this.promptVisible()) this.emit('waiting', 'prompt');
    else if (this.current === 'working') this.emit('idle', 'quiet');
  }

  private async check(): Promise<void> {
    if (this.checking || this.disposed || !this.promptsFromScreen) return;
    this.checking = true;
    this.lastCheckAt = Date.now();
    try {
      const visible = await this.promptVisible();
      if (visible && this.current !== 'waiting') this.emit('waiting', 'prompt');
      else if (!visible && this.current === 'waiting' && !this.fromHook) {
        // Checks follow output: the prompt was answered and the agent carries on.
        this.emit('working', 'output');
        if (!this.hooked) {
          clearTimeout(this.quietTimer);
          this.quietTimer = setTimeout(() => void this.onQuiet(), this.options.quietMs);
        }
      }
    } finally {
      this.checking = false;
    }
  }

  private async promptVisible(): Promise<boolean> {
    const patterns = this.options.waitingPatterns;
    if (patterns.length === 0) return false;
    const screen = (await this.options.readScreen?.()) ?? stripAnsi(new TextDecoder().decode(this.tail.since(this.tail.start)));
    return patterns.some((pattern) => {
      pattern.lastIndex = 0;
      return pattern.test(screen);
    });
  }

  private emit(state: AgentState, source: string): void {
    if (this.disposed || this.current === state) return;
    this.current = state;
    this.fromHook = false;
    this.onSignal({ state, source });
  }
}

// CSI, OSC (BEL or ST terminated), DCS/SOS/PM/APC strings, charset selections, other two-byte escapes.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_][^\x1b]*\x1b\\|\x1b[()*+][ -~]|\x1b[ -/]*[0-~]/g;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;

/** Plain text of terminal output: escape sequences and control characters other than newline and tab removed. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '').replace(CONTROL, '');
}
