// The terminal attach takes over: what it writes on the way in and out, raw mode, and restoring only once.
import { describe, expect, it } from 'vitest';
import { ENTER_SEQUENCE, RESTORE_SEQUENCE, TerminalMode } from './terminal-mode.js';

function fakeTerminal() {
  const calls: string[] = [];
  const input = {
    setRawMode: (mode: boolean) => calls.push(`raw ${mode}`),
    resume: () => calls.push('resume'),
    pause: () => calls.push('pause'),
  };
  const output = {
    write: (data: string | Uint8Array) => {
      calls.push(`write ${JSON.stringify(typeof data === 'string' ? data : Buffer.from(data).toString())}`);
      return true;
    },
  };
  return { calls, input, output };
}

describe('TerminalMode', () => {
  it('enters raw mode and the alternate screen, then restores cooked mode and the main screen', () => {
    const { calls, input, output } = fakeTerminal();
    const mode = new TerminalMode(input, output);
    mode.enter();
    mode.restore();
    expect(calls).toEqual(['raw true', 'resume', `write ${JSON.stringify(ENTER_SEQUENCE)}`, `write ${JSON.stringify(RESTORE_SEQUENCE)}`, 'raw false', 'pause']);
  });

  it('restores once however many ways the attach ends, and not at all if it never began', () => {
    const { calls, input, output } = fakeTerminal();
    const mode = new TerminalMode(input, output);
    mode.restore();
    expect(calls).toEqual([]);
    mode.enter();
    mode.restore();
    mode.restore();
    expect(calls.filter((call) => call === 'raw false')).toHaveLength(1);
  });

  it('leaves raw mode even when the restore write throws', () => {
    const { calls, input } = fakeTerminal();
    let fail = false;
    const output = {
      write: () => {
        if (fail) throw new Error('EIO');
        return true;
      },
    };
    const mode = new TerminalMode(input, output);
    mode.enter();
    fail = true;
    expect(() => mode.restore()).toThrow('EIO');
    expect(calls.at(-2)).toBe('raw false');
  });

  it('shows the cursor, resets attributes and leaves the alternate screen, in that final order', () => {
    expect(ENTER_SEQUENCE.startsWith('\x1b[?1049h')).toBe(true);
    const leave = RESTORE_SEQUENCE.indexOf('\x1b[?1049l');
    expect(leave).toBeGreaterThan(0);
    expect(RESTORE_SEQUENCE.slice(leave)).toBe('\x1b[?1049l\x1b[0m\x1b[?25h');
    // Mouse reporting and bracketed paste, which agents switch on, are off before the shell gets the terminal back.
    for (const mode of ['\x1b[?1000l', '\x1b[?1006l', '\x1b[?2004l']) expect(RESTORE_SEQUENCE.indexOf(mode)).toBeLessThan(leave);
  });
});
