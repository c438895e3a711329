// The detach key: how it is written, which keys may not be it, and how it is found in keyboard input.
import { describe, expect, it } from 'vitest';
import { detachKeyFrom, findDetachKey, parseDetachKey } from './detach-key.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');

describe('parseDetachKey', () => {
  it.each([
    ['ctrl-]', 'ctrl-]', 0x1d, 93],
    ['ctrl-q', 'ctrl-q', 0x11, 113],
    ['Ctrl+Q', 'ctrl-q', 0x11, 113],
    ['C-a', 'ctrl-a', 0x01, 97],
    ['^\\', 'ctrl-\\', 0x1c, 92],
    ['^_', 'ctrl-_', 0x1f, 95],
    ['ctrl-@', 'ctrl-@', 0x00, 64],
  ])('reads %j as %s (byte %i)', (text, name, byte, code) => {
    expect(parseDetachKey(text)).toEqual({ name, byte, code });
  });

  it.each(['ctrl-', 'q', 'alt-q', 'ctrl-1', 'ctrl-qq', 'ctrl-é', ''])('refuses %j', (text) => {
    expect(() => parseDetachKey(text)).toThrow(/invalid detach key/);
  });

  it.each([
    ['ctrl-[', 'Esc'],
    ['ctrl-i', 'Tab'],
    ['ctrl-m', 'Enter'],
    ['ctrl-j', 'Line Feed'],
  ])('refuses %s because it is also %s', (text, why) => {
    expect(() => parseDetachKey(text)).toThrow(why);
  });
});

describe('detachKeyFrom', () => {
  it('prefers the option, then VIBE_DETACH_KEY, then Ctrl-]', () => {
    expect(detachKeyFrom('ctrl-q', { VIBE_DETACH_KEY: 'ctrl-a' }).name).toBe('ctrl-q');
    expect(detachKeyFrom(undefined, { VIBE_DETACH_KEY: 'ctrl-a' }).name).toBe('ctrl-a');
    expect(detachKeyFrom(undefined, { VIBE_DETACH_KEY: '' }).name).toBe('ctrl-]');
    expect(detachKeyFrom(undefined, {}).byte).toBe(0x1d);
  });

  it('names the environment variable when its value is wrong', () => {
    expect(() => detachKeyFrom(undefined, { VIBE_DETACH_KEY: 'f12' })).toThrow(/^VIBE_DETACH_KEY: invalid detach key "f12"/);
  });
});

describe('findDetachKey', () => {
  const key = parseDetachKey('ctrl-]');

  it('finds the control byte and keeps what came before it', () => {
    expect(findDetachKey(bytes('abc\x1dxyz'), key)).toEqual({ index: 3 });
    expect(findDetachKey(bytes('\x1d'), key)).toEqual({ index: 0 });
  });

  it('finds nothing in ordinary typing, escape sequences included', () => {
    expect(findDetachKey(bytes('hello \x1b[A\x1b[93u\x1b[93;3u'), key)).toBeUndefined();
  });

  it('finds the key as the kitty keyboard protocol and modifyOtherKeys encode it', () => {
    expect(findDetachKey(bytes('ab\x1b[93;5u'), key)).toEqual({ index: 2 });
    expect(findDetachKey(bytes('\x1b[93;5:1u'), key)).toEqual({ index: 0 });
    expect(findDetachKey(bytes('x\x1b[27;5;93~'), key)).toEqual({ index: 1 });
  });

  it('ignores the key release event', () => {
    expect(findDetachKey(bytes('\x1b[93;5:3u'), key)).toBeUndefined();
  });

  it('finds the first of several encodings', () => {
    expect(findDetachKey(bytes('a\x1b[93;5ub\x1d'), key)).toEqual({ index: 1 });
  });
});
