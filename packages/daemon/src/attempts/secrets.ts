// Hook tokens: compared in constant time, so a local process cannot learn one by timing refusals.
import { timingSafeEqual } from 'node:crypto';

export function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
