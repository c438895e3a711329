// The layout a width gets: side by side only where each half still fits a line of code.
import { describe, expect, it } from 'vitest';
import { chooseLayout } from './index.js';

describe('chooseLayout', () => {
  it('splits from 900 CSS pixels and stays unified below', () => {
    expect(chooseLayout(375)).toBe('unified');
    expect(chooseLayout(899)).toBe('unified');
    expect(chooseLayout(900)).toBe('split');
    expect(chooseLayout(1280)).toBe('split');
  });
});
