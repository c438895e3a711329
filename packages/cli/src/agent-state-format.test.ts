// Agent state badges: their words, and which of them colour draws the eye to.
import { describe, expect, it } from 'vitest';
import { stateBadge, stateText } from './agent-state-format.js';
import { palette } from './terminal.js';

describe('stateText', () => {
  it.each([
    [{ state: 'starting', exitCode: null }, 'starting'],
    [{ state: 'working', exitCode: null }, 'working'],
    [{ state: 'waiting', exitCode: null }, 'waiting'],
    [{ state: 'idle', exitCode: null }, 'idle'],
    [{ state: 'exited', exitCode: 0 }, 'exited 0'],
    [{ state: 'exited', exitCode: 137 }, 'exited 137'],
    [{ state: 'exited', exitCode: null }, 'exited'],
  ] as const)('reads %j as %s', (session, text) => {
    expect(stateText(session)).toBe(text);
  });
});

describe('stateBadge', () => {
  it('makes waiting bold red on a colour terminal', () => {
    expect(stateBadge({ state: 'waiting', exitCode: null }, palette(true))).toBe('\x1b[1m\x1b[31mwaiting\x1b[39m\x1b[22m');
  });

  it('marks a failed exit red and a clean one dim', () => {
    expect(stateBadge({ state: 'exited', exitCode: 2 }, palette(true))).toBe('\x1b[31mexited 2\x1b[39m');
    expect(stateBadge({ state: 'exited', exitCode: 0 }, palette(true))).toBe('\x1b[2mexited 0\x1b[22m');
  });

  it('is plain text without colour', () => {
    expect(stateBadge({ state: 'waiting', exitCode: null }, palette(false))).toBe('waiting');
  });
});
