// The scrollback ring: offsets, eviction, wrap-around and reads that span the seam.
import { describe, expect, it } from 'vitest';
import { Scrollback } from './scrollback.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (data: Uint8Array | undefined): string | undefined => (data === undefined ? undefined : new TextDecoder().decode(data));

describe('Scrollback', () => {
  it('numbers bytes from zero and returns everything after an offset', () => {
    const sb = new Scrollback(64);
    sb.append(bytes('hello '));
    sb.append(bytes('world'));
    expect([sb.start, sb.end, sb.length]).toEqual([0, 11, 11]);
    expect(text(sb.since(0))).toBe('hello world');
    expect(text(sb.since(6))).toBe('world');
    expect(text(sb.since(11))).toBe('');
    expect(text(sb.since(2, 3))).toBe('llo');
  });

  it('answers undefined for an offset beyond the end', () => {
    const sb = new Scrollback(8);
    sb.append(bytes('abc'));
    expect(sb.since(4)).toBeUndefined();
  });

  it('evicts the oldest bytes and keeps offsets absolute across wrap-around', () => {
    const sb = new Scrollback(10);
    sb.append(bytes('0123456789'));
    sb.append(bytes('abcd'));
    expect([sb.start, sb.end]).toEqual([4, 14]);
    expect(sb.since(3)).toBeUndefined();
    expect(text(sb.since(4))).toBe('456789abcd');
    expect(text(sb.since(8))).toBe('89abcd');
    expect(text(sb.since(10))).toBe('abcd');
    sb.append(bytes('efghijk'));
    expect([sb.start, sb.end]).toEqual([11, 21]);
    expect(text(sb.since(11))).toBe('bcdefghijk');
  });

  it('reads a range that crosses the seam of the ring as one copy', () => {
    const sb = new Scrollback(8);
    sb.append(bytes('ABCDEF'));
    sb.append(bytes('GHIJ')); // wraps: the ring holds IJ|CDEFGH, so offsets 6..9 cross the seam
    expect(text(sb.since(4, 4))).toBe('EFGH');
    const out = sb.since(6, 4);
    expect(text(out)).toBe('GHIJ');
    sb.append(bytes('KLMN'));
    expect(text(out)).toBe('GHIJ');
  });

  it('keeps only the tail of a chunk larger than its capacity', () => {
    const sb = new Scrollback(4);
    sb.append(bytes('xy'));
    sb.append(bytes('0123456789'));
    expect([sb.start, sb.end]).toEqual([8, 12]);
    expect(text(sb.since(8))).toBe('6789');
    sb.append(bytes('Z'));
    expect(text(sb.since(9))).toBe('789Z');
  });

  it('grows from a small buffer without losing bytes, then wraps at capacity', () => {
    const capacity = 100_000;
    const sb = new Scrollback(capacity);
    const all: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const chunk = Uint8Array.from({ length: 1 + (i % 97) }, (_, j) => (i * 31 + j) & 0xff);
      sb.append(chunk);
      all.push(...chunk);
    }
    expect(sb.end).toBe(all.length);
    expect(sb.length).toBe(capacity);
    expect(sb.start).toBe(all.length - capacity);
    expect(Array.from(sb.since(sb.start)!)).toEqual(all.slice(sb.start));
    expect(Array.from(sb.since(all.length - 1234)!)).toEqual(all.slice(all.length - 1234));
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new Scrollback(0)).toThrow(RangeError);
  });
});
