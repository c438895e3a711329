// The terminal modes a session's program has switched on — bracketed paste, application cursor keys,
// mouse reporting, focus events, keypad — read from its output as it passes. A screen snapshot carries
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

export class TerminalModes {
  private readonly modes = new Map<number, boolean>();
  private keypad: boolean | undefined;
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
    } else if (next === 0x3d || next === 0x3e) {
      this.keypad = next === 0x3d; // `ESC =` application keypad, `ESC >` normal
    } else if (next === 0x5b) {
      if (buf[at + 2] === undefined) return false;
      if (buf[at + 2] !== 0x3f) return true; // a CSI other than DEC private modes
      let end = at + 3;
      while (end < buf.length && buf[end]! >= 0x30 && buf[end]! <= 0x3b) end++; // digits and `;`
      if (end >= buf.length) return false;
      if (buf[end] === 0x68 || buf[end] === 0x6c) this.apply(buf.toString('latin1', at + 3, end), buf[end] === 0x68);
    }
    return true;
  }

  private apply(params: string, on: boolean): void {
    for (const param of params.split(';')) {
      const mode = Number(param);
      if (TRACKED.has(mode)) this.modes.set(mode, on);
    }
  }
}
