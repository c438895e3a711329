// The sessions room's contract: how a terminal session is hosted, and what the rest of the daemon may ask.
import type { AgentState } from '@vibe/protocol';

/** Everything needed to launch one session; argv is never joined into a shell string. */
export interface LaunchSpec {
  /** Host-level name, e.g. the tmux session name `vibe_<sessionId>`: letters, digits, `_` and `-`. */
  name: string;
  /** An existing directory; the session starts there. */
  cwd: string;
  /** The program and its arguments, run directly (execvp semantics). */
  argv: string[];
  /** Added to (or overriding) the daemon's environment for this session only. */
  env: Record<string, string>;
  cols: number;
  rows: number;
}

/** One running (or dead but not yet reaped) terminal, hosted by tmux or by node-pty inside the daemon. */
export interface HostedTerminal {
  readonly name: string;
  /** Pid of the process the host runs (the session runner), while it lives. */
  pid(): number | undefined;
  /**
   * Raw output bytes, in order. Output that arrives before the first listener is held for it, so
   * nothing is lost between `start()` resolving and the caller subscribing.
   */
  onData(listener: (bytes: Uint8Array) => void): () => void;
  /** Called once with the exit code (or null when killed by a signal / unknown); at once if it already exited. */
  onExit(listener: (code: number | null) => void): () => void;
  /** The exit, once it has happened. */
  exitStatus(): { code: number | null } | undefined;
  /**
   * Types into the session. Throws `busy` and writes nothing when the input the program has not read
   * would pass `MAX_PENDING_INPUT`; after an exit it does nothing.
   */
  write(bytes: Uint8Array | string): void;
  /**
   * Bytes typed into the session that its program has not been seen to read: what the daemon holds, and
   * under tmux also what tmux and the pane's tty hold, until a probe finds them read (`input-gauge.ts`).
   */
  pendingInput(): number;
  resize(cols: number, rows: number): void;
  /**
   * The current screen as bytes that repaint it on a blank terminal (cursor placed), for a new viewer.
   * `history` yields the output bytes the daemon still holds: a host with no screen model of its own
   * (node-pty) repaints by replaying them. A tmux host captures the pane, and then asks tmux to redraw
   * its client, so an exact full repaint follows in the live stream.
   */
  snapshot(history: () => Uint8Array): Promise<Uint8Array>;
  /** The visible screen as plain text (no escapes), when the host can tell; for state heuristics. */
  screenText(): Promise<string | undefined>;
  /** Graceful stop (SIGTERM to the process group), then forced after `graceMs`; the session is gone after. */
  stop(graceMs: number): Promise<void>;
  /** Detaches the daemon from the terminal without stopping it (daemon shutdown, tmux only). */
  release(): void;
}

export interface SessionHost {
  readonly kind: 'tmux' | 'pty';
  /** True when sessions outlive the daemon (tmux). */
  readonly survivesRestart: boolean;
  start(spec: LaunchSpec): Promise<HostedTerminal>;
  /** Reattaches to a session left by a previous daemon run; undefined when it is gone. */
  adopt(name: string, cols: number, rows: number): Promise<HostedTerminal | undefined>;
  /** Names of the live sessions this host holds. */
  list(): Promise<string[]>;
  /** Stops polling, and the host's server if it holds no sessions (tmux), for tests and `vibe down --all`. */
  dispose(): Promise<void>;
  /**
   * The daemon is stopping and its sessions live on (tmux): ends what the host runs inside the daemon — the
   * pty thread, once the released terminals' attach clients have exited — and touches no session.
   */
  leave?(): Promise<void>;
}

/** Heuristic state detection feeds on output; hooks override it. */
export interface StateSignal {
  state: AgentState;
  /** Why: 'hook', 'output', 'quiet', 'prompt', 'exit'. */
  source: string;
}
