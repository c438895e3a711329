// Reads a pty's output at once when it trickles and in paced batches while it floods, so a flood costs a
// few large reads a millisecond apart instead of a wake-up of the daemon (and of every viewer) per line.
//
// A flood is a chunk that follows the previous delivery (or the end of a pause) within `floodGapMs` while
// at least `floodBytes` came within the current pace: that chunk is delivered, then reading stops for the rest
// of `paceMs` while the kernel collects the next batch. Echoes of keys typed back to back come as quickly but
// carry a few bytes each; they, and anything after a quiet spell, are delivered the moment they are read and
// start no pause, so nothing on the keystroke path waits for a timer. Chunks read in one go (the batch a
// resume releases) are joined into one delivery.
//
// A pause only helps while the program writes less than the kernel holds for a paused reader (a pty gives
// about 4 KiB a read): its small writes then gather into one read. A program that fills that within a pace
// (`cat` of a big file, a build's log) is throttled by pausing — to about 2 MiB/s — so with `holdFullReads`
// (an agent's own pty) the reader keeps reading after a full read and holds what it reads until the pace
// ends: one delivery a pace still, at the speed the program writes. tmux's attach client is read with
// pauses: it writes in bursts, and the bench reads it fastest that way.

/** What the reader needs of the stream it paces. */
export interface PausableSource {
  /** Stops reading from the descriptor (not just emitting): the kernel holds what arrives meanwhile. */
  pause(): void;
  resume(): void;
}

export interface PacedReaderOptions {
  paceMs?: number;
  floodGapMs?: number;
  floodBytes?: number;
  /** After a full read in a flood, keep reading and hold rather than pause (see above). Default false. */
  holdFullReads?: boolean;
  now?: () => number;
}

/** How long reading stops between batches of a flood. */
export const DEFAULT_PACE_MS = 2;
/** Chunks closer together than this may be a flood. */
export const DEFAULT_FLOOD_GAP_MS = 1;
/**
 * ...if this much came within one pace (32 KB/s): tmux redrawing a `cat` for its client writes a few
 * hundred bytes a pace, the echoes of keys typed as fast as a program types them a few dozen.
 */
export const DEFAULT_FLOOD_BYTES = 64;
/** A delivery this large means the kernel's buffer filled during the pace: keep reading, hold, deliver once a pace. */
export const FULL_READ_BYTES = 3 * 1024;

export class PacedReader {
  private batch: Uint8Array[] = [];
  /** Read during a pace in which the source keeps reading (see FULL_READ_BYTES); delivered when it ends. */
  private held: Uint8Array[] | undefined;
  /** When the last delivery or resume happened. */
  private lastAt = -Infinity;
  /** Bytes delivered since `windowStart`; a window lasts one pace. */
  private windowBytes = 0;
  private windowStart = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;
  private readonly paceMs: number;
  private readonly floodGapMs: number;
  private readonly floodBytes: number;
  private readonly holdFullReads: boolean;
  private readonly now: () => number;

  constructor(
    private readonly source: PausableSource,
    private readonly deliver: (bytes: Uint8Array) => void,
    options: PacedReaderOptions = {},
  ) {
    this.paceMs = options.paceMs ?? DEFAULT_PACE_MS;
    this.floodGapMs = options.floodGapMs ?? DEFAULT_FLOOD_GAP_MS;
    this.floodBytes = options.floodBytes ?? DEFAULT_FLOOD_BYTES;
    this.holdFullReads = options.holdFullReads ?? false;
    this.now = options.now ?? (() => performance.now());
  }

  /** One chunk as read. Chunks read in the same turn of the event loop are delivered together. */
  push(chunk: Uint8Array): void {
    if (this.disposed) return;
    if (this.batch.push(chunk) === 1) queueMicrotask(() => this.flush());
  }

  /** Delivers what it holds (the program's last words), then nothing more, and leaves the source reading. */
  dispose(): void {
    this.flush();
    const held = this.takeHeld();
    if (held) this.deliver(held);
    this.disposed = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.source.resume();
    }
  }

  private flush(): void {
    if (this.disposed || this.batch.length === 0) return;
    const bytes = this.batch.length === 1 ? this.batch[0]! : Buffer.concat(this.batch);
    this.batch = [];
    if (this.held) {
      this.held.push(bytes);
      return;
    }
    const now = this.now();
    if (now - this.windowStart >= this.paceMs) {
      this.windowStart = now;
      this.windowBytes = 0;
    }
    this.windowBytes += bytes.length;
    const flooding = now - this.lastAt < this.floodGapMs && this.windowBytes >= this.floodBytes;
    this.lastAt = now;
    this.deliver(bytes);
    if (!flooding || this.timer || this.disposed) return;
    // The pace counts from the read: a delivery that took as long (many viewers) is pause enough. Timers
    // are whole milliseconds: round up, or 1.9 ms would pause for one.
    const rest = this.paceMs - (this.now() - now);
    if (rest <= 0) return;
    if (this.holdFullReads && bytes.length >= FULL_READ_BYTES) return this.hold(rest);
    this.source.pause();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.disposed) return;
      // What the kernel gathered meanwhile opens a window of its own: a flood's batch is a flood alone.
      this.lastAt = this.now();
      this.windowStart = -Infinity;
      this.source.resume();
    }, Math.ceil(rest));
  }

  /** Keeps reading for `ms` and delivers what came at the end; as long as that is a full read, once more. */
  private hold(ms: number): void {
    this.held = [];
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const held = this.takeHeld();
      if (this.disposed || !held) return;
      this.deliver(held);
      this.lastAt = this.now();
      if (held.length >= FULL_READ_BYTES) this.hold(this.paceMs);
    }, Math.ceil(ms));
  }

  private takeHeld(): Uint8Array | undefined {
    const held = this.held;
    this.held = undefined;
    if (!held || held.length === 0) return undefined;
    return held.length === 1 ? held[0]! : Buffer.concat(held);
  }
}
