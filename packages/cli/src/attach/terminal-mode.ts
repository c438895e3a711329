// Taking over the user's terminal for `vibe attach`, and giving it back exactly once, whatever ended the attach.

/** What attach needs of stdin: raw mode and flow control (a tty.ReadStream in real use). */
export interface RawInput {
  setRawMode(mode: boolean): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** What attach needs of stdout. The callback runs once the bytes are handed to the terminal. */
export interface TerminalOutput {
  write(data: string | Uint8Array, callback?: (error?: Error | null) => void): boolean;
}

/** Switch to the alternate screen and clear it, so the user's shell screen and scrollback come back untouched. */
export const ENTER_SEQUENCE = '\x1b[?1049h\x1b[H\x1b[2J';

/**
 * Undoes whatever the agent's output may have switched on in the user's terminal. Modes are reset while
 * still on the alternate screen (the kitty keyboard stack is per screen); then the main screen comes back,
 * and attributes and the cursor, which leaving it may restore from the agent's last save, are reset last.
 */
export const RESTORE_SEQUENCE = [
  '\x1b[0m', // attributes
  '\x1b[r', // scroll region
  '\x1b[0 q', // cursor shape
  '\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l', // mouse reporting
  '\x1b[?2004l', // bracketed paste
  '\x1b[?1004l', // focus events
  '\x1b[?1l\x1b>', // cursor keys and keypad back to normal
  '\x1b[<99u', // pop every kitty keyboard mode the agent pushed
  '\x1b[>4m', // modifyOtherKeys off
  '\x1b[?1049l', // leave the alternate screen
  '\x1b[0m', // attributes again
  '\x1b[?25h', // show the cursor
].join('');

export class TerminalMode {
  private state: 'off' | 'on' | 'restored' = 'off';

  constructor(
    private readonly input: RawInput,
    private readonly output: TerminalOutput,
  ) {}

  /** Raw keys in, the alternate screen out. */
  enter(): void {
    if (this.state !== 'off') return;
    this.state = 'on';
    this.input.setRawMode(true);
    this.input.resume();
    this.output.write(ENTER_SEQUENCE);
  }

  /** Gives the terminal back: the restore sequence, cooked mode, stdin paused so the process can end. Once. */
  restore(): void {
    if (this.state !== 'on') return;
    this.state = 'restored';
    try {
      this.output.write(RESTORE_SEQUENCE);
    } finally {
      this.input.setRawMode(false);
      this.input.pause();
    }
  }
}
