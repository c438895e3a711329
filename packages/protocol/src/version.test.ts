// Tests for protocol version parsing and the compatibility rule: same major talks, any minor.
import { describe, expect, it } from 'vitest';
import { CAPABILITIES, isCompatible, parseVersion, PROTOCOL_VERSION } from './version.js';

describe('parseVersion', () => {
  it.each([
    ['1.0', { major: 1, minor: 0 }],
    ['0.1', { major: 0, minor: 1 }],
    ['10.25', { major: 10, minor: 25 }],
    ['9999.9999', { major: 9999, minor: 9999 }],
    ['01.02', { major: 1, minor: 2 }],
  ])('reads %s as major and minor', (text, expected) => {
    expect(parseVersion(text)).toEqual(expected);
  });

  it.each(['', '1', '1.', '.1', '1.0.0', 'v1.0', ' 1.0', '1.0 ', '1.0\n', '1.-1', '-1.0', '1,0', '12345.0', '1.12345', '1.0-beta', '١.٠'])(
    'refuses %j',
    (text) => {
      expect(parseVersion(text)).toBeUndefined();
    },
  );

  it('parses the version this package speaks', () => {
    expect(parseVersion(PROTOCOL_VERSION)).toEqual({ major: 1, minor: 5 });
  });
});

describe('isCompatible', () => {
  it.each(['1.0', '1.1', '1.99', '01.0'])('accepts %s against our 1.x', (theirs) => {
    expect(isCompatible(theirs)).toBe(true);
  });

  it.each(['0.9', '2.0', '2.1', '10.0'])('refuses another major, %s', (theirs) => {
    expect(isCompatible(theirs)).toBe(false);
  });

  it.each(['', '1', 'garbage', '1.0.0', 'v1.0'])('refuses garbage, %j', (theirs) => {
    expect(isCompatible(theirs)).toBe(false);
  });

  it('compares against the version given instead of our own', () => {
    expect(isCompatible('2.3', '2.0')).toBe(true);
    expect(isCompatible('1.0', '2.0')).toBe(false);
  });

  it('refuses everything when our own version is garbage', () => {
    expect(isCompatible('1.0', 'one')).toBe(false);
  });
});

describe('CAPABILITIES', () => {
  it('lists the capabilities documented in docs/protocol.md', () => {
    expect(CAPABILITIES).toEqual(['events', 'tasks', 'projects', 'sessions', 'review', 'relay', 'files', 'inbox', 'chat', 'presence', 'approvals']);
  });
});
