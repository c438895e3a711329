// Input to a pty master, written by vibe rather than node-pty's queue: a key goes straight to write(2) (no
// thread-pool hop), and what the kernel will not take yet — the program is not reading — waits in a queue
// vibe can count, retried with a backoff instead of node-pty's setImmediate spin, and dropped on exit.
import { writeSync } from 'node:fs';

/** Retry delays while the pty is full: quick at first (a paste being read), then a poll once a second. */
const RETRY_DELAYS_MS = [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000];

export class PtyWriter {
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private retries = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  /**
   * `open` says whether the descriptor is still the terminal's: the master is closed when the program's end
   * reaches it, before the exit is reported, and its number may then name another file.
   */
  constructor(
    private readonly fd: number,
    private readonly open: () => boolean,
    private readonly write2: (fd: number, data: Buffer) => number = writeSync,
  ) {}

  /** Bytes written but not yet taken by the pty. */
  get pending(): number {
    return this.queued;
  }

  write(data: Buffer): void {
    if (this.closed || data.length === 0) return;
    if (this.queue.length > 0) {
      this.enqueue(data);
      return;
    }
    const written = this.attempt(data);
    if (written < data.length && !this.closed) {
      this.enqueue(data.subarray(written));
      this.schedule();
    }
  }

  /** The terminal is gone: nothing more is written, and the file descriptor is never touched again. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.queue.length = 0;
    this.queued = 0;
  }

  /** Writes what the kernel takes now; a full pty (EAGAIN) takes nothing, any other error ends the writer. */
  private attempt(data: Buffer): number {
    if (!this.open()) {
      this.close();
      return 0;
    }
    try {
      return this.write2(this.fd, data);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') this.close(); // EIO, EBADF: the terminal is gone
      return 0;
    }
  }

  private enqueue(data: Buffer): void {
    this.queue.push(Buffer.from(data)); // a copy: the caller may reuse its buffer
    this.queued += data.length;
  }

  private schedule(): void {
    const delay = RETRY_DELAYS_MS[Math.min(this.retries, RETRY_DELAYS_MS.length - 1)]!;
    this.timer = setTimeout(() => this.drain(), delay);
  }

  private drain(): void {
    this.timer = undefined;
    let progressed = false;
    while (this.queue.length > 0 && !this.closed) {
      const head = this.queue[0]!;
      const written = this.attempt(head);
      if (this.closed) return;
      if (written > 0) progressed = true;
      this.queued -= written;
      if (written === head.length) {
        this.queue.shift();
        continue;
      }
      this.queue[0] = head.subarray(written);
      break;
    }
    if (this.queue.length === 0 || this.closed) {
      this.retries = 0;
      return;
    }
    this.retries = progressed ? 0 : this.retries + 1;
    this.schedule();
  }
}
