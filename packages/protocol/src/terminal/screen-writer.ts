// Writes a session's Snapshot and Output frames to a terminal as they arrive, and acknowledges what the
// terminal took, so the daemon keeps bytes in flight bounded. Runtime-neutral: `vibe attach` writes to its
// tty, the web view to xterm.js (whose write takes the same callback).
import { FrameKind, type Frame } from '../frame.js';

/** Where the bytes go: calls `done` once the terminal has taken them. */
export interface TerminalOutput {
  write(data: Uint8Array, done: () => void): unknown;
}

/** Acknowledge at least this often under a flood. */
export const ACK_EVERY_BYTES = 64 * 1024;
/**
 * Smaller amounts are acknowledged this long after they were written. An ack only frees the daemon's window
 * (256 KiB), never delays output, so there is no reason to send one per frame: through a relay each is one
 * more record each way.
 */
export const ACK_DELAY_MS = 20;

export interface ScreenWriterOptions {
  output: TerminalOutput;
  session: number;
  /** Where the frames that follow begin (session.attach's `offset`). */
  offset: number;
  /** Sends an Ack frame for everything before `seq`. */
  ack(seq: number): void;
  ackEveryBytes?: number;
  ackDelayMs?: number;
  /**
   * Output arrived that starts past the last byte written: bytes are missing. The frame is not written; the
   * caller resumes from `offset` (the daemon resends what is held, or a snapshot marks the resync).
   */
  onGap?(offset: number): void;
}

/**
 * No batching, no timer: each frame is written the moment it arrives. Output already shown (a frame that
 * overlaps a snapshot or a resend) is trimmed, so a repeated frame never repeats bytes on the screen.
 * Acks follow the terminal, not the socket: an offset is acknowledged once its bytes were written out,
 * immediately every ACK_EVERY_BYTES, else ACK_DELAY_MS after the first byte not yet acknowledged was written.
 */
export class ScreenWriter {
  /** The offset after the last byte handed to the terminal (or where a snapshot resumes). */
  private written: number;
  /** The offset up to which the terminal has taken the bytes. */
  private flushed: number;
  private acked: number;
  private writing = 0;
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly ackEvery: number;
  private readonly ackDelay: number;

  constructor(private readonly options: ScreenWriterOptions) {
    this.written = options.offset;
    this.flushed = options.offset;
    this.acked = options.offset;
    this.ackEvery = options.ackEveryBytes ?? ACK_EVERY_BYTES;
    this.ackDelay = options.ackDelayMs ?? ACK_DELAY_MS;
  }

  frame(frame: Frame): void {
    if (this.stopped || frame.session !== this.options.session) return;
    if (frame.kind === FrameKind.Snapshot) {
      this.write(frame.payload, frame.seq);
      return;
    }
    if (frame.kind !== FrameKind.Output) return;
    const end = frame.seq + frame.payload.length;
    if (end <= this.written) return;
    if (frame.seq > this.written) {
      this.options.onGap?.(this.written);
      return;
    }
    const skip = this.written - frame.seq;
    this.write(skip > 0 ? frame.payload.subarray(skip) : frame.payload, end);
  }

  /** The offset after the last byte handed to the terminal: where an attach that resumes continues. */
  get offset(): number {
    return this.written;
  }

  /** Writes nothing and acknowledges nothing more (the attach ended). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
  }

  private write(bytes: Uint8Array, end: number): void {
    this.written = end;
    this.writing++;
    this.options.output.write(bytes, () => {
      this.writing--;
      this.flushed = Math.max(this.flushed, end);
      this.maybeAck();
    });
  }

  private maybeAck(): void {
    if (this.stopped) return;
    if (this.flushed - this.acked >= this.ackEvery) {
      this.sendAck();
      return;
    }
    if (this.flushed === this.acked || this.ackTimer) return;
    this.ackTimer = setTimeout(() => {
      this.ackTimer = undefined;
      if (!this.stopped && this.flushed !== this.acked) this.sendAck();
    }, this.ackDelay);
  }

  private sendAck(): void {
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    this.acked = this.flushed;
    this.options.ack(this.acked);
  }
}
