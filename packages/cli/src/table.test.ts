// formatTable: padding by display width, shrinking one column to fit, colour after padding.
import { describe, expect, it } from 'vitest';
import { formatTable } from './table.js';
import { palette } from './terminal.js';

describe('formatTable', () => {
  it('pads columns to the widest cell, two spaces apart, with no trailing spaces', () => {
    expect(formatTable(['ID', 'NAME'], [['1', 'alpha'], ['22', 'b']])).toEqual(['ID  NAME', '1   alpha', '22  b']);
  });

  it('aligns by display width when cells hold wide characters', () => {
    const lines = formatTable(['A', 'B'], [['日本', 'x'], ['ab', 'y']]);
    expect(lines).toEqual(['A     B', '日本  x', 'ab    y']);
  });

  it('shrinks the chosen column to fit the width and marks the cut', () => {
    const lines = formatTable(['ID', 'TITLE'], [['1', 'a title that is much too long for the terminal']], { maxWidth: 20, shrink: 1 });
    expect(lines[1]).toBe('1   a title that is…');
    expect(lines.every((line) => line.length <= 20)).toBe(true);
  });

  it('never truncates without a width', () => {
    const title = 'x'.repeat(300);
    expect(formatTable(['T'], [[title]], { shrink: 0 })[1]).toBe(title);
  });

  it('applies styles after padding, so colour never shifts columns', () => {
    const colors = palette(true);
    const lines = formatTable(['S', 'T'], [[{ text: 'ok', style: colors.green }, 'x']]);
    expect(lines[1]).toBe('\x1b[32mok\x1b[39m  x');
  });

  it('right-aligns the columns asked for', () => {
    expect(formatTable(['NAME', 'N'], [['a', '5'], ['b', '12']], { alignRight: [1] })).toEqual(['NAME   N', 'a      5', 'b     12']);
  });
});
