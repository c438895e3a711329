// Every live session by its wire id, and every viewer's attachments: what the control room and the
// attempts drive. It serves both the attempts' terminal registry and the control room's viewer streams.
import { ProtocolError, type AgentState } from '@vibe/protocol';
import { nullLogger, type Logger } from '../logger.js';
import { LiveSession, type AttachOptions, type AttachResult, type Detection, type LiveSessionOptions, type TerminalSink } from './live-session.js';
import type { HostedTerminal, StateSignal } from './types.js';

export interface SessionStreamsOptions extends Pick<LiveSessionOptions, 'scrollbackBytes' | 'windowBytes' | 'maxFrameBytes' | 'activityThrottleMs'> {
  /** A session's latest activity, throttled per session: for persisting `lastActivityAt`. */
  onActivity?: (sessionId: number, at: Date) => void;
  logger?: Logger;
}

export class SessionStreams {
  private readonly sessions = new Map<number, LiveSession>();
  /** The sessions each sink watches, so a closed connection is dropped everywhere at once. */
  private readonly watching = new Map<TerminalSink, Set<number>>();
  private readonly logger: Logger;

  constructor(private readonly options: SessionStreamsOptions = {}) {
    this.logger = options.logger ?? nullLogger;
  }

  /**
   * Starts following a terminal under its session id (replacing an earlier one with that id): its output
   * fills the scrollback and reaches viewers; with `detection`, state guesses go to `onState`. Exits are
   * not reported here: subscribe to `terminal.onExit`.
   */
  add(
    sessionId: number,
    terminal: HostedTerminal,
    detection?: Detection,
    onState?: (state: AgentState, signal: StateSignal) => void,
  ): LiveSession {
    this.remove(sessionId);
    const onActivity = this.options.onActivity;
    const session = new LiveSession(sessionId, terminal, {
      scrollbackBytes: this.options.scrollbackBytes,
      windowBytes: this.options.windowBytes,
      maxFrameBytes: this.options.maxFrameBytes,
      activityThrottleMs: this.options.activityThrottleMs,
      detection,
      onState,
      onActivity: onActivity && ((at) => onActivity(sessionId, at)),
      logger: this.logger,
    });
    this.sessions.set(sessionId, session);
    return session;
  }

  /** Stops following a session (its viewers are dropped); the terminal itself is left alone. */
  remove(sessionId: number): void {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    session.dispose();
    this.sessions.delete(sessionId);
    for (const ids of this.watching.values()) ids.delete(sessionId);
  }

  get(sessionId: number): HostedTerminal | undefined {
    return this.sessions.get(sessionId)?.terminal;
  }

  session(sessionId: number): LiveSession | undefined {
    return this.sessions.get(sessionId);
  }

  ids(): number[] {
    return [...this.sessions.keys()];
  }

  lastActivity(sessionId: number): Date | undefined {
    return this.sessions.get(sessionId)?.lastActivityAt;
  }

  hookReported(sessionId: number, state: AgentState): void {
    this.sessions.get(sessionId)?.hookReported(state);
  }

  /** See `LiveSession.attach`; not_found when the session is not followed. */
  async attach(sink: TerminalSink, sessionId: number, options: AttachOptions): Promise<AttachResult> {
    const session = this.require(sessionId);
    let ids = this.watching.get(sink);
    if (!ids) this.watching.set(sink, (ids = new Set()));
    ids.add(sessionId);
    return session.attach(sink, options);
  }

  detach(sink: TerminalSink, sessionId: number): boolean {
    this.watching.get(sink)?.delete(sessionId);
    return this.sessions.get(sessionId)?.detach(sink) ?? false;
  }

  /** The sink's connection closed: it watches nothing any more. */
  dropSink(sink: TerminalSink): void {
    for (const id of this.watching.get(sink) ?? []) this.sessions.get(id)?.detach(sink);
    this.watching.delete(sink);
  }

  input(sink: TerminalSink, sessionId: number, bytes: Uint8Array | string): boolean {
    return this.sessions.get(sessionId)?.input(sink, bytes) ?? false;
  }

  /** Input with no viewer behind it (`vibe send`). */
  write(sessionId: number, bytes: Uint8Array | string): void {
    this.require(sessionId).write(bytes);
  }

  resize(sink: TerminalSink, sessionId: number, cols: number, rows: number): boolean {
    return this.sessions.get(sessionId)?.resize(sink, cols, rows) ?? false;
  }

  ack(sink: TerminalSink, sessionId: number, offset: number): void {
    this.sessions.get(sessionId)?.ack(sink, offset);
  }

  /** The sink's connection flushed (socket 'drain'): viewers waiting on it continue at once. */
  drained(sink: TerminalSink): void {
    for (const id of this.watching.get(sink) ?? []) this.sessions.get(id)?.drained(sink);
  }

  dispose(): void {
    for (const id of [...this.sessions.keys()]) this.remove(id);
    this.watching.clear();
  }

  private require(sessionId: number): LiveSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw new ProtocolError('not_found', `session ${sessionId} is not running in this daemon`);
    return session;
  }
}
