// The modes a program sets, read from its output however the bytes are split, and written back for a late viewer.
import { describe, expect, it } from 'vitest';
import { TerminalModes } from './terminal-modes.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');

function fed(...chunks: string[]): TerminalModes {
  const modes = new TerminalModes();
  for (const chunk of chunks) modes.feed(bytes(chunk));
  return modes;
}

describe('TerminalModes', () => {
  it('knows nothing of a program that set no modes', () => {
    expect(fed('hello \x1b[1;31mred\x1b[0m \x1b[2J\x1b[?25l').restore()).toBe('');
  });

  it('keeps bracketed paste, cursor keys, mouse, focus and keypad, each with its last setting', () => {
    const modes = fed('\x1b[?2004h\x1b[?1h\x1b=', 'text \x1b[?1000;1006h\x1b[?1004h', '\x1b[?1000l');
    expect(modes.restore()).toBe('\x1b[?2004h\x1b[?1h\x1b[?1006h\x1b[?1004h\x1b[?1000l\x1b=');
    modes.feed(bytes('\x1b>\x1b[?2004l'));
    expect(modes.restore()).toBe('\x1b[?1h\x1b[?1006h\x1b[?1004h\x1b[?1000l\x1b[?2004l\x1b>');
  });

  it('ignores modes a viewer need not share (the cursor, the alternate screen) and other sequences', () => {
    expect(fed('\x1b[?25l\x1b[?1049h\x1b[?7l\x1b[4h\x1b]0;title\x07\x1b(B').restore()).toBe('');
  });

  it('reads a sequence split across chunks at any byte', () => {
    const stream = 'a\x1b[?2004hb\x1b[?1000;1006hc\x1b=d';
    const whole = fed(stream).restore();
    expect(whole).toBe('\x1b[?2004h\x1b[?1000h\x1b[?1006h\x1b=');
    for (let cut = 0; cut <= stream.length; cut++) {
      expect(fed(stream.slice(0, cut), stream.slice(cut)).restore()).toBe(whole);
    }
  });

  it('forgets every mode on a full reset', () => {
    expect(fed('\x1b[?2004h\x1b=', '\x1bc').restore()).toBe('');
  });

  it('does not hold on to a mode sequence that never ends', () => {
    // Past the cap the cut-off start is dropped, so its tail cannot join what follows into a mode.
    const modes = fed(`\x1b[?${'1;'.repeat(100)}`, '2004h', '\x1b[?1h');
    expect(modes.restore()).toBe('\x1b[?1h');
    // Within the cap it is kept and completed by the next chunk.
    expect(fed('\x1b[?1000;', '1006h').restore()).toBe('\x1b[?1000h\x1b[?1006h');
  });

  it('puts the mouse mode set last, last', () => {
    expect(fed('\x1b[?1002h\x1b[?1006h', '\x1b[?1000h').restore()).toBe('\x1b[?1002h\x1b[?1006h\x1b[?1000h');
  });

  it("follows the kitty keyboard protocol's flag stack and xterm's modifyOtherKeys", () => {
    expect(fed('\x1b[>1u').restore()).toBe('\x1b[>1u');
    expect(fed('\x1b[>1u\x1b[>3u', '\x1b[<u').restore()).toBe('\x1b[>1u');
    expect(fed('\x1b[>1u\x1b[<u').restore()).toBe('');
    expect(fed('\x1b[>1u\x1b[=4;2u').restore()).toBe('\x1b[>5u');
    expect(fed('\x1b[>7u\x1b[=2;3u').restore()).toBe('\x1b[>5u');
    expect(fed('\x1b[>4;2m').restore()).toBe('\x1b[>4;2m');
    expect(fed('\x1b[>4;2m', '\x1b[>4m').restore()).toBe('');
    expect(fed('\x1b[>1u\x1b[>4;1m\x1bc').restore()).toBe('');
    // Colours and cursor moves with the same final bytes are not modes.
    expect(fed('\x1b[4m\x1b[1;31m\x1b[5u').restore()).toBe('');
  });
});
