// A bounded ring of a session's output bytes, numbered by absolute byte offset in the session's stream.

export const DEFAULT_SCROLLBACK_BYTES = 2 * 1024 * 1024;
/** Idle sessions stay small: the ring starts here and doubles up to its capacity as output arrives. */
const INITIAL_BYTES = 16 * 1024;

/**
 * Offsets count every byte ever appended (`end` is the next one); only the newest `capacity` bytes are
 * held (`start` is the oldest). Appending copies once into the ring; reading a contiguous range is a view.
 */
export class Scrollback {
  private buffer: Uint8Array;
  /** Index in `buffer` of the byte at offset `start`. */
  private head = 0;
  private held = 0;
  private first = 0;

  constructor(readonly capacity: number = DEFAULT_SCROLLBACK_BYTES) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`scrollback capacity ${capacity} is not a positive integer`);
    this.buffer = new Uint8Array(Math.min(capacity, INITIAL_BYTES));
  }

  /** Offset of the oldest byte held. */
  get start(): number {
    return this.first;
  }

  /** Offset the next appended byte will get. */
  get end(): number {
    return this.first + this.held;
  }

  /** Bytes held now. */
  get length(): number {
    return this.held;
  }

  append(bytes: Uint8Array): void {
    const n = bytes.length;
    if (n === 0) return;
    if (n >= this.capacity) {
      // Only the tail of an outsized chunk can be held; everything before it is gone.
      this.grow(this.capacity);
      this.buffer.set(bytes.subarray(n - this.capacity));
      this.first = this.end + n - this.capacity;
      this.head = 0;
      this.held = this.capacity;
      return;
    }
    if (this.held + n > this.buffer.length) this.grow(Math.min(this.capacity, Math.max(this.buffer.length * 2, this.held + n)));
    const size = this.buffer.length;
    const evict = this.held + n - size;
    if (evict > 0) {
      this.head = (this.head + evict) % size;
      this.held -= evict;
      this.first += evict;
    }
    const at = (this.head + this.held) % size;
    const firstPart = Math.min(n, size - at);
    this.buffer.set(firstPart === n ? bytes : bytes.subarray(0, firstPart), at);
    if (firstPart < n) this.buffer.set(bytes.subarray(firstPart), 0);
    this.held += n;
  }

  /**
   * The bytes from `offset` to the end (at most `max` of them), or undefined when `offset` is no longer
   * held or lies beyond the end. A contiguous range comes back as a view into the ring, valid only until
   * the next append: copy it before keeping it. A range that wraps comes back as a fresh copy.
   */
  since(offset: number, max: number = Infinity): Uint8Array | undefined {
    if (offset < this.first || offset > this.end) return undefined;
    const n = Math.min(this.end - offset, max);
    const size = this.buffer.length;
    const at = (this.head + (offset - this.first)) % size;
    if (at + n <= size) return this.buffer.subarray(at, at + n);
    const out = new Uint8Array(n);
    out.set(this.buffer.subarray(at));
    out.set(this.buffer.subarray(0, n - (size - at)), size - at);
    return out;
  }

  /** Reallocates to `size` bytes with the held bytes moved to the front. */
  private grow(size: number): void {
    if (size <= this.buffer.length) return;
    const next = new Uint8Array(size);
    next.set(this.since(this.first)!);
    this.buffer = next;
    this.head = 0;
  }
}
