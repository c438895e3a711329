// When output is coloured (TTY, NO_COLOR, FORCE_COLOR, TERM=dumb) and how wide the terminal is.
import { describe, expect, it } from 'vitest';
import { colorEnabled, palette, terminalWidth } from './terminal.js';

const tty = { isTTY: true, columns: 80 };
const pipe = { isTTY: false };

describe('colorEnabled', () => {
  it('colours a TTY', () => {
    expect(colorEnabled(tty, { TERM: 'xterm-256color' })).toBe(true);
  });

  it('never colours a pipe or a file', () => {
    expect(colorEnabled(pipe, { TERM: 'xterm-256color' })).toBe(false);
    expect(colorEnabled({}, {})).toBe(false);
  });

  it('honours NO_COLOR on a TTY', () => {
    expect(colorEnabled(tty, { NO_COLOR: '1' })).toBe(false);
  });

  it('ignores an empty NO_COLOR, as no-color.org says', () => {
    expect(colorEnabled(tty, { NO_COLOR: '' })).toBe(true);
  });

  it('does not colour TERM=dumb', () => {
    expect(colorEnabled(tty, { TERM: 'dumb' })).toBe(false);
  });

  it('lets FORCE_COLOR force colour, even into a pipe and past NO_COLOR', () => {
    expect(colorEnabled(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
  });

  it('treats FORCE_COLOR=0 as no colour', () => {
    expect(colorEnabled(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorEnabled(tty, { FORCE_COLOR: 'false' })).toBe(false);
  });
});

describe('palette', () => {
  it('wraps text in SGR codes when enabled', () => {
    expect(palette(true).red('x')).toBe('\x1b[31mx\x1b[39m');
    expect(palette(true).bold('x')).toBe('\x1b[1mx\x1b[22m');
  });

  it('returns text untouched when disabled', () => {
    const colors = palette(false);
    for (const style of Object.values(colors)) expect(style('plain')).toBe('plain');
  });

  it('adds nothing around empty text', () => {
    expect(palette(true).green('')).toBe('');
  });
});

describe('terminalWidth', () => {
  it('is the column count on a TTY', () => {
    expect(terminalWidth(tty)).toBe(80);
  });

  it('is undefined when not a TTY, so nothing is truncated', () => {
    expect(terminalWidth({ isTTY: false, columns: 80 })).toBeUndefined();
    expect(terminalWidth(pipe)).toBeUndefined();
  });
});
