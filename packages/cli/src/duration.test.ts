// humaniseSeconds: uptimes as people read them.
import { describe, expect, it } from 'vitest';
import { humaniseSeconds } from './duration.js';

describe('humaniseSeconds', () => {
  it.each([
    [0, '0s'],
    [0.9, '0s'],
    [45, '45s'],
    [60, '1m'],
    [723, '12m 3s'],
    [3600, '1h'],
    [11_520, '3h 12m'],
    [86_400, '1d'],
    [187_200, '2d 4h'],
    [-5, '0s'],
  ])('shows %d seconds as %s', (seconds, text) => {
    expect(humaniseSeconds(seconds)).toBe(text);
  });
});
