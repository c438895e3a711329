// formatBytes: memory and disk sizes as people read them.
import { describe, expect, it } from 'vitest';
import { formatBytes } from './byte-size.js';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1536, '1.5 KiB'],
    [150 * 1024 * 1024, '150 MiB'],
    [2.1 * 1024 ** 3, '2.1 GiB'],
    [1024 * 1024 - 10, '1.0 MiB'],
    [-1, '0 B'],
  ])('shows %d bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
