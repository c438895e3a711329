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
/** The longest escape sequence kept across chunks; anything longer is not one of ours. */
const MAX_PENDING = 64;

export class TerminalModes {
  private readonly modes = new Map<number, boolean>();
  private keypad: boolean | undefined;
  /** The start of an escape sequence cut off at the end of the last chunk. */
  private pending = '';

  feed(bytes: Uint8Array): void {
    if (this.pending === '' && bytes.indexOf(ESC) < 0) return;
    // Latin-1 keeps one character per byte: the sequences are ASCII, whatever the text around them is.
    const text = this.pending + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    this.pending = '';
    let at = text.indexOf('\x1b');
    while (at >= 0) {
      const end = this.consume(text, at);
      if (end === undefined) {
        if (text.length - at <= MAX_PENDING) this.pending = text.slice(at);
        return;
      }
      at = text.indexOf('\x1b', end);
    }
  }

  /** Bytes that put a fresh terminal in the modes the program has set (and out of those it cleared). */
  restore(): string {
    let out = '';
    for (const [mode, on] of this.modes) out += `\x1b[?${mode}${on ? 'h' : 'l'}`;
    if (this.keypad !== undefined) out += this.keypad ? '\x1b=' : '\x1b>';
    return out;
  }

  /** Reads the sequence at `at`; returns where it ends, or undefined when the text stops inside it. */
  private consume(text: string, at: number): number | undefined {
    const next = text[at + 1];
    if (next === undefined) return undefined;
    if (next === 'c') {
      // A full reset (RIS) clears every mode.
      this.modes.clear();
      this.keypad = undefined;
      return at + 2;
    }
    if (next === '=' || next === '>') {
      this.keypad = next === '=';
      return at + 2;
    }
    if (next !== '[') return at + 1;
    // CSI: parameters and intermediates, then a final byte in @..~.
    let end = at + 2;
    while (end < text.length && text.charCodeAt(end) >= 0x20 && text.charCodeAt(end) <= 0x3f) end++;
    if (end >= text.length) return undefined;
    const final = text[end]!;
    if (text[at + 2] === '?' && (final === 'h' || final === 'l')) {
      for (const param of text.slice(at + 3, end).split(';')) {
        const mode = Number(param);
        if (TRACKED.has(mode)) this.modes.set(mode, final === 'h');
      }
    }
    return end + 1;
  }
}
