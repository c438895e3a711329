// humaniseSeconds: uptimes as people read them.
import { describe, expect, it } from 'vitest';
import { humaniseSeconds, timeAgo } from './duration.js';

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

describe('timeAgo', () => {
  const now = Date.parse('2026-01-02T03:04:05.000Z');
  it.each([
    ['2026-01-02T03:04:05.000Z', 'just now'],
    ['2026-01-02T03:04:10.000Z', 'just now'],
    ['2026-01-02T03:03:20.000Z', '45s ago'],
    ['2026-01-01T23:52:05.000Z', '3h 12m ago'],
    ['not a time', 'not a time'],
  ])('shows %s as %s', (timestamp, text) => {
    expect(timeAgo(timestamp, now)).toBe(text);
  });
});
