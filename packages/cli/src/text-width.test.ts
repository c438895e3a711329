// Display width of text in terminal columns, and cutting text to a width.
import { describe, expect, it } from 'vitest';
import { textWidth, truncateToWidth } from './text-width.js';

describe('textWidth', () => {
  it('counts ASCII one column each', () => {
    expect(textWidth('hello')).toBe(5);
  });

  it('counts CJK and emoji two columns each', () => {
    expect(textWidth('日本語')).toBe(6);
    expect(textWidth('🌙')).toBe(2);
  });

  it('counts combining marks as zero', () => {
    expect(textWidth('e\u0301')).toBe(1);
  });

  it('counts a ZWJ emoji sequence as one wide glyph', () => {
    expect(textWidth('👩‍💻')).toBe(2);
  });
});

describe('truncateToWidth', () => {
  it('keeps text that fits', () => {
    expect(truncateToWidth('short', 10)).toBe('short');
    expect(truncateToWidth('exactly10!', 10)).toBe('exactly10!');
  });

  it('cuts text that does not and ends it with an ellipsis', () => {
    expect(truncateToWidth('a long title here', 10)).toBe('a long ti…');
    expect(textWidth(truncateToWidth('a long title here', 10))).toBe(10);
  });

  it('never splits a wide character', () => {
    const cut = truncateToWidth('日本語のテスト', 6);
    expect(cut).toBe('日本…');
    expect(textWidth(cut)).toBeLessThanOrEqual(6);
  });

  it('returns nothing for no room', () => {
    expect(truncateToWidth('abc', 0)).toBe('');
  });
});
