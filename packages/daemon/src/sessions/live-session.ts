// One session's live output: the scrollback, every viewer's place in the stream and flow control, activity
// and the state heuristics. Output after a quiet spell is forwarded the moment it arrives; nothing here ever
// pauses the pty.
//
// Flow: each viewer may have at most `windowBytes` unacknowledged (and at most that much queued in its
// connection). A viewer that fills its window waits; when it acks, it continues exactly where it was. Output
// for a viewer whose connection is still writing waits for the drain and goes as one frame, and a session with
// many viewers fans a flood out in batches (`fanOutInterval`). One
// that falls further behind than a window (a slow phone under a flood) is marked behind and skipped; once it
// has drained, it gets a Snapshot and resumes at the present, so stale output never delays a Ctrl-C.
import { randomBytes } from 'node:crypto';
import { FrameKind, ProtocolError, type AgentState, type Frame } from '@vibe/protocol';
import { nullLogger, type Logger } from '../logger.js';
import { DEFAULT_SCROLLBACK_BYTES, Scrollback } from './scrollback.js';
import { StateDetector, type StateDetectorOptions } from './state-detector.js';
import { replaySnapshot } from './terminal-base.js';
import { TerminalModes } from './terminal-modes.js';
import type { HostedTerminal, StateSignal } from './types.js';

/** A viewer's connection as the streams see it. The control connection implements it. */
export interface TerminalSink {
  readonly id: number;
  /** Sends one frame. An Output payload is a view of the scrollback: copy or seal it before returning. */
  sendFrame(frame: Frame): void;
  /** Bytes written to the connection and not yet flushed to the peer. */
  bufferedBytes(): number;
}

export interface AttachOptions {
  readOnly: boolean;
  size?: { cols: number; rows: number };
  resume?: { stream: string; offset: number };
}

export interface AttachResult {
  /** Identifies this daemon run of the session; offsets are only valid within it. */
  stream: string;
  /** Where the frames that follow begin. */
  offset: number;
  /** True when a Snapshot frame was sent before live output. */
  snapshot: boolean;
}

/** How an agent's state is told from its output (the agent adapter's part). */
export type Detection = Pick<StateDetectorOptions, 'waitingPatterns' | 'usesHooks'> & Partial<Omit<StateDetectorOptions, 'readScreen'>>;

export interface LiveSessionOptions {
  scrollbackBytes?: number;
  /** Unacknowledged bytes allowed in flight per viewer. */
  windowBytes?: number;
  /** Largest Output frame sent when catching a viewer up from the scrollback. */
  maxFrameBytes?: number;
  detection?: Detection;
  onState?: (state: AgentState, signal: StateSignal) => void;
  /** Called with the time of the latest activity, at most once per `activityThrottleMs` (and once after the last). */
  onActivity?: (at: Date) => void;
  activityThrottleMs?: number;
  /** A fixed stream id (tests); normally random per daemon run. */
  stream?: string;
  logger?: Logger;
}

export const DEFAULT_WINDOW_BYTES = 256 * 1024;
const DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
/** Smaller chunks (a cursor blink, one echoed key) are not activity. */
const ACTIVITY_MIN_BYTES = 16;
const RECOVERY_POLL_MS = 25;

/**
 * The least time between two fan-outs of new output. Each fan-out is a frame (for a remote viewer: a sealed
 * record and a relay message) per viewer, so with many viewers a flood is batched: 0.2 ms per viewer past
 * four, at most 20 ms. Output after a quiet spell is never held: its fan-out is due already.
 */
function fanOutInterval(viewers: number): number {
  return viewers <= 4 ? 0 : Math.min(20, viewers * 0.2);
}

interface Viewer {
  readonly sink: TerminalSink;
  readonly readOnly: boolean;
  /** Offset after the last byte sent. */
  sentEnd: number;
  /** Offset up to which the viewer has acknowledged. */
  acked: number;
  mode: 'live' | 'behind' | 'snapshot';
  /** Resuming from an offset: exact delivery, however far behind, while the bytes are held. */
  catchingUp: boolean;
  /** Its window is full with bytes still to send: continued on ack, on drain, or by the timer. */
  stalled: boolean;
  pumping: boolean;
}

export class LiveSession {
  readonly stream: string;
  readonly scrollback: Scrollback;
  private readonly viewers = new Map<TerminalSink, Viewer>();
  private readonly window: number;
  private readonly maxFrame: number;
  private readonly detector: StateDetector | undefined;
  private readonly modes = new TerminalModes();
  private readonly logger: Logger;
  private readonly unsubscribe: () => void;
  private pendingSnapshot: Promise<Uint8Array> | undefined;
  private recoveryTimer: NodeJS.Timeout | undefined;
  private fanOutTimer: NodeJS.Timeout | undefined;
  private lastFanOutAt = -Infinity;
  private activityAt: number;
  private activityEmittedAt = -Infinity;
  private activityTimer: NodeJS.Timeout | undefined;
  private currentSize: { cols: number; rows: number } | undefined;
  private disposed = false;
  /** Viewer input is being dropped (logged once per spell). */
  private inputRefused = false;

  constructor(
    readonly id: number,
    readonly terminal: HostedTerminal,
    private readonly options: LiveSessionOptions = {},
  ) {
    this.stream = options.stream ?? randomBytes(12).toString('base64url');
    this.scrollback = new Scrollback(options.scrollbackBytes ?? DEFAULT_SCROLLBACK_BYTES);
    this.window = options.windowBytes ?? DEFAULT_WINDOW_BYTES;
    this.maxFrame = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.logger = options.logger ?? nullLogger;
    this.activityAt = Date.now();
    if (options.detection) {
      const onState = options.onState;
      this.detector = new StateDetector(
        { readScreen: () => terminal.screenText().catch(() => undefined), ...options.detection },
        (signal) => onState?.(signal.state, signal),
      );
    }
    const offData = terminal.onData((bytes) => this.onOutput(bytes));
    const offExit = terminal.onExit(() => this.detector?.dispose());
    this.unsubscribe = () => {
      offData();
      offExit();
    };
  }

  get lastActivityAt(): Date {
    return new Date(this.activityAt);
  }

  /** The size last asked for by a writer, if any. */
  get size(): { cols: number; rows: number } | undefined {
    return this.currentSize;
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  /**
   * Adds a viewer (or replaces this sink's earlier one). Frames for it are sent before this resolves:
   * catch-up Output frames when `resume` names this stream and its offset is still held, else one Snapshot.
   */
  async attach(sink: TerminalSink, options: AttachOptions): Promise<AttachResult> {
    const viewer: Viewer = { sink, readOnly: options.readOnly, sentEnd: 0, acked: 0, mode: 'snapshot', catchingUp: false, stalled: false, pumping: false };
    this.viewers.set(sink, viewer);
    if (!options.readOnly && options.size) this.resizeTerminal(options.size.cols, options.size.rows);
    const resume = options.resume;
    if (resume && resume.stream === this.stream && resume.offset >= this.scrollback.start && resume.offset <= this.scrollback.end) {
      Object.assign(viewer, { sentEnd: resume.offset, acked: resume.offset, mode: 'live', catchingUp: true });
      this.pump(viewer);
      return { stream: this.stream, offset: resume.offset, snapshot: false };
    }
    const offset = await this.sendSnapshot(viewer);
    return { stream: this.stream, offset, snapshot: true };
  }

  detach(sink: TerminalSink): boolean {
    const had = this.viewers.delete(sink);
    if (had) this.updateRecoveryTimer();
    return had;
  }

  /**
   * Keystrokes from a viewer; false when it is not attached or is read-only. Keys the terminal refuses
   * (its program has stopped reading and the input limit is reached) are dropped: a terminal frame has no
   * answer but a connection-ending error, and the viewer sees the program not responding either way.
   */
  input(sink: TerminalSink, bytes: Uint8Array | string): boolean {
    const viewer = this.viewers.get(sink);
    if (!viewer || viewer.readOnly) return false;
    try {
      this.write(bytes);
      this.inputRefused = false;
    } catch (error) {
      if (!(error instanceof ProtocolError && error.code === 'busy')) throw error;
      if (!this.inputRefused) this.logger.warn('input dropped', { session: this.id, reason: error.message });
      this.inputRefused = true;
    }
    return true;
  }

  /** Input from the daemon itself (`vibe send`). */
  write(bytes: Uint8Array | string): void {
    this.terminal.write(bytes);
    this.touch();
  }

  resize(sink: TerminalSink, cols: number, rows: number): boolean {
    const viewer = this.viewers.get(sink);
    if (!viewer || viewer.readOnly) return false;
    this.resizeTerminal(cols, rows);
    return true;
  }

  ack(sink: TerminalSink, offset: number): void {
    const viewer = this.viewers.get(sink);
    if (!viewer || viewer.mode === 'snapshot') return;
    viewer.acked = Math.min(Math.max(viewer.acked, offset), viewer.sentEnd);
    this.pump(viewer);
  }

  /** The sink's connection flushed its buffer: resume a waiting viewer now rather than at the next poll. */
  drained(sink: TerminalSink): void {
    const viewer = this.viewers.get(sink);
    if (viewer) this.pump(viewer);
  }

  hookReported(state: AgentState): void {
    this.detector?.hookReported(state);
  }

  dispose(): void {
    this.disposed = true;
    this.unsubscribe();
    this.detector?.dispose();
    this.viewers.clear();
    clearTimeout(this.recoveryTimer);
    this.recoveryTimer = undefined;
    clearTimeout(this.fanOutTimer);
    this.fanOutTimer = undefined;
    if (this.activityTimer) {
      clearTimeout(this.activityTimer);
      this.activityTimer = undefined;
      this.options.onActivity?.(this.lastActivityAt);
    }
  }

  private onOutput(chunk: Uint8Array): void {
    const offset = this.scrollback.end;
    this.scrollback.append(chunk);
    this.modes.feed(chunk);
    if (chunk.length >= ACTIVITY_MIN_BYTES) this.touch();
    this.detector?.feed(chunk);
    if (this.fanOutTimer) return;
    const now = performance.now();
    const wait = this.lastFanOutAt + fanOutInterval(this.viewers.size) - now;
    if (wait <= 0) {
      this.lastFanOutAt = now;
      for (const viewer of this.viewers.values()) this.pump(viewer, chunk, offset);
      return;
    }
    // Output close on the heels of the last fan-out, with many viewers: it goes to all of them at once, later.
    this.fanOutTimer = setTimeout(() => {
      this.fanOutTimer = undefined;
      this.lastFanOutAt = performance.now();
      for (const viewer of this.viewers.values()) this.pump(viewer);
    }, Math.ceil(wait));
  }

  /** Sends a viewer what it lacks, as far as its window allows; `chunk` is the newest output, sent as is when it fits. */
  private pump(viewer: Viewer, chunk?: Uint8Array, chunkOffset?: number): void {
    if (viewer.pumping) return;
    if (viewer.mode === 'behind') return this.tryRecover(viewer);
    if (viewer.mode !== 'live') return;
    viewer.pumping = true;
    try {
      const { sink } = viewer;
      while (viewer.sentEnd < this.scrollback.end) {
        const end = this.scrollback.end;
        if (viewer.sentEnd < this.scrollback.start) return this.markBehind(viewer);
        const buffered = sink.bufferedBytes();
        const budget = Math.min(this.window - (viewer.sentEnd - viewer.acked), this.window - buffered);
        // While the connection still holds bytes it has not written out, new output waits and leaves as one
        // frame when it drains: a busy link gets a few large records, not one per read for every viewer.
        const busy = buffered > 0 && !viewer.catchingUp && viewer.sentEnd > viewer.acked;
        if (budget <= 0 || busy) {
          if (!viewer.catchingUp && end - viewer.sentEnd > this.window) this.markBehind(viewer);
          else if (!viewer.stalled) {
            // Acks or a drain will continue it; the timer covers a connection full of other traffic.
            viewer.stalled = true;
            this.updateRecoveryTimer();
          }
          return;
        }
        let payload: Uint8Array;
        if (chunk && viewer.sentEnd === chunkOffset && chunk.length <= budget && chunkOffset + chunk.length === end) payload = chunk;
        else payload = this.scrollback.since(viewer.sentEnd, Math.min(budget, this.maxFrame))!;
        const seq = viewer.sentEnd;
        viewer.sentEnd += payload.length;
        sink.sendFrame({ kind: FrameKind.Output, session: this.id, seq, payload });
      }
      viewer.catchingUp = false;
      if (viewer.stalled) {
        viewer.stalled = false;
        this.updateRecoveryTimer();
      }
    } finally {
      viewer.pumping = false;
    }
  }

  private markBehind(viewer: Viewer): void {
    viewer.mode = 'behind';
    viewer.catchingUp = false;
    viewer.stalled = false;
    this.updateRecoveryTimer();
  }

  /** A behind viewer that has drained (acked, connection flushed) gets a snapshot and the live stream. */
  private tryRecover(viewer: Viewer): void {
    const low = this.window / 4;
    if (viewer.sentEnd - viewer.acked > low || viewer.sink.bufferedBytes() > low) return;
    void this.sendSnapshot(viewer);
  }

  /** Sends a Snapshot frame and puts the viewer live at the offset it names; resolves with that offset. */
  private async sendSnapshot(viewer: Viewer): Promise<number> {
    viewer.mode = 'snapshot';
    this.updateRecoveryTimer();
    const payload = await this.takeSnapshot();
    const seq = this.scrollback.end;
    if (this.viewers.get(viewer.sink) !== viewer || this.disposed) return seq;
    viewer.sink.sendFrame({ kind: FrameKind.Snapshot, session: this.id, seq, payload });
    Object.assign(viewer, { sentEnd: seq, acked: seq, mode: 'live', catchingUp: false, stalled: false });
    return seq;
  }

  /** One snapshot serves every viewer that asks while it is being taken; it ends with the program's terminal modes. */
  private takeSnapshot(): Promise<Uint8Array> {
    this.pendingSnapshot ??= this.terminal
      .snapshot(() => this.history())
      .catch((error: unknown) => {
        this.logger.warn('snapshot failed; replaying the scrollback instead', { session: this.id, error });
        return replaySnapshot(this.history());
      })
      .then((screen) => {
        const modes = Buffer.from(this.modes.restore(), 'latin1');
        return modes.length === 0 ? screen : Buffer.concat([screen, modes]);
      })
      .finally(() => {
        this.pendingSnapshot = undefined;
      });
    return this.pendingSnapshot;
  }

  /** The held output for a replay, from the first line start when older output was dropped (no half sequences). */
  private history(): Uint8Array {
    const held = this.scrollback.since(this.scrollback.start)!;
    if (this.scrollback.start === 0) return held.slice();
    const newline = held.indexOf(0x0a);
    return held.slice(newline < 0 ? 0 : newline + 1);
  }

  /**
   * Viewers that wait (behind, or stalled on a full window) learn of drained connections by polling, only
   * while any waits; never on the live path.
   */
  private updateRecoveryTimer(): void {
    const waiting = [...this.viewers.values()].some((viewer) => viewer.mode === 'behind' || viewer.stalled);
    if (waiting && !this.recoveryTimer && !this.disposed) {
      this.recoveryTimer = setInterval(() => {
        for (const viewer of this.viewers.values()) if (viewer.mode === 'behind' || viewer.stalled) this.pump(viewer);
      }, RECOVERY_POLL_MS);
      this.recoveryTimer.unref();
    } else if (!waiting && this.recoveryTimer) {
      clearInterval(this.recoveryTimer);
      this.recoveryTimer = undefined;
    }
  }

  private resizeTerminal(cols: number, rows: number): void {
    this.currentSize = { cols, rows };
    this.terminal.resize(cols, rows);
  }

  private touch(): void {
    this.activityAt = Date.now();
    const onActivity = this.options.onActivity;
    if (!onActivity || this.activityTimer) return;
    const throttle = this.options.activityThrottleMs ?? 5000;
    const wait = this.activityEmittedAt + throttle - this.activityAt;
    const emit = (): void => {
      this.activityTimer = undefined;
      this.activityEmittedAt = Date.now();
      onActivity(this.lastActivityAt);
    };
    if (wait <= 0) emit();
    else {
      this.activityTimer = setTimeout(emit, wait);
      this.activityTimer.unref();
    }
  }
}
