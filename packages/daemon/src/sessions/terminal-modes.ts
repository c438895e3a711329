// The terminal modes a session's program has switched on — bracketed paste, application cursor keys,
// mouse reporting, focus events, keypad, the kitty keyboard protocol and xterm's modifyOtherKeys — read
// from its output as it passes. A screen snapshot carries
// only what is drawn, so a viewer who attaches late gets these too, or a paste into the agent would arrive
// unbracketed and an arrow key in the wrong encoding.

/** DEC private modes a viewer's terminal must share with the program for input to arrive as it expects. */
const TRACKED = new Set([
  1, // application cursor keys
  1000, 1002, 1003, 1005, 1006, 1015, // mouse reporting and its encodings
  1004, // focus in/out events
  2004, // bracketed paste
]);

const ESC = 0x1b;
const EMPTY = Buffer.alloc(0);
/** The longest escape sequence kept across chunks; anything longer is not one of ours. */
const MAX_PENDING = 64;
/** Kitty keyboard flags are a stack; a terminal keeps a bounded one, so does this. */
const MAX_KEYBOARD_STACK = 16;

export class TerminalModes {
  private readonly modes = new Map<number, boolean>();
  private keypad: boolean | undefined;
  /** The kitty keyboard protocol's flag stack (`CSI > flags u` pushes, `CSI < n u` pops). */
  private keyboard: number[] = [];
  /** xterm's modifyOtherKeys level (`CSI > 4 ; n m`). */
  private otherKeys = 0;
  /** The start of an escape sequence cut off at the end of the last chunk. */
  private pending: Buffer = EMPTY;

  /**
   * On the output path, so it only hops from ESC to ESC with the native search and reads the parameters of
   * `ESC [ ?` sequences alone; everything else (most of what tmux draws) costs a byte comparison or two.
   */
  feed(bytes: Uint8Array): void {
    let buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (this.pending.length > 0) {
      buf = Buffer.concat([this.pending, buf]);
      this.pending = EMPTY;
    }
    for (let at = buf.indexOf(ESC); at >= 0; at = buf.indexOf(ESC, at + 1)) {
      if (!this.consume(buf, at)) {
        if (buf.length - at <= MAX_PENDING) this.pending = Buffer.from(buf.subarray(at));
        return;
      }
    }
  }

  /** Bytes that put a fresh terminal in the modes the program has set (and out of those it cleared). */
  restore(): string {
    let out = '';
    for (const [mode, on] of this.modes) out += `\x1b[?${mode}${on ? 'h' : 'l'}`;
    if (this.keypad !== undefined) out += this.keypad ? '\x1b=' : '\x1b>';
    const flags = this.keyboard.at(-1) ?? 0;
    if (flags !== 0) out += `\x1b[>${flags}u`;
    if (this.otherKeys !== 0) out += `\x1b[>4;${this.otherKeys}m`;
    return out;
  }

  /** Reads the sequence at `at`; false when the chunk ends inside one that may matter. */
  private consume(buf: Buffer, at: number): boolean {
    const next = buf[at + 1];
    if (next === undefined) return false;
    if (next === 0x63) {
      // `ESC c`, a full reset (RIS), clears every mode.
      this.modes.clear();
      this.keypad = undefined;
      this.keyboard = [];
      this.otherKeys = 0;
    } else if (next === 0x3d || next === 0x3e) {
      this.keypad = next === 0x3d; // `ESC =` application keypad, `ESC >` normal
    } else if (next === 0x5b) {
      const prefix = buf[at + 2];
      if (prefix === undefined) return false;
      // Only `CSI ?`, `CSI >`, `CSI <` and `CSI =` sequences set modes; cursor moves and colours do not.
      if (prefix !== 0x3f && prefix !== 0x3e && prefix !== 0x3c && prefix !== 0x3d) return true;
      let end = at + 3;
      while (end < buf.length && buf[end]! >= 0x30 && buf[end]! <= 0x3b) end++; // digits and `;`
      if (end >= buf.length) return false;
      this.apply(prefix, buf.toString('latin1', at + 3, end).split(';'), buf[end]!);
    }
    return true;
  }

  private apply(prefix: number, params: string[], final: number): void {
    const number = (index: number, fallback: number): number => (params[index] ? Number(params[index]) : fallback);
    if (prefix === 0x3f && (final === 0x68 || final === 0x6c)) {
      for (const param of params) {
        const mode = Number(param);
        if (!TRACKED.has(mode)) continue;
        this.modes.delete(mode); // the last one set goes last: xterm's mouse modes 1000/1002/1003 are one setting
        this.modes.set(mode, final === 0x68);
      }
    } else if (final === 0x75 /* u */) {
      if (prefix === 0x3e) {
        this.keyboard.push(number(0, 0));
        if (this.keyboard.length > MAX_KEYBOARD_STACK) this.keyboard.shift();
      } else if (prefix === 0x3c) {
        this.keyboard.splice(Math.max(0, this.keyboard.length - number(0, 1)));
      } else if (prefix === 0x3d) {
        const [flags, how] = [number(0, 0), number(1, 1)];
        const top = this.keyboard.at(-1) ?? 0;
        const next = how === 2 ? top | flags : how === 3 ? top & ~flags : flags;
        if (this.keyboard.length === 0) this.keyboard.push(next);
        else this.keyboard[this.keyboard.length - 1] = next;
      }
    } else if (prefix === 0x3e && final === 0x6d /* m */ && number(0, -1) === 4) {
      this.otherKeys = number(1, 0);
    }
  }
}
